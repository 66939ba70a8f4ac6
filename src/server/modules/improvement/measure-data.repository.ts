import { type Insertable, sql } from 'kysely';
import type { Db, MeasureValueRevisionTable, MeasureValueTable } from '../../db/database.ts';
import type { VisibilityScope } from '../../platform/access.ts';
import { copyRows } from '../../db/copy.ts';
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

const INSERT_COLUMNS = [
  'id',
  'measure_id',
  'team_id',
  'network_id',
  'period_start',
  'numerator',
  'denominator',
  'excluded',
  'note',
  'created_by',
  'updated_by',
  'created_at',
  'updated_at',
] as const;

/**
 * Inserts new values with COPY (db/copy.ts: a 100,000-row import in one stream, about a third
 * faster than multi-row INSERTs). Not an upsert: the caller found no stored value for these keys
 * with their pairs locked, so a duplicate can only be another transaction's insert of the same
 * key at the same moment, and that must fail (unique violation on measure_value_key), never
 * silently overwrite.
 */
export async function insertValues(db: Db, rows: Insertable<MeasureValueTable>[]) {
  await copyRows(
    db,
    'measure_value',
    INSERT_COLUMNS,
    rows.map((r) => [
      r.id,
      r.measure_id,
      r.team_id,
      r.network_id,
      r.period_start,
      r.numerator,
      r.denominator ?? null,
      r.excluded ?? false,
      r.note ?? '',
      r.created_by ?? null,
      r.updated_by ?? null,
      toIso(r.created_at),
      toIso(r.updated_at),
    ]),
  );
}

export interface ValueCorrection {
  id: string;
  numerator: number;
  denominator: number | null;
  excluded: boolean;
  note: string;
  updated_by: string | null;
  updated_at: Date;
}

/** Overwrites stored values (locked by the caller) by id, each one version up. */
export async function updateValues(db: Db, rows: ValueCorrection[]) {
  for (let i = 0; i < rows.length; i += BULK_BATCH) {
    const batch = rows.slice(i, i + BULK_BATCH);
    const column = <T>(pick: (row: ValueCorrection) => T) => batch.map(pick);
    await sql`
      update measure_value v set numerator = u.numerator, denominator = u.denominator,
        excluded = u.excluded, note = u.note, updated_by = u.updated_by,
        updated_at = u.updated_at, version = v.version + 1
      from unnest(
        ${column((r) => r.id)}::uuid[], ${column((r) => r.numerator)}::float8[],
        ${column((r) => r.denominator)}::float8[], ${column((r) => r.excluded)}::bool[],
        ${column((r) => r.note)}::text[], ${column((r) => r.updated_by)}::uuid[],
        ${column((r) => toIso(r.updated_at))}::timestamptz[])
        as u (id, numerator, denominator, excluded, note, updated_by, updated_at)
      where v.id = u.id`.execute(db);
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

/** Refreshes the planner's statistics of the values table (after a large import). */
export async function refreshStatistics(db: Db) {
  await sql`analyze measure_value`.execute(db);
}

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

/** Who first entered a value, with their name. */
export function findValueAuthor(db: Db, valueId: string) {
  return db
    .selectFrom('measure_value')
    .leftJoin('app_user', 'app_user.id', 'measure_value.created_by')
    .select(['measure_value.created_by', 'app_user.display_name as created_by_name'])
    .where('measure_value.id', '=', valueId)
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
