import {
  ensureAllowed,
  ensureVisible,
  may,
  type Viewer,
  visibilityScope,
} from '../../platform/access.ts';
import { recordAudit, recordAudits } from '../../platform/audit.ts';
import { requireIfMatch, staleWrite } from '../../platform/concurrency.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Page, pageRequest, toPage } from '../../platform/pagination.ts';
import * as repo from './organisation.repository.ts';
import type {
  CreateOrganisationInput,
  ListOrganisationsInput,
  OrganisationResponse,
  OrganisationTypeValue,
  UpdateOrganisationInput,
} from './organisation.schemas.ts';

const WHAT = 'organisation';
const ENTITY = 'organisation';

const scopedOf = (row: repo.OrganisationRow) => ({
  visibility: row.visibility,
  networkId: null,
  teamId: null,
  authorId: row.created_by,
});

export function toOrganisationResponse(row: repo.OrganisationRow): OrganisationResponse {
  return {
    id: row.id,
    name: row.name,
    type: row.type as OrganisationTypeValue,
    nces_id: row.nces_id,
    visibility: row.visibility as OrganisationResponse['visibility'],
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
  };
}

export async function listOrganisations(
  ctx: AppContext,
  viewer: Viewer,
  input: ListOrganisationsInput,
): Promise<Page<OrganisationResponse>> {
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const rows = await repo.listOrganisations(ctx.db, visibilityScope(viewer), {
    limit,
    after,
    nameContains: input.q?.trim() || undefined,
    type: input.type,
  });
  return toPage(rows, limit, repo.organisationSortKey, toOrganisationResponse);
}

async function findVisible(ctx: AppContext, viewer: Viewer, id: string, forUpdate = false) {
  const row = forUpdate
    ? await repo.findOrganisationForUpdate(ctx.db, id)
    : await repo.findOrganisation(ctx.db, id);
  if (!row) throw notFound('Organisation', id);
  ensureVisible(viewer, scopedOf(row), 'Organisation', id);
  return row;
}

export async function getOrganisation(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
): Promise<OrganisationResponse> {
  return toOrganisationResponse(await findVisible(ctx, viewer, id));
}

/**
 * Creates organisations in one statement (the seed uses this for thousands at a time), with one
 * audit event each.
 */
export async function createOrganisations(
  ctx: AppContext,
  viewer: Viewer,
  inputs: CreateOrganisationInput[],
): Promise<OrganisationResponse[]> {
  ensureAllowed(viewer, may.manageCoalition(viewer), 'add organisations to the directory');
  if (inputs.length === 0) return [];
  const now = ctx.now();
  try {
    return await inTransaction(ctx, async (tx) => {
      const rows = await repo.insertOrganisations(
        tx.db,
        inputs.map((input) => ({
          id: tx.newId(),
          name: input.name.trim(),
          type: input.type,
          nces_id: input.nces_id ?? null,
          visibility: input.visibility ?? 'coalition',
          created_by: viewer.userId ?? null,
          created_at: now,
          updated_at: now,
        })),
      );
      const created = rows.map(toOrganisationResponse);
      await recordAudits(
        tx,
        viewer,
        created.map((after) => ({
          action: 'create' as const,
          entityType: ENTITY,
          entityId: after.id,
          summary: `Added organisation "${after.name}"`,
          after,
        })),
      );
      return created;
    });
  } catch (error) {
    throw translateWriteError(error);
  }
}

export async function createOrganisation(
  ctx: AppContext,
  viewer: Viewer,
  input: CreateOrganisationInput,
) {
  const [created] = await createOrganisations(ctx, viewer, [input]);
  if (!created) throw new Error('insert returned no row');
  return created;
}

export async function updateOrganisation(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
  input: UpdateOrganisationInput,
): Promise<OrganisationResponse> {
  try {
    return await inTransaction(ctx, async (tx) => {
      const current = await findVisible(tx, viewer, id, true);
      ensureAllowed(viewer, may.manageCoalition(viewer), 'change the directory');
      const expected = requireIfMatch(ifMatch, WHAT);
      if (current.version !== expected) throw staleWrite(WHAT, current.version);
      const row = await repo.updateOrganisation(tx.db, id, {
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.type !== undefined ? { type: input.type } : {}),
        ...(input.nces_id !== undefined ? { nces_id: input.nces_id } : {}),
        ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
        updated_at: tx.now(),
      });
      const after = toOrganisationResponse(row);
      await recordAudit(tx, viewer, {
        action: 'update',
        entityType: ENTITY,
        entityId: id,
        summary: `Changed organisation "${after.name}"`,
        before: toOrganisationResponse(current),
        after,
      });
      return after;
    });
  } catch (error) {
    throw translateWriteError(error);
  }
}

export async function deleteOrganisation(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
) {
  await inTransaction(ctx, async (tx) => {
    const current = await findVisible(tx, viewer, id, true);
    ensureAllowed(viewer, may.manageCoalition(viewer), 'change the directory');
    const expected = requireIfMatch(ifMatch, WHAT);
    if (current.version !== expected) throw staleWrite(WHAT, current.version);
    await repo.deleteOrganisation(tx.db, id);
    await recordAudit(tx, viewer, {
      action: 'delete',
      entityType: ENTITY,
      entityId: id,
      summary: `Deleted organisation "${current.name}"`,
      before: toOrganisationResponse(current),
    });
  });
}

function translateWriteError(error: unknown): unknown {
  if (isUniqueViolation(error, 'organisation_nces_id_key')) {
    return new AppError('conflict', 'Another organisation already has this NCES id.', [
      { path: '/body/nces_id', message: 'already used by another organisation' },
    ]);
  }
  return error;
}
