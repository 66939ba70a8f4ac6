import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { CharterTable, Db } from '../../db/database.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { VisibilityScope } from '../../platform/access.ts';

export type CharterRow = Selectable<CharterTable>;
export type CharterWithNamesRow = CharterRow & { network_name: string; project_count: number };

export const CHARTER_COLUMNS = {
  visibility: 'charter.visibility',
  networkId: 'charter.network_id',
  teamId: null,
  authorId: 'charter.created_by',
};
export const PROJECT_COLUMNS = {
  visibility: 'project.visibility',
  networkId: 'project.network_id',
  teamId: 'project.team_id',
  authorId: 'project.created_by',
};

/** A charter with its network's name and the number of its projects the viewer can see. */
function chartersWithNames(db: Db, scope: VisibilityScope) {
  return db
    .selectFrom('charter')
    .innerJoin('network', 'network.id', 'charter.network_id')
    .selectAll('charter')
    .select('network.name as network_name')
    .select((eb) =>
      eb
        .selectFrom('project')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('project.charter_id', '=', 'charter.id')
        .where(visibleTo(scope, PROJECT_COLUMNS))
        .as('project_count'),
    );
}

export function findCharter(db: Db, scope: VisibilityScope, id: string) {
  return chartersWithNames(db, scope).where('charter.id', '=', id).executeTakeFirst() as Promise<
    CharterWithNamesRow | undefined
  >;
}

export function findCharterForUpdate(db: Db, id: string) {
  return db.selectFrom('charter').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Oldest first (a network's charters are few and read in the order they were set). */
export function listCharters(
  db: Db,
  scope: VisibilityScope,
  filter: { limit: number; after?: [string, string] | undefined; networkId?: string | undefined },
) {
  let query = chartersWithNames(db, scope).where(visibleTo(scope, CHARTER_COLUMNS));
  if (filter.networkId) query = query.where('charter.network_id', '=', filter.networkId);
  if (filter.after) {
    const [at, id] = filter.after;
    query = query.where(
      sql<boolean>`(charter.created_at, charter.id) > (${at}::timestamptz, ${id}::uuid)`,
    );
  }
  return query
    .orderBy('charter.created_at')
    .orderBy('charter.id')
    .limit(filter.limit + 1)
    .execute() as Promise<CharterWithNamesRow[]>;
}

export function insertCharter(db: Db, row: Insertable<CharterTable>) {
  return db.insertInto('charter').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function updateCharter(db: Db, id: string, changes: Updateable<CharterTable>) {
  await db
    .updateTable('charter')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function deleteCharter(db: Db, id: string): Promise<void> {
  await db.deleteFrom('charter').where('id', '=', id).execute();
}

/** Every project and measure of the charter, visible or not: they block its deletion. */
export async function countDependents(db: Db, id: string) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('project')
        .select(eb.fn.countAll<number>().as('n'))
        .where('charter_id', '=', id)
        .as('projects'),
      eb
        .selectFrom('measure')
        .select(eb.fn.countAll<number>().as('n'))
        .where('charter_id', '=', id)
        .as('measures'),
    ])
    .executeTakeFirstOrThrow();
  return { projects: Number(row.projects ?? 0), measures: Number(row.measures ?? 0) };
}
