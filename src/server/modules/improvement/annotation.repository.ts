import { type Insertable, type Updateable, sql } from 'kysely';
import type { AnnotationTable, Db } from '../../db/database.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { VisibilityScope } from '../../platform/access.ts';

export const ANNOTATION_COLUMNS = {
  visibility: 'annotation.visibility',
  networkId: 'annotation.network_id',
  teamId: 'annotation.team_id',
  authorId: 'annotation.created_by',
};

export function findAnnotation(db: Db, id: string) {
  return db.selectFrom('annotation').selectAll().where('id', '=', id).executeTakeFirst();
}
export type AnnotationRow = NonNullable<Awaited<ReturnType<typeof findAnnotation>>>;

export function findAnnotationForUpdate(db: Db, id: string) {
  return db
    .selectFrom('annotation')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Sorted by occurred_on, then id; `after` is the last row's [occurred_on, id]. */
export function listAnnotations(
  db: Db,
  scope: VisibilityScope,
  filter: {
    limit: number;
    after?: [string, string] | undefined;
    networkId?: string | undefined;
    /** The team's own annotations and the network-wide ones of `teamNetworkId`. */
    team?: { id: string; networkId: string } | undefined;
    /** The measure's own annotations and those on every chart. */
    measureId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  },
) {
  let query = db.selectFrom('annotation').selectAll().where(visibleTo(scope, ANNOTATION_COLUMNS));
  if (filter.networkId) query = query.where('network_id', '=', filter.networkId);
  const team = filter.team;
  if (team) {
    query = query
      .where('network_id', '=', team.networkId)
      .where((eb) => eb.or([eb('team_id', '=', team.id), eb('team_id', 'is', null)]));
  }
  const measureId = filter.measureId;
  if (measureId) {
    query = query.where((eb) =>
      eb.or([eb('measure_id', '=', measureId), eb('measure_id', 'is', null)]),
    );
  }
  if (filter.from) query = query.where('occurred_on', '>=', filter.from);
  if (filter.to) query = query.where('occurred_on', '<=', filter.to);
  if (filter.after) {
    const [on, id] = filter.after;
    query = query.where(sql<boolean>`(occurred_on, id) > (${on}::date, ${id}::uuid)`);
  }
  return query
    .orderBy('occurred_on')
    .orderBy('id')
    .limit(filter.limit + 1)
    .execute();
}

export const annotationSortKey = (row: AnnotationRow): [string, string] => [
  row.occurred_on,
  row.id,
];

export async function insertAnnotation(db: Db, row: Insertable<AnnotationTable>) {
  await db.insertInto('annotation').values(row).execute();
}

export async function updateAnnotation(db: Db, id: string, changes: Updateable<AnnotationTable>) {
  await db
    .updateTable('annotation')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function deleteAnnotation(db: Db, id: string): Promise<void> {
  await db.deleteFrom('annotation').where('id', '=', id).execute();
}
