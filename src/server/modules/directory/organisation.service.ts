import { requireIfMatch, staleWrite } from '../../platform/concurrency.ts';
import type { AppContext } from '../../platform/context.ts';
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

export function toOrganisationResponse(row: repo.OrganisationRow): OrganisationResponse {
  return {
    id: row.id,
    name: row.name,
    type: row.type as OrganisationTypeValue,
    nces_id: row.nces_id,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
  };
}

export async function listOrganisations(
  ctx: AppContext,
  input: ListOrganisationsInput,
): Promise<Page<OrganisationResponse>> {
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const rows = await repo.listOrganisations(ctx.db, {
    limit,
    after,
    nameContains: input.q?.trim() || undefined,
    type: input.type,
  });
  return toPage(rows, limit, repo.organisationSortKey, toOrganisationResponse);
}

export async function getOrganisation(ctx: AppContext, id: string): Promise<OrganisationResponse> {
  const row = await repo.findOrganisation(ctx.db, id);
  if (!row) throw notFound('Organisation', id);
  return toOrganisationResponse(row);
}

/** Creates organisations in one statement (the seed uses this for thousands at a time). */
export async function createOrganisations(
  ctx: AppContext,
  inputs: CreateOrganisationInput[],
): Promise<OrganisationResponse[]> {
  if (inputs.length === 0) return [];
  const now = ctx.now();
  try {
    const rows = await repo.insertOrganisations(
      ctx.db,
      inputs.map((input) => ({
        id: ctx.newId(),
        name: input.name.trim(),
        type: input.type,
        nces_id: input.nces_id ?? null,
        created_at: now,
        updated_at: now,
      })),
    );
    return rows.map(toOrganisationResponse);
  } catch (error) {
    throw translateWriteError(error);
  }
}

export async function createOrganisation(ctx: AppContext, input: CreateOrganisationInput) {
  const [created] = await createOrganisations(ctx, [input]);
  if (!created) throw new Error('insert returned no row');
  return created;
}

export async function updateOrganisation(
  ctx: AppContext,
  id: string,
  ifMatch: string | undefined,
  input: UpdateOrganisationInput,
): Promise<OrganisationResponse> {
  const expected = requireIfMatch(ifMatch, WHAT);
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const current = await repo.findOrganisationForUpdate(trx, id);
      if (!current) throw notFound('Organisation', id);
      if (current.version !== expected) throw staleWrite(WHAT, current.version);
      const row = await repo.updateOrganisation(trx, id, {
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.type !== undefined ? { type: input.type } : {}),
        ...(input.nces_id !== undefined ? { nces_id: input.nces_id } : {}),
        updated_at: ctx.now(),
      });
      return toOrganisationResponse(row);
    });
  } catch (error) {
    throw translateWriteError(error);
  }
}

export async function deleteOrganisation(ctx: AppContext, id: string, ifMatch: string | undefined) {
  const expected = requireIfMatch(ifMatch, WHAT);
  await ctx.db.transaction().execute(async (trx) => {
    const current = await repo.findOrganisationForUpdate(trx, id);
    if (!current) throw notFound('Organisation', id);
    if (current.version !== expected) throw staleWrite(WHAT, current.version);
    await repo.deleteOrganisation(trx, id);
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
