/**
 * The network dashboard for facilitators: every team × every common measure of a charter as a
 * small SPC chart, on one y scale per measure, with the network's signals, silent teams and
 * PDSA activity.
 *
 * Access: the charter must be visible (else 404). A team's measure data is "team" level
 * (scope.service.ts), so the series are those of the teams whose data the viewer may see:
 * admins, coalition facilitators and the network's facilitators see every team; a team member
 * sees their own team(s) only; other network members see no series. Everything derived from
 * values (the y scale, signal counts, silent teams) is computed over those same teams, never
 * over teams the viewer may not see, so no other team's value can leak through a summary.
 * PDSA counts use each cycle's own visibility.
 *
 * Conventions: one common period axis per measure over the shown teams' values (within from–to);
 * the engine request of each series, the ratio-or-count rule and phase breaks are those of every
 * chart of stored data (src/core/measures/series.ts);
 * - "recent" is the last 60 days before ctx.now(): a value updated or a period starting then;
 * - a PDSA cycle started when it first moved to `do` (else its planned start, else its creation
 *   day, for cycles imported without their log); months are UTC calendar months.
 */
import type { Frequency } from '../../../core/measures/periods.ts';
import {
  chartsRatio,
  type SeriesAxis,
  seriesAxis,
  seriesRequest,
} from '../../../core/measures/series.ts';
import {
  analyzeSpc,
  ENGINE_VERSION,
  type RuleSet,
  RULE_IDS,
  type SpcResponse,
} from '../../../core/spc/index.ts';
import { canSee, type Viewer, visibilityScope } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { validationFailed } from '../../platform/errors.ts';
import { encodeCursor, pageRequest } from '../../platform/pagination.ts';
import type {
  DashboardInput,
  DashboardMeasureResponse,
  DashboardResponse,
  DashboardSeriesResponse,
} from './dashboard.schemas.ts';
import * as repo from './dashboard.repository.ts';
import { findVisibleCharter } from './scope.service.ts';

export const RECENT_DAYS = 60;
const CYCLE_MONTHS = 12;
const DAY_MS = 86_400_000;

const LIMIT_RULE: Record<RuleSet, string> = {
  anhoej: 'sigma.outside_limits',
  ihi: 'sigma.outside_limits',
  weco: 'weco.1',
  mdc: 'mdc.outside_limits',
};
const RULE_ORDER = new Map<string, number>(RULE_IDS.map((rule, i) => [rule, i]));

// ---- the series cache

/**
 * What the engine made of one series: kept between requests, because the dashboard is read far
 * more often than data are entered, and charting every series of every team is most of its cost.
 * An entry is used only while its stamp matches: the engine version, the measure's chart
 * settings, the common axis, the phase breaks that apply and the fingerprint of the stored values
 * (listDashboardSeriesStamps). Writes through Tandem always change the fingerprint (every write
 * bumps a value's version, a delete removes its row); a value changed in SQL by hand is not seen
 * until the server restarts. One cache per database, bounded, least recently used out first.
 */
type ChartedSeries = Pick<
  DashboardSeriesResponse,
  'points' | 'signals' | 'trial_limits' | 'runs_signal' | 'phase_breaks' | 'error'
>;
interface CachedSeries {
  stamp: string;
  charted: ChartedSeries;
}
export const SERIES_CACHE_MAX = 20_000;
const seriesCaches = new WeakMap<object, Map<string, CachedSeries>>();

function seriesCacheOf(ctx: AppContext): Map<string, CachedSeries> {
  let cache = seriesCaches.get(ctx.db);
  if (!cache) {
    cache = new Map();
    seriesCaches.set(ctx.db, cache);
  }
  return cache;
}

function cachedSeries(cache: Map<string, CachedSeries>, key: string, stamp: string) {
  const entry = cache.get(key);
  if (!entry || entry.stamp !== stamp) return undefined;
  cache.delete(key); // most recently used last
  cache.set(key, entry);
  return entry.charted;
}

function keepSeries(cache: Map<string, CachedSeries>, key: string, entry: CachedSeries) {
  cache.delete(key);
  cache.set(key, entry);
  if (cache.size > SERIES_CACHE_MAX) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
}

// ---- the dashboard

