/**
 * The geometry of one SPC panel: pixel positions of the points, step paths for the centre line,
 * limits and zones of each part, and the layout of the axes, labels and legend. Pure and
 * memoisable: the chart component only turns it into SVG elements.
 */
import type { SpcChartResult, SpcPart, SpcPoint } from '../../../core/spc/types.ts';
import type { PointClass } from './explain.ts';
import {
  type LinearScale,
  decimalsFor,
  formatValue,
  labelStep,
  linearScale,
  niceTicks,
} from './scales.ts';

export interface SpcAnnotation {
  /** 1-based point number the flag stands at. */
  index: number;
  label: string;
  /** A link, e.g. to the PDSA cycle the note is about. */
  href?: string;
}

export interface PanelOptions {
  width: number;
  /** Height of the plotting area (between the axes), in pixels. */
  plotHeight: number;
  yDomain: [number, number];
  unit?: string | undefined;
  goal?: number | undefined;
  annotations?: readonly SpcAnnotation[] | undefined;
  showZones: boolean;
  compact: boolean;
  classes: readonly PointClass[];
  showLegend: boolean;
}

export interface PlotPoint {
  point: SpcPoint;
  x: number;
  y: number;
  cls: PointClass;
}

export interface SideLabel {
  y: number;
  text: string;
  kind: 'cl' | 'limit' | 'goal';
}

export interface LegendItem {
  kind: 'point' | 'excluded' | 'cl' | 'limit' | 'trial' | 'goal' | 'zone';
  cls?: PointClass;
  text: string;
  x: number;
  y: number;
}

export interface PanelGeometry {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  plot: { left: number; right: number; top: number; bottom: number };
  /** Width of one point's slot. */
  dx: number;
  x: (index: number) => number;
  y: LinearScale;
  decimals: number;
  yTicks: { value: number; y: number; text: string }[];
  xLabels: { x: number; text: string }[];
  points: PlotPoint[];
  dataPath: string;
  parts: {
    part: SpcPart;
    clPath: string;
    limitPath: string;
    trial: boolean;
    zonePaths: { inner: string; outer: string } | null;
    start: number;
    end: number;
    trialLabel: { x: number; y: number } | null;
  }[];
  breaks: { x: number; label: string; labelX: number }[];
  sideLabels: SideLabel[];
  goalY: number | null;
  annotations: { x: number; label: string; href?: string | undefined; index: number }[];
  annotationY: number;
  legend: LegendItem[];
  legendY: number;
}

const CHAR = 6.4;

/** A step path over the slots of one part: `values[j]` holds from slot start to slot end. */
function stepPath(
  starts: readonly number[],
  ends: readonly number[],
  values: readonly (number | null)[],
): string {
  let d = '';
  let open = false;
  let lastY = 0;
  for (let j = 0; j < values.length; j += 1) {
    const v = values[j];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      open = false;
      continue;
    }
    const x0 = starts[j] as number;
    const x1 = ends[j] as number;
    if (!open) {
      d += `M${x0.toFixed(1)},${v.toFixed(1)}`;
      open = true;
    } else if (v !== lastY) {
      d += `V${v.toFixed(1)}`;
    }
    d += `H${x1.toFixed(1)}`;
    lastY = v;
  }
  return d;
}

/** A filled band between two step edges (`hi` above `lo`), split where an edge is missing. */
function stepBand(
  starts: readonly number[],
  ends: readonly number[],
  hi: readonly (number | null)[],
  lo: readonly (number | null)[],
): string {
  let d = '';
  let run: number[] = [];
  const flush = () => {
    if (run.length === 0) return;
    let top = '';
    run.forEach((j, k) => {
      const x0 = (starts[j] as number).toFixed(1);
      const x1 = (ends[j] as number).toFixed(1);
      const y = (hi[j] as number).toFixed(1);
      top += k === 0 ? `M${x0},${y}H${x1}` : `V${y}H${x1}`;
    });
    let bottom = '';
    for (let k = run.length - 1; k >= 0; k -= 1) {
      const j = run[k] as number;
      const x0 = (starts[j] as number).toFixed(1);
      const y = (lo[j] as number).toFixed(1);
      bottom += `V${y}H${x0}`;
    }
    d += `${top}${bottom}Z`;
    run = [];
  };
  for (let j = 0; j < hi.length; j += 1) {
    if (hi[j] === null || lo[j] === null || hi[j] === undefined || lo[j] === undefined) flush();
    else run.push(j);
  }
  flush();
  return d;
}

