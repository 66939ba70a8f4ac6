/**
 * Driver diagrams: one per charter (the network's theory of improvement) and one per project
 * (the team's, started as a copy of its charter's). A save replaces the whole content, bumps the
 * version and keeps the saved content as a revision, so every version can be read back.
 *
 * The content is a small graph: primary drivers, secondary drivers and change ideas, with edges
 * only primary → secondary, secondary → change_idea and primary → change_idea. Edges always go
 * "down" the three kinds, so the graph is acyclic by construction and needs no cycle search.
 */
import { canSee, ensureAllowed, may, type Viewer } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { ensureCurrentVersion, requireIfMatch, staleWrite } from '../../platform/concurrency.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { AppError, type FieldError, notFound, validationFailed } from '../../platform/errors.ts';
import { encodeCursor, type Page, pageRequest } from '../../platform/pagination.ts';
import type {
  ComparedEdgeResponse,
  DiagramContentBody,
  DriverDiagramComparisonResponse,
  DriverDiagramResponse,
  DriverDiagramRevisionResponse,
  DriverDiagramRevisionSummaryResponse,
  ListRevisionsInput,
} from './driver-diagram.schemas.ts';
import * as repo from './driver-diagram.repository.ts';
import { findVisibleCharter, findVisibleProject } from './scope.service.ts';

const WHAT = 'driver_diagram';

export type DiagramOwnerKind = repo.DiagramOwnerKind;
export interface DiagramOwner {
  kind: DiagramOwnerKind;
  id: string;
}

interface StoredNode {
  id: string;
  kind: 'primary' | 'secondary' | 'change_idea';
  label: string;
  change_idea_id: string | null;
}
export interface DiagramContent {
  aim: string;
  nodes: StoredNode[];
  edges: { from: string; to: string }[];
}

export const emptyContent = (aim: string): DiagramContent => ({ aim, nodes: [], edges: [] });

/** Stored content read back (jsonb), normalised so an old row still fits the response shape. */
function contentOf(value: unknown): DiagramContent {
  const raw = (value ?? {}) as Partial<DiagramContent>;
  return {
    aim: typeof raw.aim === 'string' ? raw.aim : '',
    nodes: (raw.nodes ?? []).map((node) => ({
      id: node.id,
      kind: node.kind,
      label: node.label,
      change_idea_id: node.change_idea_id ?? null,
    })),
    edges: (raw.edges ?? []).map((edge) => ({ from: edge.from, to: edge.to })),
  };
}

/** The content as it is stored: labels trimmed, change_idea_id always present. */
function normalise(content: DiagramContentBody): DiagramContent {
  return {
    aim: content.aim.trim(),
    nodes: content.nodes.map((node) => ({
      id: node.id,
      kind: node.kind,
      label: node.label.trim(),
      change_idea_id: node.kind === 'change_idea' ? (node.change_idea_id ?? null) : null,
    })),
    edges: content.edges.map((edge) => ({ from: edge.from, to: edge.to })),
  };
}

const nodeCounts = (content: DiagramContent) => ({
  primary: content.nodes.filter((node) => node.kind === 'primary').length,
  secondary: content.nodes.filter((node) => node.kind === 'secondary').length,
  change_idea: content.nodes.filter((node) => node.kind === 'change_idea').length,
});

const describe = (content: DiagramContent) => {
  const n = nodeCounts(content);
  return `${n.primary} primary, ${n.secondary} secondary drivers, ${n.change_idea} change ideas, ${content.edges.length} links`;
};

// ---- owners

interface OwnerInfo {
  kind: DiagramOwnerKind;
  id: string;
  title: string;
  networkId: string;
  charterId: string | null;
  createdAt: Date;
  mayWrite: boolean;
}

async function findVisibleOwner(
  ctx: AppContext,
  viewer: Viewer,
  owner: DiagramOwner,
): Promise<OwnerInfo> {
  if (owner.kind === 'charter') {
    const charter = await findVisibleCharter(ctx, viewer, owner.id);
    return {
      kind: 'charter',
      id: charter.id,
      title: charter.title,
      networkId: charter.network_id,
      charterId: charter.id,
      createdAt: charter.created_at,
      mayWrite: may.manageNetwork(viewer, charter.network_id),
    };
  }
  const project = await findVisibleProject(ctx, viewer, owner.id);
  return {
    kind: 'project',
    id: project.id,
    title: project.title,
    networkId: project.network_id,
    charterId: project.charter_id,
    createdAt: project.created_at,
    mayWrite: may.workInTeam(viewer, { id: project.team_id, networkId: project.network_id }),
  };
}

