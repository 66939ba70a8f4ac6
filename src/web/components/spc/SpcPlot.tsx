/**
 * One SPC panel as SVG (the I chart, or the MR chart under it): zones, limits, centre line, goal,
 * data, points, phase breaks, annotations and legend, with a tooltip on hover and on keyboard
 * focus. Points are one tab stop (roving tabindex): arrow keys move between them, Home and End
 * jump to the ends, Esc hides the tooltip. Only the active point is React state.
 */
import {
  type CSSProperties,
  type KeyboardEvent,
  memo,
  type PointerEvent,
  type SVGAttributes,
  useCallback,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import { flushSync } from 'react-dom';
import { useNavigate } from 'react-router';
import type { SpcPattern, SpcSignal } from '../../../core/spc/types.ts';
import {
  POINT_CLASS_LABELS,
  POINT_COLOURS,
  type PointClass,
  RULE_NAMES,
  signalsOfPoint,
} from './explain.ts';
import { markerPath, type PanelGeometry, type PlotPoint } from './geometry.ts';
import { formatValue } from './scales.ts';

export const LINE_COLOURS = {
  data: '#8a94a3',
  cl: '#3b4350',
  limit: '#5c6673',
  goal: '#00796b',
  grid: '#e6e9ee',
  axis: '#8a94a3',
  text: '#4f5966',
  zoneInner: '#edf2f8',
  zoneOuter: '#dfe8f3',
  focus: '#0b5cad',
  break: '#8a94a3',
} as const;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export interface SpcPlotProps {
  geometry: PanelGeometry;
  patternsAt: Map<number, SpcPattern[]>;
  /** The <title> of the SVG. */
  label: string;
  /** The <desc> of the SVG: a summary in words. */
  description: string;
  unit?: string | undefined;
  compact: boolean;
  /** What the line is called: median (run chart) or centre line. */
  lineName: string;
}

/** A point's mark; `attrs` (class, role, label, tabindex) go on the shape itself. */
function Marker({
  cls,
  x,
  y,
  r,
  excluded,
  inherit = false,
  ...attrs
}: {
  cls: PointClass;
  x: number;
  y: number;
  r: number;
  excluded: boolean;
  /** Take the outline from the parent group. */
  inherit?: boolean;
} & SVGAttributes<SVGElement>) {
  const colour = POINT_COLOURS[cls];
  // White outline and its width come from the enclosing group (fewer attributes per point).
  const paint = excluded
    ? { fill: '#ffffff', stroke: colour, strokeWidth: 1.6 }
    : inherit
      ? { fill: colour }
      : { fill: colour, stroke: '#ffffff', strokeWidth: 0.8 };
  const d = markerPath(cls, x, y, r);
  if (d === null) return <circle {...attrs} cx={x} cy={y} r={r} {...paint} />;
  return <path {...attrs} d={d} {...paint} />;
}

function pointAriaLabel(
  p: PlotPoint,
  signals: SpcSignal[],
  decimals: number,
  unit: string | undefined,
): string {
  const { point } = p;
  const name = point.label ? `Point ${point.index}, ${point.label}` : `Point ${point.index}`;
  let text = `${name}: ${formatValue(point.y, decimals + 1, unit)}. ${POINT_CLASS_LABELS[p.cls]}.`;
  if (point.excluded) text += ' Excluded from the calculations.';
  for (const s of signals) text += ` ${s.rule}: ${s.description}`;
  return text;
}

function PanelTooltip({
  p,
  signals,
  geometry,
  unit,
  lineName,
  id,
}: {
  p: PlotPoint;
  signals: SpcSignal[];
  geometry: PanelGeometry;
  unit: string | undefined;
  lineName: string;
  id: string;
}) {
  const { point } = p;
  const d = geometry.decimals + 1;
  // Beside the point when there is room, else across the panel; above or below it by half.
  const width = geometry.width;
  const maxWidth = Math.min(352, width - 16);
  const style: CSSProperties = { maxWidth: `${maxWidth}px` };
  if (p.x + 14 + maxWidth <= width) style.left = `${p.x + 14}px`;
  else if (p.x - 14 - maxWidth >= 0) style.right = `${width - p.x + 14}px`;
  else style.left = `${Math.max(8, (width - maxWidth) / 2)}px`;
  if (p.y < geometry.height * 0.45) style.top = `${p.y + 12}px`;
  else style.bottom = `${geometry.height - p.y + 12}px`;
  return (
    <div className="spc-tooltip" id={id} role="tooltip" style={style}>
      <p className="spc-tooltip__title">
        Point {point.index}
        {point.label && <> · {point.label}</>}
      </p>
      <p className="spc-tooltip__value">
        {formatValue(point.y, d, unit)}
        {point.excluded && <span className="spc-tooltip__note"> (excluded)</span>}
      </p>
      <p className="spc-tooltip__lines">
        {lineName} {formatValue(point.cl, d, unit)}
        {(point.lcl !== null || point.ucl !== null) && (
          <>
            {' '}
            · limits {formatValue(point.lcl, d, unit)} – {formatValue(point.ucl, d, unit)}
          </>
        )}
      </p>
      <p className="spc-tooltip__class">
        <svg width="12" height="12" aria-hidden="true" focusable="false">
          <Marker cls={p.cls} x={6} y={6} r={4} excluded={point.excluded} />
        </svg>{' '}
        {POINT_CLASS_LABELS[p.cls]}
      </p>
      {signals.length > 0 && (
        <ul className="spc-tooltip__signals">
          {signals.map((s) => (
            <li key={s.rule}>
              <strong>{RULE_NAMES[s.rule]}</strong> <code>{s.rule}</code>
              <br />
              {s.description}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const SpcPlot = memo(function SpcPlot({
  geometry,
  patternsAt,
  label,
  description,
  unit,
  compact,
  lineName,
}: SpcPlotProps) {
  const svgRef = useRef<SVGSVGElement>(null);
  const [hover, setHover] = useState<number | null>(null);
  const [focused, setFocused] = useState<number | null>(null);
  const [dismissed, setDismissed] = useState(false);
  const [roving, setRoving] = useState<number | null>(null);
  const hoverRef = useRef<number | null>(null);
  const g = geometry;
  const r = compact ? 2.6 : 4;
  const tipId = `${useId()}-tip`;
  const navigate = useNavigate();

  const byIndex = useMemo(() => {
    const map = new Map<number, number>();
    g.points.forEach((p, k) => {
      map.set(p.point.index, k);
    });
    return map;
  }, [g]);

  const signalsFor = useCallback(
    (p: PlotPoint) => signalsOfPoint(p.point, patternsAt.get(p.point.index)),
    [patternsAt],
  );

  const rovingIndex =
    roving !== null && byIndex.has(roving) ? roving : (g.points[0]?.point.index ?? null);

  // The points and their labels change only with the data and the roving tab stop, never on hover.
  // A small multiple names only its current point (the tab stop; arrows move it): it is an
  // overview, kept light, and its full chart and data table carry every point.
  const pointElements = useMemo(
    () =>
      g.points.map((p) => {
        const current = p.point.index === rovingIndex;
        const named = !compact || current;
        return (
          <Marker
            key={p.point.index}
            cls={p.cls}
            x={p.x}
            y={p.y}
            r={r}
            excluded={p.point.excluded}
            inherit
            className="spc-point"
            data-index={p.point.index}
            data-signal={compact || p.cls === 'common' ? undefined : 'true'}
            role={named ? 'img' : undefined}
            aria-label={named ? pointAriaLabel(p, signalsFor(p), g.decimals, unit) : undefined}
            tabIndex={current ? 0 : compact ? undefined : -1}
          />
        );
      }),
    [g, signalsFor, unit, r, rovingIndex, compact],
  );

  const focusPoint = (index: number) => {
    // Commit the new tab stop first: in a small multiple only it is focusable.
    flushSync(() => setRoving(index));
    svgRef.current?.querySelector<SVGElement>(`.spc-point[data-index="${index}"]`)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    const target = event.target as Element;
    const current = Number(target.getAttribute?.('data-index'));
    if (!current) return;
    const k = byIndex.get(current);
    if (k === undefined) return;
    let next: number | undefined;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = k + 1;
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = k - 1;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = g.points.length - 1;
    else if (event.key === 'Escape') {
      setDismissed(true);
      setHover(null);
      hoverRef.current = null;
      return;
    }
    if (next === undefined) return;
    event.preventDefault();
    const p = g.points[Math.max(0, Math.min(g.points.length - 1, next))];
    if (p) focusPoint(p.point.index);
  };

  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const svg = svgRef.current;
    if (!svg || g.points.length === 0) return;
    const rect = svg.getBoundingClientRect();
    const px = ((event.clientX - rect.left) * g.width) / (rect.width || g.width);
    const py = ((event.clientY - rect.top) * g.height) / (rect.height || g.height);
    let index: number | null = null;
    if (px >= g.plot.left - g.dx && px <= g.plot.right + g.dx && py <= g.plot.bottom + 8) {
      // The nearest drawn point by x (missing values have none).
      let best = Number.POSITIVE_INFINITY;
      for (const p of g.points) {
        const dist = Math.abs(p.x - px);
        if (dist < best) {
          best = dist;
          index = p.point.index;
        }
      }
      if (best > Math.max(g.dx, 12)) index = null;
    }
    if (index !== hoverRef.current) {
      hoverRef.current = index;
      setHover(index);
    }
  };

  const active = hover ?? (dismissed ? null : focused);
  const activePoint = active !== null ? g.points[byIndex.get(active) ?? -1] : undefined;

  return (
    <div className="spc-plot">
      {/* biome-ignore lint/a11y/useSemanticElements: a group of focusable points inside an SVG, not a form's fieldset */}
      <svg
        ref={svgRef}
        className="spc-plot__svg"
        width={g.width}
        height={g.height}
        viewBox={`0 0 ${g.width} ${g.height}`}
        role="group"
        aria-label={label}
        fontFamily={FONT}
        fontSize={compact ? 10 : 12}
        onPointerMove={onPointerMove}
        onPointerLeave={() => {
          hoverRef.current = null;
          setHover(null);
        }}
        onFocus={(event) => {
          const index = Number((event.target as Element).getAttribute?.('data-index'));
          if (index) {
            setFocused(index);
            setRoving(index);
            setDismissed(false);
          }
        }}
        onBlur={(event) => {
          if (!svgRef.current?.contains(event.relatedTarget as Node | null)) setFocused(null);
        }}
        onKeyDown={onKeyDown}
        onClick={(event) => {
          // A note's link to a page of this app: a client-side navigation, not a reload.
          const link = (event.target as Element).closest?.('a.spc-annotation');
          const href = link?.getAttribute('href');
          if (!href?.startsWith('/') || href.startsWith('//')) return;
          if (
            event.button !== 0 ||
            event.metaKey ||
            event.ctrlKey ||
            event.shiftKey ||
            event.altKey
          )
            return;
          event.preventDefault();
          navigate(href);
        }}
      >
        <title>{label}</title>
        <desc>{description}</desc>
        <rect
          data-export="background"
          x={0}
          y={0}
          width={g.width}
          height={g.height}
          fill="#ffffff"
        />
        {/* Everything but the points and the notes is drawing, hidden from screen readers: they
            get the same from the points' labels, the description and the data table. */}
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: an SVG <g> is not focusable */}
        <g aria-hidden="true">
          {/* Grid and y axis */}
          <g>
            {g.yTicks.map((t) => (
              <g key={t.value}>
                <line
                  x1={g.plot.left}
                  x2={g.plot.right}
                  y1={t.y}
                  y2={t.y}
                  stroke={LINE_COLOURS.grid}
                  strokeWidth={1}
                />
                <text
                  x={g.plot.left - 6}
                  y={t.y}
                  dy="0.32em"
                  textAnchor="end"
                  fill={LINE_COLOURS.text}
                >
                  {t.text}
                </text>
              </g>
            ))}
          </g>
          {/* Zones (1σ–2σ and 2σ–limit bands) */}
          {g.parts.some((p) => p.zonePaths) && (
            <g>
              {g.parts.map((p) =>
                p.zonePaths ? (
                  <g key={p.part.part}>
                    <path d={p.zonePaths.outer} fill={LINE_COLOURS.zoneOuter} />
                    <path d={p.zonePaths.inner} fill={LINE_COLOURS.zoneInner} />
                  </g>
                ) : null,
              )}
            </g>
          )}
          {/* Phase breaks */}
          {g.breaks.length > 0 && (
            <g>
              {g.breaks.map((b) => (
                <g key={b.label}>
                  {b.label !== 'Phase 1' && (
                    <line
                      x1={b.x}
                      x2={b.x}
                      y1={g.plot.top - 4}
                      y2={g.plot.bottom}
                      stroke={LINE_COLOURS.break}
                      strokeWidth={1}
                      strokeDasharray="1 3"
                    />
                  )}
                  <text
                    x={b.labelX}
                    y={g.plot.top - 8}
                    fill={LINE_COLOURS.text}
                    fontWeight={600}
                    fontSize={compact ? 9 : 11}
                  >
                    {compact ? b.label.replace('Phase ', 'P') : b.label}
                  </text>
                </g>
              ))}
            </g>
          )}
          {/* Limits (dashed; trial limits dotted and labelled) and centre lines (solid) */}
          <g fill="none">
            {g.parts.map((p) => (
              <g key={p.part.part} data-part={p.part.part}>
                {p.limitPath && (
                  <path
                    className={p.trial ? 'spc-line spc-line--trial' : 'spc-line spc-line--limit'}
                    d={p.limitPath}
                    stroke={LINE_COLOURS.limit}
                    strokeWidth={compact ? 1 : 1.4}
                    strokeDasharray={p.trial ? '2 3' : '6 4'}
                  />
                )}
                {p.clPath && (
                  <path
                    className="spc-line spc-line--cl"
                    d={p.clPath}
                    stroke={LINE_COLOURS.cl}
                    strokeWidth={compact ? 1.2 : 1.6}
                  />
                )}
                {p.trialLabel && (
                  <text
                    x={p.trialLabel.x}
                    y={p.trialLabel.y}
                    fill={LINE_COLOURS.text}
                    stroke="none"
                    fontStyle="italic"
                    fontSize={compact ? 9 : 11}
                  >
                    trial limits
                  </text>
                )}
              </g>
            ))}
          </g>
          {/* Goal */}
          {g.goalY !== null && (
            <line
              className="spc-line spc-line--goal"
              x1={g.plot.left}
              x2={g.plot.right}
              y1={g.goalY}
              y2={g.goalY}
              stroke={LINE_COLOURS.goal}
              strokeWidth={compact ? 1.2 : 2}
              strokeDasharray="10 3 2 3"
            />
          )}
          {/* Right-hand labels */}
          <g>
            {g.sideLabels.map((l) => (
              <text
                key={l.kind + l.text}
                x={g.plot.right + 6}
                y={l.y}
                dy="0.32em"
                fill={l.kind === 'goal' ? LINE_COLOURS.goal : LINE_COLOURS.text}
                fontWeight={l.kind === 'limit' ? 400 : 600}
                fontSize={11}
              >
                {l.text}
              </text>
            ))}
          </g>
          {/* X axis */}
          <g>
            <line
              x1={g.plot.left}
              x2={g.plot.right}
              y1={g.plot.bottom}
              y2={g.plot.bottom}
              stroke={LINE_COLOURS.axis}
              strokeWidth={1}
            />
            {g.xLabels.map((l, i) => (
              <text
                key={`${l.x}`}
                x={l.x}
                y={g.plot.bottom + (compact ? 13 : 17)}
                textAnchor={compact ? (i === 0 ? 'start' : 'end') : 'middle'}
                fill={LINE_COLOURS.text}
                fontSize={compact ? 9 : 11}
              >
                {l.text}
              </text>
            ))}
          </g>
          {/* Data line: gaps at missing values */}
          <path
            d={g.dataPath}
            fill="none"
            stroke={LINE_COLOURS.data}
            strokeWidth={compact ? 1 : 1.5}
            strokeLinejoin="round"
          />
          {/* Legend */}
          {g.legend.length > 0 && (
            <g className="spc-legend">
              {g.legend.map((item) => (
                <g key={item.text} transform={`translate(${item.x},${item.y})`}>
                  <LegendSwatch item={item} />
                  <text x={24} y={0} dy="0.32em" fill={LINE_COLOURS.text} fontSize={11}>
                    {item.text}
                  </text>
                </g>
              ))}
            </g>
          )}
        </g>
        {/* Annotations: flags on the time axis */}
        {g.annotations.length > 0 && (
          <g className="spc-annotations">
            {g.annotations.map((a) => {
              const flag = (
                <>
                  <line
                    x1={a.x}
                    x2={a.x}
                    y1={g.plot.top}
                    y2={g.annotationY + 6}
                    stroke={LINE_COLOURS.break}
                    strokeWidth={1}
                    strokeDasharray="2 2"
                  />
                  <path d={`M${a.x},${g.annotationY - 6}l9,4l-9,4z`} fill={LINE_COLOURS.cl} />
                  <text
                    x={a.x + 12}
                    y={g.annotationY}
                    dy="0.32em"
                    fontSize={11}
                    fill={a.href ? '#0b5cad' : LINE_COLOURS.text}
                    textDecoration={a.href ? 'underline' : undefined}
                  >
                    {a.label.length > 40 ? `${a.label.slice(0, 39)}…` : a.label}
                  </text>
                </>
              );
              return a.href ? (
                <a
                  key={`${a.index}-${a.label}`}
                  href={a.href}
                  className="spc-annotation"
                  aria-label={`Note at point ${a.index}: ${a.label}`}
                >
                  {flag}
                </a>
              ) : (
                // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: an SVG <g> is not interactive
                <g
                  key={`${a.index}-${a.label}`}
                  className="spc-annotation"
                  role="img"
                  aria-label={`Note at point ${a.index}: ${a.label}`}
                >
                  {flag}
                </g>
              );
            })}
          </g>
        )}
        {/* Points */}
        <g className="spc-points" stroke="#ffffff" strokeWidth={0.8}>
          {pointElements}
        </g>
        {/* Focus ring and hover ring (not exported) */}
        {activePoint && (
          <circle
            data-export="skip"
            cx={activePoint.x}
            cy={activePoint.y}
            r={r + 4}
            fill="none"
            stroke={LINE_COLOURS.focus}
            strokeWidth={2}
            pointerEvents="none"
          />
        )}
      </svg>
      {activePoint && (
        <PanelTooltip
          p={activePoint}
          signals={signalsFor(activePoint)}
          geometry={g}
          unit={unit}
          lineName={lineName}
          id={tipId}
        />
      )}
    </div>
  );
});

function LegendSwatch({ item }: { item: PanelGeometry['legend'][number] }) {
  switch (item.kind) {
    case 'point':
      return <Marker cls={item.cls ?? 'common'} x={9} y={0} r={4} excluded={false} />;
    case 'excluded':
      return <Marker cls="common" x={9} y={0} r={4} excluded />;
    case 'cl':
      return <line x1={0} x2={18} y1={0} y2={0} stroke={LINE_COLOURS.cl} strokeWidth={1.6} />;
    case 'limit':
      return (
        <line
          x1={0}
          x2={18}
          y1={0}
          y2={0}
          stroke={LINE_COLOURS.limit}
          strokeWidth={1.4}
          strokeDasharray="6 4"
        />
      );
    case 'trial':
      return (
        <line
          x1={0}
          x2={18}
          y1={0}
          y2={0}
          stroke={LINE_COLOURS.limit}
          strokeWidth={1.4}
          strokeDasharray="2 3"
        />
      );
    case 'goal':
      return (
        <line
          x1={0}
          x2={18}
          y1={0}
          y2={0}
          stroke={LINE_COLOURS.goal}
          strokeWidth={2}
          strokeDasharray="10 3 2 3"
        />
      );
    case 'zone':
      return (
        <>
          <rect x={0} y={-6} width={9} height={12} fill={LINE_COLOURS.zoneInner} />
          <rect x={9} y={-6} width={9} height={12} fill={LINE_COLOURS.zoneOuter} />
        </>
      );
  }
}
