import { describe, expect, it } from 'vitest';
import { edgePath, layoutDiagram, nodeAt, wrapLabel } from './layout.ts';
import type { DiagramContent } from './model.ts';

const content: DiagramContent = {
  aim: 'All 9th graders on track by June',
  nodes: [
    { id: 'p1', kind: 'primary', label: 'Attendance' },
    { id: 's1', kind: 'secondary', label: 'Morning routines' },
    { id: 'p2', kind: 'primary', label: 'Belonging' },
    { id: 's2', kind: 'secondary', label: 'Advisory that meets every week with the same adult' },
    { id: 'c1', kind: 'change_idea', label: 'Call home' },
  ],
  edges: [
    { from: 'p1', to: 's1' },
    { from: 'p2', to: 's2' },
    { from: 's1', to: 'c1' },
    { from: 'p2', to: 'c1' },
  ],
};

describe('wrapLabel', () => {
  it('wraps at word boundaries and cuts long words', () => {
    expect(wrapLabel('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapLabel('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapLabel('', 10)).toEqual(['']);
  });
});

describe('edgePath', () => {
  it('runs from the right edge of one box to the left edge of the other', () => {
    expect(
      edgePath({ x: 0, y: 0, width: 100, height: 40 }, { x: 200, y: 100, width: 100, height: 20 }),
    ).toBe('M100,20 C150,20 150,110 200,110');
  });
});

describe('layoutDiagram', () => {
  it('is deterministic and keeps array order within a column', () => {
    const a = layoutDiagram(content);
    const b = layoutDiagram(structuredClone(content));
    expect(a).toEqual(b);
    const sec = a.nodes.filter((n) => n.kind === 'secondary');
    expect(sec.map((n) => n.id)).toEqual(['s1', 's2']);
    expect((sec[0]?.y ?? 0) < (sec[1]?.y ?? 0)).toBe(true);
    expect(sec.map((n) => [n.index, n.count])).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });

  it('puts the four columns left to right and wraps long labels', () => {
    const l = layoutDiagram(content);
    expect(l.columns.map((c) => c.title)).toEqual([
      'Aim',
      'Primary drivers',
      'Secondary drivers',
      'Change ideas',
    ]);
    const xs = l.columns.map((c) => c.x);
    expect([...xs].sort((p, q) => p - q)).toEqual(xs);
    const s2 = l.byId.get('s2');
    expect(s2?.lines.length).toBeGreaterThan(1);
    expect(s2?.height).toBeGreaterThan(l.byId.get('s1')?.height ?? 0);
    expect(l.width).toBe(16 * 2 + 190 * 4 + 48 * 3);
  });

  it('spreads the boxes of each column within the same height without overlaps', () => {
    const l = layoutDiagram(content);
    for (const kind of ['primary', 'secondary', 'change_idea']) {
      const boxes = l.nodes.filter((n) => n.kind === kind);
      for (let i = 1; i < boxes.length; i++) {
        const prev = boxes[i - 1];
        const cur = boxes[i];
        if (prev && cur) expect(cur.y).toBeGreaterThanOrEqual(prev.y + prev.height);
      }
      for (const b of boxes) expect(b.y + b.height).toBeLessThanOrEqual(l.height);
    }
    // The one change idea sits in the middle of its column.
    const c1 = l.byId.get('c1');
    const mid = (36 + 16 + l.height - 16) / 2;
    expect(Math.abs((c1?.y ?? 0) + (c1?.height ?? 0) / 2 - mid)).toBeLessThan(1);
  });

  it('draws the aim’s edges, the content’s edges and marks long ones', () => {
    const l = layoutDiagram(content);
    expect(l.edges.map((e) => `${e.from}>${e.to}${e.long ? '*' : ''}`)).toEqual([
      ':aim>p1',
      ':aim>p2',
      'p1>s1',
      'p2>s2',
      's1>c1',
      'p2>c1*',
    ]);
    const e = l.edges.find((x) => x.from === 'p1');
    const p1 = l.byId.get('p1');
    expect(e?.d.startsWith(`M${(p1?.x ?? 0) + (p1?.width ?? 0)},`)).toBe(true);
  });

  it('adds a badge line and finds the node under a point', () => {
    const plain = layoutDiagram(content);
    const l = layoutDiagram(content, { badges: new Map([['p1', 'Not in network diagram']]) });
    expect(l.byId.get('p1')?.height).toBe((plain.byId.get('p1')?.height ?? 0) + 16);
    expect(l.byId.get('p1')?.badgeLines).toEqual(['Not in network diagram']);
    const p1 = l.byId.get('p1');
    expect(nodeAt(l, (p1?.x ?? 0) + 5, (p1?.y ?? 0) + 5)?.id).toBe('p1');
    expect(nodeAt(l, 1, 1)).toBeNull();
  });

  it('handles an empty diagram', () => {
    const l = layoutDiagram({ aim: '', nodes: [], edges: [] });
    expect(l.nodes).toEqual([]);
    expect(l.aim.lines).toEqual(['No aim yet']);
    expect(l.height).toBeGreaterThan(l.aim.y + l.aim.height);
  });
});
