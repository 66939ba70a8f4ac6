import type { Insertable, Selectable, Updateable } from 'kysely';
import type { CoalitionTable, Db } from '../../db/database.ts';

export type CoalitionRow = Selectable<CoalitionTable>;

export function findCoalition(db: Db): Promise<CoalitionRow | undefined> {
  return db.selectFrom('coalition').selectAll().executeTakeFirst();
}

export function findCoalitionForUpdate(db: Db): Promise<CoalitionRow | undefined> {
  return db.selectFrom('coalition').selectAll().forUpdate().executeTakeFirst();
}

export function insertCoalition(db: Db, row: Insertable<CoalitionTable>): Promise<CoalitionRow> {
  return db.insertInto('coalition').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateCoalition(db: Db, id: string, changes: Updateable<CoalitionTable>) {
  return db
    .updateTable('coalition')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
