/**
 * Change ideas: what a network or a team might try, with where the idea comes from, free tags,
 * the drivers it serves (from the driver diagrams) and the teams testing it (from PDSA cycles).
 * A team's idea is written by the team; a network's by any member of the network. Afterwards
 * its author or the network's facilitators keep it up to date.
 */
import { canSee, ensureAllowed, may, type Viewer, visibilityScope } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { ensureCurrentVersion } from '../../platform/concurrency.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { AppError, type FieldError, notFound, validationFailed } from '../../platform/errors.ts';
import { type Page, pageRequest, toPage } from '../../platform/pagination.ts';
import { findVisibleNetwork } from '../structure/network.service.ts';
import { findVisibleTeam } from '../structure/team.service.ts';
import type {
  ChangeIdeaResponse,
  CreateChangeIdeaInput,
  ListChangeIdeasInput,
  ListTagsInput,
  SourceInputBody,
  TagResponse,
  UpdateChangeIdeaInput,
} from './change-idea.schemas.ts';
import * as repo from './change-idea.repository.ts';
import { findVisibleChangeIdea, findVisibleCycle } from './scope.service.ts';

const WHAT = 'change_idea';

interface Usage {
  tags: Map<string, string[]>;
  drivers: Map<string, ChangeIdeaResponse['drivers']>;
  teams: Map<string, ChangeIdeaResponse['teams_testing']>;
}

const push = <T>(map: Map<string, T[]>, key: string, item: T) => {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
};

interface DiagramNode {
  id: string;
  kind: string;
  label: string;
  change_idea_id?: string | null;
}

