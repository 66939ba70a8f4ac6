/**
 * Where everything of a driver diagram goes: four columns (Aim | Primary drivers | Secondary
 * drivers | Change ideas), boxes with labels wrapped to the column's width, each column's boxes
 * in array order spread evenly over the tallest column's height, and each edge a cubic curve from
 * the right edge of its source box to the left edge of its target. Pure and deterministic: text
 * width is estimated from the number of characters (no measuring in the DOM), so it runs in tests
 * and gives the same picture everywhere.
 */
import type { DiagramContent, DiagramNode, NodeKind } from './model.ts';

export type ColumnKey = 'aim' | NodeKind;

export interface LayoutOptions {
  /** Width of a column's boxes. */
  boxWidth: number;
  /** Horizontal space between columns (where the edges run). */
  columnGap: number;
  /** Outer margin. */
  margin: number;
  /** Height of the column headings' band. */
  headerHeight: number;
  /** Minimum vertical space between boxes. */
  rowGap: number;
  /** Padding inside a box. */
  padding: number;
  fontSize: number;
  lineHeight: number;
  /** Average character width as a share of the font size (system-ui ≈ 0.55). */
  charWidth: number;
  /** Small text at the bottom of a node's box (e.g. "Not in network diagram"), "\n" between lines. */
  badges?: ReadonlyMap<string, string> | undefined;
}

export const DEFAULT_LAYOUT: LayoutOptions = {
  boxWidth: 190,
  columnGap: 48,
  margin: 16,
  headerHeight: 36,
  rowGap: 12,
  padding: 10,
  fontSize: 13,
  lineHeight: 17,
  charWidth: 0.56,
};

/** Line height and font size of a badge's small text. */
export const BADGE_LINE = 14;
export const BADGE_FONT = 11;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutNode extends Box {
  id: string;
  kind: ColumnKey;
  /** The label's lines. */
  lines: string[];
  /** The badge's lines (small text under the label), none without a badge. */
  badgeLines: string[];
  /** Place among the nodes of its kind (0-based) and how many there are. */
  index: number;
  count: number;
}

export interface LaidOutEdge {
  from: string;
  to: string;
  /** SVG path data. */
  d: string;
  /** Skips a column (primary → change idea). */
  long: boolean;
}

export interface LaidOutColumn {
  key: ColumnKey;
  title: string;
  x: number;
  width: number;
}

export interface DiagramLayout {
  width: number;
  height: number;
  columns: LaidOutColumn[];
  aim: LaidOutNode;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
  /** Node boxes by id, the aim's under `AIM_ID`. */
  byId: Map<string, LaidOutNode>;
}

/** The aim's key in `byId` and in edges: not a valid node id, so it never meets one. */
export const AIM_ID = ':aim';

export const COLUMN_TITLES: Record<ColumnKey, string> = {
  aim: 'Aim',
  primary: 'Primary drivers',
  secondary: 'Secondary drivers',
  change_idea: 'Change ideas',
};

const COLUMN_ORDER: ColumnKey[] = ['aim', 'primary', 'secondary', 'change_idea'];

/**
 * Word-wraps `text` to lines of at most `maxChars` characters; a word longer than a line is cut.
 * Always at least one line.
 */
