import type { Db } from '../db/database.ts';

/** A user's memberships, with the network of each team membership resolved. */
export function listMembershipGrants(db: Db, userId: string) {
  return db
    .selectFrom('membership')
    .leftJoin('team', 'team.id', 'membership.team_id')
    .select([
      'membership.role',
      'membership.network_id',
      'membership.team_id',
      'team.network_id as team_network_id',
    ])
    .where('membership.user_id', '=', userId)
    .execute();
}
