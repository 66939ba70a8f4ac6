import type { ColumnType, Generated, Kysely } from 'kysely';

/** Timestamps are written as Date or ISO strings and always read back as Date (both drivers). */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface CoalitionTable {
  id: string;
  name: string;
  slug: string;
  description: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface OrganisationTable {
  id: string;
  name: string;
  type: string;
  nces_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface AppUserTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  is_admin: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface UserSessionTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  scope: 'read' | 'read_write';
  created_at: Timestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

/** Every table of the application schema. Migrations own the DDL; this is the typed view of it. */
export interface Database {
  coalition: CoalitionTable;
  organisation: OrganisationTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
}

export type Db = Kysely<Database>;
export type DatabaseMode = 'pglite' | 'postgres';
