import { describe, expect, it } from 'vitest';
import {
  addNode,
  type DiagramContent,
  DiagramError,
  dropAction,
  emptyDiagram,
  link,
  linkProblem,
  moveNode,
  moveNodeTo,
  newNodeId,
  NODE_ID_PATTERN,
  nodesNotIn,
  normaliseLabel,
  outline,
  relink,
  removeNode,
  renameNode,
  setChangeIdeaRecord,
  suggestParents,
  unlink,
  validateDiagram,
} from './model.ts';

function sample(): DiagramContent {
  return {
    aim: 'All 9th graders on track by June',
    nodes: [
      { id: 'p1', kind: 'primary', label: 'Attendance' },
      { id: 'p2', kind: 'primary', label: 'Belonging' },
      { id: 's1', kind: 'secondary', label: 'Morning routines' },
      { id: 's2', kind: 'secondary', label: 'Advisory' },
      { id: 'c1', kind: 'change_idea', label: 'Call home on day 1', change_idea_id: null },
    ],
    edges: [
      { from: 'p1', to: 's1' },
      { from: 'p2', to: 's2' },
      { from: 's1', to: 'c1' },
    ],
  };
}

describe('newNodeId', () => {
  it('makes valid ids that avoid taken ones', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const id = newNodeId(ids);
      expect(id).toMatch(NODE_ID_PATTERN);
      expect(ids.has(id)).toBe(false);
      ids.add(id);
    }
  });
});

describe('addNode', () => {
  it('adds a node with its parent links and leaves the input alone', () => {
    const before = sample();
    const copy = structuredClone(before);
    const next = addNode(before, 'change_idea', '  Text   a reminder ', ['s2'], 'c2');
    expect(before).toEqual(copy);
    expect(next.nodes.find((n) => n.id === 'c2')).toEqual({
      id: 'c2',
      kind: 'change_idea',
      label: 'Text a reminder',
      change_idea_id: null,
    });
    expect(next.edges).toContainEqual({ from: 's2', to: 'c2' });
  });

  it('puts a new node after its siblings, else by its parent’s place', () => {
    let d = addNode(sample(), 'secondary', 'Bus passes', ['p1'], 's3');
    expect(d.nodes.filter((n) => n.kind === 'secondary').map((n) => n.id)).toEqual([
      's1',
      's3',
      's2',
    ]);
    d = addNode(d, 'change_idea', 'Peer mentors', ['s2'], 'c2');
    d = addNode(d, 'change_idea', 'Wake-up calls', ['s1'], 'c3');
    expect(d.nodes.filter((n) => n.kind === 'change_idea').map((n) => n.id)).toEqual([
      'c1',
      'c3',
      'c2',
    ]);
    d = addNode(d, 'primary', 'Coursework', [], 'p3');
    expect(d.nodes.filter((n) => n.kind === 'primary').map((n) => n.id)).toEqual([
      'p1',
      'p2',
      'p3',
    ]);
  });

  it('refuses wrong directions, empty labels and taken ids', () => {
    expect(() => addNode(sample(), 'primary', 'X', ['s1'])).toThrow(DiagramError);
    expect(() => addNode(sample(), 'secondary', '   ')).toThrow(/empty/);
    expect(() => addNode(sample(), 'secondary', 'x'.repeat(301))).toThrow(/300/);
    expect(() => addNode(sample(), 'secondary', 'X', [], 'p1')).toThrow(/already/);
    expect(() => addNode(sample(), 'secondary', 'X', [], 'bad id!')).toThrow(/id/);
  });
});

describe('rename, remove, links', () => {
  it('renames and returns the same content when nothing changes', () => {
    const d = sample();
    expect(renameNode(d, 'p1', 'Attendance')).toBe(d);
    expect(renameNode(d, 'p1', 'Daily attendance').nodes[0]?.label).toBe('Daily attendance');
  });

  it('removes a node with its edges', () => {
    const d = removeNode(sample(), 's1');
    expect(d.nodes.map((n) => n.id)).toEqual(['p1', 'p2', 's2', 'c1']);
    expect(d.edges).toEqual([{ from: 'p2', to: 's2' }]);
  });

  it('links only allowed directions, once', () => {
    const d = sample();
    expect(link(d, 'p1', 's2').edges).toContainEqual({ from: 'p1', to: 's2' });
    expect(link(d, 'p1', 'c1').edges).toContainEqual({ from: 'p1', to: 'c1' });
    expect(link(d, 'p1', 's1')).toBe(d);
    expect(() => link(d, 's1', 'p1')).toThrow(/cannot lead/);
    expect(() => link(d, 'c1', 's1')).toThrow(DiagramError);
    expect(() => link(d, 'p1', 'p2')).toThrow(DiagramError);
    expect(linkProblem(d, 'p1', 'p1')).toMatch(/itself/);
    expect(unlink(d, 'p1', 's1').edges).not.toContainEqual({ from: 'p1', to: 's1' });
    expect(unlink(d, 'p1', 's2')).toBe(d);
  });

  it('sets and clears a change idea record', () => {
    const d = setChangeIdeaRecord(sample(), 'c1', 'rec-1');
    expect(d.nodes.find((n) => n.id === 'c1')?.change_idea_id).toBe('rec-1');
    expect(() => setChangeIdeaRecord(sample(), 'p1', 'rec-1')).toThrow(DiagramError);
  });
});

