import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db, ProjectStatus, ProjectTable } from '../../db/database.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { VisibilityScope } from '../../platform/access.ts';
import { PROJECT_COLUMNS } from './charter.repository.ts';

export type ProjectRow = Selectable<ProjectTable>;

const escapeLike = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const titleSortKey = (row: { title: string; id: string }): [string, string] => [
  row.title.toLowerCase(),
  row.id,
];

function projectsWithNames(db: Db) {
  return db
    .selectFrom('project')
    .innerJoin('team', 'team.id', 'project.team_id')
    .innerJoin('network', 'network.id', 'project.network_id')
    .leftJoin('charter', 'charter.id', 'project.charter_id')
    .selectAll('project')
    .select([
      'team.name as team_name',
      'network.name as network_name',
      'charter.title as charter_title',
      'charter.visibility as charter_visibility',
      'charter.created_by as charter_created_by',
    ]);
}
export type ProjectWithNamesRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof projectsWithNames>['executeTakeFirst']>>
>;

export function findProject(db: Db, id: string) {
  return projectsWithNames(db).where('project.id', '=', id).executeTakeFirst();
}

export function findProjectForUpdate(db: Db, id: string) {
  return db.selectFrom('project').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listProjects(
  db: Db,
  scope: VisibilityScope,
  filter: {
    limit: number;
    after?: [string, string] | undefined;
    teamId?: string | undefined;
    networkId?: string | undefined;
    charterId?: string | undefined;
    status?: ProjectStatus | undefined;
    q?: string | undefined;
  },
) {
  let query = projectsWithNames(db).where(visibleTo(scope, PROJECT_COLUMNS));
  if (filter.teamId) query = query.where('project.team_id', '=', filter.teamId);
  if (filter.networkId) query = query.where('project.network_id', '=', filter.networkId);
  if (filter.charterId) query = query.where('project.charter_id', '=', filter.charterId);
  if (filter.status) query = query.where('project.status', '=', filter.status);
  if (filter.q) query = query.where('project.title', 'ilike', escapeLike(filter.q));
  if (filter.after) {
    const [title, id] = filter.after;
    query = query.where(
      sql<boolean>`(lower(project.title) collate "C", project.id) > (${title} collate "C", ${id}::uuid)`,
    );
  }
  return query
    .orderBy(sql`lower(project.title) collate "C"`)
    .orderBy('project.id')
    .limit(filter.limit + 1)
    .execute();
}

/** The team_member memberships of these teams, by name. */
export function listTeamMembers(db: Db, teamIds: string[]) {
  if (teamIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('membership')
    .innerJoin('app_user', 'app_user.id', 'membership.user_id')
    .select(['membership.team_id', 'app_user.id as user_id', 'app_user.display_name'])
    .where('membership.team_id', 'in', teamIds)
    .where('membership.role', '=', 'team_member')
    .orderBy(sql`lower(app_user.display_name) collate "C"`)
    .orderBy('app_user.id')
    .execute();
}

export function insertProject(db: Db, row: Insertable<ProjectTable>) {
  return db.insertInto('project').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function updateProject(db: Db, id: string, changes: Updateable<ProjectTable>) {
  await db
    .updateTable('project')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function deleteProject(db: Db, id: string): Promise<void> {
  await db.deleteFrom('project').where('id', '=', id).execute();
}

/** Every PDSA cycle and local measure of the project, visible or not: they block its deletion. */
export async function countDependents(db: Db, id: string) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('pdsa_cycle')
        .select(eb.fn.countAll<number>().as('n'))
        .where('project_id', '=', id)
        .as('cycles'),
      eb
        .selectFrom('measure')
        .select(eb.fn.countAll<number>().as('n'))
        .where('project_id', '=', id)
        .as('measures'),
    ])
    .executeTakeFirstOrThrow();
  return { cycles: Number(row.cycles ?? 0), measures: Number(row.measures ?? 0) };
}