function toResponse(
  owner: OwnerInfo,
  row: repo.DriverDiagramWithNameRow | undefined,
): DriverDiagramResponse {
  if (!row) {
    // Never saved (its owner predates diagrams, or was imported): an empty diagram at version 0.
    const at = owner.createdAt.toISOString();
    return {
      id: null,
      owner_kind: owner.kind,
      owner_id: owner.id,
      network_id: owner.networkId,
      content: emptyContent(''),
      updated_by_id: null,
      updated_by_name: null,
      created_at: at,
      updated_at: at,
      version: 0,
    };
  }
  return {
    id: row.id,
    owner_kind: owner.kind,
    owner_id: owner.id,
    network_id: owner.networkId,
    content: contentOf(row.content),
    updated_by_id: row.updated_by,
    updated_by_name: row.updated_by_name,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
  };
}

// ---- reads

export async function getDiagram(
  ctx: AppContext,
  viewer: Viewer,
  owner: DiagramOwner,
): Promise<DriverDiagramResponse> {
  const info = await findVisibleOwner(ctx, viewer, owner);
  return toResponse(info, await repo.findDiagram(ctx.db, owner.kind, owner.id));
}

/** The content of the owner's diagram (empty when never saved); no visibility check. */
export async function contentOfOwner(ctx: AppContext, owner: DiagramOwner) {
  const row = await repo.findDiagram(ctx.db, owner.kind, owner.id);
  return row ? contentOf(row.content) : undefined;
}

export async function listRevisions(
  ctx: AppContext,
  viewer: Viewer,
  owner: DiagramOwner,
  input: ListRevisionsInput,
): Promise<Page<DriverDiagramRevisionSummaryResponse>> {
  await findVisibleOwner(ctx, viewer, owner);
  const { limit, after } = pageRequest<[number]>(input, 1);
  const diagram = await repo.findDiagram(ctx.db, owner.kind, owner.id);
  if (!diagram) return { items: [], next_cursor: null };
  const rows = await repo.listRevisions(ctx.db, diagram.id, {
    limit,
    beforeVersion: typeof after?.[0] === 'number' ? after[0] : undefined,
  });
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  return {
    items: pageRows.map((row) => {
      const content = contentOf(row.content);
      return {
        version: row.version,
        saved_by_id: row.saved_by,
        saved_by_name: row.saved_by_name,
        saved_at: row.saved_at.toISOString(),
        node_counts: nodeCounts(content),
        edge_count: content.edges.length,
      };
    }),
    next_cursor: rows.length > limit && last ? encodeCursor([last.version]) : null,
  };
}

export async function getRevision(
  ctx: AppContext,
  viewer: Viewer,
  owner: DiagramOwner,
  version: number,
): Promise<DriverDiagramRevisionResponse> {
  await findVisibleOwner(ctx, viewer, owner);
  const diagram = await repo.findDiagram(ctx.db, owner.kind, owner.id);
  const row = diagram ? await repo.findRevision(ctx.db, diagram.id, version) : undefined;
  if (!row) throw notFound('Driver diagram revision', String(version));
  return {
    version: row.version,
    saved_by_id: row.saved_by,
    saved_by_name: row.saved_by_name,
    saved_at: row.saved_at.toISOString(),
    content: contentOf(row.content),
  };
}

// ---- writes

/** A new owner's first diagram (version 1, kept as revision 1); in the owner's transaction. */
export async function createInitialDiagram(
  tx: AppContext,
  viewer: Viewer,
  owner: DiagramOwner & { title: string },
  content: DiagramContent,
  how: string,
): Promise<void> {
  const id = tx.newId();
  const now = tx.now();
  await repo.insertDiagram(tx.db, {
    id,
    charter_id: owner.kind === 'charter' ? owner.id : null,
    project_id: owner.kind === 'project' ? owner.id : null,
    content: JSON.stringify(content),
    updated_by: viewer.userId ?? null,
    created_at: now,
    updated_at: now,
  });
  await repo.insertRevision(tx.db, {
    id: tx.newId(),
    diagram_id: id,
    version: 1,
    content: JSON.stringify(content),
    saved_by: viewer.userId ?? null,
    saved_at: now,
  });
  await recordAudit(tx, viewer, {
    action: 'create',
    entityType: WHAT,
    entityId: id,
    summary: `Created the driver diagram of ${owner.kind} "${owner.title}" (${how}: ${describe(content)})`,
    after: { owner_kind: owner.kind, owner_id: owner.id, version: 1, content },
  });
}

