import {
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
import { AppError, notFound } from '../../platform/errors.ts';
import { type Page, pageRequest, toPage } from '../../platform/pagination.ts';
import type {
  CreateNetworkInput,
  ListNetworksInput,
  NetworkResponse,
  UpdateNetworkInput,
} from './structure.schemas.ts';
import * as repo from './structure.repository.ts';

const WHAT = 'network';

export const networkScoped = (row: repo.NetworkRow): Scoped => ({
  visibility: row.visibility,
  networkId: row.id,
  teamId: null,
  authorId: row.created_by,
});

function toNetworkResponse(row: repo.NetworkRow, teamCount: number): NetworkResponse {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    visibility: row.visibility as NetworkResponse['visibility'],
    team_count: teamCount,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
  };
}
const fromCounted = (row: repo.NetworkWithCountRow) => toNetworkResponse(row, row.team_count ?? 0);

/** The network if the viewer may see it; 404 otherwise. */
export async function findVisibleNetwork(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await repo.findNetwork(ctx.db, visibilityScope(viewer), id);
  if (!row) throw notFound('Network', id);
  ensureVisible(viewer, networkScoped(row), 'Network', id);
  return row;
}

export async function listNetworks(
  ctx: AppContext,
  viewer: Viewer,
  input: ListNetworksInput,
): Promise<Page<NetworkResponse>> {
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const rows = await repo.listNetworks(ctx.db, visibilityScope(viewer), {
    limit,
    after,
    q: input.q?.trim() || undefined,
  });
  return toPage(rows, limit, repo.nameSortKey, fromCounted);
}

export async function getNetwork(ctx: AppContext, viewer: Viewer, id: string) {
  return fromCounted(await findVisibleNetwork(ctx, viewer, id));
}

export async function createNetwork(
  ctx: AppContext,
  viewer: Viewer,
  input: CreateNetworkInput,
): Promise<NetworkResponse> {
  ensureAllowed(viewer, may.manageCoalition(viewer), 'create networks');
  const now = ctx.now();
  try {
    return await inTransaction(ctx, async (tx) => {
      const row = await repo.insertNetwork(tx.db, {
        id: tx.newId(),
        name: input.name.trim(),
        description: input.description ?? '',
        visibility: input.visibility ?? 'coalition',
        created_by: viewer.userId ?? null,
        created_at: now,
        updated_at: now,
      });
      const after = toNetworkResponse(row, 0);
      await recordAudit(tx, viewer, {
        action: 'create',
        entityType: WHAT,
        entityId: row.id,
        summary: `Created network "${row.name}"`,
        after,
      });
      return after;
    });
  } catch (error) {
    throw translateWriteError(error);
  }
}

export async function updateNetwork(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
  input: UpdateNetworkInput,
): Promise<NetworkResponse> {
  try {
    return await inTransaction(ctx, async (tx) => {
      const visible = await findVisibleNetwork(tx, viewer, id);
      ensureAllowed(viewer, may.manageNetwork(viewer, id), 'change this network');
      const current = ensureCurrentVersion(
        await repo.findNetworkForUpdate(tx.db, id),
        ifMatch,
        WHAT,
        id,
      );
      const row = await repo.updateNetwork(tx.db, id, {
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
        updated_at: tx.now(),
      });
      const teamCount = visible.team_count ?? 0;
      const after = toNetworkResponse(row, teamCount);
      await recordAudit(tx, viewer, {
        action: 'update',
        entityType: WHAT,
        entityId: id,
        summary: `Changed network "${row.name}"`,
        before: toNetworkResponse(current, teamCount),
        after,
      });
      return after;
    });
  } catch (error) {
    throw translateWriteError(error);
  }
}

export async function deleteNetwork(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await findVisibleNetwork(tx, viewer, id);
    ensureAllowed(viewer, may.manageCoalition(viewer), 'delete networks');
    const current = ensureCurrentVersion(
      await repo.findNetworkForUpdate(tx.db, id),
      ifMatch,
      WHAT,
      id,
    );
    const teams = await repo.countTeams(tx.db, id);
    if (teams > 0) {
      throw new AppError(
        'conflict',
        `The network "${current.name}" still has ${teams} team(s); move or delete them first.`,
      );
    }
    const work = await repo.countImprovementWork(tx.db, { networkId: id });
    const left = describeWork(work);
    if (left) {
      throw new AppError(
        'conflict',
        `The network "${current.name}" still has ${left}: delete them first (they are the record of its improvement work).`,
      );
    }
    await repo.deleteNetwork(tx.db, id);
    await recordAudit(tx, viewer, {
      action: 'delete',
      entityType: WHAT,
      entityId: id,
      summary: `Deleted network "${current.name}"`,
      before: toNetworkResponse(current, 0),
    });
  });
}

/** "2 charters and 1 change idea", or '' when nothing is left. */
export function describeWork(work: Awaited<ReturnType<typeof repo.countImprovementWork>>) {
  const parts = [
    [work.charters, 'charter'],
    [work.projects, 'project'],
    [work.changeIdeas, 'change idea'],
    [work.annotations, 'network-wide annotation'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}${n === 1 ? '' : 's'}`)
    .join(' and ');
}

function translateWriteError(error: unknown): unknown {
  if (isUniqueViolation(error, 'network_name_key')) {
    return new AppError('conflict', 'Another network already has this name.', [
      { path: '/body/name', message: 'already used by another network' },
    ]);
  }
  return error;
}
