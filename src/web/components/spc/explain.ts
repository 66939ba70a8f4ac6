/**
 * Plain words for the SPC charts: chart types, rule sets and rules, the class of each point
 * (Making Data Count colours) and one sentence per part. Everything here reads the engine's
 * answer; nothing recomputes a statistic.
 */
import type {
  ChartType,
  ImprovementDirection,
  RuleId,
  RuleSet,
  SpcChartResult,
  SpcPart,
  SpcPattern,
  SpcPoint,
  SpcResponse,
  SpcSignal,
} from '../../../core/spc/types.ts';
import { formatValue } from './scales.ts';

export const CHART_TYPE_LABELS: Record<ChartType, string> = {
  run: 'run — run chart (median, no limits)',
  i: 'i — individuals (I chart)',
  xmr: 'xmr — individuals and moving ranges (I and MR charts)',
  mr: 'mr — moving ranges only',
  p: 'p — proportion (binomial)',
  pp: 'pp — proportion, Laney p′ (very large groups)',
  u: 'u — rate per unit of exposure (Poisson)',
  up: 'up — rate, Laney u′ (very large exposures)',
  c: 'c — count of events (Poisson)',
};

/** The charts that need a denominator (subgroup size or exposure) for every value. */
export const CHARTS_WITH_DENOMINATORS: ReadonlySet<ChartType> = new Set(['p', 'pp', 'u', 'up']);

export const CHART_TYPE_NAMES: Record<ChartType, string> = {
  run: 'run chart',
  i: 'I chart',
  xmr: 'I chart',
  mr: 'moving-range chart',
  p: 'p chart',
  pp: 'p′ chart',
  u: 'u chart',
  up: 'u′ chart',
  c: 'c chart',
};

export interface RuleSetInfo {
  label: string;
  description: string;
  /** The rule set judges points against the 1σ and 2σ lines, so the chart shows the zones. */
  usesZones: boolean;
}

export const RULE_SET_INFO: Record<RuleSet, RuleSetInfo> = {
  anhoej: {
    label: 'Anhøj runs analysis',
    description:
      'A run on one side of the centre line that is too long, or too few crossings of it, plus points outside the limits. Few false alarms: a good default.',
    usesZones: false,
  },
  ihi: {
    label: 'IHI rules',
    description:
      'Institute for Healthcare Improvement: shifts (6 on one side of a run chart’s median, 8 on a control chart), trends, too few or too many runs, astronomical points, 2 of 3 beyond 2σ, 15 hugging the centre line.',
    usesZones: true,
  },
  weco: {
    label: 'Western Electric rules',
    description:
      'The classic four: a point beyond 3σ, 2 of 3 beyond 2σ, 4 of 5 beyond 1σ, 8 in a row on one side.',
    usesZones: true,
  },
  mdc: {
    label: 'Making Data Count (NHS England)',
    description:
      'Outside the limits, 7 in a row on one side of the mean, 7 rising or falling, 2 of 3 close to a limit; points are coloured improvement or concern.',
    usesZones: true,
  },
};

/** A short name for each rule, shown next to its sentence. */
export const RULE_NAMES: Record<RuleId, string> = {
  'sigma.outside_limits': 'Outside the limits',
  'anhoej.longest_run': 'Shift: a long run',
  'anhoej.crossings': 'Too few crossings',
  'ihi.shift': 'Shift',
  'ihi.trend': 'Trend',
  'ihi.runs': 'Too few or too many runs',
  'ihi.astronomical': 'Astronomical point',
  'ihi.eight_one_side': 'Shift: 8 on one side',
  'ihi.six_trend': 'Trend: 6 up or down',
  'ihi.two_of_three_2sigma': '2 of 3 beyond 2σ',
  'ihi.fifteen_within_1sigma': '15 hugging the centre line',
  'weco.1': 'Rule 1: beyond 3σ',
  'weco.2': 'Rule 2: 2 of 3 beyond 2σ',
  'weco.3': 'Rule 3: 4 of 5 beyond 1σ',
  'weco.4': 'Rule 4: 8 on one side',
  'mdc.outside_limits': 'Outside the process limits',
  'mdc.trend': 'Trend: 7 rising or falling',
  'mdc.two_of_three': '2 of 3 close to a limit',
  'mdc.shift': 'Shift: 7 on one side',
};