export function wrapLabel(text: string, maxChars: number): string[] {
  const max = Math.max(1, Math.floor(maxChars));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let w = word;
    if (line && line.length + 1 + w.length <= max) {
      line += ` ${w}`;
      continue;
    }
    if (line) lines.push(line);
    while (w.length > max) {
      lines.push(w.slice(0, max));
      w = w.slice(max);
    }
    line = w;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** The cubic curve from the middle of `a`'s right edge to the middle of `b`'s left edge. */
export function edgePath(a: Box, b: Box): string {
  const x1 = a.x + a.width;
  const y1 = a.y + a.height / 2;
  const x2 = b.x;
  const y2 = b.y + b.height / 2;
  const bend = Math.max(24, (x2 - x1) / 2);
  const r = (n: number) => Math.round(n * 10) / 10;
  return `M${r(x1)},${r(y1)} C${r(x1 + bend)},${r(y1)} ${r(x2 - bend)},${r(y2)} ${r(x2)},${r(y2)}`;
}

export function layoutDiagram(
  content: DiagramContent,
  options: Partial<LayoutOptions> = {},
): DiagramLayout {
  const o = { ...DEFAULT_LAYOUT, ...options };
  const maxChars = (o.boxWidth - 2 * o.padding) / (o.fontSize * o.charWidth);
  const columns: LaidOutColumn[] = COLUMN_ORDER.map((key, i) => ({
    key,
    title: COLUMN_TITLES[key],
    x: o.margin + i * (o.boxWidth + o.columnGap),
    width: o.boxWidth,
  }));
  const columnX = new Map(columns.map((c) => [c.key, c.x]));

  const sized = (
    id: string,
    kind: ColumnKey,
    label: string,
    index: number,
    count: number,
  ): LaidOutNode => {
    const lines = wrapLabel(label || ' ', maxChars);
    const badge = o.badges?.get(id);
    // A badge's parts (one a line, "\n" between them) each wrapped to the box.
    const badgeLines = badge
      ? badge
          .split('\n')
          .flatMap((part) =>
            wrapLabel(part, (o.boxWidth - 2 * o.padding) / (BADGE_FONT * o.charWidth)),
          )
      : [];
    return {
      id,
      kind,
      lines,
      badgeLines,
      index,
      count,
      x: columnX.get(kind) ?? 0,
      y: 0,
      width: o.boxWidth,
      height:
        2 * o.padding +
        lines.length * o.lineHeight +
        (badgeLines.length ? 2 + badgeLines.length * BADGE_LINE : 0),
    };
  };

  const groups: LaidOutNode[][] = (['primary', 'secondary', 'change_idea'] as const).map((kind) => {
    const of = content.nodes.filter((n: DiagramNode) => n.kind === kind);
    return of.map((n, i) => sized(n.id, kind, n.label, i, of.length));
  });
  const aim = sized(AIM_ID, 'aim', content.aim.trim() || 'No aim yet', 0, 1);

  const stackHeight = (boxes: LaidOutNode[]) =>
    boxes.reduce((sum, b) => sum + b.height, 0) + Math.max(0, boxes.length - 1) * o.rowGap;
  const inner = Math.max(aim.height, ...groups.map(stackHeight), 80);
  const top = o.margin + o.headerHeight;

  // Each column's boxes spread evenly: the spare height shared around them (space-around).
  for (const boxes of [[aim], ...groups]) {
    if (boxes.length === 0) continue;
    const spare = inner - stackHeight(boxes);
    const gap = spare / boxes.length;
    let y = top + gap / 2;
    for (const b of boxes) {
      b.y = Math.round(y * 10) / 10;
      y += b.height + o.rowGap + gap;
    }
  }

  const nodes = groups.flat();
  const byId = new Map<string, LaidOutNode>(nodes.map((n) => [n.id, n]));
  byId.set(AIM_ID, aim);
  const edges: LaidOutEdge[] = [];
  // The aim leads to every primary driver.
  for (const p of groups[0] ?? [])
    edges.push({ from: AIM_ID, to: p.id, d: edgePath(aim, p), long: false });
  for (const e of content.edges) {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    if (!a || !b || a.kind === 'aim' || b.kind === 'aim' || a.x >= b.x) continue;
    edges.push({
      from: e.from,
      to: e.to,
      d: edgePath(a, b),
      long: b.x - a.x > o.boxWidth + o.columnGap,
    });
  }

  const width = 2 * o.margin + 4 * o.boxWidth + 3 * o.columnGap;
  const height = top + inner + o.margin;
  return { width, height, columns, aim, nodes, edges, byId };
}

/** The node whose box holds the point, if any (for dropping). */
export function nodeAt(layout: DiagramLayout, x: number, y: number): LaidOutNode | null {
  for (const n of layout.nodes) {
    if (x >= n.x && x <= n.x + n.width && y >= n.y && y <= n.y + n.height) return n;
  }
  return null;
}
