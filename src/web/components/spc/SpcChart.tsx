/**
 * An SPC chart drawn from the engine's answer (`SpcResponse` or one `SpcChartResult`): it never
 * recomputes a statistic. Centre line solid, limits dashed as steps per phase with a gap and a
 * label at each break, trial limits dotted and labelled, optional 1σ/2σ zones, points coloured
 * and shaped by class (Making Data Count), missing values as gaps, excluded points hollow, a goal
 * line, annotation flags, a tooltip on hover and keyboard focus, a data table, exports (SVG, PNG,
 * print) and the signals in words. An `xmr` answer draws the I chart with the MR chart below.
 */
import { type ReactNode, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ImprovementDirection, SpcChartResult, SpcResponse } from '../../../core/spc/types.ts';
import { Badge } from '../Badge.tsx';
import { Button } from '../Button.tsx';
import {
  CHART_TYPE_NAMES,
  classifyPoints,
  directionWords,
  isResponse,
  type PointClass,
  patternsByPoint,
  RULE_SET_INFO,
  summarise,
} from './explain.ts';
import { downloadPng, downloadSvg, printChart } from './export.ts';
import { panelGeometry, type SpcAnnotation } from './geometry.ts';
import { niceDomain, valueExtent } from './scales.ts';
import { SpcDataTable } from './SpcDataTable.tsx';
import { SpcPlot } from './SpcPlot.tsx';
import { SpcSignals } from './SpcSignals.tsx';
import '../../styles/spc.css';

export type { SpcAnnotation } from './geometry.ts';

export interface SpcChartProps {
  result: SpcResponse | SpcChartResult;
  title: string;
  /** "%" or a word ("days", "per 1,000"): shown with every number. */
  unit?: string | undefined;
  goal?: number | undefined;
  annotations?: readonly SpcAnnotation[] | undefined;
  /** 1σ and 2σ bands (when the rule set uses them). */
  showZones?: boolean | undefined;
  /** Defaults to the engine's `improvementDirection` (neutral for a bare chart result). */
  improvementDirection?: ImprovementDirection | undefined;
  /** A y range shared with other charts (small multiples); the chart's own range otherwise. */
  yDomain?: [number, number] | undefined;
  /** A small multiple: small, no controls, no words under it. */
  compact?: boolean | undefined;
  /** Fixed width in pixels; otherwise the chart fills its container. */
  width?: number | undefined;
  /** Level of the chart's title heading (the signals headings are one below). */
  headingLevel?: 2 | 3 | undefined;
  /** Where "How to read this chart" goes. */
  helpHref?: string | undefined;
  /** Offered with each phase the engine suggests. */
  onAcceptPhase?: ((after: number) => void) | undefined;
  /** A line under the chart, e.g. where it was computed. */
  note?: ReactNode;
}

const FULL_HEIGHT = 260;
const MR_HEIGHT = 140;
const COMPACT_HEIGHT = 96;

/** The container's width, measured before paint and followed as it changes. */
function useWidth(fixed: number | undefined) {
  const ref = useRef<HTMLDivElement>(null);
  const [measured, setMeasured] = useState<number | null>(null);
  useLayoutEffect(() => {
    if (fixed !== undefined) return;
    const el = ref.current;
    if (!el) return;
    setMeasured(Math.floor(el.clientWidth));
    if (typeof ResizeObserver === 'undefined') return;
    let frame = 0;
    const observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setMeasured((old) => (old === w ? old : w)));
    });
    observer.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, [fixed]);
  return { ref, width: fixed ?? measured };
}

interface Panel {
  key: 'main' | 'mr';
  name: string;
  result: SpcChartResult;
  classes: PointClass[];
  patternsAt: ReturnType<typeof patternsByPoint>;
  domain: [number, number];
}

