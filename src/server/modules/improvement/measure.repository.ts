import { type Expression, type Insertable, type SqlBool, sql, type Updateable } from 'kysely';
import type { Db, MeasureTable } from '../../db/database.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { VisibilityScope } from '../../platform/access.ts';

/** A measure with its owner's title, visibility columns and (local) team. */
function measuresWithOwner(db: Db) {
  return db
    .selectFrom('measure')
    .leftJoin('charter', 'charter.id', 'measure.charter_id')
    .leftJoin('project', 'project.id', 'measure.project_id')
    .selectAll('measure')
    .select([
      'charter.title as charter_title',
      'charter.visibility as charter_visibility',
      'charter.created_by as charter_created_by',
      'project.title as project_title',
      'project.visibility as project_visibility',
      'project.created_by as project_created_by',
      'project.team_id as project_team_id',
    ]);
}
export type MeasureOwnerRow = Awaited<
  ReturnType<ReturnType<typeof measuresWithOwner>['executeTakeFirstOrThrow']>
>;

/** The SQL form of scope.service's measureScoped(): a measure is visible when its owner is. */
export function measureVisibleTo(scope: VisibilityScope): Expression<SqlBool> {
  if (scope.everything) return sql<SqlBool>`true`;
  const charter = visibleTo(scope, {
    visibility: 'charter.visibility',
    networkId: 'measure.network_id',
    teamId: null,
    authorId: 'charter.created_by',
  });
  const project = visibleTo(scope, {
    visibility: 'project.visibility',
    networkId: 'measure.network_id',
    teamId: 'project.team_id',
    authorId: 'project.created_by',
  });
  return sql<SqlBool>`((measure.charter_id is not null and ${charter}) is true or (measure.project_id is not null and ${project}) is true)`;
}

export function findMeasure(db: Db, id: string) {
  return measuresWithOwner(db).where('measure.id', '=', id).executeTakeFirst();
}

export function findMeasureForUpdate(db: Db, id: string) {
  return db.selectFrom('measure').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The measures a team reports, as a subquery condition on `measure`. */
function reportedBy(teamId: string) {
  return sql<SqlBool>`(measure.project_id in (select p.id from project p where p.team_id = ${teamId}::uuid)
    or measure.charter_id in (select p.charter_id from project p where p.team_id = ${teamId}::uuid and p.charter_id is not null))`;
}

export function listMeasures(
  db: Db,
  scope: VisibilityScope,
  filter: {
    limit: number;
    after?: [string, string] | undefined;
    charterId?: string | undefined;
    projectId?: string | undefined;
    teamId?: string | undefined;
  },
) {
  let query = measuresWithOwner(db).where(measureVisibleTo(scope));
  if (filter.charterId) query = query.where('measure.charter_id', '=', filter.charterId);
  if (filter.projectId) query = query.where('measure.project_id', '=', filter.projectId);
  if (filter.teamId) query = query.where(reportedBy(filter.teamId));
  if (filter.after) {
    query = query.where(
      sql<boolean>`(lower(measure.name) collate "C", measure.id) > (${filter.after[0]} collate "C", ${filter.after[1]}::uuid)`,
    );
  }
  return query
    .orderBy(sql`lower(measure.name) collate "C"`)
    .orderBy('measure.id')
    .limit(filter.limit + 1)
    .execute();
}

/** Every measure each of these teams reports (visible to the viewer), keyed by team. */
export async function listMeasuresReportedByTeams(
  db: Db,
  scope: VisibilityScope,
  teamIds: string[],
) {
  if (teamIds.length === 0) return [];
  return db
    .selectFrom('project as reporting')
    .innerJoin('measure', (join) =>
      join.on((eb) =>
        eb.or([
          eb('measure.project_id', '=', eb.ref('reporting.id')),
          eb('measure.charter_id', '=', eb.ref('reporting.charter_id')),
        ]),
      ),
    )
    .leftJoin('charter', 'charter.id', 'measure.charter_id')
    .leftJoin('project', 'project.id', 'measure.project_id')
    .select([
      'reporting.team_id as reporting_team_id',
      'measure.id',
      'measure.name',
      'measure.network_id',
      'measure.frequency',
      'measure.chart_type',
    ])
    .where('reporting.team_id', 'in', teamIds)
    .where(measureVisibleTo(scope))
    .distinct()
    .execute();
}

/** Whether the team reports the measure (a project of the team owns it or links its charter). */
export async function teamReportsMeasure(db: Db, teamId: string, measureId: string) {
  const row = await db
    .selectFrom('measure')
    .select('measure.id')
    .where('measure.id', '=', measureId)
    .where(reportedBy(teamId))
    .executeTakeFirst();
  return row !== undefined;
}

export function insertMeasure(db: Db, row: Insertable<MeasureTable>) {
  return db.insertInto('measure').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function updateMeasure(db: Db, id: string, changes: Updateable<MeasureTable>) {
  await db
    .updateTable('measure')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function deleteMeasure(db: Db, id: string): Promise<void> {
  await db.deleteFrom('measure').where('id', '=', id).execute();
}

export async function countValues(db: Db, measureId: string): Promise<number> {
  const row = await db
    .selectFrom('measure_value')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('measure_id', '=', measureId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Stored values of a measure that a chart type would refuse, by reason. */
export async function countValuesInvalidFor(
  db: Db,
  measureId: string,
  rules: {
    denominatorRequired: boolean;
    denominatorForbidden: boolean;
    proportion: boolean;
    count: boolean;
  },
) {
  const row = await db
    .selectFrom('measure_value')
    .select([
      sql<number>`count(*) filter (where denominator is null)`.as('without_denominator'),
      sql<number>`count(*) filter (where denominator is not null)`.as('with_denominator'),
      sql<number>`count(*) filter (where denominator is not null and numerator > denominator)`.as(
        'above_denominator',
      ),
      sql<number>`count(*) filter (where numerator < 0)`.as('negative'),
    ])
    .where('measure_id', '=', measureId)
    .executeTakeFirstOrThrow();
  return {
    withoutDenominator: rules.denominatorRequired ? Number(row.without_denominator) : 0,
    withDenominator: rules.denominatorForbidden ? Number(row.with_denominator) : 0,
    aboveDenominator: rules.proportion ? Number(row.above_denominator) : 0,
    negative: rules.count ? Number(row.negative) : 0,
  };
}