/** Rules whose pattern is the whole part (a count over every point), not a group of points. */
const WHOLE_PART_RULES: ReadonlySet<RuleId> = new Set(['anhoej.crossings', 'ihi.runs']);

const RUN_AND_TREND_RULES: ReadonlySet<RuleId> = new Set([
  'anhoej.longest_run',
  'anhoej.crossings',
  'ihi.shift',
  'ihi.trend',
  'ihi.eight_one_side',
  'ihi.six_trend',
  'ihi.fifteen_within_1sigma',
  'weco.4',
  'mdc.trend',
  'mdc.shift',
]);

/** Why a rule could not be judged, in words (parts[].notEvaluable). */
export function notEvaluableReason(rule: RuleId): string {
  if (rule === 'ihi.runs') return 'not evaluable with fewer than 10 useful points';
  if (RUN_AND_TREND_RULES.has(rule)) return 'not evaluable with fewer than 8 useful points';
  return 'not evaluable: this part has no limits to judge against';
}

export type PointClass = 'common' | 'improvement' | 'concern' | 'neutral';

export const POINT_CLASS_LABELS: Record<PointClass, string> = {
  common: 'Common cause',
  improvement: 'Special cause: improvement',
  concern: 'Special cause: concern',
  neutral: 'Special cause',
};

/** Making Data Count colours, darkened where needed for 3:1 against white (WCAG 1.4.11). */
export const POINT_COLOURS: Record<PointClass, string> = {
  common: '#7b7d7d',
  improvement: '#1d72b8',
  concern: '#d06b00',
  neutral: '#6a3d9a',
};

const MDC_TO_CLASS = {
  common_cause: 'common',
  special_cause_improvement: 'improvement',
  special_cause_concern: 'concern',
  special_cause_neutral: 'neutral',
} as const;

/**
 * The class of every point, in `result.points` order. The `mdc` rule set classes points itself
 * (`mdcClass`); otherwise a point that completes a signal or belongs to a pattern of a few points
 * is special cause, improvement or concern by the side of the centre line it is on.
 */
export function classifyPoints(
  result: SpcChartResult,
  direction: ImprovementDirection,
): PointClass[] {
  const inPattern = new Set<number>();
  for (const pattern of result.patterns) {
    if (WHOLE_PART_RULES.has(pattern.rule)) continue;
    for (const index of pattern.points) inPattern.add(index);
  }
  return result.points.map((p) => {
    if (p.mdcClass !== undefined) return p.mdcClass ? MDC_TO_CLASS[p.mdcClass] : 'common';
    if (p.y === null) return 'common';
    if (p.signals.length === 0 && !inPattern.has(p.index)) return 'common';
    if (direction === 'neutral' || p.cl === null || p.y === p.cl) return 'neutral';
    const above = p.y > p.cl;
    return above === (direction === 'increase') ? 'improvement' : 'concern';
  });
}

/** Patterns that include a point without that point completing them (earlier points of a run). */
export function patternsByPoint(result: SpcChartResult): Map<number, SpcPattern[]> {
  const map = new Map<number, SpcPattern[]>();
  for (const pattern of result.patterns) {
    if (WHOLE_PART_RULES.has(pattern.rule)) continue;
    for (const index of pattern.points) {
      const list = map.get(index) ?? [];
      list.push(pattern);
      map.set(index, list);
    }
  }
  return map;
}

/** Signals on a point plus the patterns it is part of, each rule once. */
export function signalsOfPoint(point: SpcPoint, patterns: SpcPattern[] | undefined): SpcSignal[] {
  const signals = [...point.signals];
  for (const pattern of patterns ?? []) {
    if (!signals.some((s) => s.rule === pattern.rule))
      signals.push({ rule: pattern.rule, description: pattern.description });
  }
  return signals;
}

/** The class a pattern's marker is drawn with in the list of signals. */
export function classOfPattern(
  pattern: SpcPattern,
  result: SpcChartResult,
  classes: readonly PointClass[],
): PointClass {
  if (WHOLE_PART_RULES.has(pattern.rule)) return 'neutral';
  for (const index of pattern.points) {
    const k = index - 1;
    const cls = result.points[k]?.index === index ? classes[k] : undefined;
    if (cls && cls !== 'common') return cls;
  }
  return 'neutral';
}

export function isResponse(result: SpcResponse | SpcChartResult): result is SpcResponse {
  return 'engine' in result;
}