export function SpcChart({
  result,
  title,
  unit,
  goal,
  annotations,
  showZones = false,
  improvementDirection,
  yDomain,
  compact = false,
  width: fixedWidth,
  headingLevel = 2,
  helpHref = '/chart-studio#how-to-read',
  onAcceptPhase,
  note,
}: SpcChartProps) {
  const figureRef = useRef<HTMLElement>(null);
  const { ref: plotsRef, width } = useWidth(fixedWidth);
  const [tableOpen, setTableOpen] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const id = useId();
  const titleId = `${id}-title`;
  const tableId = `${id}-table`;
  const response = isResponse(result) ? result : null;
  const direction = improvementDirection ?? response?.engine.improvementDirection ?? 'neutral';
  const arrow = directionWords(direction);
  const Heading = `h${headingLevel}` as 'h2' | 'h3';
  const subLevel = (headingLevel + 1) as 3 | 4;

  const panels = useMemo<Panel[]>(() => {
    const main: Panel = {
      key: 'main',
      name: result.chart === 'xmr' ? 'I chart' : CHART_TYPE_NAMES[result.chart],
      result,
      classes: classifyPoints(result, direction),
      patternsAt: patternsByPoint(result),
      domain: yDomain ?? niceDomain(...valueExtent([result], { goal, zones: showZones })),
    };
    const list = [main];
    if (response?.mr && !compact) {
      const mr = response.mr;
      list.push({
        key: 'mr',
        name: 'Moving ranges',
        result: mr,
        // A moving range has no better direction: its signals are neutral (unless MDC classed them).
        classes: classifyPoints(mr, 'neutral'),
        patternsAt: patternsByPoint(mr),
        domain: niceDomain(...valueExtent([mr], { zones: showZones })),
      });
    }
    return list;
  }, [result, response, direction, yDomain, goal, showZones, compact]);

  const geometries = useMemo(
    () =>
      width === null || width <= 0
        ? null
        : panels.map((panel) =>
            panelGeometry(panel.result, {
              width,
              plotHeight: compact ? COMPACT_HEIGHT : panel.key === 'mr' ? MR_HEIGHT : FULL_HEIGHT,
              yDomain: panel.domain,
              unit,
              goal: panel.key === 'main' ? goal : undefined,
              annotations: panel.key === 'main' ? annotations : undefined,
              showZones,
              compact,
              classes: panel.classes,
              showLegend: !compact && (panel.key === 'main' || panels.length === 1),
            }),
          ),
    [panels, width, compact, unit, goal, annotations, showZones],
  );

  const descriptions = useMemo(
    () =>
      panels.map((panel, i) =>
        summarise(panel.result, { decimals: geometries?.[i]?.decimals ?? 2, unit }),
      ),
    [panels, geometries, unit],
  );

  const subtitle = [
    `${arrow.arrow} ${arrow.text}`,
    result.chart === 'xmr' ? 'I and MR charts' : CHART_TYPE_NAMES[result.chart],
    response ? RULE_SET_INFO[response.engine.ruleSet].label : null,
  ]
    .filter(Boolean)
    .join(' · ');

  const signalCount = result.patterns.length;

  const runExport = async (what: 'svg' | 'png' | 'print') => {
    const figure = figureRef.current;
    if (!figure) return;
    setExportError(null);
    try {
      if (what === 'svg') downloadSvg(figure, { title, subtitle });
      else if (what === 'png') await downloadPng(figure, { title, subtitle });
      else printChart(figure);
    } catch (error) {
      setExportError(error instanceof Error ? error.message : 'The export failed.');
    }
  };

  return (
    <figure
      ref={figureRef}
      className={compact ? 'spc-chart spc-chart--compact' : 'spc-chart'}
      aria-labelledby={titleId}
      data-testid="spc-chart"
      data-chart={result.chart}
    >
      <figcaption className="spc-chart__header">
        <Heading className="spc-chart__title" id={titleId}>
          {title}
        </Heading>
        {(!compact || direction !== 'neutral') && (
          <span className="spc-chart__direction" title={arrow.text}>
            <span aria-hidden="true" className="spc-chart__arrow">
              {arrow.arrow}
            </span>
            <span className={compact ? 'visually-hidden' : undefined}> {arrow.text}</span>
          </span>
        )}
        {compact ? (
          <span className="spc-chart__badge">
            {signalCount === 0 ? (
              <Badge>No signals</Badge>
            ) : (
              <Badge tone="warning">
                <span aria-hidden="true">◆</span>
                {signalCount} {signalCount === 1 ? 'signal' : 'signals'}
              </Badge>
            )}
          </span>
        ) : (
          <a className="spc-chart__help" href={helpHref}>
            How to read this chart
          </a>
        )}
      </figcaption>
      <div className="spc-chart__plots" ref={plotsRef}>
        {geometries?.map((geometry, i) => {
          const panel = panels[i] as Panel;
          return (
            <div key={panel.key} className="spc-chart__panel">
              {panels.length > 1 && <p className="spc-chart__panel-name">{panel.name}</p>}
              <SpcPlot
                geometry={geometry}
                patternsAt={panel.patternsAt}
                label={`${title}: ${panel.name}`}
                description={descriptions[i] ?? ''}
                unit={unit}
                compact={compact}
                lineName={panel.result.chart === 'run' ? 'Median' : 'CL'}
              />
            </div>
          );
        })}
      </div>
      {!compact && (
        <>
          <div className="spc-chart__actions">
            <Button
              aria-expanded={tableOpen}
              aria-controls={tableId}
              onClick={() => setTableOpen((open) => !open)}
            >
              {tableOpen ? 'Hide data table' : 'Show data table'}
            </Button>
            <Button onClick={() => runExport('svg')}>
              Download SVG<span className="visually-hidden"> of {title}</span>
            </Button>
            <Button onClick={() => runExport('png')}>
              Download PNG<span className="visually-hidden"> of {title}</span>
            </Button>
            <Button onClick={() => runExport('print')}>
              Print<span className="visually-hidden"> {title}</span>
            </Button>
          </div>
          {exportError && (
            <div className="alert alert--error" role="alert">
              {exportError}
            </div>
          )}
          <div id={tableId} hidden={!tableOpen} className="spc-chart__table">
            {tableOpen &&
              panels.map((panel, i) => (
                <SpcDataTable
                  key={panel.key}
                  caption={panels.length > 1 ? `${title}: ${panel.name}` : title}
                  result={panel.result}
                  classes={panel.classes}
                  patternsAt={panel.patternsAt}
                  decimals={geometries?.[i]?.decimals ?? 2}
                  unit={unit}
                />
              ))}
          </div>
          {panels.map((panel, i) => (
            <SpcSignals
              key={panel.key}
              result={panel.result}
              panelName={panels.length > 1 ? panel.name : undefined}
              headingLevel={subLevel}
              decimals={geometries?.[i]?.decimals ?? 2}
              unit={unit}
              classes={panel.classes}
              onAcceptPhase={panel.key === 'main' ? onAcceptPhase : undefined}
            />
          ))}
          {response && (
            <p className="spc-chart__engine">
              {RULE_SET_INFO[response.engine.ruleSet].label}
              {(result.chart === 'i' || result.chart === 'xmr') && (
                <>
                  {' '}
                  · limits{' '}
                  {response.engine.limitConstant === 'd2'
                    ? 'CL ± 3σ, σ = MR̄/1.128'
                    : 'CL ± 2.66·MR̄'}
                </>
              )}
              {['i', 'xmr', 'pp', 'up'].includes(result.chart) && (
                <> · moving-range screening {response.engine.mrScreening ? 'on' : 'off'}</>
              )}
              {response.engine.multiply !== 1 && <> · multiplied by {response.engine.multiply}</>}
            </p>
          )}
          {note && <div className="spc-chart__note">{note}</div>}
        </>
      )}
    </figure>
  );
}
