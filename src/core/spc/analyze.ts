/**
 * The SPC engine's entry point: `analyzeSpc(request)` validates a request, splits the series
 * into parts, computes each part's centre line and limits, runs the Anhøj runs analysis and the
 * chosen rule set, and returns every number the chart component draws. It is pure and
 * deterministic; the API, the CLI and the chart studio all call it.
 */
import { CONVENTIONS } from './conventions.ts';
import { partLines } from './limits.ts';
import { outsideLimits, type SeqPoint } from './patterns.ts';
import { evaluatePart, type Occurrence, type PlottedPoint } from './rules.ts';
import { binomialHalfQuantile05, longestRunLimit } from './stats.ts';
import type {
  ChartType,
  RuleId,
  SpcChartResult,
  SpcPart,
  SpcPattern,
  SpcPhaseSuggestion,
  SpcPoint,
  SpcResponse,
} from './types.ts';
import { type NormalisedSpcRequest, SpcInputInvalid, validateSpcRequest } from './validate.ts';

export const ENGINE_VERSION = '1.0.0';

/** Fewer baseline points than this and the limits are trial limits (Provost & Murray; NHS MDC). */
export const TRIAL_LIMITS_BELOW = 12;

const SHIFT_RULES: ReadonlySet<RuleId> = new Set([
  'anhoej.longest_run',
  'ihi.shift',
  'ihi.eight_one_side',
  'weco.4',
  'mdc.shift',
]);

type SingleChart = Exclude<ChartType, 'xmr'>;

function finite(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}

function statistic(request: NormalisedSpcRequest, chart: SingleChart): (number | null)[] {
  const { values, denominators } = request;
  if (chart === 'c' || !denominators) return values;
  return values.map((v, i) => {
    const d = denominators[i] ?? null;
    // Validation guarantees d > 0 wherever there is a value.
    if (v === null || d === null) return null;
    return v / d;
  });
}

/** 0-based [first, last] of each part. */
function partRanges(n: number, partEnds: number[]): [number, number][] {
  const ranges: [number, number][] = [];
  let first = 0;
  for (const end of partEnds) {
    ranges.push([first, end - 1]);
    first = end;
  }
  ranges.push([first, n - 1]);
  return ranges;
}

function makeSpan(labels: string[] | null) {
  return (points: number[]): string => {
    const first = points[0] as number;
    const last = points[points.length - 1] as number;
    const label = (i: number) => labels?.[i] ?? '';
    if (points.length === 1) {
      return `point ${first + 1}${label(first) ? ` (${label(first)})` : ''}`;
    }
    const range = `points ${first + 1}–${last + 1}`;
    return label(first) && label(last) ? `${range} (${label(first)} to ${label(last)})` : range;
  };
}

interface RunsCounts {
  nUseful: number;
  longestRun: number | null;
  longestRunMax: number | null;
  crossings: number | null;
  crossingsMin: number | null;
}

/** Anhøj runs analysis (qicharts2 runs.analysis): points on the centre line are dropped. */
function runsCounts(seq: SeqPoint[]): RunsCounts {
  let nUseful = 0;
  let longestRun = 0;
  let runs = 0;
  let currentSide = 0;
  let currentLength = 0;
  for (const p of seq) {
    const side = Math.sign(p.y - p.cl);
    if (side === 0) continue;
    nUseful += 1;
    if (side === currentSide) currentLength += 1;
    else {
      runs += 1;
      currentSide = side;
      currentLength = 1;
    }
    if (currentLength > longestRun) longestRun = currentLength;
  }
  if (nUseful === 0) {
    return { nUseful, longestRun: null, longestRunMax: null, crossings: null, crossingsMin: null };
  }
  return {
    nUseful,
    longestRun,
    longestRunMax: longestRunLimit(nUseful),
    crossings: Math.max(runs - 1, 0),
    crossingsMin: binomialHalfQuantile05(nUseful - 1),
  };
}

function suggestPhases(occurrences: Occurrence[], partFirst: number): SpcPhaseSuggestion[] {
  const suggestions: SpcPhaseSuggestion[] = [];
  for (const o of occurrences) {
    if (!SHIFT_RULES.has(o.rule)) continue;
    const start = o.points[0] as number;
    if (start <= partFirst) continue;
    suggestions.push({
      after: start,
      rule: o.rule,
      reason: `A sustained shift starts at point ${start + 1}. If you know what changed, start a new phase there and annotate it.`,
    });
  }
  return suggestions;
}