export async function saveDiagram(
  ctx: AppContext,
  viewer: Viewer,
  owner: DiagramOwner,
  ifMatch: string | undefined,
  body: DiagramContentBody,
): Promise<DriverDiagramResponse> {
  return inTransaction(ctx, async (tx) => {
    const info = await findVisibleOwner(tx, viewer, owner);
    ensureAllowed(viewer, info.mayWrite, `change the driver diagram of this ${owner.kind}`);
    await repo.lockOwner(tx.db, owner.kind, owner.id);
    const current = await repo.findDiagramForUpdate(tx.db, owner.kind, owner.id);
    if (current) ensureCurrentVersion(current, ifMatch, 'driver diagram', owner.id);
    else if (requireIfMatch(ifMatch, 'driver diagram') !== 0) throw staleWrite('driver diagram', 0);
    const before = current ? contentOf(current.content) : undefined;
    const content = normalise(body);
    const errors = await validateContent(tx, viewer, info.networkId, content, before);
    if (errors.length > 0) throw validationFailed(errors);

    const now = tx.now();
    let diagramId: string;
    let version: number;
    if (current) {
      diagramId = current.id;
      version = await repo.updateDiagramContent(tx.db, current.id, {
        content: JSON.stringify(content),
        updated_by: viewer.userId ?? null,
        updated_at: now,
      });
    } else {
      diagramId = tx.newId();
      version = 1;
      await repo.insertDiagram(tx.db, {
        id: diagramId,
        charter_id: owner.kind === 'charter' ? owner.id : null,
        project_id: owner.kind === 'project' ? owner.id : null,
        content: JSON.stringify(content),
        updated_by: viewer.userId ?? null,
        created_at: now,
        updated_at: now,
      });
    }
    await repo.insertRevision(tx.db, {
      id: tx.newId(),
      diagram_id: diagramId,
      version,
      content: JSON.stringify(content),
      saved_by: viewer.userId ?? null,
      saved_at: now,
    });
    await recordAudit(tx, viewer, {
      action: current ? 'update' : 'create',
      entityType: WHAT,
      entityId: diagramId,
      summary: `Saved the driver diagram of ${owner.kind} "${info.title}" as version ${version} (${describe(content)})`,
      before: before
        ? { owner_kind: owner.kind, owner_id: owner.id, version: current?.version, content: before }
        : null,
      after: { owner_kind: owner.kind, owner_id: owner.id, version, content },
    });
    return toResponse(info, await repo.findDiagram(tx.db, owner.kind, owner.id));
  });
}

const ALLOWED_EDGES = new Set([
  'primary>secondary',
  'secondary>change_idea',
  'primary>change_idea',
]);

/**
 * The rules TypeBox cannot say: unique node ids, edges between existing nodes in an allowed
 * direction, no duplicate edge, and change idea links to visible ideas of the same network. A
 * link already in the saved diagram is kept as it is (its idea may since have become invisible
 * to this editor, or been deleted), so that saving someone else's diagram never fails on it.
 */
export async function validateContent(
  ctx: AppContext,
  viewer: Viewer,
  networkId: string,
  content: DiagramContent,
  before: DiagramContent | undefined,
  base = '/body/content',
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const byId = new Map<string, StoredNode>();
  content.nodes.forEach((node, i) => {
    if (byId.has(node.id))
      errors.push({ path: `${base}/nodes/${i}/id`, message: `duplicate node id "${node.id}"` });
    else byId.set(node.id, node);
  });
  const seenEdges = new Set<string>();
  content.edges.forEach((edge, i) => {
    const from = byId.get(edge.from);
    const to = byId.get(edge.to);
    if (!from) errors.push({ path: `${base}/edges/${i}/from`, message: `no node "${edge.from}"` });
    if (!to) errors.push({ path: `${base}/edges/${i}/to`, message: `no node "${edge.to}"` });
    if (!from || !to) return;
    if (!ALLOWED_EDGES.has(`${from.kind}>${to.kind}`)) {
      errors.push({
        path: `${base}/edges/${i}`,
        message: `a ${from.kind} node cannot lead to a ${to.kind} node (allowed: primary → secondary, secondary → change_idea, primary → change_idea)`,
      });
      return;
    }
    const key = `${edge.from}\u0000${edge.to}`;
    if (seenEdges.has(key)) errors.push({ path: `${base}/edges/${i}`, message: 'duplicate edge' });
    seenEdges.add(key);
  });

  const kept = new Set(
    (before?.nodes ?? []).flatMap((node) => (node.change_idea_id ? [node.change_idea_id] : [])),
  );
  const linked = content.nodes.flatMap((node, i) =>
    node.change_idea_id && !kept.has(node.change_idea_id) ? [{ i, id: node.change_idea_id }] : [],
  );
  const ideas = new Map(
    (await repo.findChangeIdeas(ctx.db, [...new Set(linked.map((link) => link.id))])).map(
      (idea) => [idea.id, idea],
    ),
  );
  for (const { i, id } of linked) {
    const idea = ideas.get(id);
    const visible =
      idea &&
      canSee(viewer, {
        visibility: idea.visibility,
        networkId: idea.network_id,
        teamId: idea.team_id,
        authorId: idea.created_by,
      });
    if (!idea || !visible)
      errors.push({ path: `${base}/nodes/${i}/change_idea_id`, message: 'no such change idea' });
    else if (idea.network_id !== networkId)
      errors.push({
        path: `${base}/nodes/${i}/change_idea_id`,
        message: "the change idea belongs to another network than the diagram's",
      });
  }
  return errors;
}