/** Tags, drivers and testing teams of these ideas, in three queries whatever their number. */
async function usageOf(ctx: AppContext, viewer: Viewer, ideaIds: string[]): Promise<Usage> {
  const scope = visibilityScope(viewer);
  const usage: Usage = { tags: new Map(), drivers: new Map(), teams: new Map() };
  for (const row of await repo.tagsOf(ctx.db, ideaIds))
    push(usage.tags, row.change_idea_id, row.label);
  const wanted = new Set(ideaIds);
  for (const diagram of await repo.diagramsLinking(ctx.db, scope, ideaIds)) {
    const content = (diagram.content ?? {}) as {
      nodes?: DiagramNode[];
      edges?: { from: string; to: string }[];
    };
    const nodes = new Map((content.nodes ?? []).map((node) => [node.id, node]));
    const owner = diagram.charter_id
      ? {
          owner_kind: 'charter' as const,
          owner_id: diagram.charter_id,
          owner_title: diagram.charter_title ?? '',
        }
      : {
          owner_kind: 'project' as const,
          owner_id: diagram.project_id ?? '',
          owner_title: diagram.project_title ?? '',
        };
    const seen = new Set<string>();
    for (const edge of content.edges ?? []) {
      const to = nodes.get(edge.to);
      const from = nodes.get(edge.from);
      const ideaId = to?.change_idea_id;
      if (!to || !from || !ideaId || !wanted.has(ideaId)) continue;
      if (from.kind !== 'primary' && from.kind !== 'secondary') continue;
      const key = `${ideaId} ${from.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      push(usage.drivers, ideaId, {
        ...owner,
        node_id: from.id,
        label: from.label,
        kind: from.kind,
      });
    }
  }
  for (const row of await repo.cyclesByTeam(ctx.db, scope, ideaIds)) {
    push(usage.teams, row.change_idea_id, {
      team_id: row.team_id,
      team_name: row.team_name,
      cycle_count: Number(row.cycle_count),
    });
  }
  return usage;
}

function toResponse(
  viewer: Viewer,
  row: repo.ChangeIdeaWithNamesRow,
  usage: Usage,
): ChangeIdeaResponse {
  const teamVisible =
    row.team_id !== null &&
    row.team_visibility !== null &&
    canSee(viewer, {
      visibility: row.team_visibility,
      networkId: row.network_id,
      teamId: row.team_id,
      authorId: row.team_created_by,
    });
  return {
    id: row.id,
    network_id: row.network_id,
    network_name: row.network_name,
    team_id: row.team_id,
    team_name: teamVisible ? row.team_name : null,
    title: row.title,
    description: row.description,
    source: {
      kind: row.source_kind,
      citation: row.source_citation,
      url: row.source_url,
      cycle_id: row.source_cycle_id,
    },
    tags: usage.tags.get(row.id) ?? [],
    visibility: row.visibility,
    created_by_id: row.created_by,
    drivers: usage.drivers.get(row.id) ?? [],
    teams_testing: usage.teams.get(row.id) ?? [],
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
  };
}

async function responseFor(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await repo.findChangeIdea(ctx.db, id);
  if (!row) throw notFound('Change idea', id);
  return toResponse(viewer, row, await usageOf(ctx, viewer, [id]));
}

export async function listChangeIdeas(
  ctx: AppContext,
  viewer: Viewer,
  input: ListChangeIdeasInput,
): Promise<Page<ChangeIdeaResponse>> {
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const rows = await repo.listChangeIdeas(ctx.db, visibilityScope(viewer), {
    limit,
    after,
    networkId: input.network_id,
    teamId: input.team_id,
    tag: input.tag?.trim() || undefined,
    q: input.q?.trim() || undefined,
  });
  const usage = await usageOf(
    ctx,
    viewer,
    rows.slice(0, limit).map((row) => row.id),
  );
  return toPage(rows, limit, repo.titleSortKey, (row) => toResponse(viewer, row, usage));
}

export async function getChangeIdea(ctx: AppContext, viewer: Viewer, id: string) {
  await findVisibleChangeIdea(ctx, viewer, id);
  return responseFor(ctx, viewer, id);
}

export async function listTags(
  ctx: AppContext,
  viewer: Viewer,
  input: ListTagsInput,
): Promise<Page<TagResponse>> {
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const rows = await repo.listTags(ctx.db, visibilityScope(viewer), {
    limit,
    after,
    q: input.q?.trim() || undefined,
  });
  return toPage(
    rows,
    limit,
    (row) => [row.label.toLowerCase(), row.id],
    (row) => ({ id: row.id, label: row.label, usage_count: Number(row.usage_count) }),
  );
}

// ---- writes

/** Trimmed, inner spaces collapsed, the first spelling of each case-insensitive label kept. */
export function normaliseTags(tags: string[]): string[] {
  const byKey = new Map<string, string>();
  for (const tag of tags) {
    const label = tag.trim().replace(/\s+/g, ' ');
    const key = label.toLowerCase();
    if (label && !byKey.has(key)) byKey.set(key, label);
  }
  return [...byKey.values()];
}

async function sourceColumns(ctx: AppContext, viewer: Viewer, source: SourceInputBody) {
  const errors: FieldError[] = [];
  const url = source.url?.trim() || null;
  if (url) {
    let ok = false;
    try {
      const parsed = new URL(url);
      ok = parsed.protocol === 'http:' || parsed.protocol === 'https:';
    } catch {
      ok = false;
    }
    if (!ok) errors.push({ path: '/body/source/url', message: 'not an http or https address' });
  }
  const cycleId = source.cycle_id ?? null;
  if (source.kind === 'cycle' && !cycleId)
    errors.push({ path: '/body/source/cycle_id', message: 'is required when kind is "cycle"' });
  if (source.kind !== 'cycle' && cycleId)
    errors.push({ path: '/body/source/cycle_id', message: 'only for kind "cycle"' });
  if (source.kind === 'cycle' && cycleId) {
    try {
      await findVisibleCycle(ctx, viewer, cycleId);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'not_found')) throw error;
      errors.push({ path: '/body/source/cycle_id', message: 'no such PDSA cycle' });
    }
  }
  if (errors.length > 0) throw validationFailed(errors);
  return {
    source_kind: source.kind,
    source_citation: source.citation?.trim() ?? '',
    source_url: url,
    source_cycle_id: source.kind === 'cycle' ? cycleId : null,
  };
}

async function setTags(tx: AppContext, id: string, tags: string[]) {
  const tagIds = await repo.ensureTags(tx.db, normaliseTags(tags), tx.newId, tx.now());
  await repo.replaceTags(tx.db, id, tagIds);
}

export async function createChangeIdea(
  ctx: AppContext,
  viewer: Viewer,
  input: CreateChangeIdeaInput,
): Promise<ChangeIdeaResponse> {
  return inTransaction(ctx, async (tx) => {
    const network = await findVisibleNetwork(tx, viewer, input.network_id);
    if (input.team_id) {
      // The team owns a team idea, as a project's team owns it: unseen or missing → 404.
      const team = await findVisibleTeam(tx, viewer, input.team_id);
      if (team.network_id !== network.id)
        throw validationFailed([
          { path: '/body/team_id', message: 'is a team of another network' },
        ]);
      ensureAllowed(
        viewer,
        may.workInTeam(viewer, { id: team.id, networkId: team.network_id }),
        "add this team's change ideas",
      );
    } else {
      ensureAllowed(
        viewer,
        may.contributeToNetwork(viewer, network.id),
        'add change ideas to this network',
      );
    }
    const source = await sourceColumns(tx, viewer, input.source ?? { kind: 'none' });
    const now = tx.now();
    const id = tx.newId();
    await repo.insertChangeIdea(tx.db, {
      id,
      network_id: network.id,
      team_id: input.team_id ?? null,
      title: input.title.trim(),
      description: input.description?.trim() ?? '',
      ...source,
      visibility: input.visibility ?? 'network',
      created_by: viewer.userId ?? null,
      created_at: now,
      updated_at: now,
    });
    await setTags(tx, id, input.tags ?? []);
    const after = await responseFor(tx, viewer, id);
    await recordAudit(tx, viewer, {
      action: 'create',
      entityType: WHAT,
      entityId: id,
      summary: `Added change idea "${after.title}" to ${after.team_name ?? network.name}`,
      after,
    });
    return after;
  });
}

/** Its author, or the network's facilitators. */
function ensureMayEdit(
  viewer: Viewer,
  row: { created_by: string | null; network_id: string },
  action: string,
) {
  const isAuthor = viewer.userId !== undefined && row.created_by === viewer.userId;
  ensureAllowed(viewer, isAuthor || may.manageNetwork(viewer, row.network_id), action);
}

export async function updateChangeIdea(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
  input: UpdateChangeIdeaInput,
): Promise<ChangeIdeaResponse> {
  return inTransaction(ctx, async (tx) => {
    const found = await findVisibleChangeIdea(tx, viewer, id);
    ensureMayEdit(viewer, found, 'change this change idea');
    ensureCurrentVersion(await repo.findChangeIdeaForUpdate(tx.db, id), ifMatch, WHAT, id);
    const before = await responseFor(tx, viewer, id);
    const source = input.source ? await sourceColumns(tx, viewer, input.source) : {};
    await repo.updateChangeIdea(tx.db, id, {
      ...(input.title !== undefined ? { title: input.title.trim() } : {}),
      ...(input.description !== undefined ? { description: input.description.trim() } : {}),
      ...source,
      ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
      updated_at: tx.now(),
    });
    if (input.tags !== undefined) await setTags(tx, id, input.tags);
    const after = await responseFor(tx, viewer, id);
    await recordAudit(tx, viewer, {
      action: 'update',
      entityType: WHAT,
      entityId: id,
      summary: `Changed change idea "${after.title}"`,
      before,
      after,
    });
    return after;
  });
}

export async function deleteChangeIdea(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const found = await findVisibleChangeIdea(tx, viewer, id);
    ensureMayEdit(viewer, found, 'delete this change idea');
    ensureCurrentVersion(await repo.findChangeIdeaForUpdate(tx.db, id), ifMatch, WHAT, id);
    const cycles = await repo.countCycles(tx.db, id);
    if (cycles > 0) {
      throw new AppError(
        'conflict',
        `The change idea "${found.title}" is tested by ${cycles} PDSA cycle(s); it stays as their record.`,
      );
    }
    const before = await responseFor(tx, viewer, id);
    await repo.deleteChangeIdea(tx.db, id);
    await recordAudit(tx, viewer, {
      action: 'delete',
      entityType: WHAT,
      entityId: id,
      summary: `Deleted change idea "${before.title}"`,
      before,
    });
  });
}
