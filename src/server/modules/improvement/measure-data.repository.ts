import { type Insertable, sql } from 'kysely';
import type { Db, MeasureValueRevisionTable, MeasureValueTable } from '../../db/database.ts';
import type { VisibilityScope } from '../../platform/access.ts';
import { visibleTo } from '../../db/visibility.ts';
import { ANNOTATION_COLUMNS } from './annotation.repository.ts';
import { measureVisibleTo } from './measure.repository.ts';

const BATCH = 1000;
/** Rows per bulk statement (arrays per column, see upsertValues). */
const BULK_BATCH = 5000;

const VALUE_COLUMNS = [
  'measure_value.id',
  'measure_value.measure_id',
  'measure_value.team_id',
  'measure_value.period_start',
  'measure_value.numerator',
  'measure_value.denominator',
  'measure_value.excluded',
  'measure_value.note',
  'measure_value.created_at',
  'measure_value.updated_at',
  'measure_value.updated_by',
  'measure_value.version',
] as const;

/** A team's values of the measures the viewer can see, oldest period first. */
export function listTeamValues(
  db: Db,
  scope: VisibilityScope,
  filter: {
    teamId: string;
    measureId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  },
) {
  let query = db
    .selectFrom('measure_value')
    .innerJoin('measure', 'measure.id', 'measure_value.measure_id')
    .leftJoin('charter', 'charter.id', 'measure.charter_id')
    .leftJoin('project', 'project.id', 'measure.project_id')
    .select(VALUE_COLUMNS)
    .where('measure_value.team_id', '=', filter.teamId)
    .where(measureVisibleTo(scope));
  if (filter.measureId) query = query.where('measure_value.measure_id', '=', filter.measureId);
  if (filter.from) query = query.where('measure_value.period_start', '>=', filter.from);
  if (filter.to) query = query.where('measure_value.period_start', '<=', filter.to);
  return query.orderBy('measure_value.measure_id').orderBy('measure_value.period_start').execute();
}
export type ValueRow = Awaited<ReturnType<typeof listTeamValues>>[number];

/** One measure's values for one team in a period range (for charts). */
export function listSeries(
  db: Db,
  measureId: string,
  teamId: string,
  range: { from?: string | undefined; to?: string | undefined },
) {
  let query = db
    .selectFrom('measure_value')
    .select(VALUE_COLUMNS)
    .where('measure_id', '=', measureId)
    .where('team_id', '=', teamId);
  if (range.from) query = query.where('period_start', '>=', range.from);
  if (range.to) query = query.where('period_start', '<=', range.to);
  return query.orderBy('period_start').execute();
}

/**
 * The stored values of these (measure, team) pairs, locked for the write: one query for a whole
 * grid save or import, however many rows it has.
 */
export async function lockValuesOfPairs(db: Db, pairs: { measureId: string; teamId: string }[]) {
  if (pairs.length === 0) return [];
  const measureIds = pairs.map((p) => p.measureId);
  const teamIds = pairs.map((p) => p.teamId);
  return db
    .selectFrom('measure_value')
    .select(VALUE_COLUMNS)
    .where(
      sql<boolean>`(measure_id, team_id) in (select * from unnest(${measureIds}::uuid[], ${teamIds}::uuid[]))`,
    )
    .forUpdate()
    .execute();
}

/**
 * Inserts new values and overwrites existing ones. Each statement sends one array per column and
 * expands them with `unnest` (PostgreSQL's bulk-insert idiom): 13 parameters for 5,000 rows
 * instead of 65,000, so neither the query builder nor the server parses a huge VALUES list.
 */
export async function upsertValues(db: Db, rows: Insertable<MeasureValueTable>[]) {
  for (let i = 0; i < rows.length; i += BULK_BATCH) {
    const batch = rows.slice(i, i + BULK_BATCH);
    const column = <T>(pick: (row: Insertable<MeasureValueTable>) => T) => batch.map(pick);
    await sql`
      insert into measure_value (id, measure_id, team_id, network_id, period_start, numerator,
        denominator, excluded, note, created_by, updated_by, created_at, updated_at)
      select * from unnest(
        ${column((r) => r.id)}::uuid[], ${column((r) => r.measure_id)}::uuid[],
        ${column((r) => r.team_id)}::uuid[], ${column((r) => r.network_id)}::uuid[],
        ${column((r) => r.period_start)}::date[], ${column((r) => r.numerator)}::float8[],
        ${column((r) => r.denominator ?? null)}::float8[], ${column((r) => r.excluded ?? false)}::bool[],
        ${column((r) => r.note ?? '')}::text[], ${column((r) => r.created_by ?? null)}::uuid[],
        ${column((r) => r.updated_by ?? null)}::uuid[],
        ${column((r) => toIso(r.created_at))}::timestamptz[], ${column((r) => toIso(r.updated_at))}::timestamptz[])
      on conflict (measure_id, team_id, period_start) do update set
        numerator = excluded.numerator, denominator = excluded.denominator,
        excluded = excluded.excluded, note = excluded.note, updated_by = excluded.updated_by,
        updated_at = excluded.updated_at, version = measure_value.version + 1`.execute(db);
  }
}

