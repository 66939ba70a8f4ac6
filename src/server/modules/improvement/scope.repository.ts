import type { Db } from '../../db/database.ts';

/**
 * The lookups every improvement service needs to decide visibility: a record with the columns
 * that carry its visibility (a measure and a diagram take their owner's).
 */

export function findCharterRow(db: Db, id: string) {
  return db.selectFrom('charter').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findProjectRow(db: Db, id: string) {
  return db.selectFrom('project').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findChangeIdeaRow(db: Db, id: string) {
  return db.selectFrom('change_idea').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findCycleRow(db: Db, id: string) {
  return db.selectFrom('pdsa_cycle').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findTeamRow(db: Db, id: string) {
  return db.selectFrom('team').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A measure with the visibility columns of its owner (the charter or the project). */
export function findMeasureRow(db: Db, id: string) {
  return db
    .selectFrom('measure')
    .leftJoin('charter', 'charter.id', 'measure.charter_id')
    .leftJoin('project', 'project.id', 'measure.project_id')
    .selectAll('measure')
    .select([
      'charter.visibility as charter_visibility',
      'charter.created_by as charter_created_by',
      'project.visibility as project_visibility',
      'project.created_by as project_created_by',
      'project.team_id as project_team_id',
    ])
    .where('measure.id', '=', id)
    .executeTakeFirst();
}
export type MeasureWithOwnerRow = NonNullable<Awaited<ReturnType<typeof findMeasureRow>>>;
