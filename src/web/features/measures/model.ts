/**
 * Measures, their values, charts and the network dashboard: types derived from the generated
 * schema and small pure helpers (periods for the data grid, words for the definition fields).
 */
import type { BodyOf, ResponseOf } from '../../api/client.ts';
import type { SpcResponse } from '../../../core/spc/types.ts';
import { lastPeriods, periodContaining, periodsBetween } from '../../../core/measures/periods.ts';

export type Measure = ResponseOf<'get', '/api/v1/measures/{id}'>;
export type UpdateMeasureBody = NonNullable<BodyOf<'patch', '/api/v1/measures/{id}'>>;
export type MeasureChart = ResponseOf<'get', '/api/v1/measures/{id}/chart'>;
export type ChartAnnotation = MeasureChart['annotations'][number];
export type MeasureValue = ResponseOf<
  'get',
  '/api/v1/teams/{team_id}/measure-values'
>['items'][number];
export type SaveValuesBody = BodyOf<'put', '/api/v1/teams/{team_id}/measure-values'>;
export type ValueHistory = ResponseOf<'get', '/api/v1/measure-values/{id}/history'>;
export type ImportReport = ResponseOf<'post', '/api/v1/measure-values/import'>;
export type Dashboard = ResponseOf<'get', '/api/v1/charters/{id}/dashboard'>;
export type DashboardMeasure = Dashboard['measures'][number];
export type DashboardSeries = Dashboard['series'][number];
export type Annotation = ResponseOf<'get', '/api/v1/annotations/{id}'>;
export type CreateAnnotationBody = BodyOf<'post', '/api/v1/annotations'>;
export type AnnotationKind = Annotation['kind'];
export type Frequency = Measure['frequency'];

export const KIND_LABELS: Record<Measure['kind'], string> = {
  outcome: 'Outcome measure',
  process: 'Process measure',
  balancing: 'Balancing measure',
};

export const KIND_HINTS: Record<Measure['kind'], string> = {
  outcome: 'Tells whether the aim is being reached.',
  process: 'Tells whether a change is being carried out as planned.',
  balancing: 'Watches for side effects elsewhere in the system.',
};

export const FREQUENCY_LABELS: Record<Frequency, string> = {
  weekly: 'Weekly (values under the Monday of the week)',
  monthly: 'Monthly (values under the first of the month)',
  term: 'By term (values under the term’s first day)',
};

export const DIRECTION_LABELS: Record<Measure['improvement_direction'], string> = {
  increase: 'Higher is better',
  decrease: 'Lower is better',
  neutral: 'No better direction',
};

export const ANNOTATION_KIND_LABELS: Record<AnnotationKind, string> = {
  change_idea: 'A change was introduced',
  pdsa: 'A PDSA test',
  phase_change: 'The process changed (phase change)',
  external: 'Something outside (a strike, a snow week)',
  note: 'A note',
};

export const OPERATIONAL_FIELDS = [
  { key: 'numerator_definition', label: 'Numerator (what is counted)' },
  { key: 'denominator_definition', label: 'Denominator (out of what)' },
  { key: 'inclusion', label: 'Included' },
  { key: 'exclusion', label: 'Excluded' },
  { key: 'data_source', label: 'Data source' },
] as const;

/** The engine's answer as the chart components take it (the measure chart adds fields). */
export function spcResultOf(chart: MeasureChart): SpcResponse | null {
  if (chart.points.length === 0) return null;
  return chart as unknown as SpcResponse;
}

const MONTH = new Intl.DateTimeFormat('en', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const DAY = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });

/** "Sep 2026" for a monthly period, "7 Sep 2026" (week of / term from) otherwise. */
export function periodName(frequency: Frequency | string, period: string): string {
  const date = new Date(`${period.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return period;
  if (frequency === 'monthly') return MONTH.format(date);
  if (frequency === 'weekly') return `Week of ${DAY.format(date)}`;
  return DAY.format(date);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(date.getTime()) ? iso : DAY.format(date);
}

export function todayIso(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The rows of the data grid: from the first stored value (or 12 periods back) to the current
 * period, oldest first. Terms have no calendar: the stored ones plus any added by the reader.
 */
export function gridPeriods(
  frequency: Frequency,
  stored: readonly string[],
  added: readonly string[],
  today: string = todayIso(),
): string[] {
  if (frequency === 'term') {
    return [...new Set([...stored, ...added])].sort();
  }
  const current = periodContaining(frequency, today);
  const recent = lastPeriods(frequency, today, 12);
  const first = [...stored, recent[0] as string].sort()[0] as string;
  const last = [...stored, current].sort().at(-1) as string;
  return periodsBetween(frequency, first, last);
}

/** Trimmed, lower-case units compare equal ("%" and "percent" count as one). */
export function sameUnit(a: string, b: string): boolean {
  const norm = (u: string) => {
    const t = u.trim().toLowerCase();
    return t === 'percent' || t === 'per cent' || t === 'percentage' ? '%' : t;
  };
  return norm(a) !== '' && norm(a) === norm(b);
}

/** The last plotted value of a chart and its period, or null. */
export function latestPoint(chart: MeasureChart): { y: number; period: string } | null {
  for (let i = chart.points.length - 1; i >= 0; i -= 1) {
    const y = chart.points[i]?.y;
    if (y !== null && y !== undefined) return { y, period: chart.periods[i] ?? '' };
  }
  return null;
}

/** Progress from baseline to target, 0–1 (clamped), or null when it cannot be said. */
export function aimProgress(latest: number, baseline: number, target: number): number | null {
  if (baseline === target) return null;
  const share = (latest - baseline) / (target - baseline);
  return Math.max(0, Math.min(1, share));
}

export function formatNumber(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const text = value.toLocaleString('en', { maximumFractionDigits: Math.abs(value) < 10 ? 2 : 1 });
  if (!unit) return text;
  return unit === '%' ? `${text}%` : `${text} ${unit}`;
}