export async function insertRevisions(db: Db, rows: Insertable<MeasureValueRevisionTable>[]) {
  for (let i = 0; i < rows.length; i += BULK_BATCH) {
    const batch = rows.slice(i, i + BULK_BATCH);
    const column = <T>(pick: (row: Insertable<MeasureValueRevisionTable>) => T) => batch.map(pick);
    await sql`
      insert into measure_value_revision (id, value_id, numerator, denominator, excluded, note,
        changed_by, changed_at, source)
      select * from unnest(
        ${column((r) => r.id)}::uuid[], ${column((r) => r.value_id)}::uuid[],
        ${column((r) => r.numerator)}::float8[], ${column((r) => r.denominator ?? null)}::float8[],
        ${column((r) => r.excluded)}::bool[], ${column((r) => r.note)}::text[],
        ${column((r) => r.changed_by ?? null)}::uuid[],
        ${column((r) => toIso(r.changed_at))}::timestamptz[], ${column((r) => r.source)}::text[])`.execute(
      db,
    );
  }
}

const toIso = (value: Date | string) => (value instanceof Date ? value.toISOString() : value);

export async function deleteValues(db: Db, ids: string[]) {
  for (let i = 0; i < ids.length; i += BATCH) {
    await db
      .deleteFrom('measure_value')
      .where('id', 'in', ids.slice(i, i + BATCH))
      .execute();
  }
}

/** The stored values of these keys (after a write), for the response. */
export function findValuesByKeys(
  db: Db,
  keys: { measureId: string; teamId: string; period: string }[],
) {
  if (keys.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('measure_value')
    .select(VALUE_COLUMNS)
    .where(
      sql<boolean>`(measure_id, team_id, period_start) in (select * from unnest(${keys.map((k) => k.measureId)}::uuid[], ${keys.map((k) => k.teamId)}::uuid[], ${keys.map((k) => k.period)}::date[]))`,
    )
    .orderBy('measure_id')
    .orderBy('period_start')
    .execute();
}

export function findValue(db: Db, id: string) {
  return db
    .selectFrom('measure_value')
    .select(VALUE_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listRevisions(db: Db, valueId: string) {
  return db
    .selectFrom('measure_value_revision')
    .leftJoin('app_user', 'app_user.id', 'measure_value_revision.changed_by')
    .selectAll('measure_value_revision')
    .select('app_user.display_name as changed_by_name')
    .where('value_id', '=', valueId)
    .orderBy('changed_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Teams by id or name among the given networks' teams (for imports with a team column). */
export function listTeamsOfNetworks(db: Db, networkIds: string[]) {
  if (networkIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('team')
    .select(['id', 'name', 'network_id', 'visibility', 'created_by'])
    .where('network_id', 'in', networkIds)
    .execute();
}

export function findTeamsByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('team')
    .select(['id', 'name', 'network_id', 'visibility', 'created_by'])
    .where('id', 'in', ids)
    .execute();
}

/** Teams whose name matches one of these (case-insensitive), for imports naming teams. */
export function findTeamsByNames(db: Db, names: string[]) {
  if (names.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('team')
    .select(['id', 'name', 'network_id', 'visibility', 'created_by'])
    .where(sql<boolean>`lower(name) = any(${names.map((n) => n.toLowerCase())}::text[])`)
    .execute();
}

export async function listSeriesPeriods(db: Db, measureId: string, teamId: string) {
  const rows = await db
    .selectFrom('measure_value')
    .select('period_start')
    .where('measure_id', '=', measureId)
    .where('team_id', '=', teamId)
    .orderBy('period_start')
    .execute();
  return rows.map((r) => r.period_start);
}

/** Annotations on a chart: the team's and the network's, for this measure or all measures. */
export function listChartAnnotations(
  db: Db,
  scope: VisibilityScope,
  filter: { networkId: string; teamId: string; measureId: string; from: string; to: string },
) {
  return db
    .selectFrom('annotation')
    .select([
      'id',
      'occurred_on',
      'label',
      'kind',
      'phase_break',
      'pdsa_cycle_id',
      'change_idea_id',
      'team_id',
      'measure_id',
    ])
    .where('network_id', '=', filter.networkId)
    .where((eb) => eb.or([eb('team_id', '=', filter.teamId), eb('team_id', 'is', null)]))
    .where((eb) => eb.or([eb('measure_id', '=', filter.measureId), eb('measure_id', 'is', null)]))
    .where('occurred_on', '>=', filter.from)
    .where('occurred_on', '<=', filter.to)
    .where(visibleTo(scope, ANNOTATION_COLUMNS))
    .orderBy('occurred_on')
    .orderBy('id')
    .execute();
}