describe('moving', () => {
  it('moves within its kind only', () => {
    const d = sample();
    const down = moveNode(d, 'p2', 1);
    expect(down).toBe(d);
    const up = moveNode(d, 's1', -1);
    expect(up).toBe(d);
    const swapped = moveNode(d, 's2', -1);
    expect(swapped.nodes.map((n) => n.id)).toEqual(['p1', 'p2', 's2', 's1', 'c1']);
  });

  it('moves to another node’s place', () => {
    let d = addNode(sample(), 'primary', 'Coursework', [], 'p3');
    d = moveNodeTo(d, 'p3', 'p1');
    expect(d.nodes.filter((n) => n.kind === 'primary').map((n) => n.id)).toEqual([
      'p3',
      'p1',
      'p2',
    ]);
    d = moveNodeTo(d, 'p3', 'p2');
    expect(d.nodes.filter((n) => n.kind === 'primary').map((n) => n.id)).toEqual([
      'p1',
      'p2',
      'p3',
    ]);
    expect(moveNodeTo(d, 'p3', 's1')).toBe(d);
  });

  it('relinks: moves by default, keeps the old link on request', () => {
    const moved = relink(sample(), 's1', 'p2');
    expect(moved.edges.filter((e) => e.to === 's1')).toEqual([{ from: 'p2', to: 's1' }]);
    const both = relink(sample(), 's1', 'p2', true);
    expect(both.edges.filter((e) => e.to === 's1')).toEqual([
      { from: 'p1', to: 's1' },
      { from: 'p2', to: 's1' },
    ]);
    const d = sample();
    expect(relink(d, 's1', 'p1')).toBe(d);
    expect(() => relink(d, 'p1', 's1')).toThrow(DiagramError);
    // A change idea dropped on a primary leaves its secondary.
    expect(relink(d, 'c1', 'p1').edges.filter((e) => e.to === 'c1')).toEqual([
      { from: 'p1', to: 'c1' },
    ]);
  });

  it('says what a drop does', () => {
    const d = sample();
    expect(dropAction(d, 's2', 'p1')).toEqual({ kind: 'parent', parentId: 'p1', childId: 's2' });
    expect(dropAction(d, 'p1', 's2')).toEqual({ kind: 'child', parentId: 'p1', childId: 's2' });
    expect(dropAction(d, 'p1', 'p2')).toEqual({ kind: 'reorder', targetId: 'p2' });
    expect(dropAction(d, 'p1', 'p1')).toBeNull();
    expect(dropAction(d, 'p1', 'zz')).toBeNull();
  });
});

describe('suggestParents', () => {
  it('uses the selection as parent, or its parents for a sibling', () => {
    const d = sample();
    const ids = (kind: Parameters<typeof suggestParents>[1], sel: string | null) =>
      suggestParents(d, kind, sel).map((n) => n.id);
    expect(ids('secondary', 'p2')).toEqual(['p2']);
    expect(ids('secondary', 's1')).toEqual(['p1']);
    expect(ids('secondary', 'c1')).toEqual(['p1']);
    expect(ids('change_idea', 's2')).toEqual(['s2']);
    expect(ids('change_idea', 'c1')).toEqual(['s1']);
    expect(ids('change_idea', 'p1')).toEqual(['p1']);
    expect(ids('primary', 'p1')).toEqual([]);
    expect(ids('secondary', null)).toEqual([]);
  });
});

describe('validateDiagram', () => {
  it('warns about unlinked drivers and ideas without blocking', () => {
    let d = addNode(sample(), 'secondary', 'Orphan', [], 's9');
    d = removeNode(d, 's1');
    const issues = validateDiagram(d);
    expect(issues.every((i) => i.severity === 'warning')).toBe(true);
    expect(issues.map((i) => i.nodeId)).toEqual(['s9', 'c1']);
    expect(validateDiagram(emptyDiagram())).toEqual([
      { severity: 'warning', message: 'The diagram has no aim yet.' },
    ]);
  });

  it('finds what the server refuses', () => {
    const d = sample();
    d.nodes.push({ id: 'p1', kind: 'primary', label: '' });
    d.edges.push({ from: 's1', to: 'p2' }, { from: 'p1', to: 's1' }, { from: 'x', to: 'p1' });
    const errors = validateDiagram(d).filter((i) => i.severity === 'error');
    expect(errors.map((e) => e.message)).toEqual([
      'The id p1 is used twice.',
      'A primary driver has no label.',
      expect.stringMatching(/cannot lead/),
      expect.stringMatching(/linked twice/),
      'A link points to a missing item.',
    ]);
  });
});

describe('comparing and outline', () => {
  it('matches labels by kind and normalised text', () => {
    expect(normaliseLabel('  Café — morning   Routines! ')).toBe('cafe morning routines');
    const network = sample();
    const team = addNode(
      renameNode(sample(), 's1', 'MORNING routines.'),
      'secondary',
      'Attendance',
      ['p1'],
      's7',
    );
    expect([...nodesNotIn(team, network)]).toEqual(['s7']);
  });

  it('nests the diagram and lists the unlinked', () => {
    let d = link(sample(), 'p2', 's1');
    d = addNode(d, 'change_idea', 'Loose idea', [], 'c9');
    const o = outline(d);
    expect(o.primaries.map((p) => [p.node.id, p.children.map((c) => c.node.id)])).toEqual([
      ['p1', ['s1']],
      ['p2', ['s1', 's2']],
    ]);
    const first = o.primaries[0]?.children[0];
    const again = o.primaries[1]?.children[0];
    expect(first?.children.map((c) => c.node.id)).toEqual(['c1']);
    expect(first?.alsoUnder.map((n) => n.id)).toEqual(['p2']);
    expect(again?.repeated).toBe(true);
    expect(again?.children).toEqual([]);
    expect(o.unlinked.map((u) => u.node.id)).toEqual(['c9']);
  });
});
