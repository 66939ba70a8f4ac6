import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db, OrganisationTable } from '../../db/database.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { VisibilityScope } from '../../platform/access.ts';

const VISIBILITY_COLUMNS = {
  visibility: 'organisation.visibility',
  networkId: null,
  teamId: null,
  authorId: 'organisation.created_by',
};

export type OrganisationRow = Selectable<OrganisationTable>;
export type NewOrganisationRow = Insertable<OrganisationTable>;

/** The sort key of the directory list: name case-insensitively (C collation), then id. */
export const organisationSortKey = (row: OrganisationRow): [string, string] => [
  row.name.toLowerCase(),
  row.id,
];

export function findOrganisation(db: Db, id: string): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisation').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findOrganisationForUpdate(db: Db, id: string) {
  return db
    .selectFrom('organisation')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export interface OrganisationListFilter {
  limit: number;
  after?: [string, string] | undefined;
  nameContains?: string | undefined;
  type?: string | undefined;
}

/** Fetches `limit + 1` rows so the caller can tell whether another page exists. */
export function listOrganisations(db: Db, scope: VisibilityScope, filter: OrganisationListFilter) {
  let query = db.selectFrom('organisation').selectAll().where(visibleTo(scope, VISIBILITY_COLUMNS));
  if (filter.nameContains) {
    const pattern = `%${filter.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where('name', 'ilike', pattern);
  }
  if (filter.type) query = query.where('type', '=', filter.type);
  if (filter.after) {
    const [name, id] = filter.after;
    query = query.where(
      sql<boolean>`(lower(name) collate "C", id) > (${name} collate "C", ${id}::uuid)`,
    );
  }
  return query
    .orderBy(sql`lower(name) collate "C"`)
    .orderBy('id')
    .limit(filter.limit + 1)
    .execute();
}

export function insertOrganisations(db: Db, rows: NewOrganisationRow[]) {
  return db.insertInto('organisation').values(rows).returningAll().execute();
}

export function updateOrganisation(
  db: Db,
  id: string,
  changes: Updateable<OrganisationTable>,
): Promise<OrganisationRow> {
  return db
    .updateTable('organisation')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteOrganisation(db: Db, id: string): Promise<void> {
  await db.deleteFrom('organisation').where('id', '=', id).execute();
}

export async function countOrganisations(db: Db): Promise<number> {
  const row = await db
    .selectFrom('organisation')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}