export async function getCharterDashboard(
  ctx: AppContext,
  viewer: Viewer,
  charterId: string,
  input: DashboardInput,
): Promise<DashboardResponse> {
  if (input.from && input.to && input.from > input.to) {
    throw validationFailed([{ path: '/query/from', message: 'must not be after to' }]);
  }
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const charter = await findVisibleCharter(ctx, viewer, charterId);
  const networkId = charter.network_id;
  const scope = visibilityScope(viewer);
  const seesEveryTeam = canSee(viewer, {
    visibility: 'team',
    networkId,
    teamId: null,
    authorId: null,
  });
  const onlyTeamIds = seesEveryTeam ? undefined : [...viewer.teams];
  const now = ctx.now();

  const measures = await repo.listCommonMeasures(ctx.db, charterId);
  const measureIds = measures.map((m) => m.id);
  const [teams, stamps, breaks, cycles] = await Promise.all([
    repo.listDashboardTeams(ctx.db, scope, { networkId, onlyTeamIds, after }),
    repo.listDashboardSeriesStamps(ctx.db, {
      networkId,
      measureIds,
      onlyTeamIds,
      from: input.from,
      to: input.to,
    }),
    repo.listPhaseBreaks(ctx.db, scope, networkId),
    repo.listCycleDates(ctx.db, scope, networkId),
  ]);

  // Per measure, the series of the shown teams (in team order); per team, its latest report.
  const teamNames = new Map(teams.map((t) => [t.id, t.name]));
  const latest = new Map<string, { at: Date; period: string }>();
  const byMeasure = new Map<string, repo.DashboardStampRow[]>();
  for (const row of stamps) {
    if (!teamNames.has(row.team_id)) continue;
    const rows = byMeasure.get(row.measure_id);
    if (rows) rows.push(row);
    else byMeasure.set(row.measure_id, [row]);
    const known = latest.get(row.team_id);
    latest.set(row.team_id, {
      at: known && known.at > row.last_updated_at ? known.at : row.last_updated_at,
      period: known && known.period > row.last_period ? known.period : row.last_period,
    });
  }

  // The values of the series the cache cannot answer (all of a term measure's: its axis is
  // made of the periods present), in one query.
  const cache = seriesCacheOf(ctx);
  const keyOf = (measureId: string, teamId: string) =>
    `${measureId}|${teamId}|${input.from ?? ''}|${input.to ?? ''}`;
  const plans = measures.map((measure) => {
    const rows = (byMeasure.get(measure.id) ?? []).filter((row) => row.count > 0);
    const axis =
      measure.frequency === 'term'
        ? undefined
        : axisOver(
            measure.frequency,
            rows.flatMap((row) => [row.first_in_range as string, row.last_in_range as string]),
          );
    return { measure, rows, axis };
  });
  /** Per series on a known axis: its stamp, its phase breaks and the cached chart if current. */
  const looked = new Map<
    string,
    { stamp: string; phaseBreaks: string[]; hit: ChartedSeries | undefined }
  >();
  const toFetch: { measureId: string; teamId: string }[] = [];
  for (const { measure, rows, axis } of plans) {
    for (const row of rows) {
      const key = keyOf(measure.id, row.team_id);
      if (axis) {
        const phaseBreaks = phaseBreaksOf(breaks, measure, row);
        const stamp = seriesStamp(measure, axis, row, phaseBreaks);
        const hit = cachedSeries(cache, key, stamp);
        looked.set(key, { stamp, phaseBreaks, hit });
        if (hit) continue;
      }
      toFetch.push({ measureId: measure.id, teamId: row.team_id });
    }
  }
  const fetched = new Map<string, repo.DashboardValue[]>();
  for (const row of await repo.listDashboardSeriesValues(ctx.db, {
    series: toFetch,
    from: input.from,
    to: input.to,
  })) {
    const values: repo.DashboardValue[] = row.values_json ? JSON.parse(row.values_json) : [];
    values.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    fetched.set(`${row.measure_id}|${row.team_id}`, values);
  }

  const pageTeams = teams.filter((t) => t.after_cursor).slice(0, limit);
  const hasMore = teams.filter((t) => t.after_cursor).length > limit;
  const onPage = new Set(pageTeams.map((t) => t.id));

  const measureOut: DashboardMeasureResponse[] = [];
  const signalCounts: DashboardResponse['summary']['signal_counts'] = [];
  /** measure id → team id → series, for the page. */
  const pageSeries = new Map<string, Map<string, DashboardSeriesResponse>>();

  for (const plan of plans) {
    const { measure, rows } = plan;
    const axis =
      plan.axis ??
      axisOver(
        measure.frequency,
        rows.flatMap((row) => (fetched.get(`${measure.id}|${row.team_id}`) ?? []).map((v) => v[0])),
      );
    let yMin = measure.goal ?? Number.POSITIVE_INFINITY;
    let yMax = measure.goal ?? Number.NEGATIVE_INFINITY;
    let charted = 0;
    let withSignal = 0;
    const ruleCounts = new Map<string, number>();
    const seriesOfPage = new Map<string, DashboardSeriesResponse>();
    pageSeries.set(measure.id, seriesOfPage);

    for (const row of byMeasure.get(measure.id) ?? []) {
      const team = { id: row.team_id, name: teamNames.get(row.team_id) ?? '' };
      let series: DashboardSeriesResponse;
      if (row.count === 0 || !axis) series = emptySeries(team, measure.id, row);
      else {
        const key = keyOf(measure.id, row.team_id);
        const phaseBreaks = looked.get(key)?.phaseBreaks ?? phaseBreaksOf(breaks, measure, row);
        const stamp = looked.get(key)?.stamp ?? seriesStamp(measure, axis, row, phaseBreaks);
        let result = looked.has(key) ? looked.get(key)?.hit : cachedSeries(cache, key, stamp);
        if (!result) {
          const values = fetched.get(`${measure.id}|${row.team_id}`) ?? [];
          result = chartSeries(measure, axis, values, phaseBreaks);
          keepSeries(cache, key, { stamp, charted: result });
        }
        series = {
          team_id: team.id,
          team_name: team.name,
          measure_id: measure.id,
          last_period: row.last_period,
          last_reported_at: row.last_updated_at.toISOString(),
          ...result,
        };
      }
      if (series.points.length > 0) charted++;
      if (series.signals.length > 0) withSignal++;
      for (const rule of series.signals) ruleCounts.set(rule, (ruleCounts.get(rule) ?? 0) + 1);
      const extend = (v: number | null) => {
        if (v === null) return;
        if (v < yMin) yMin = v;
        if (v > yMax) yMax = v;
      };
      for (const p of series.points) {
        extend(p.y);
        extend(p.lcl);
        extend(p.ucl);
        extend(p.cl);
      }
      if (onPage.has(team.id)) seriesOfPage.set(team.id, series);
    }
    const hasData = charted > 0 || measure.goal !== null;
    measureOut.push({
      id: measure.id,
      name: measure.name,
      unit: measure.unit,
      frequency: measure.frequency,
      chart_type: measure.chart_type,
      rule_set: measure.rule_set,
      improvement_direction: measure.improvement_direction,
      goal: measure.goal,
      y_min: hasData && Number.isFinite(yMin) ? yMin : null,
      y_max: hasData && Number.isFinite(yMax) ? yMax : null,
    });
    signalCounts.push({
      measure_id: measure.id,
      series: charted,
      series_with_signal: withSignal,
      rules: [...ruleCounts]
        .sort((a, b) => (RULE_ORDER.get(a[0]) ?? 99) - (RULE_ORDER.get(b[0]) ?? 99))
        .map(([rule, count]) => ({ rule, series: count })),
    });
  }

  const series: DashboardSeriesResponse[] = [];
  for (const team of pageTeams) {
    for (const measure of measures) {
      series.push(pageSeries.get(measure.id)?.get(team.id) ?? emptySeries(team, measure.id));
    }
  }

  const recentSince = new Date(now.getTime() - RECENT_DAYS * DAY_MS);
  const recentDay = recentSince.toISOString().slice(0, 10);
  const last = pageTeams.at(-1);
  return {
    charter_id: charter.id,
    network_id: networkId,
    generated_at: now.toISOString(),
    engine_version: ENGINE_VERSION,
    from: input.from ?? null,
    to: input.to ?? null,
    measures: measureOut,
    series,
    next_cursor: hasMore && last ? encodeCursor([last.sort_name, last.id]) : null,
    summary: {
      team_count: teams.length,
      teams_without_recent_data: teams
        .filter((t) => {
          const last = latest.get(t.id);
          return !last || (last.at < recentSince && last.period < recentDay);
        })
        .map((t) => ({
          team_id: t.id,
          team_name: t.name,
          last_reported_at: latest.get(t.id)?.at.toISOString() ?? null,
        })),
      cycles_per_month: cyclesPerMonth(cycles, now),
      signal_counts: signalCounts,
    },
  };
}

