import { type Insertable, type Selectable, type SqlBool, sql, type Updateable } from 'kysely';
import type {
  Db,
  MembershipTable,
  NetworkTable,
  TeamTable,
  Visibility,
} from '../../db/database.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { VisibilityScope } from '../../platform/access.ts';

export type NetworkRow = Selectable<NetworkTable>;
export type TeamRow = Selectable<TeamTable>;
export type MembershipRow = Selectable<MembershipTable>;

const NETWORK_COLUMNS = {
  visibility: 'network.visibility',
  networkId: 'network.id',
  teamId: null,
  authorId: 'network.created_by',
};
export const TEAM_COLUMNS = {
  visibility: 'team.visibility',
  networkId: 'team.network_id',
  teamId: 'team.id',
  authorId: 'team.created_by',
};

const escapeLike = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const nameAfter = (table: 'network' | 'team', after: [string, string]) =>
  sql<boolean>`(lower(${sql.ref(`${table}.name`)}) collate "C", ${sql.ref(`${table}.id`)}) > (${after[0]} collate "C", ${after[1]}::uuid)`;

export const nameSortKey = (row: { name: string; id: string }): [string, string] => [
  row.name.toLowerCase(),
  row.id,
];

// ---- networks

/** A network with the number of its teams the viewer can see. */
function networksWithTeamCount(db: Db, scope: VisibilityScope) {
  return db
    .selectFrom('network')
    .selectAll('network')
    .select((eb) =>
      eb
        .selectFrom('team')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('team.network_id', '=', 'network.id')
        .where(visibleTo(scope, TEAM_COLUMNS))
        .as('team_count'),
    );
}
export type NetworkWithCountRow = NetworkRow & { team_count: number | null };

export function findNetwork(db: Db, scope: VisibilityScope, id: string) {
  return networksWithTeamCount(db, scope)
    .where('network.id', '=', id)
    .executeTakeFirst() as Promise<NetworkWithCountRow | undefined>;
}

