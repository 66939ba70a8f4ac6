import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { ApiTokenTable, AppUserTable, Db, UserSessionTable } from '../../db/database.ts';

export type UserRow = Selectable<AppUserTable>;
export type SessionRow = Selectable<UserSessionTable>;

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('email', '=', email).executeTakeFirst();
}

export function insertUser(db: Db, row: Insertable<AppUserTable>): Promise<UserRow> {
  return db.insertInto('app_user').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertSession(db: Db, row: Insertable<UserSessionTable>): Promise<void> {
  await db.insertInto('user_session').values(row).execute();
}

/** The live session with this token hash and its user, or undefined. */
export function findSessionUser(db: Db, tokenHash: string, now: Date) {
  return db
    .selectFrom('user_session')
    .innerJoin('app_user', 'app_user.id', 'user_session.user_id')
    .selectAll('app_user')
    .select(['user_session.id as session_id', 'user_session.last_seen_at'])
    .where('user_session.token_hash', '=', tokenHash)
    .where('user_session.expires_at', '>', now)
    .executeTakeFirst();
}

export async function touchSession(db: Db, sessionId: string, now: Date): Promise<void> {
  await db
    .updateTable('user_session')
    .set({ last_seen_at: now })
    .where('id', '=', sessionId)
    .execute();
}

export async function deleteSessionByTokenHash(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('user_session').where('token_hash', '=', tokenHash).execute();
}

export type ApiTokenRow = Selectable<ApiTokenTable>;

/** Keyset condition for "older than the last row shown", pages being newest first. */
const olderThan = (after: [string, string]) =>
  sql<boolean>`(created_at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`;

/** One user's sessions, newest first; `limit + 1` rows so the caller can tell if more exist. */
export function listSessions(db: Db, userId: string, limit: number, after?: [string, string]) {
  let query = db.selectFrom('user_session').selectAll().where('user_id', '=', userId);
  if (after) query = query.where(olderThan(after));
  return query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
}

/** One user's API tokens, newest first; `limit + 1` rows. */
export function listApiTokens(db: Db, userId: string, limit: number, after?: [string, string]) {
  let query = db.selectFrom('api_token').selectAll().where('user_id', '=', userId);
  if (after) query = query.where(olderThan(after));
  return query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
}

/** Deletes one of the user's sessions; false when it is not theirs or does not exist. */
export async function deleteSession(db: Db, userId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('user_session')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertApiToken(db: Db, row: Insertable<ApiTokenTable>): Promise<ApiTokenRow> {
  return db.insertInto('api_token').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function deleteApiToken(db: Db, userId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('api_token')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The live token with this hash and its user, or undefined (unknown or expired). */
export function findTokenUser(db: Db, tokenHash: string, now: Date) {
  return db
    .selectFrom('api_token')
    .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
    .selectAll('app_user')
    .select(['api_token.id as token_id', 'api_token.scope', 'api_token.last_used_at'])
    .where('api_token.token_hash', '=', tokenHash)
    .where((eb) =>
      eb.or([eb('api_token.expires_at', 'is', null), eb('api_token.expires_at', '>', now)]),
    )
    .executeTakeFirst();
}

export async function touchApiToken(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: now }).where('id', '=', id).execute();
}

export function findUser(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserForUpdate(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Active (not deleted) accounts by name, then id; optional search on name or email. */
export function listUsers(
  db: Db,
  filter: { limit: number; after?: [string, string] | undefined; q?: string | undefined },
) {
  let query = db.selectFrom('app_user').selectAll().where('deleted_at', 'is', null);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('display_name', 'ilike', pattern), eb('email', 'ilike', pattern)]),
    );
  }
  if (filter.after) {
    const [name, id] = filter.after;
    query = query.where(
      sql<boolean>`(lower(display_name) collate "C", id) > (${name} collate "C", ${id}::uuid)`,
    );
  }
  return query
    .orderBy(sql`lower(display_name) collate "C"`)
    .orderBy('id')
    .limit(filter.limit + 1)
    .execute();
}

export function updateUser(db: Db, id: string, changes: Updateable<AppUserTable>) {
  return db
    .updateTable('app_user')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('is_admin', '=', true)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Ends every way the user is signed in: sessions and API tokens (all, or all but one session). */
export async function revokeCredentials(db: Db, userId: string, keepSessionId?: string) {
  let sessions = db.deleteFrom('user_session').where('user_id', '=', userId);
  if (keepSessionId) sessions = sessions.where('id', '<>', keepSessionId);
  await sessions.execute();
  if (!keepSessionId) await db.deleteFrom('api_token').where('user_id', '=', userId).execute();
}

export async function deleteMembershipsOf(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('membership').where('user_id', '=', userId).execute();
}

export function findActiveUserByEmail(db: Db, email: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'display_name', 'email'])
    .where('email', '=', email)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}
