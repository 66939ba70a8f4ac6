import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { uuidArray, visibleTo } from '../../db/visibility.ts';
import type { VisibilityScope } from '../../platform/access.ts';
import { TEAM_COLUMNS } from '../structure/structure.repository.ts';
import { ANNOTATION_COLUMNS } from './annotation.repository.ts';
import { CYCLE_COLUMNS } from './pdsa.repository.ts';

/**
 * The network dashboard's reads: a fixed handful of set-based queries whatever the number of
 * teams (no per-team query), so that 500 teams × 5 measures × 36 months stays one round trip
 * per kind of row.
 */

/** The charter's common measures, by name. */
export function listCommonMeasures(db: Db, charterId: string) {
  return db
    .selectFrom('measure')
    .select([
      'id',
      'name',
      'unit',
      'frequency',
      'chart_type',
      'rule_set',
      'improvement_direction',
      'multiply',
      'goal',
      'denominator_definition',
    ])
    .where('charter_id', '=', charterId)
    .orderBy(sql`lower(name) collate "C"`)
    .orderBy('id')
    .execute();
}
export type DashboardMeasureRow = Awaited<ReturnType<typeof listCommonMeasures>>[number];

/**
 * Every team of the network the viewer sees (restricted to `onlyTeamIds` when given), by name,
 * and whether it comes after the page cursor (compared in SQL, so that the order is exactly the
 * query's).
 */
export function listDashboardTeams(
  db: Db,
  scope: VisibilityScope,
  filter: {
    networkId: string;
    onlyTeamIds?: readonly string[] | undefined;
    after?: [string, string] | undefined;
  },
) {
  const after = filter.after;
  let query = db
    .selectFrom('team')
    .select([
      'team.id',
      'team.name',
      (after
        ? sql<boolean>`(lower(team.name) collate "C", team.id) > (${after[0]} collate "C", ${after[1]}::uuid)`
        : sql<boolean>`true`
      ).as('after_cursor'),
      sql<string>`lower(team.name)`.as('sort_name'),
    ])
    .where('team.network_id', '=', filter.networkId)
    .where(visibleTo(scope, TEAM_COLUMNS));
  if (filter.onlyTeamIds) {
    query = query.where(sql<boolean>`team.id = any(${uuidArray(filter.onlyTeamIds)})`);
  }
  return query.orderBy(sql`lower(team.name) collate "C"`).orderBy('team.id').execute();
}
export type DashboardTeamRow = Awaited<ReturnType<typeof listDashboardTeams>>[number];

const periodWindow = (filter: { from?: string | undefined; to?: string | undefined }) =>
  sql<boolean>`${sql.join(
    [
      sql`true`,
      ...(filter.from ? [sql`period_start >= ${filter.from}::date`] : []),
      ...(filter.to ? [sql`period_start <= ${filter.to}::date`] : []),
    ],
    sql` and `,
  )}`;

/**
 * One row per measure and team of the network with values: its latest update and period
 * (whatever from–to says) and, within from–to, how many values, the first and last period, and a
 * fingerprint of exactly which stored rows they are (the sum of a hash of each row's id plus its
 * version: a write, a correction or a delete changes it). Cheap beside the values themselves, it
 * says which series the engine must chart again (see the series cache in dashboard.service.ts).
 */
export function listDashboardSeriesStamps(
  db: Db,
  filter: {
    networkId: string;
    measureIds: readonly string[];
    onlyTeamIds?: readonly string[] | undefined;
    from?: string | undefined;
    to?: string | undefined;
  },
) {
  const window = periodWindow(filter);
  let query = db
    .selectFrom('measure_value')
    .select((eb) => [
      'measure_id',
      'team_id',
      eb.fn.max('updated_at').as('last_updated_at'),
      eb.fn.max('period_start').as('last_period'),
      sql<number>`(count(*) filter (where ${window}))::int`.as('count'),
      sql<string | null>`(min(period_start) filter (where ${window}))::text`.as('first_in_range'),
      sql<string | null>`(max(period_start) filter (where ${window}))::text`.as('last_in_range'),
      sql<string>`coalesce(sum(uuid_hash(id)::int8 + version) filter (where ${window}), 0)::text`.as(
        'fingerprint',
      ),
    ])
    .where('network_id', '=', filter.networkId)
    .where(sql<boolean>`measure_id = any(${uuidArray(filter.measureIds)})`);
  if (filter.onlyTeamIds) {
    query = query.where(sql<boolean>`team_id = any(${uuidArray(filter.onlyTeamIds)})`);
  }
  return query.groupBy(['measure_id', 'team_id']).execute();
}
export type DashboardStampRow = Awaited<ReturnType<typeof listDashboardSeriesStamps>>[number];

/**
 * The values within from–to of these (measure, team) series, one row per series with its values
 * as JSON `[[period_start, numerator, denominator, excluded], …]` (unordered: the caller sorts).
 * Aggregating in SQL sends one row per series instead of one per value (row decoding dominated,
 * above all in PGlite); one index range per series (measure_value_key) needs no sort of all the
 * values, which a grouped join did (on disk, past work_mem, at 90,000 values).
 */
export async function listDashboardSeriesValues(
  db: Db,
  filter: {
    series: readonly { measureId: string; teamId: string }[];
    from?: string | undefined;
    to?: string | undefined;
  },
) {
  if (filter.series.length === 0) return [];
  const result = await sql<{ measure_id: string; team_id: string; values_json: string | null }>`
    select s.measure_id, s.team_id, (
      select json_agg(json_build_array(period_start, numerator, denominator, excluded))::text
      from measure_value v
      where v.measure_id = s.measure_id and v.team_id = s.team_id and ${periodWindow(filter)}
    ) as values_json
    from unnest(${uuidArray(filter.series.map((x) => x.measureId))},
      ${uuidArray(filter.series.map((x) => x.teamId))}) as s (measure_id, team_id)`.execute(db);
  return result.rows;
}
/** One value as `values_json` carries it. */
export type DashboardValue = [
  period: string,
  numerator: number,
  denominator: number | null,
  excluded: boolean,
];

/** The network's phase-break annotations the viewer sees. */
export function listPhaseBreaks(db: Db, scope: VisibilityScope, networkId: string) {
  return db
    .selectFrom('annotation')
    .select(['team_id', 'measure_id', 'occurred_on'])
    .where('network_id', '=', networkId)
    .where('phase_break', '=', true)
    .where('kind', '=', 'phase_change')
    .where(visibleTo(scope, ANNOTATION_COLUMNS))
    .orderBy('occurred_on')
    .execute();
}

/**
 * The network's PDSA cycles the viewer sees that have started or completed: when the Do began
 * (the first move to `do`), the planned start and creation (for cycles imported without their
 * log), and completion.
 */
export function listCycleDates(db: Db, scope: VisibilityScope, networkId: string) {
  return db
    .selectFrom('pdsa_cycle')
    .select((eb) => [
      'pdsa_cycle.state',
      'pdsa_cycle.planned_start',
      'pdsa_cycle.created_at',
      'pdsa_cycle.completed_at',
      eb
        .selectFrom('pdsa_transition')
        .select((inner) => inner.fn.min('pdsa_transition.occurred_at').as('at'))
        .whereRef('pdsa_transition.cycle_id', '=', 'pdsa_cycle.id')
        .where('pdsa_transition.to_state', '=', 'do')
        .as('do_started_at'),
    ])
    .where('pdsa_cycle.network_id', '=', networkId)
    .where('pdsa_cycle.state', '<>', 'plan')
    .where(visibleTo(scope, CYCLE_COLUMNS))
    .execute();
}
