/**
 * From stored aggregates to an SPC engine request: one set of conventions for every chart of
 * stored data (a team's measure chart, the network dashboard's small multiples), so that the same
 * team's series gives the same limits and signals wherever it is drawn.
 *
 * Conventions (docs/guide/improvement.md, "How charts are built from your data"):
 * - the time axis: weekly and monthly measures get every period between the first and the last
 *   one shown (a period without a value is a null point: missing, never zero); terms have no
 *   calendar, so only the recorded term starts are points;
 * - ratio or count: p, p′, u and u′ charts always take the denominators; run, I, MR and XmR charts
 *   plot numerator ÷ denominator when the measure's operational definition names a denominator,
 *   else the numerators; c charts never take denominators. A value without the denominator its
 *   chart needs is a missing point (and `notes` says how many);
 * - a dated event belongs to the period that contains its date (the latest term start on or
 *   before it, for terms); a phase-break event starts a new phase (part) with that period;
 * - excluded values are the engine's `excludePoints`.
 */
import type { SpcRequest } from '../spc/index.ts';
import { type Frequency, periodLabel } from './periods.ts';

export interface SeriesMeasure {
  chart_type: SpcRequest['chart'];
  frequency: Frequency;
  rule_set: NonNullable<SpcRequest['ruleSet']>;
  improvement_direction: NonNullable<SpcRequest['improvementDirection']>;
  multiply: number;
  denominator_definition: string;
}

export interface SeriesValue {
  period_start: string;
  numerator: number;
  denominator: number | null;
  excluded: boolean;
}

export interface SeriesAxis {
  /** period_start of each point, oldest first. */
  periods: string[];
  /** 0-based position of a period start on the axis (-1: not on it). */
  indexOf(period: string): number;
  /** 0-based position of the period containing a date (-1: before the axis). */
  containing(date: string): number;
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string) =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) /
  DAY_MS;
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Calendar periods as consecutive integers, so that gaps are filled by counting. */
const CALENDAR = {
  monthly: {
    key: (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1,
    start: (key: number) => `${Math.floor(key / 12)}-${String((key % 12) + 1).padStart(2, '0')}-01`,
  },
  // 1970-01-01 was a Thursday: shifting by 3 days makes weeks start on Mondays.
  weekly: {
    key: (date: string) => Math.floor((dayNumber(date) + 3) / 7),
    start: (key: number) => isoDay(key * 7 - 3),
  },
} as const;

/**
 * The axis of a measure's chart over the given period starts (any order, repeats allowed).
 *
 * @example seriesAxis('monthly', ['2026-03-01', '2026-01-01']).periods → ['2026-01-01', '2026-02-01', '2026-03-01']
 */
export function seriesAxis(frequency: Frequency, present: Iterable<string>): SeriesAxis {
  if (frequency === 'term') {
    const periods = [...new Set(present)].sort();
    const position = new Map(periods.map((p, i) => [p, i]));
    return {
      periods,
      indexOf: (period) => position.get(period) ?? -1,
      containing: (date) => {
        let found = -1;
        for (let i = 0; i < periods.length && (periods[i] as string) <= date; i++) found = i;
        return found;
      },
    };
  }
  const calendar = CALENDAR[frequency];
  let first: number | undefined;
  let last: number | undefined;
  for (const period of present) {
    const key = calendar.key(period);
    if (first === undefined || key < first) first = key;
    if (last === undefined || key > last) last = key;
  }
  if (first === undefined || last === undefined)
    return { periods: [], indexOf: () => -1, containing: () => -1 };
  const start = first;
  const periods: string[] = [];
  for (let key = first; key <= last; key++) periods.push(calendar.start(key));
  const clamp = (i: number) => (i < periods.length ? i : -1);
  return {
    periods,
    indexOf: (period) => {
      const i = calendar.key(period) - start;
      return i >= 0 && periods[i] === period ? i : -1;
    },
    containing: (date) => {
      const i = calendar.key(date) - start;
      return i < 0 ? -1 : clamp(i);
    },
  };
}

const RATE_CHARTS: ReadonlySet<string> = new Set(['p', 'pp', 'u', 'up']);
const RATIO_CAPABLE: ReadonlySet<string> = new Set(['run', 'i', 'mr', 'xmr']);

/** Whether the measure's chart takes denominators (see the module's conventions). */
export function chartsRatio(measure: Pick<SeriesMeasure, 'chart_type' | 'denominator_definition'>) {
  return (
    RATE_CHARTS.has(measure.chart_type) ||
    (RATIO_CAPABLE.has(measure.chart_type) && measure.denominator_definition.trim() !== '')
  );
}

/** 1-based point of the period containing `date`, or null when it is off the axis. */
export function pointOfDate(axis: SeriesAxis, date: string): number | null {
  const i = axis.containing(date);
  return i < 0 ? null : i + 1;
}

export interface BuiltSeriesRequest {
  request: SpcRequest;
  /** Plain-language remarks on how the data was charted (values without a denominator). */
  notes: string[];
}

/**
 * The engine request of one team's values on an axis. `phaseBreaks` are the dates of accepted
 * phase changes; values off the axis are ignored.
 *
 * @example a monthly p chart with Jan 10/20 and Mar 12/20 → values [10, null, 12], denominators [20, null, 20]
 */
export function seriesRequest(
  measure: SeriesMeasure,
  axis: SeriesAxis,
  values: readonly SeriesValue[],
  phaseBreaks: readonly string[] = [],
): BuiltSeriesRequest {
  const n = axis.periods.length;
  const ratio = chartsRatio(measure);
  const series: (number | null)[] = new Array(n).fill(null);
  const denominators: (number | null)[] | undefined = ratio ? new Array(n).fill(null) : undefined;
  const excludePoints: number[] = [];
  let withoutDenominator = 0;
  for (const value of values) {
    const i = axis.indexOf(value.period_start);
    if (i < 0) continue;
    if (denominators) {
      if (value.denominator === null) {
        withoutDenominator++;
        continue;
      }
      denominators[i] = value.denominator;
    }
    series[i] = value.numerator;
    if (value.excluded) excludePoints.push(i + 1);
  }
  const partEnds = [
    ...new Set(
      phaseBreaks
        .map((date) => axis.containing(date))
        // The period containing the date starts the new phase: the one before ends a part.
        .filter((start) => start >= 1 && start <= n - 1),
    ),
  ].sort((a, b) => a - b);
  const notes =
    withoutDenominator > 0
      ? [
          `${withoutDenominator} value${withoutDenominator === 1 ? ' has' : 's have'} no denominator and ${withoutDenominator === 1 ? 'is' : 'are'} shown as missing: this chart plots numerator ÷ denominator.`,
        ]
      : [];
  return {
    request: {
      chart: measure.chart_type,
      values: series,
      ...(denominators ? { denominators } : {}),
      ...(excludePoints.length ? { excludePoints: excludePoints.sort((a, b) => a - b) } : {}),
      ...(partEnds.length ? { partEnds } : {}),
      multiply: measure.multiply,
      ruleSet: measure.rule_set,
      improvementDirection: measure.improvement_direction,
      labels: axis.periods.map((p) => periodLabel(measure.frequency, p)),
    },
    notes,
  };
}
