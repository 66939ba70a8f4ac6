import type { Insertable, Selectable } from 'kysely';
import type { Db, DriverDiagramRevisionTable, DriverDiagramTable } from '../../db/database.ts';

export type DriverDiagramRow = Selectable<DriverDiagramTable>;
export type DiagramOwnerKind = 'charter' | 'project';

const ownerColumn = (kind: DiagramOwnerKind) =>
  kind === 'charter' ? ('charter_id' as const) : ('project_id' as const);

export function findDiagram(db: Db, kind: DiagramOwnerKind, ownerId: string) {
  return db
    .selectFrom('driver_diagram')
    .leftJoin('app_user', 'app_user.id', 'driver_diagram.updated_by')
    .selectAll('driver_diagram')
    .select('app_user.display_name as updated_by_name')
    .where(`driver_diagram.${ownerColumn(kind)}`, '=', ownerId)
    .executeTakeFirst();
}
export type DriverDiagramWithNameRow = NonNullable<Awaited<ReturnType<typeof findDiagram>>>;

export function findDiagramForUpdate(db: Db, kind: DiagramOwnerKind, ownerId: string) {
  return db
    .selectFrom('driver_diagram')
    .selectAll()
    .where(ownerColumn(kind), '=', ownerId)
    .forUpdate()
    .executeTakeFirst();
}

/** Locks the charter or project, so that two first saves of its diagram do not both insert. */
export async function lockOwner(db: Db, kind: DiagramOwnerKind, ownerId: string) {
  await db.selectFrom(kind).select('id').where('id', '=', ownerId).forUpdate().execute();
}

export async function insertDiagram(db: Db, row: Insertable<DriverDiagramTable>) {
  await db.insertInto('driver_diagram').values(row).execute();
}

export async function updateDiagramContent(
  db: Db,
  id: string,
  changes: { content: string; updated_by: string | null; updated_at: Date },
) {
  const row = await db
    .updateTable('driver_diagram')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returning('version')
    .executeTakeFirstOrThrow();
  return row.version;
}

export async function insertRevision(db: Db, row: Insertable<DriverDiagramRevisionTable>) {
  await db.insertInto('driver_diagram_revision').values(row).execute();
}

function revisionsWithNames(db: Db, diagramId: string) {
  return db
    .selectFrom('driver_diagram_revision')
    .leftJoin('app_user', 'app_user.id', 'driver_diagram_revision.saved_by')
    .selectAll('driver_diagram_revision')
    .select('app_user.display_name as saved_by_name')
    .where('driver_diagram_revision.diagram_id', '=', diagramId);
}
export type RevisionWithNameRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof revisionsWithNames>['executeTakeFirst']>>
>;

/** Newest first. */
export function listRevisions(
  db: Db,
  diagramId: string,
  page: { limit: number; beforeVersion?: number | undefined },
) {
  let query = revisionsWithNames(db, diagramId);
  if (page.beforeVersion !== undefined)
    query = query.where('driver_diagram_revision.version', '<', page.beforeVersion);
  return query
    .orderBy('driver_diagram_revision.version', 'desc')
    .limit(page.limit + 1)
    .execute();
}

export function findRevision(db: Db, diagramId: string, version: number) {
  return revisionsWithNames(db, diagramId)
    .where('driver_diagram_revision.version', '=', version)
    .executeTakeFirst();
}

/** The change ideas a diagram links to, with their visibility columns. */
export function findChangeIdeas(db: Db, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('change_idea')
    .select(['id', 'network_id', 'team_id', 'visibility', 'created_by'])
    .where('id', 'in', ids)
    .execute();
}
