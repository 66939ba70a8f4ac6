import {
  canSee,
  ensureAllowed,
  ensureVisible,
  may,
  type Scoped,
  type Viewer,
  visibilityScope,
} from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { ensureCurrentVersion } from '../../platform/concurrency.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import { AppError, notFound, validationFailed } from '../../platform/errors.ts';
import { getOrganisation } from '../directory/organisation.service.ts';
import { type Page, pageRequest, toPage } from '../../platform/pagination.ts';
import { describeWork, findVisibleNetwork } from './network.service.ts';
import type {
  CreateTeamInput,
  ListTeamsInput,
  TeamResponse,
  UpdateTeamInput,
} from './structure.schemas.ts';
import * as repo from './structure.repository.ts';

const WHAT = 'team';

export const teamScoped = (row: repo.TeamRow): Scoped => ({
  visibility: row.visibility,
  networkId: row.network_id,
  teamId: row.id,
  authorId: row.created_by,
});

/** The linked organisation is shown only to those who may see it (a private one stays hidden). */
function toTeamResponse(viewer: Viewer, row: repo.TeamWithNamesRow): TeamResponse {
  const organisationVisible =
    row.organisation_id !== null &&
    row.organisation_visibility !== null &&
    canSee(viewer, {
      visibility: row.organisation_visibility,
      networkId: null,
      teamId: null,
      authorId: row.organisation_created_by,
    });
  return {
    id: row.id,
    network_id: row.network_id,
    network_name: row.network_name,
    organisation_id: organisationVisible ? row.organisation_id : null,
    organisation_name: organisationVisible ? row.organisation_name : null,
    name: row.name,
    visibility: row.visibility,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** The team if the viewer may see it; 404 otherwise. */
export async function findVisibleTeam(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await repo.findTeam(ctx.db, id);
  if (!row) throw notFound('Team', id);
  ensureVisible(viewer, teamScoped(row), 'Team', id);
  return row;
}

export async function listTeams(
  ctx: AppContext,
  viewer: Viewer,
  input: ListTeamsInput,
): Promise<Page<TeamResponse>> {
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const rows = await repo.listTeams(ctx.db, visibilityScope(viewer), {
    limit,
    after,
    q: input.q?.trim() || undefined,
    networkId: input.network_id,
  });
  return toPage(rows, limit, repo.nameSortKey, (row) => toTeamResponse(viewer, row));
}

export async function getTeam(ctx: AppContext, viewer: Viewer, id: string) {
  return toTeamResponse(viewer, await findVisibleTeam(ctx, viewer, id));
}

/** A team may only be linked to an organisation its editor can see (else: no such organisation). */
async function checkOrganisation(ctx: AppContext, viewer: Viewer, id: string | null | undefined) {
  if (!id) return;
  try {
    await getOrganisation(ctx, viewer, id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') {
      throw validationFailed([{ path: '/body/organisation_id', message: 'no such organisation' }]);
    }
    throw error;
  }
}

export async function createTeam(
  ctx: AppContext,
  viewer: Viewer,
  input: CreateTeamInput,
): Promise<TeamResponse> {
  try {
    return await inTransaction(ctx, async (tx) => {
      await findVisibleNetwork(tx, viewer, input.network_id);
      ensureAllowed(
        viewer,
        may.manageNetwork(viewer, input.network_id),
        'add teams to this network',
      );
      await checkOrganisation(tx, viewer, input.organisation_id);
      const now = tx.now();
      const { id } = await repo.insertTeam(tx.db, {
        id: tx.newId(),
        network_id: input.network_id,
        organisation_id: input.organisation_id ?? null,
        name: input.name.trim(),
        visibility: input.visibility ?? 'network',
        created_by: viewer.userId ?? null,
        created_at: now,
        updated_at: now,
      });
      const after = toTeamResponse(viewer, await findOrFail(tx, id));
      await recordAudit(tx, viewer, {
        action: 'create',
        entityType: WHAT,
        entityId: id,
        summary: `Created team "${after.name}" in ${after.network_name}`,
        after,
      });
      return after;
    });
  } catch (error) {
    throw translateWriteError(error);
  }
}

async function findOrFail(ctx: AppContext, id: string) {
  const row = await repo.findTeam(ctx.db, id);
  if (!row) throw notFound('Team', id);
  return row;
}

export async function updateTeam(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
  input: UpdateTeamInput,
): Promise<TeamResponse> {
  try {
    return await inTransaction(ctx, async (tx) => {
      const before = await findVisibleTeam(tx, viewer, id);
      ensureAllowed(viewer, may.manageNetwork(viewer, before.network_id), 'change this team');
      ensureCurrentVersion(await repo.findTeamForUpdate(tx.db, id), ifMatch, WHAT, id);
      await checkOrganisation(tx, viewer, input.organisation_id);
      await repo.updateTeam(tx.db, id, {
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.organisation_id !== undefined ? { organisation_id: input.organisation_id } : {}),
        ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
        updated_at: tx.now(),
      });
      const after = toTeamResponse(viewer, await findOrFail(tx, id));
      await recordAudit(tx, viewer, {
        action: 'update',
        entityType: WHAT,
        entityId: id,
        summary: `Changed team "${after.name}"`,
        before: toTeamResponse(viewer, before),
        after,
      });
      return after;
    });
  } catch (error) {
    throw translateWriteError(error);
  }
}

export async function deleteTeam(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const before = await findVisibleTeam(tx, viewer, id);
    ensureAllowed(viewer, may.manageNetwork(viewer, before.network_id), 'delete this team');
    ensureCurrentVersion(await repo.findTeamForUpdate(tx.db, id), ifMatch, WHAT, id);
    const left = describeWork(await repo.countImprovementWork(tx.db, { teamId: id }));
    if (left) {
      throw new AppError(
        'conflict',
        `The team "${before.name}" still has ${left}: close or delete them first (they are the record of its improvement work).`,
      );
    }
    await repo.deleteTeam(tx.db, id);
    await recordAudit(tx, viewer, {
      action: 'delete',
      entityType: WHAT,
      entityId: id,
      summary: `Deleted team "${before.name}" (its memberships went with it)`,
      before: toTeamResponse(viewer, before),
    });
  });
}

function translateWriteError(error: unknown): unknown {
  if (isUniqueViolation(error, 'team_name_key')) {
    return new AppError('conflict', 'This network already has a team with this name.', [
      { path: '/body/name', message: 'already used by another team of the network' },
    ]);
  }
  return error;
}
