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

/** Who may see a content record; see platform/access.ts for the rules. */
export type Visibility = 'public' | 'coalition' | 'network' | 'team' | 'private';
export type Role = 'hub_facilitator' | 'team_member' | 'reviewer' | 'partner';

export interface OrganisationTable {
  id: string;
  name: string;
  type: string;
  nces_id: string | null;
  visibility: ColumnType<Visibility, Visibility | undefined, Visibility>;
  created_by: string | null;
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
  /** Set when the account was deleted: the row stays as the placeholder author of its content. */
  deleted_at: Timestamp | null;
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

export interface NetworkTable {
  id: string;
  name: string;
  description: string;
  visibility: Visibility;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface TeamTable {
  id: string;
  network_id: string;
  organisation_id: string | null;
  name: string;
  visibility: Visibility;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface MembershipTable {
  id: string;
  user_id: string;
  role: Role;
  network_id: string | null;
  team_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface InvitationTable {
  id: string;
  email: string;
  role: Role;
  network_id: string | null;
  team_id: string | null;
  token_hash: string;
  invited_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_by: string | null;
  revoked_at: Timestamp | null;
}

export interface PasswordResetTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface InstanceSettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
  version: Generated<number>;
}

export type AuditAction = 'create' | 'update' | 'delete';

export interface AuditEventTable {
  id: string;
  occurred_at: Timestamp;
  actor_id: string | null;
  action: AuditAction;
  entity_type: string;
  entity_id: string;
  summary: string;
  /** jsonb: written as a JSON string, read back parsed. */
  before: ColumnType<unknown, string | null, never>;
  after: ColumnType<unknown, string | null, never>;
  request_id: string | null;
}

/** Every table of the application schema. Migrations own the DDL; this is the typed view of it. */
export interface Database {
  coalition: CoalitionTable;
  organisation: OrganisationTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
  network: NetworkTable;
  team: TeamTable;
  membership: MembershipTable;
  invitation: InvitationTable;
  password_reset: PasswordResetTable;
  instance_setting: InstanceSettingTable;
  audit_event: AuditEventTable;
}

export type Db = Kysely<Database>;
export type DatabaseMode = 'pglite' | 'postgres';