/** Spreads labels apart vertically so that none overlaps another (kept in order). */
function spread(labels: SideLabel[], gap: number, top: number, bottom: number): SideLabel[] {
  const sorted = [...labels].sort((a, b) => a.y - b.y);
  for (let i = 1; i < sorted.length; i += 1) {
    const prev = sorted[i - 1] as SideLabel;
    const cur = sorted[i] as SideLabel;
    if (cur.y - prev.y < gap) cur.y = prev.y + gap;
  }
  const last = sorted[sorted.length - 1];
  if (last && last.y > bottom) {
    const shift = last.y - bottom;
    for (const l of sorted) l.y -= shift;
  }
  for (let i = 0; i < sorted.length; i += 1) {
    const cur = sorted[i] as SideLabel;
    if (cur.y < top) cur.y = top;
    const prev = sorted[i - 1];
    if (prev && cur.y - prev.y < gap) cur.y = prev.y + gap;
  }
  return sorted;
}

function clamp(value: number | null, lo: number | null, hi: number | null): number | null {
  if (value === null) return null;
  let v = value;
  if (lo !== null && v < lo) v = lo;
  if (hi !== null && v > hi) v = hi;
  return v;
}

export function panelGeometry(result: SpcChartResult, options: PanelOptions): PanelGeometry {
  const { width, plotHeight, yDomain, compact, unit, goal, showZones, classes } = options;
  const n = result.points.length;
  const decimals = decimalsFor(yDomain);
  const tickCount = compact ? 3 : Math.max(3, Math.round(plotHeight / 50));
  const tickValues = niceTicks(yDomain[0], yDomain[1], tickCount);
  const tickTexts = tickValues.map((v) => formatValue(v, decimals, unit === '%' ? '%' : undefined));
  const longestTick = tickTexts.reduce((m, t) => Math.max(m, t.length), 1);
  const narrow = width < 480;

  const hasAnnotations = !compact && (options.annotations?.length ?? 0) > 0;
  const margin = {
    top: compact ? 14 : 26,
    right: compact ? 10 : narrow ? 40 : 78,
    bottom: compact ? 20 : 30 + (hasAnnotations ? 26 : 0),
    left: Math.ceil(longestTick * (compact ? 5.8 : CHAR) + (compact ? 8 : 14)),
  };
  const plot = {
    left: margin.left,
    right: Math.max(margin.left + 40, width - margin.right),
    top: margin.top,
    bottom: margin.top + plotHeight,
  };
  const plotWidth = plot.right - plot.left;
  const dx = plotWidth / Math.max(n, 1);
  const x = (index: number) => plot.left + (index - 0.5) * dx;
  const y = linearScale(yDomain, [plot.bottom, plot.top]);

  const yTicks = tickValues.map((value, i) => ({ value, y: y(value), text: tickTexts[i] ?? '' }));

  // X labels: every k-th point so they do not overlap; the first and last in a small multiple.
  const names = result.points.map((p) => p.label ?? String(p.index));
  const longestName = names.reduce((m, t) => Math.max(m, t.length), 1);
  const xLabels: { x: number; text: string }[] = [];
  if (compact) {
    if (n > 0) xLabels.push({ x: x(1), text: names[0] ?? '' });
    if (n > 1) xLabels.push({ x: x(n), text: names[n - 1] ?? '' });
  } else {
    const step = labelStep(n, plotWidth, longestName);
    for (let i = 0; i < n; i += step) xLabels.push({ x: x(i + 1), text: names[i] ?? '' });
  }

  const points: PlotPoint[] = [];
  let dataPath = '';
  let penDown = false;
  result.points.forEach((p, i) => {
    if (p.y === null) {
      penDown = false;
      return;
    }
    const px = x(p.index);
    const py = y(p.y);
    points.push({ point: p, x: px, y: py, cls: classes[i] ?? 'common' });
    dataPath += `${penDown ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`;
    penDown = true;
  });

  // Parts: step lines inside each part, with a gap at each break.
  const inset = Math.min(dx * 0.35, 8);
  const parts = result.parts.map((part, k) => {
    const slice = result.points.slice(part.first - 1, part.last);
    const starts = slice.map((p, j) => {
      const left = x(p.index) - dx / 2;
      return j === 0 && k > 0 ? left + inset : left;
    });
    const ends = slice.map((p, j) => {
      const right = x(p.index) + dx / 2;
      return j === slice.length - 1 && k < result.parts.length - 1 ? right - inset : right;
    });
    const py = (v: number | null) => (v === null ? null : y(v));
    const clPath = stepPath(
      starts,
      ends,
      slice.map((p) => py(p.cl)),
    );
    const limitPath =
      stepPath(
        starts,
        ends,
        slice.map((p) => py(p.ucl)),
      ) +
      stepPath(
        starts,
        ends,
        slice.map((p) => py(p.lcl)),
      );
    let zonePaths: { inner: string; outer: string } | null = null;
    if (showZones && slice.some((p) => p.sigma !== null && p.cl !== null)) {
      const edge = (p: SpcPoint, k2: number) =>
        p.cl === null || p.sigma === null ? null : py(clamp(p.cl + k2 * p.sigma, p.lcl, p.ucl));
      const outerTop = (p: SpcPoint) =>
        p.cl === null || p.sigma === null ? null : py(p.ucl ?? p.cl + 3 * p.sigma);
      const outerBottom = (p: SpcPoint) =>
        p.cl === null || p.sigma === null ? null : py(p.lcl ?? p.cl - 3 * p.sigma);
      zonePaths = {
        // 1σ to 2σ on each side
        inner:
          stepBand(
            starts,
            ends,
            slice.map((p) => edge(p, 2)),
            slice.map((p) => edge(p, 1)),
          ) +
          stepBand(
            starts,
            ends,
            slice.map((p) => edge(p, -1)),
            slice.map((p) => edge(p, -2)),
          ),
        // 2σ to the limit on each side
        outer:
          stepBand(
            starts,
            ends,
            slice.map(outerTop),
            slice.map((p) => edge(p, 2)),
          ) +
          stepBand(
            starts,
            ends,
            slice.map((p) => edge(p, -2)),
            slice.map(outerBottom),
          ),
      };
    }
    const firstUcl = slice.find((p) => p.ucl !== null);
    const trial = part.trialLimits && result.chart !== 'run';
    const trialLabel =
      trial && firstUcl && firstUcl.ucl !== null
        ? { x: (starts[0] as number) + 2, y: Math.max(plot.top + 10, y(firstUcl.ucl) - 4) }
        : null;
    return {
      part,
      clPath,
      limitPath,
      trial,
      zonePaths,
      start: starts[0] ?? plot.left,
      end: ends[ends.length - 1] ?? plot.right,
      trialLabel,
    };
  });

  const breaks =
    result.parts.length > 1
      ? result.parts.map((part) => {
          const bx = x(part.first) - dx / 2;
          return { x: bx, label: `Phase ${part.part}`, labelX: bx + (part.part > 1 ? 4 : 0) };
        })
      : [];

  // Labels on the right: the last part's centre line and limits, and the goal.
  const sideLabels: SideLabel[] = [];
  const lastPart = result.parts[result.parts.length - 1];
  if (!compact && lastPart) {
    const lastPoint = result.points[lastPart.last - 1];
    const lineName = result.chart === 'run' ? 'Median' : 'CL';
    const label = (name: string, v: number | null) =>
      narrow ? name : `${name} ${formatValue(v, decimals, unit === '%' ? '%' : undefined)}`;
    if (lastPoint?.cl !== null && lastPoint?.cl !== undefined)
      sideLabels.push({ y: y(lastPoint.cl), text: label(lineName, lastPoint.cl), kind: 'cl' });
    if (lastPoint?.ucl !== null && lastPoint?.ucl !== undefined)
      sideLabels.push({ y: y(lastPoint.ucl), text: label('UCL', lastPoint.ucl), kind: 'limit' });
    if (lastPoint?.lcl !== null && lastPoint?.lcl !== undefined)
      sideLabels.push({ y: y(lastPoint.lcl), text: label('LCL', lastPoint.lcl), kind: 'limit' });
  }
  const goalY = goal !== undefined && Number.isFinite(goal) ? y(goal) : null;
  if (!compact && goalY !== null && goal !== undefined)
    sideLabels.push({
      y: goalY,
      text: narrow ? 'Goal' : `Goal ${formatValue(goal, decimals, unit === '%' ? '%' : undefined)}`,
      kind: 'goal',
    });
  const spreadLabels = spread(sideLabels, 12, plot.top, plot.bottom + 4);

  const annotationY = plot.bottom + 30;
  const annotations = hasAnnotations
    ? (options.annotations ?? [])
        .filter((a) => a.index >= 1 && a.index <= n)
        .map((a) => ({ x: x(a.index), label: a.label, href: a.href, index: a.index }))
    : [];

  // Legend: what the marks mean, only the ones on this chart, wrapped into rows.
  const legend: LegendItem[] = [];
  let legendY = plot.bottom + margin.bottom;
  let height = legendY;
  if (options.showLegend && !compact) {
    const present = new Set(points.map((p) => p.cls));
    const entries: Omit<LegendItem, 'x' | 'y'>[] = [];
    for (const cls of ['common', 'improvement', 'concern', 'neutral'] as const) {
      if (!present.has(cls) && cls !== 'common') continue;
      entries.push({
        kind: 'point',
        cls,
        text:
          cls === 'common'
            ? 'Common cause'
            : cls === 'improvement'
              ? 'Improvement'
              : cls === 'concern'
                ? 'Concern'
                : 'Special cause',
      });
    }
    if (points.some((p) => p.point.excluded)) entries.push({ kind: 'excluded', text: 'Excluded' });
    entries.push({ kind: 'cl', text: result.chart === 'run' ? 'Median' : 'Centre line' });
    if (parts.some((p) => p.limitPath && !p.trial)) entries.push({ kind: 'limit', text: 'Limits' });
    if (parts.some((p) => p.limitPath && p.trial))
      entries.push({ kind: 'trial', text: 'Trial limits' });
    if (goalY !== null) entries.push({ kind: 'goal', text: 'Goal' });
    if (parts.some((p) => p.zonePaths)) entries.push({ kind: 'zone', text: '1σ–2σ, 2σ–3σ zones' });
    let cx = plot.left;
    let row = 0;
    const rowHeight = 18;
    const top = plot.bottom + margin.bottom - 4;
    for (const entry of entries) {
      const w = 24 + entry.text.length * CHAR + 14;
      if (cx + w > width - 4 && cx > plot.left) {
        row += 1;
        cx = plot.left;
      }
      legend.push({ ...entry, x: cx, y: top + row * rowHeight + 10 });
      cx += w;
    }
    legendY = top;
    height = top + (row + 1) * rowHeight + 6;
  }

  return {
    width,
    height,
    margin,
    plot,
    dx,
    x,
    y,
    decimals,
    yTicks,
    xLabels,
    points,
    dataPath,
    parts,
    breaks,
    sideLabels: spreadLabels,
    goalY,
    annotations,
    annotationY,
    legend,
    legendY,
  };
}

/** The marker of a point: a circle for common cause, other shapes for special causes. */
export function markerPath(cls: PointClass, x: number, y: number, r: number): string | null {
  if (cls === 'common') return null;
  if (cls === 'improvement') {
    const s = r * 1.35;
    return `M${x.toFixed(1)},${(y - s).toFixed(1)}L${(x + s).toFixed(1)},${(y + s * 0.75).toFixed(1)}L${(x - s).toFixed(1)},${(y + s * 0.75).toFixed(1)}Z`;
  }
  if (cls === 'concern') {
    const s = r * 1.4;
    return `M${x.toFixed(1)},${(y - s).toFixed(1)}L${(x + s).toFixed(1)},${y.toFixed(1)}L${x.toFixed(1)},${(y + s).toFixed(1)}L${(x - s).toFixed(1)},${y.toFixed(1)}Z`;
  }
  const s = r * 1.05;
  return `M${(x - s).toFixed(1)},${(y - s).toFixed(1)}H${(x + s).toFixed(1)}V${(y + s).toFixed(1)}H${(x - s).toFixed(1)}Z`;
}
