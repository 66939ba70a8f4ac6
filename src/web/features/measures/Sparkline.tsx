/**
 * A compact SPC sparkline for the network dashboard: one team's series of one measure on the
 * measure's common scale (y_min–y_max over every team), centre line solid, limits dashed (as
 * steps), the goal line, signal points as larger diamonds (shape, not colour alone), gaps for
 * missing periods and a gap at each phase break. Plain SVG, no state: hundreds render cheaply.
 */
import { memo } from 'react';
import type { DashboardMeasure, DashboardSeries } from './model.ts';

const W = 220;
const H = 64;
const PAD_X = 4;
const PAD_Y = 6;

type Pt = DashboardSeries['points'][number];

function pathOf(
  points: readonly Pt[],
  get: (p: Pt) => number | null,
  x: (i: number) => number,
  y: (v: number) => number,
  breaks: ReadonlySet<string>,
  step: boolean,
): string {
  let d = '';
  let open = false;
  points.forEach((p, i) => {
    const v = get(p);
    if (v === null || breaks.has(p.period)) open = false;
    if (v === null) return;
    const px = x(i);
    const py = y(v);
    if (!open) {
      d += `M${px.toFixed(1)},${py.toFixed(1)}`;
      open = true;
    } else if (step) {
      d += `V${py.toFixed(1)}H${px.toFixed(1)}`;
    } else {
      d += `L${px.toFixed(1)},${py.toFixed(1)}`;
    }
  });
  return d;
}

/** The smallest and largest value, limit or goal of one series. */
export function ownExtent(series: DashboardSeries, goal: number | null): [number, number] {
  let lo = goal ?? Number.POSITIVE_INFINITY;
  let hi = goal ?? Number.NEGATIVE_INFINITY;
  for (const p of series.points) {
    for (const v of [p.y, p.cl, p.lcl, p.ucl]) {
      if (v === null) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return Number.isFinite(lo) && Number.isFinite(hi) ? [lo, hi] : [0, 1];
}

/** The Making Data Count class of a signal point: by the side of the centre line it is on. */
function signalClass(p: Pt, direction: DashboardMeasure['improvement_direction']): string {
  if (direction === 'neutral' || p.y === null || p.cl === null || p.y === p.cl) return 'neutral';
  return p.y > p.cl === (direction === 'increase') ? 'improvement' : 'concern';
}

export const Sparkline = memo(function Sparkline({
  measure,
  series,
  freeScale = false,
}: {
  measure: DashboardMeasure;
  series: DashboardSeries;
  /** Scale this series on its own (min–max of its values, limits and the goal). */
  freeScale?: boolean;
}) {
  const pts = series.points;
  const [lo, hi] = freeScale
    ? ownExtent(series, measure.goal)
    : [measure.y_min ?? 0, measure.y_max ?? 1];
  const span = hi - lo || 1;
  const n = pts.length;
  const x = (i: number) => PAD_X + (n <= 1 ? (W - 2 * PAD_X) / 2 : (i * (W - 2 * PAD_X)) / (n - 1));
  const y = (v: number) => H - PAD_Y - ((v - lo) / span) * (H - 2 * PAD_Y);
  const breaks = new Set(series.phase_breaks);
  const data = pathOf(pts, (p) => p.y, x, y, new Set(), false);
  const cl = pathOf(pts, (p) => p.cl, x, y, breaks, true);
  const ucl = pathOf(pts, (p) => p.ucl, x, y, breaks, true);
  const lcl = pathOf(pts, (p) => p.lcl, x, y, breaks, true);
  return (
    <svg className="sparkline" viewBox={`0 0 ${W} ${H}`} aria-hidden="true" focusable="false">
      <rect x="0" y="0" width={W} height={H} className="sparkline__bg" />
      {measure.goal !== null && (
        <line x1={0} x2={W} y1={y(measure.goal)} y2={y(measure.goal)} className="sparkline__goal" />
      )}
      {ucl && <path d={ucl} className="sparkline__limit" />}
      {lcl && <path d={lcl} className="sparkline__limit" />}
      {cl && <path d={cl} className="sparkline__cl" />}
      {data && <path d={data} className="sparkline__data" />}
      {pts.map((p, i) =>
        p.y === null ? null : p.signal ? (
          <path
            key={p.period}
            className={`sparkline__signal sparkline__signal--${signalClass(p, measure.improvement_direction)}`}
            d={`M${x(i).toFixed(1)},${(y(p.y) - 4.5).toFixed(1)}l4.5,4.5l-4.5,4.5l-4.5,-4.5z`}
          />
        ) : (
          <circle key={p.period} cx={x(i)} cy={y(p.y)} r={1.8} className="sparkline__point" />
        ),
      )}
    </svg>
  );
});