export function findNetworkForUpdate(db: Db, id: string) {
  return db.selectFrom('network').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listNetworks(
  db: Db,
  scope: VisibilityScope,
  filter: { limit: number; after?: [string, string] | undefined; q?: string | undefined },
) {
  let query = networksWithTeamCount(db, scope).where(visibleTo(scope, NETWORK_COLUMNS));
  if (filter.q) query = query.where('network.name', 'ilike', escapeLike(filter.q));
  if (filter.after) query = query.where(nameAfter('network', filter.after));
  return query
    .orderBy(sql`lower(network.name) collate "C"`)
    .orderBy('network.id')
    .limit(filter.limit + 1)
    .execute() as Promise<NetworkWithCountRow[]>;
}

export function insertNetwork(db: Db, row: Insertable<NetworkTable>) {
  return db.insertInto('network').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateNetwork(db: Db, id: string, changes: Updateable<NetworkTable>) {
  return db
    .updateTable('network')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteNetwork(db: Db, id: string): Promise<void> {
  await db.deleteFrom('network').where('id', '=', id).execute();
}

export async function countTeams(db: Db, networkId: string): Promise<number> {
  const row = await db
    .selectFrom('team')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('network_id', '=', networkId)
    .executeTakeFirstOrThrow();
  return row.n;
}

// ---- teams

function teamsWithNames(db: Db) {
  return db
    .selectFrom('team')
    .innerJoin('network', 'network.id', 'team.network_id')
    .leftJoin('organisation', 'organisation.id', 'team.organisation_id')
    .selectAll('team')
    .select([
      'network.name as network_name',
      'organisation.name as organisation_name',
      'organisation.visibility as organisation_visibility',
      'organisation.created_by as organisation_created_by',
    ]);
}
export type TeamWithNamesRow = TeamRow & {
  network_name: string;
  organisation_name: string | null;
  organisation_visibility: Visibility | null;
  organisation_created_by: string | null;
};

export function findTeam(db: Db, id: string): Promise<TeamWithNamesRow | undefined> {
  return teamsWithNames(db).where('team.id', '=', id).executeTakeFirst();
}

export function findTeamForUpdate(db: Db, id: string) {
  return db.selectFrom('team').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listTeams(
  db: Db,
  scope: VisibilityScope,
  filter: {
    limit: number;
    after?: [string, string] | undefined;
    q?: string | undefined;
    networkId?: string | undefined;
  },
) {
  let query = teamsWithNames(db).where(visibleTo(scope, TEAM_COLUMNS));
  if (filter.networkId) query = query.where('team.network_id', '=', filter.networkId);
  if (filter.q) query = query.where('team.name', 'ilike', escapeLike(filter.q));
  if (filter.after) query = query.where(nameAfter('team', filter.after));
  return query
    .orderBy(sql`lower(team.name) collate "C"`)
    .orderBy('team.id')
    .limit(filter.limit + 1)
    .execute();
}

export function insertTeam(db: Db, row: Insertable<TeamTable>) {
  return db.insertInto('team').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function updateTeam(db: Db, id: string, changes: Updateable<TeamTable>) {
  await db
    .updateTable('team')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/**
 * Improvement work that keeps a network or a team from being deleted (their foreign keys
 * restrict): charters, change ideas and network-wide annotations of a network; projects and
 * change ideas of a team. Counted whoever may see them.
 */
export async function countImprovementWork(
  db: Db,
  owner: { networkId: string } | { teamId: string },
): Promise<{ charters: number; projects: number; changeIdeas: number; annotations: number }> {
  const count = (table: 'charter' | 'project' | 'change_idea' | 'annotation', column: string) =>
    db
      .selectFrom(table)
      .select(sql<number>`count(*)::int`.as('n'))
      .where(sql.ref(column), '=', 'networkId' in owner ? owner.networkId : owner.teamId)
      .executeTakeFirstOrThrow()
      .then((row) => row.n);
  if ('networkId' in owner) {
    return {
      charters: await count('charter', 'network_id'),
      projects: 0,
      changeIdeas: await count('change_idea', 'network_id'),
      annotations: await count('annotation', 'network_id'),
    };
  }
  return {
    charters: 0,
    projects: await count('project', 'team_id'),
    changeIdeas: await count('change_idea', 'team_id'),
    annotations: 0,
  };
}

export async function deleteTeam(db: Db, id: string): Promise<void> {
  await db.deleteFrom('team').where('id', '=', id).execute();
}

// ---- memberships

function membershipsWithNames(db: Db) {
  return db
    .selectFrom('membership')
    .innerJoin('app_user', 'app_user.id', 'membership.user_id')
    .leftJoin('team', 'team.id', 'membership.team_id')
    .leftJoin('network', (join) =>
      join.on((eb) =>
        eb('network.id', '=', eb.fn.coalesce('membership.network_id', 'team.network_id')),
      ),
    )
    .selectAll('membership')
    .select([
      'app_user.display_name',
      'app_user.email',
      'team.name as team_name',
      'team.visibility as team_visibility',
      'team.created_by as team_created_by',
      'network.id as scope_network_id',
      'network.name as network_name',
      'network.visibility as network_visibility',
      'network.created_by as network_created_by',
    ]);
}
export type MembershipWithNamesRow = Awaited<
  ReturnType<ReturnType<typeof membershipsWithNames>['executeTakeFirstOrThrow']>
>;

export function findMembership(db: Db, id: string) {
  return membershipsWithNames(db).where('membership.id', '=', id).executeTakeFirst();
}

export function findMembershipForUpdate(db: Db, id: string) {
  return db
    .selectFrom('membership')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function listMemberships(
  db: Db,
  scope: VisibilityScope,
  filter: {
    limit: number;
    after?: [string, string] | undefined;
    scope?: 'coalition' | 'network' | 'team' | undefined;
    networkId?: string | undefined;
    teamId?: string | undefined;
    userId?: string | undefined;
  },
) {
  let query = membershipsWithNames(db).where(grantScopeVisible(scope, 'membership'));
  if (filter.scope === 'coalition')
    query = query
      .where('membership.network_id', 'is', null)
      .where('membership.team_id', 'is', null);
  if (filter.scope === 'network') query = query.where('membership.network_id', 'is not', null);
  if (filter.scope === 'team') query = query.where('membership.team_id', 'is not', null);
  if (filter.networkId)
    query = query.where((eb) =>
      eb.or([
        eb('membership.network_id', '=', filter.networkId as string),
        eb('team.network_id', '=', filter.networkId as string),
      ]),
    );
  if (filter.teamId) query = query.where('membership.team_id', '=', filter.teamId);
  if (filter.userId) query = query.where('membership.user_id', '=', filter.userId);
  if (filter.after) {
    const [name, id] = filter.after;
    query = query.where(
      sql<boolean>`(lower(app_user.display_name) collate "C", membership.id) > (${name} collate "C", ${id}::uuid)`,
    );
  }
  return query
    .orderBy(sql`lower(app_user.display_name) collate "C"`)
    .orderBy('membership.id')
    .limit(filter.limit + 1)
    .execute();
}

/**
 * A role grant (membership or invitation) is as visible as its team or network; coalition-wide
 * ones to everyone signed in. The query must join `team` and `network` (the team's, for a team).
 */
export function grantScopeVisible(scope: VisibilityScope, table: 'membership' | 'invitation') {
  const col = (name: string) => sql.ref(`${table}.${name}`);
  return sql<SqlBool>`(
    (${col('network_id')} is null and ${col('team_id')} is null)
    or (${col('team_id')} is not null and ${visibleTo(scope, TEAM_COLUMNS)})
    or (${col('network_id')} is not null and ${visibleTo(scope, NETWORK_COLUMNS)}))`;
}

export function insertMembership(db: Db, row: Insertable<MembershipTable>) {
  return db.insertInto('membership').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function updateMembership(db: Db, id: string, changes: Updateable<MembershipTable>) {
  await db
    .updateTable('membership')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function deleteMembership(db: Db, id: string): Promise<void> {
  await db.deleteFrom('membership').where('id', '=', id).execute();
}