/** A team without a value of the measure within from–to. */
function emptySeries(
  team: { id: string; name: string },
  measureId: string,
  stamp?: repo.DashboardStampRow,
): DashboardSeriesResponse {
  return {
    team_id: team.id,
    team_name: team.name,
    measure_id: measureId,
    last_period: stamp?.last_period ?? null,
    last_reported_at: stamp?.last_updated_at.toISOString() ?? null,
    points: [],
    signals: [],
    trial_limits: false,
    runs_signal: false,
    phase_breaks: [],
    error: null,
  };
}

/**
 * The measure's common axis over the shown teams' periods within from–to: for weeks and months
 * each series' first and last period are enough (the axis runs through them); terms need every
 * period present.
 */
function axisOver(frequency: Frequency, periods: string[]): SeriesAxis | undefined {
  return periods.length ? seriesAxis(frequency, periods) : undefined;
}

/** The dates of the phase changes that apply to this team's series of the measure. */
function phaseBreaksOf(
  breaks: Awaited<ReturnType<typeof repo.listPhaseBreaks>>,
  measure: repo.DashboardMeasureRow,
  row: repo.DashboardStampRow,
): string[] {
  return breaks
    .filter(
      (b) =>
        (b.team_id === null || b.team_id === row.team_id) &&
        (b.measure_id === null || b.measure_id === measure.id),
    )
    .map((b) => b.occurred_on);
}

