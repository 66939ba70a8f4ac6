/**
 * Several series (sites) on one measure as a grid of small SPC charts that share one y scale, so
 * that levels compare at a glance; "Free scales" gives each chart its own. Rendering is lean: the
 * grid is measured once, every chart gets a fixed width, scales are memoised, and no point has
 * React state of its own. Each render's time is recorded as the performance measure
 * `spc-small-multiples` (and in `data-render-ms`) for benchmarks.
 */
import { useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ImprovementDirection, SpcChartResult, SpcResponse } from '../../../core/spc/types.ts';
import type { SpcAnnotation } from './geometry.ts';
import { niceDomain, valueExtent } from './scales.ts';
import { SpcChart } from './SpcChart.tsx';

export interface SpcSeries {
  title: string;
  result: SpcResponse | SpcChartResult;
  annotations?: readonly SpcAnnotation[];
}

export interface SpcSmallMultiplesProps {
  series: readonly SpcSeries[];
  unit?: string | undefined;
  goal?: number | undefined;
  showZones?: boolean | undefined;
  improvementDirection?: ImprovementDirection | undefined;
  /** Share one y scale (the default); the reader can switch to free scales. */
  sharedScale?: boolean | undefined;
  headingLevel?: 2 | 3 | undefined;
}

const GAP = 16;

function columnsFor(width: number): number {
  if (width >= 900) return 3;
  if (width >= 560) return 2;
  return 1;
}

export function SpcSmallMultiples({
  series,
  unit,
  goal,
  showZones = false,
  improvementDirection,
  sharedScale = true,
  headingLevel = 3,
}: SpcSmallMultiplesProps) {
  const renderStart = performance.now();
  const gridRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState<number | null>(null);
  const [shared, setShared] = useState(sharedScale);
  const toggleId = useId();

  useLayoutEffect(() => {
    const el = gridRef.current;
    if (!el) return;
    setWidth(Math.floor(el.clientWidth));
    if (typeof ResizeObserver === 'undefined') return;
    let frame = 0;
    const observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setWidth((old) => (old === w ? old : w)));
    });
    observer.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, []);

  const domain = useMemo<[number, number] | undefined>(
    () =>
      shared
        ? niceDomain(
            ...valueExtent(
              series.map((s) => s.result),
              { goal, zones: showZones },
            ),
          )
        : undefined,
    [shared, series, goal, showZones],
  );

  const columns = width === null ? 1 : columnsFor(width);
  const cellWidth = width === null ? null : Math.floor((width - GAP * (columns - 1)) / columns) - 2;

  // Children commit before this effect runs: the measure covers the whole grid's render.
  useLayoutEffect(() => {
    if (cellWidth === null) return;
    const ms = performance.now() - renderStart;
    gridRef.current?.setAttribute('data-render-ms', ms.toFixed(1));
    try {
      performance.measure('spc-small-multiples', { start: renderStart, duration: ms });
    } catch {
      // Older browsers without the options form of measure(): the attribute is enough.
    }
  });

  return (
    <div className="spc-multiples">
      <div className="spc-multiples__toolbar">
        <p className="spc-multiples__note">
          {series.length} {series.length === 1 ? 'chart' : 'charts'},{' '}
          {shared ? 'all on the same scale so that levels compare' : 'each on its own scale'}.
        </p>
        <div className="checkbox">
          <input
            id={toggleId}
            type="checkbox"
            className="checkbox__input"
            checked={!shared}
            onChange={(e) => setShared(!e.target.checked)}
          />
          <label htmlFor={toggleId} className="checkbox__label">
            Free scales
          </label>
        </div>
      </div>
      <div
        ref={gridRef}
        className="spc-multiples__grid"
        style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
        data-testid="spc-small-multiples"
      >
        {cellWidth !== null &&
          series.map((s) => (
            <SpcChart
              key={s.title}
              result={s.result}
              title={s.title}
              unit={unit}
              goal={goal}
              annotations={s.annotations}
              showZones={showZones}
              improvementDirection={improvementDirection}
              yDomain={domain}
              compact
              width={cellWidth}
              headingLevel={headingLevel}
            />
          ))}
      </div>
    </div>
  );
}