// ---- compare

/** Trimmed, case-folded, inner whitespace collapsed: "  Advisory  Check-ins" ~ "advisory check-ins". */
export const normaliseLabel = (label: string) =>
  label.trim().replace(/\s+/g, ' ').normalize('NFKC').toLocaleLowerCase('en');

const matchKey = (node: StoredNode) =>
  node.kind === 'change_idea' && node.change_idea_id
    ? `idea:${node.change_idea_id}`
    : `${node.kind}:${normaliseLabel(node.label)}`;

/**
 * Pairs each node with a key shared by its match on the other side: nodes with the same match
 * key pair up in display order (two "Attendance" secondaries on one side match two on the other).
 */
function keyNodes(nodes: StoredNode[]) {
  const seen = new Map<string, number>();
  const keyOf = new Map<string, string>();
  for (const node of nodes) {
    const base = matchKey(node);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    keyOf.set(node.id, `${base}#${n}`);
  }
  return keyOf;
}

export async function compareWithCharter(
  ctx: AppContext,
  viewer: Viewer,
  projectId: string,
): Promise<DriverDiagramComparisonResponse> {
  const project = await findVisibleOwner(ctx, viewer, { kind: 'project', id: projectId });
  if (!project.charterId)
    throw new AppError('conflict', 'This project is not linked to a charter; nothing to compare.');
  const charter = await findVisibleOwner(ctx, viewer, { kind: 'charter', id: project.charterId });
  const projectRow = await repo.findDiagram(ctx.db, 'project', project.id);
  const charterRow = await repo.findDiagram(ctx.db, 'charter', charter.id);
  const mine = projectRow ? contentOf(projectRow.content) : emptyContent('');
  const theirs = charterRow ? contentOf(charterRow.content) : emptyContent('');

  const myKeys = keyNodes(mine.nodes);
  const theirKeys = keyNodes(theirs.nodes);
  const theirByKey = new Map(theirs.nodes.map((node) => [theirKeys.get(node.id), node]));
  const myKeySet = new Set(myKeys.values());
  const shown = (node: StoredNode) => ({ ...node });

  const both: DriverDiagramComparisonResponse['nodes']['both'] = [];
  const onlyProject: StoredNode[] = [];
  for (const node of mine.nodes) {
    const match = theirByKey.get(myKeys.get(node.id));
    if (match) both.push({ kind: node.kind, project: shown(node), charter: shown(match) });
    else onlyProject.push(shown(node));
  }
  const onlyNetwork = theirs.nodes.filter((node) => !myKeySet.has(theirKeys.get(node.id) ?? ''));

  const edgeSide = (content: DiagramContent, keys: Map<string, string>) => {
    const nodes = new Map(content.nodes.map((node) => [node.id, node]));
    return content.edges.map((edge) => ({
      edge,
      key: `${keys.get(edge.from)}>${keys.get(edge.to)}`,
      from: nodes.get(edge.from),
      to: nodes.get(edge.to),
    }));
  };
  const end = (node: StoredNode | undefined) => ({
    kind: node?.kind ?? '',
    label: node?.label ?? '',
  });
  const myEdges = edgeSide(mine, myKeys);
  const theirEdges = edgeSide(theirs, theirKeys);
  const theirEdgeByKey = new Map(theirEdges.map((e) => [e.key, e]));
  const myEdgeKeys = new Set(myEdges.map((e) => e.key));
  const edges = {
    both: [] as ComparedEdgeResponse[],
    only_project: [] as ComparedEdgeResponse[],
    only_network: [] as ComparedEdgeResponse[],
  };
  for (const e of myEdges) {
    const match = theirEdgeByKey.get(e.key);
    (match ? edges.both : edges.only_project).push({
      from: end(e.from),
      to: end(e.to),
      project_edge: e.edge,
      charter_edge: match?.edge ?? null,
    });
  }
  for (const e of theirEdges) {
    if (!myEdgeKeys.has(e.key))
      edges.only_network.push({
        from: end(e.from),
        to: end(e.to),
        project_edge: null,
        charter_edge: e.edge,
      });
  }
  return {
    project_id: project.id,
    charter_id: charter.id,
    project_version: projectRow?.version ?? 0,
    charter_version: charterRow?.version ?? 0,
    nodes: { both, only_project: onlyProject, only_network: onlyNetwork.map(shown) },
    edges,
  };
}
