/**
 * The driver diagram's content as the server stores it, and pure operations on it: each returns
 * new content (the input is never changed) or the same object when nothing changes. Nodes of one
 * kind are shown in their array order; edges go primary → secondary, secondary → change idea or
 * primary → change idea (a DAG: a node may have several parents).
 */

export type NodeKind = 'primary' | 'secondary' | 'change_idea';

export interface DiagramNode {
  /** 1–40 characters [A-Za-z0-9_-]. */
  id: string;
  kind: NodeKind;
  /** 1–300 characters. */
  label: string;
  /** The change idea record in the library this node stands for (change ideas only). */
  change_idea_id?: string | null;
}

export interface DiagramEdge {
  from: string;
  to: string;
}

export interface DiagramContent {
  aim: string;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

export const NODE_KINDS: readonly NodeKind[] = ['primary', 'secondary', 'change_idea'];

export const KIND_NAMES: Record<NodeKind, { one: string; many: string }> = {
  primary: { one: 'Primary driver', many: 'Primary drivers' },
  secondary: { one: 'Secondary driver', many: 'Secondary drivers' },
  change_idea: { one: 'Change idea', many: 'Change ideas' },
};

export const NODE_ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
export const LABEL_MAX = 300;

/** Thrown for an operation the server would refuse (a wrong direction, an empty label…). */
export class DiagramError extends Error {
  override name = 'DiagramError';
}

export function emptyDiagram(aim = ''): DiagramContent {
  return { aim, nodes: [], edges: [] };
}

const ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A short random id ("n" + 8 characters), not one of `taken`. */
export function newNodeId(taken: Iterable<string> | DiagramContent = []): string {
  const used = new Set(
    'nodes' in taken
      ? (taken as DiagramContent).nodes.map((n) => n.id)
      : (taken as Iterable<string>),
  );
  for (;;) {
    const bytes = new Uint8Array(8);
    crypto.getRandomValues(bytes);
    let id = 'n';
    for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length];
    if (!used.has(id)) return id;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

export function nodeById(content: DiagramContent, id: string): DiagramNode | undefined {
  return content.nodes.find((n) => n.id === id);
}

export function nodesOfKind(content: DiagramContent, kind: NodeKind): DiagramNode[] {
  return content.nodes.filter((n) => n.kind === kind);
}

export function parentsOf(content: DiagramContent, id: string): DiagramNode[] {
  const ids = new Set(content.edges.filter((e) => e.to === id).map((e) => e.from));
  return content.nodes.filter((n) => ids.has(n.id));
}

export function childrenOf(content: DiagramContent, id: string): DiagramNode[] {
  const ids = new Set(content.edges.filter((e) => e.from === id).map((e) => e.to));
  return content.nodes.filter((n) => ids.has(n.id));
}

export function hasEdge(content: DiagramContent, from: string, to: string): boolean {
  return content.edges.some((e) => e.from === from && e.to === to);
}

/** Whether an edge may go from a node of kind `from` to one of kind `to`. */
export function isAllowedDirection(from: NodeKind, to: NodeKind): boolean {
  return (
    (from === 'primary' && (to === 'secondary' || to === 'change_idea')) ||
    (from === 'secondary' && to === 'change_idea')
  );
}

export function parentKinds(kind: NodeKind): NodeKind[] {
  return NODE_KINDS.filter((k) => isAllowedDirection(k, kind));
}

export function childKinds(kind: NodeKind): NodeKind[] {
  return NODE_KINDS.filter((k) => isAllowedDirection(kind, k));
}

/** Why `from` → `to` cannot be linked, or null when it can (an existing edge is a reason). */
export function linkProblem(content: DiagramContent, from: string, to: string): string | null {
  const a = nodeById(content, from);
  const b = nodeById(content, to);
  if (!a || !b) return 'That item is no longer in the diagram.';
  if (a.id === b.id) return 'An item cannot be linked to itself.';
  if (!isAllowedDirection(a.kind, b.kind))
    return `A ${KIND_NAMES[a.kind].one.toLowerCase()} cannot lead to a ${KIND_NAMES[b.kind].one.toLowerCase()}.`;
  if (hasEdge(content, from, to)) return 'These are already linked.';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Operations

function cleanLabel(label: string): string {
  const text = label.replace(/\s+/g, ' ').trim();
  if (!text) throw new DiagramError('A label cannot be empty.');
  if (text.length > LABEL_MAX)
    throw new DiagramError(`A label has at most ${LABEL_MAX} characters.`);
  return text;
}

export function setAim(content: DiagramContent, aim: string): DiagramContent {
  return aim === content.aim ? content : { ...content, aim };
}

/**
 * The position at which a new node of `kind` under `parentIds` goes in the nodes array: after
 * its last sibling (a node of the same kind sharing a parent), else after the last node of its
 * kind whose first parent comes no later than the new node's, else at the end. New nodes so land
 * beside their relatives and the layout (which keeps array order) crosses fewer lines.
 */
function insertionIndex(content: DiagramContent, kind: NodeKind, parentIds: string[]): number {
  const { nodes } = content;
  const parents = new Set(parentIds);
  let lastOfKind = -1;
  let lastSibling = -1;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as DiagramNode;
    if (n.kind !== kind) continue;
    lastOfKind = i;
    if (content.edges.some((e) => e.to === n.id && parents.has(e.from))) lastSibling = i;
  }
  if (lastSibling >= 0) return lastSibling + 1;
  if (lastOfKind < 0) return nodes.length;
  const rank = (id: string) => nodes.findIndex((n) => n.id === id);
  const anchor = (id: string) => {
    const ranks = parentsOf(content, id).map((p) => rank(p.id));
    return ranks.length ? Math.min(...ranks) : Number.POSITIVE_INFINITY;
  };
  const mine = parentIds.length ? Math.min(...parentIds.map(rank)) : Number.POSITIVE_INFINITY;
  if (mine === Number.POSITIVE_INFINITY) return lastOfKind + 1;
  let at = -1;
  let firstOfKind = -1;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as DiagramNode;
    if (n.kind !== kind) continue;
    if (firstOfKind < 0) firstOfKind = i;
    if (anchor(n.id) <= mine) at = i;
  }
  return at >= 0 ? at + 1 : firstOfKind;
}

/** Adds a node (linked under `parentIds`); pass `id` to know it, else one is made. */
export function addNode(
  content: DiagramContent,
  kind: NodeKind,
  label: string,
  parentIds: readonly string[] = [],
  id: string = newNodeId(content),
): DiagramContent {
  if (!NODE_ID_PATTERN.test(id)) throw new DiagramError('An id has 1–40 letters, digits, _ or -.');
  if (nodeById(content, id)) throw new DiagramError('That id is already in the diagram.');
  const node: DiagramNode = { id, kind, label: cleanLabel(label) };
  if (kind === 'change_idea') node.change_idea_id = null;
  const parents = [...new Set(parentIds)];
  for (const p of parents) {
    const parent = nodeById(content, p);
    if (!parent) throw new DiagramError('That parent is no longer in the diagram.');
    if (!isAllowedDirection(parent.kind, kind))
      throw new DiagramError(
        `A ${KIND_NAMES[kind].one.toLowerCase()} cannot go under a ${KIND_NAMES[parent.kind].one.toLowerCase()}.`,
      );
  }
  const at = insertionIndex(content, kind, parents);
  const nodes = [...content.nodes];
  nodes.splice(at, 0, node);
  return {
    ...content,
    nodes,
    edges: [...content.edges, ...parents.map((from) => ({ from, to: id }))],
  };
}

export function renameNode(content: DiagramContent, id: string, label: string): DiagramContent {
  const node = nodeById(content, id);
  if (!node) throw new DiagramError('That item is no longer in the diagram.');
  const text = cleanLabel(label);
  if (text === node.label) return content;
  return { ...content, nodes: content.nodes.map((n) => (n.id === id ? { ...n, label: text } : n)) };
}

/** Links (or unlinks, with null) a change idea node to a change idea record of the library. */
export function setChangeIdeaRecord(
  content: DiagramContent,
  id: string,
  changeIdeaId: string | null,
): DiagramContent {
  const node = nodeById(content, id);
  if (node?.kind !== 'change_idea')
    throw new DiagramError('Only a change idea can stand for a change idea record.');
  if ((node.change_idea_id ?? null) === changeIdeaId) return content;
  return {
    ...content,
    nodes: content.nodes.map((n) => (n.id === id ? { ...n, change_idea_id: changeIdeaId } : n)),
  };
}

/** Removes a node and its edges; its children stay (and may then have no parent). */
export function removeNode(content: DiagramContent, id: string): DiagramContent {
  if (!nodeById(content, id)) return content;
  return {
    ...content,
    nodes: content.nodes.filter((n) => n.id !== id),
    edges: content.edges.filter((e) => e.from !== id && e.to !== id),
  };
}

export function link(content: DiagramContent, from: string, to: string): DiagramContent {
  const problem = linkProblem(content, from, to);
  if (problem === 'These are already linked.') return content;
  if (problem) throw new DiagramError(problem);
  return { ...content, edges: [...content.edges, { from, to }] };
}

export function unlink(content: DiagramContent, from: string, to: string): DiagramContent {
  if (!hasEdge(content, from, to)) return content;
  return { ...content, edges: content.edges.filter((e) => !(e.from === from && e.to === to)) };
}

/** Moves a node one place up (-1) or down (+1) among the nodes of its kind. */
export function moveNode(content: DiagramContent, id: string, by: -1 | 1): DiagramContent {
  const i = content.nodes.findIndex((n) => n.id === id);
  const node = content.nodes[i];
  if (!node) return content;
  let j = i + by;
  while (j >= 0 && j < content.nodes.length && content.nodes[j]?.kind !== node.kind) j += by;
  if (j < 0 || j >= content.nodes.length) return content;
  const nodes = [...content.nodes];
  nodes[i] = nodes[j] as DiagramNode;
  nodes[j] = node;
  return { ...content, nodes };
}

/** Moves a node to the place of `targetId` (same kind) in the display order. */
export function moveNodeTo(content: DiagramContent, id: string, targetId: string): DiagramContent {
  const node = nodeById(content, id);
  const target = nodeById(content, targetId);
  if (!node || !target || node.kind !== target.kind || id === targetId) return content;
  const from = content.nodes.indexOf(node);
  const to = content.nodes.indexOf(target);
  const nodes = content.nodes.filter((n) => n.id !== id);
  // Moving down puts it after the target, moving up before it.
  const at = nodes.indexOf(target) + (from < to ? 1 : 0);
  nodes.splice(at, 0, node);
  return { ...content, nodes };
}

/**
 * Puts `id` under `parentId`. With `keep` the node keeps its other parents (a second link);
 * without, it moves: every other parent link of the node is removed.
 */
export function relink(
  content: DiagramContent,
  id: string,
  parentId: string,
  keep = false,
): DiagramContent {
  const problem = linkProblem(content, parentId, id);
  if (problem && problem !== 'These are already linked.') throw new DiagramError(problem);
  const edges = keep
    ? content.edges
    : content.edges.filter((e) => e.to !== id || e.from === parentId);
  const next = { ...content, edges };
  return hasEdge(next, parentId, id)
    ? edges.length === content.edges.length
      ? content
      : next
    : { ...next, edges: [...edges, { from: parentId, to: id }] };
}

export type DropAction =
  | { kind: 'parent'; parentId: string; childId: string }
  | { kind: 'child'; parentId: string; childId: string }
  | { kind: 'reorder'; targetId: string }
  | null;

/**
 * What dropping `draggedId` on `targetId` does: onto a node that may lead to it → put it under
 * that node (`relink`); onto a node it may lead to → link that node under it; onto a node of its
 * own kind → take that node's place in the order; else nothing.
 */
export function dropAction(
  content: DiagramContent,
  draggedId: string,
  targetId: string,
): DropAction {
  const dragged = nodeById(content, draggedId);
  const target = nodeById(content, targetId);
  if (!dragged || !target || draggedId === targetId) return null;
  if (isAllowedDirection(target.kind, dragged.kind))
    return { kind: 'parent', parentId: targetId, childId: draggedId };
  if (isAllowedDirection(dragged.kind, target.kind))
    return { kind: 'child', parentId: draggedId, childId: targetId };
  if (dragged.kind === target.kind) return { kind: 'reorder', targetId };
  return null;
}

/**
 * The parents a new node of `kind` gets from the selected node: the selected node itself when it
 * may lead to the new one; for a node of the same kind, its parents (a sibling); for a change idea
 * selected when adding a secondary, the primaries above it.
 */
export function suggestParents(
  content: DiagramContent,
  kind: NodeKind,
  selectedId: string | null | undefined,
): DiagramNode[] {
  const selected = selectedId ? nodeById(content, selectedId) : undefined;
  if (!selected || kind === 'primary') return [];
  if (isAllowedDirection(selected.kind, kind)) return [selected];
  const allowed = (n: DiagramNode) => isAllowedDirection(n.kind, kind);
  if (selected.kind === kind) {
    const parents = parentsOf(content, selected.id);
    // A change idea's sibling goes under the same secondary drivers when it has any.
    const preferred = parents.filter((p) => p.kind === 'secondary');
    return (preferred.length ? preferred : parents).filter(allowed);
  }
  // A secondary added while a change idea is selected: under the primaries above that idea.
  const above = new Map<string, DiagramNode>();
  for (const p of parentsOf(content, selected.id)) {
    if (p.kind === 'primary') above.set(p.id, p);
    for (const q of parentsOf(content, p.id)) if (q.kind === 'primary') above.set(q.id, q);
  }
  return content.nodes.filter((n) => above.has(n.id) && allowed(n));
}

// ---------------------------------------------------------------------------------------------
// Validation

export interface DiagramIssue {
  /** `error`: the server would refuse the content; `warning`: allowed, but worth a look. */
  severity: 'error' | 'warning';
  message: string;
  nodeId?: string;
}

/** What is missing or wrong, in the order of the diagram. Warnings never block saving. */
export function validateDiagram(content: DiagramContent): DiagramIssue[] {
  const issues: DiagramIssue[] = [];
  const byId = new Map<string, DiagramNode>();
  for (const n of content.nodes) {
    if (!NODE_ID_PATTERN.test(n.id))
      issues.push({ severity: 'error', nodeId: n.id, message: `“${n.label}” has an invalid id.` });
    if (byId.has(n.id))
      issues.push({ severity: 'error', nodeId: n.id, message: `The id ${n.id} is used twice.` });
    byId.set(n.id, n);
    const text = n.label.trim();
    if (!text)
      issues.push({
        severity: 'error',
        nodeId: n.id,
        message: `A ${KIND_NAMES[n.kind].one.toLowerCase()} has no label.`,
      });
    else if (n.label.length > LABEL_MAX)
      issues.push({
        severity: 'error',
        nodeId: n.id,
        message: `“${text.slice(0, 40)}…” is longer than ${LABEL_MAX} characters.`,
      });
  }
  const seen = new Set<string>();
  for (const e of content.edges) {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    const key = `${e.from}\u0000${e.to}`;
    if (!a || !b) issues.push({ severity: 'error', message: 'A link points to a missing item.' });
    else if (!isAllowedDirection(a.kind, b.kind))
      issues.push({
        severity: 'error',
        nodeId: b.id,
        message: `“${a.label}” (${KIND_NAMES[a.kind].one.toLowerCase()}) cannot lead to “${b.label}” (${KIND_NAMES[b.kind].one.toLowerCase()}).`,
      });
    else if (seen.has(key))
      issues.push({
        severity: 'error',
        nodeId: b.id,
        message: `“${a.label}” → “${b.label}” is linked twice.`,
      });
    seen.add(key);
  }
  if (!content.aim.trim())
    issues.push({ severity: 'warning', message: 'The diagram has no aim yet.' });
  const hasParent = new Set(content.edges.filter((e) => byId.has(e.from)).map((e) => e.to));
  for (const n of content.nodes) {
    if (n.kind === 'secondary' && !hasParent.has(n.id))
      issues.push({
        severity: 'warning',
        nodeId: n.id,
        message: `Secondary driver “${n.label}” is not linked to a primary driver.`,
      });
    if (n.kind === 'change_idea' && !hasParent.has(n.id))
      issues.push({
        severity: 'warning',
        nodeId: n.id,
        message: `Change idea “${n.label}” is not linked to a secondary driver.`,
      });
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Comparing with the network's diagram

/** A label as compared: case, accents, punctuation and spacing do not count. */
export function normaliseLabel(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Ids of the nodes of `content` with no node of the same kind and label in `other`. */
export function nodesNotIn(content: DiagramContent, other: DiagramContent): Set<string> {
  const keys = new Set(other.nodes.map((n) => `${n.kind}:${normaliseLabel(n.label)}`));
  return new Set(
    content.nodes.filter((n) => !keys.has(`${n.kind}:${normaliseLabel(n.label)}`)).map((n) => n.id),
  );
}

// ---------------------------------------------------------------------------------------------
// The diagram as a nested list (the text alternative, and the phone view)

export interface OutlineItem {
  node: DiagramNode;
  children: OutlineItem[];
  /** Shown already under an earlier parent: the list names it and does not repeat its children. */
  repeated: boolean;
  /** The other parents of this node (for "also under …"). */
  alsoUnder: DiagramNode[];
}

export interface Outline {
  aim: string;
  primaries: OutlineItem[];
  /** Secondary drivers and change ideas with no parent. */
  unlinked: OutlineItem[];
}

export function outline(content: DiagramContent): Outline {
  const shown = new Set<string>();
  const item = (node: DiagramNode, parentId: string | null): OutlineItem => {
    const repeated = shown.has(node.id);
    shown.add(node.id);
    const alsoUnder = parentsOf(content, node.id).filter((p) => p.id !== parentId);
    // Secondary drivers before change ideas linked straight to the primary.
    const kids = repeated
      ? []
      : [...childrenOf(content, node.id)].sort(
          (a, b) => NODE_KINDS.indexOf(a.kind) - NODE_KINDS.indexOf(b.kind),
        );
    return { node, repeated, alsoUnder, children: kids.map((k) => item(k, node.id)) };
  };
  const primaries = nodesOfKind(content, 'primary').map((p) => item(p, null));
  const hasParent = new Set(content.edges.map((e) => e.to));
  const unlinked = content.nodes
    .filter((n) => n.kind !== 'primary' && !hasParent.has(n.id))
    .map((n) => item(n, null));
  return { aim: content.aim, primaries, unlinked };
}
