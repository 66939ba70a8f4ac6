import { type Insertable, type Selectable, sql } from 'kysely';
import type { Db, InvitationTable, PasswordResetTable } from '../../db/database.ts';
import type { VisibilityScope } from '../../platform/access.ts';
import { grantScopeVisible } from '../structure/structure.repository.ts';

export type InvitationRow = Selectable<InvitationTable>;

function invitationsWithNames(db: Db) {
  return db
    .selectFrom('invitation')
    .leftJoin('team', 'team.id', 'invitation.team_id')
    .leftJoin('network', (join) =>
      join.on((eb) =>
        eb('network.id', '=', eb.fn.coalesce('invitation.network_id', 'team.network_id')),
      ),
    )
    .leftJoin('app_user as inviter', 'inviter.id', 'invitation.invited_by')
    .selectAll('invitation')
    .select([
      'team.name as team_name',
      'team.visibility as team_visibility',
      'team.created_by as team_created_by',
      'network.visibility as network_visibility',
      'network.created_by as network_created_by',
      'network.id as scope_network_id',
      'network.name as network_name',
      'inviter.display_name as invited_by_name',
    ]);
}
export type InvitationWithNamesRow = Awaited<
  ReturnType<ReturnType<typeof invitationsWithNames>['executeTakeFirstOrThrow']>
>;

export function insertInvitation(db: Db, row: Insertable<InvitationTable>) {
  return db.insertInto('invitation').values(row).returning('id').executeTakeFirstOrThrow();
}

export function findInvitation(db: Db, id: string) {
  return invitationsWithNames(db).where('invitation.id', '=', id).executeTakeFirst();
}

export function findInvitationByTokenHash(db: Db, tokenHash: string) {
  return invitationsWithNames(db).where('invitation.token_hash', '=', tokenHash).executeTakeFirst();
}

export async function lockInvitation(db: Db, id: string) {
  return db
    .selectFrom('invitation')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Open invitations (not accepted, not revoked), newest first. `networkIds` limits them to those
 * networks and their teams; undefined means every invitation.
 */
export function listOpenInvitations(
  db: Db,
  scope: VisibilityScope,
  filter: {
    limit: number;
    after?: [string, string] | undefined;
    networkIds?: string[];
    networkId?: string | undefined;
    teamId?: string | undefined;
  },
) {
  // Only invitations into scopes the viewer can see (a private team's stay with its author).
  let query = invitationsWithNames(db)
    .where('invitation.accepted_at', 'is', null)
    .where('invitation.revoked_at', 'is', null)
    .where(grantScopeVisible(scope, 'invitation'));
  // network.id is the invitation's network, or its team's.
  if (filter.networkId) query = query.where('network.id', '=', filter.networkId);
  if (filter.teamId) query = query.where('invitation.team_id', '=', filter.teamId);
  if (filter.networkIds) {
    const ids = filter.networkIds.length
      ? filter.networkIds
      : ['00000000-0000-0000-0000-000000000000'];
    query = query.where('network.id', 'in', ids);
  }
  if (filter.after) {
    const [at, id] = filter.after;
    query = query.where(
      sql<boolean>`(invitation.created_at, invitation.id) < (${at}::timestamptz, ${id}::uuid)`,
    );
  }
  return query
    .orderBy('invitation.created_at', 'desc')
    .orderBy('invitation.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
}

export async function markInvitation(
  db: Db,
  id: string,
  changes: { accepted_at?: Date; accepted_by?: string; revoked_at?: Date },
): Promise<void> {
  await db.updateTable('invitation').set(changes).where('id', '=', id).execute();
}

export async function insertPasswordReset(
  db: Db,
  row: Insertable<PasswordResetTable>,
): Promise<void> {
  await db.insertInto('password_reset').values(row).execute();
}

export function lockPasswordResetByTokenHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('password_reset')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

export async function markPasswordResetUsed(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('password_reset').set({ used_at: at }).where('id', '=', id).execute();
}