/** Limits that change from point to point within the part (p and u charts: they vary with n). */
function limitsVary(points: readonly SpcPoint[], part: SpcPart): boolean {
  let first: number | null | undefined;
  for (let i = part.first - 1; i < part.last; i += 1) {
    const ucl = points[i]?.ucl ?? null;
    if (ucl === null) continue;
    if (first === undefined || first === null) first = ucl;
    else if (Math.abs(ucl - first) > 1e-12) return true;
  }
  return false;
}

/** One paragraph per part: centre line, limits, trial-limits note and the runs counts. */
export function describePart(
  result: SpcChartResult,
  part: SpcPart,
  format: { decimals: number; unit?: string | undefined },
): string {
  const value = (v: number | null) => formatValue(v, format.decimals, format.unit);
  const lineName = result.chart === 'run' ? 'median' : 'centre line';
  const range = `points ${part.first}–${part.last}`;
  const parts: string[] = [];
  parts.push(`${lineName} ${value(part.cl)}`);
  if (part.lcl !== null || part.ucl !== null) {
    const varying = limitsVary(result.points, part);
    const limits =
      part.lcl !== null && part.ucl !== null
        ? `${value(part.lcl)} to ${value(part.ucl)}`
        : part.ucl !== null
          ? `upper ${value(part.ucl)}`
          : `lower ${value(part.lcl)}`;
    parts.push(
      varying ? `limits from ${limits} (they vary with the denominator)` : `limits ${limits}`,
    );
  } else if (result.chart !== 'run') {
    parts.push('no limits');
  }
  const size = part.last - part.first + 1;
  // Fewer than the part's points: a frozen baseline, excluded or missing points.
  const fromBaseline =
    part.nBaseline < size
      ? `computed from ${part.nBaseline} of its ${size} points`
      : `computed from ${part.nBaseline} point${part.nBaseline === 1 ? '' : 's'}`;
  let sentence = `${range}: ${parts.join(', ')}, ${fromBaseline}.`;
  if (part.trialLimits && result.chart !== 'run') {
    sentence +=
      ' These are trial limits (fewer than 12 points): treat them as provisional and recompute them when more data arrive.';
  }
  // Moving ranges are serially dependent: their runs counts mean nothing.
  if (result.chart !== 'mr' && part.longestRun !== null && part.longestRunMax !== null) {
    sentence += ` Anhøj runs analysis: longest run ${part.longestRun} (a signal above ${part.longestRunMax})`;
    if (part.crossings !== null && part.crossingsMin !== null)
      sentence += `, crossings ${part.crossings} (a signal below ${part.crossingsMin})`;
    sentence += ` in ${part.nUseful} useful points.`;
  }
  return sentence;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Direction words: the arrow by the title and its meaning. */
export function directionWords(direction: ImprovementDirection): { arrow: string; text: string } {
  if (direction === 'increase') return { arrow: '↑', text: 'Higher is better' };
  if (direction === 'decrease') return { arrow: '↓', text: 'Lower is better' };
  return { arrow: '↕', text: 'No better direction' };
}

/** A short summary of a chart for its description (screen readers) and the small multiples. */
export function summarise(
  result: SpcChartResult,
  format: { decimals: number; unit?: string | undefined },
): string {
  const n = result.points.length;
  const missing = result.points.filter((p) => p.y === null).length;
  const parts = result.parts.length;
  const last = result.parts[result.parts.length - 1];
  const name = CHART_TYPE_NAMES[result.chart];
  let text = `A ${name} of ${n} point${n === 1 ? '' : 's'}`;
  if (parts > 1) text += ` in ${parts} phases`;
  if (missing > 0) text += `, ${missing} missing`;
  text += '.';
  if (last) {
    const value = (v: number | null) => formatValue(v, format.decimals, format.unit);
    text += ` ${result.chart === 'run' ? 'Median' : 'Centre line'} ${value(last.cl)}`;
    if (last.lcl !== null && last.ucl !== null)
      text += `, limits ${value(last.lcl)} to ${value(last.ucl)}`;
    text += parts > 1 ? ' in the last phase.' : '.';
  }
  const signals = result.patterns.length;
  text +=
    signals === 0
      ? ' No signals: only common-cause variation.'
      : ` ${signals} signal${signals === 1 ? '' : 's'}: ${result.patterns
          .map((p) => RULE_NAMES[p.rule].toLowerCase())
          .join('; ')}.`;
  return text;
}