function analyzeChart(request: NormalisedSpcRequest, chart: SingleChart): SpcChartResult {
  const n = request.values.length;
  const series = statistic(request, chart);
  const m = request.multiply;
  const points: SpcPoint[] = [];
  const parts: SpcPart[] = [];
  const patterns: SpcPattern[] = [];
  const suggestions = new Map<number, SpcPhaseSuggestion>();
  const span = makeSpan(request.labels);

  partRanges(n, request.partEnds).forEach(([first, last], partIndex) => {
    const k = request.baselineLastPoint;
    const baselineEnd = k !== null && k - 1 >= first && k - 1 <= last ? k - 1 : last;
    const indices = Array.from({ length: last - first + 1 }, (_, j) => first + j);
    const base = indices.map((i) => i <= baselineEnd && !request.excluded[i]);
    const inputFor = (lineChart: SingleChart) => ({
      chart: lineChart,
      y: indices.map((i) => series[i] ?? null),
      numerators: indices.map((i) => request.values[i] ?? null),
      denominators: request.denominators
        ? indices.map((i) => request.denominators?.[i] ?? null)
        : null,
      base,
      mrScreening: request.mrScreening,
      limitConstant: request.limitConstant,
    });
    const lines = partLines(inputFor(chart));
    const cl = finite(lines.cl === null ? null : lines.cl * m);
    const scaled = indices.map((i, j) => {
      const y = lines.y[j] ?? null;
      return {
        index: i,
        y: y === null ? null : finite(y * m),
        lcl: finite((lines.lcl[j] ?? Number.NaN) * m),
        ucl: finite((lines.ucl[j] ?? Number.NaN) * m),
        sigma: finite((lines.sigma[j] ?? Number.NaN) * m),
      };
    });
    const seq: SeqPoint[] =
      cl === null
        ? []
        : scaled
            .filter((p) => p.y !== null && !request.excluded[p.index])
            .map((p) => ({
              index: p.index,
              y: p.y as number,
              cl,
              sigma: p.sigma,
              lcl: p.lcl,
              ucl: p.ucl,
            }));
    const plotted: PlottedPoint[] = scaled
      .filter((p) => p.y !== null)
      .map((p) => ({ index: p.index, y: p.y as number, lcl: p.lcl, ucl: p.ucl }));
    const counts = runsCounts(seq);
    const hasLimits = chart !== 'run' && scaled.some((p) => p.ucl !== null || p.lcl !== null);

    let astronomicalLimits: { lcl: number; ucl: number } | null = null;
    if (chart === 'run' && request.ruleSet === 'ihi') {
      const iLines = partLines({ ...inputFor('i'), limitConstant: 'd2' });
      const lcl = finite((iLines.lcl[0] ?? Number.NaN) * m);
      const ucl = finite((iLines.ucl[0] ?? Number.NaN) * m);
      if (lcl !== null && ucl !== null) astronomicalLimits = { lcl, ucl };
    }

    const result = evaluatePart({
      chart,
      ruleSet: request.ruleSet,
      improvementDirection: request.improvementDirection,
      seq,
      plotted,
      ...counts,
      hasLimits,
      astronomicalLimits,
      span,
    });

    const signalsAt = new Map<number, { rule: RuleId; description: string }[]>();
    for (const o of result.occurrences) {
      patterns.push({
        rule: o.rule,
        part: partIndex + 1,
        points: o.points.map((i) => i + 1),
        description: o.description,
      });
      for (const i of o.signalAt) {
        const list = signalsAt.get(i) ?? [];
        if (!list.some((s) => s.rule === o.rule))
          list.push({ rule: o.rule, description: o.description });
        signalsAt.set(i, list);
      }
    }
    for (const s of suggestPhases(result.occurrences, first)) {
      if (!request.partEnds.includes(s.after) && !suggestions.has(s.after))
        suggestions.set(s.after, s);
    }

    for (const p of scaled) {
      const point: SpcPoint = {
        index: p.index + 1,
        label: request.labels?.[p.index] ?? null,
        y: p.y,
        cl,
        lcl: p.lcl,
        ucl: p.ucl,
        sigma: p.sigma,
        excluded: request.excluded[p.index] ?? false,
        part: partIndex + 1,
        signals: signalsAt.get(p.index) ?? [],
      };
      if (request.ruleSet === 'mdc')
        point.mdcClass = p.y === null ? null : (result.mdcClasses?.get(p.index) ?? 'common_cause');
      points.push(point);
    }

    const lcls = scaled.map((p) => p.lcl).filter((x): x is number => x !== null);
    const ucls = scaled.map((p) => p.ucl).filter((x): x is number => x !== null);
    parts.push({
      part: partIndex + 1,
      first: first + 1,
      last: last + 1,
      cl,
      lcl: lcls.length ? Math.min(...lcls) : null,
      ucl: ucls.length ? Math.max(...ucls) : null,
      nBaseline: lines.nBaseline,
      ...counts,
      runsSignal: result.runsSignal,
      trialLimits: lines.nBaseline < TRIAL_LIMITS_BELOW,
      notEvaluable: result.notEvaluable,
    });
  });

  const sigmaSignalPoints = points
    .filter((p) => p.y !== null && outsideLimits({ y: p.y, lcl: p.lcl, ucl: p.ucl }) !== 0)
    .map((p) => p.index);
  patterns.sort(
    (a, b) => (a.points[0] as number) - (b.points[0] as number) || a.rule.localeCompare(b.rule),
  );
  const suggestedPhases = [...suggestions.values()].sort((a, b) => a.after - b.after);
  return { chart, points, parts, patterns, sigmaSignalPoints, suggestedPhases };
}

/**
 * Analyses one chart request. Throws SpcInputInvalid (with every problem and its field path) on
 * bad input.
 *
 * Example: `analyzeSpc({ chart: 'i', values: [1, 2, 3, 2, 1] })` has centre line 1.8,
 * MR̄ = 1, sigma = 1/1.128 and limits 1.8 ± 2.6596.
 */
export function analyzeSpc(raw: unknown): SpcResponse {
  const validation = validateSpcRequest(raw);
  if (!validation.ok) throw new SpcInputInvalid(validation.errors);
  const request = validation.request;
  const engine = {
    version: ENGINE_VERSION,
    ruleSet: request.ruleSet,
    limitConstant: request.limitConstant,
    mrScreening: request.mrScreening,
    multiply: request.multiply,
    improvementDirection: request.improvementDirection,
    conventions: CONVENTIONS,
  };
  if (request.chart === 'xmr') {
    const individuals = analyzeChart(request, 'i');
    const movingRanges = analyzeChart(request, 'mr');
    return { ...individuals, chart: 'xmr', engine, mr: movingRanges };
  }
  return { ...analyzeChart(request, request.chart), engine };
}