/** Everything a series' chart depends on (see the series cache). */
function seriesStamp(
  measure: repo.DashboardMeasureRow,
  axis: SeriesAxis,
  row: repo.DashboardStampRow,
  phaseBreaks: string[],
): string {
  return [
    ENGINE_VERSION,
    measure.chart_type,
    measure.rule_set,
    measure.improvement_direction,
    measure.multiply,
    measure.frequency,
    chartsRatio(measure),
    axis.periods[0],
    axis.periods.length,
    phaseBreaks.join(','),
    row.count,
    row.fingerprint,
    row.last_updated_at.getTime(),
  ].join('|');
}

function chartSeries(
  measure: repo.DashboardMeasureRow,
  axis: SeriesAxis,
  values: repo.DashboardValue[],
  phaseBreaks: string[],
): ChartedSeries {
  const { request } = seriesRequest(
    measure,
    axis,
    values.map(([period_start, numerator, denominator, excluded]) => ({
      period_start,
      numerator,
      denominator,
      excluded,
    })),
    phaseBreaks,
  );
  const partEnds = request.partEnds ?? [];
  const phase_breaks = partEnds.map((end) => axis.periods[end] as string);

  let result: SpcResponse;
  try {
    if (request.values.every((v) => v === null)) throw new Error('no value to chart');
    result = analyzeSpc(request);
  } catch (error) {
    return {
      phase_breaks,
      points: request.values.map((y, i) => ({
        period: axis.periods[i] as string,
        y: y === null ? null : y * measure.multiply,
        cl: null,
        lcl: null,
        ucl: null,
        signal: false,
      })),
      signals: [],
      trial_limits: false,
      runs_signal: false,
      error: (error as Error).message,
    };
  }

  const rules = new Set<string>();
  for (const pattern of result.patterns) rules.add(pattern.rule);
  const outside = new Set(result.sigmaSignalPoints);
  if (outside.size) rules.add(LIMIT_RULE[measure.rule_set]);
  const points = result.points.map((p) => {
    for (const s of p.signals) rules.add(s.rule);
    return {
      period: axis.periods[p.index - 1] as string,
      y: p.y,
      cl: p.cl,
      lcl: p.lcl,
      ucl: p.ucl,
      signal: p.signals.length > 0 || outside.has(p.index),
    };
  });
  return {
    phase_breaks,
    points,
    signals: [...rules].sort((a, b) => (RULE_ORDER.get(a) ?? 99) - (RULE_ORDER.get(b) ?? 99)),
    trial_limits: result.parts.some((part) => part.trialLimits),
    runs_signal: result.parts.some((part) => part.runsSignal),
    error: null,
  };
}

function cyclesPerMonth(
  cycles: Awaited<ReturnType<typeof repo.listCycleDates>>,
  now: Date,
): DashboardResponse['summary']['cycles_per_month'] {
  const months: string[] = [];
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  for (let i = CYCLE_MONTHS - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(year, month - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  const counts = new Map(months.map((m) => [m, { started: 0, completed: 0 }]));
  for (const cycle of cycles) {
    const started = cycle.do_started_at
      ? new Date(cycle.do_started_at).toISOString().slice(0, 7)
      : (cycle.planned_start?.slice(0, 7) ?? cycle.created_at.toISOString().slice(0, 7));
    const startedCount = counts.get(started);
    if (startedCount) startedCount.started++;
    if (cycle.completed_at) {
      const completedCount = counts.get(cycle.completed_at.toISOString().slice(0, 7));
      if (completedCount) completedCount.completed++;
    }
  }
  return months.map((m) => ({
    month: m,
    ...(counts.get(m) as { started: number; completed: number }),
  }));
}
