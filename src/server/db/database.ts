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

// ---- Improvement workspace (migration 20261125090000_improvement) ----

export type ProjectStatus =
  | 'planning'
  | 'testing'
  | 'implementing'
  | 'spreading'
  | 'sustaining'
  | 'closed';
export type PdsaState = 'plan' | 'do' | 'study' | 'act' | 'completed';
export type PdsaDecision = 'adopt' | 'adapt' | 'abandon';
export type MeasureKind = 'outcome' | 'process' | 'balancing';
export type MeasureFrequency = 'weekly' | 'monthly' | 'term';
export type ChangeIdeaSourceKind = 'none' | 'research' | 'cycle' | 'document' | 'other';
export type AnnotationKind = 'change_idea' | 'pdsa' | 'phase_change' | 'external' | 'note';
export type MeasureValueSource = 'grid' | 'import' | 'api';
/** jsonb: written as a JSON string, read back parsed. */
export type Json = ColumnType<unknown, string, string>;

/** The structured aim shared by charters and projects ("what, how much, by when, for whom"). */
interface AimColumns {
  aim_what: string;
  aim_for_whom: string;
  aim_unit: string;
  aim_baseline: number | null;
  aim_target: number | null;
  /** 'YYYY-MM-DD' */
  aim_by: string | null;
}

export interface CharterTable extends AimColumns {
  id: string;
  network_id: string;
  title: string;
  problem_of_practice: string;
  visibility: Visibility;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface ProjectTable extends AimColumns {
  id: string;
  team_id: string;
  network_id: string;
  charter_id: string | null;
  title: string;
  problem_statement: string;
  status: ProjectStatus;
  visibility: Visibility;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface DriverDiagramTable {
  id: string;
  charter_id: string | null;
  project_id: string | null;
  content: Json;
  updated_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface DriverDiagramRevisionTable {
  id: string;
  diagram_id: string;
  version: number;
  content: Json;
  saved_by: string | null;
  saved_at: Timestamp;
}

export interface ChangeIdeaTable {
  id: string;
  network_id: string;
  team_id: string | null;
  title: string;
  description: string;
  source_kind: ChangeIdeaSourceKind;
  source_citation: string;
  source_url: string | null;
  source_cycle_id: string | null;
  visibility: Visibility;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface TagTable {
  id: string;
  label: string;
  created_at: Timestamp;
}

export interface ChangeIdeaTagTable {
  change_idea_id: string;
  tag_id: string;
}

export interface PdsaCycleTable {
  id: string;
  project_id: string;
  team_id: string;
  network_id: string;
  change_idea_id: string;
  previous_cycle_id: string | null;
  title: string;
  scale: string;
  state: PdsaState;
  plan: Json;
  /** The "Do" record (`do` is an SQL keyword). */
  execution: Json;
  study: Json;
  act: Json;
  decision: PdsaDecision | null;
  /** 'YYYY-MM-DD' */
  planned_start: string | null;
  completed_at: Timestamp | null;
  visibility: Visibility;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface PdsaTransitionTable {
  id: string;
  cycle_id: string;
  from_state: PdsaState;
  to_state: PdsaState;
  reason: string;
  actor_id: string | null;
  occurred_at: Timestamp;
}

export interface AttachmentTable {
  id: string;
  pdsa_cycle_id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface MeasureTable {
  id: string;
  network_id: string;
  charter_id: string | null;
  project_id: string | null;
  name: string;
  kind: MeasureKind;
  description: string;
  numerator_definition: string;
  denominator_definition: string;
  inclusion: string;
  exclusion: string;
  data_source: string;
  frequency: MeasureFrequency;
  unit: string;
  improvement_direction: 'increase' | 'decrease' | 'neutral';
  chart_type: 'run' | 'i' | 'mr' | 'xmr' | 'p' | 'u' | 'c' | 'pp' | 'up';
  rule_set: 'anhoej' | 'ihi' | 'weco' | 'mdc';
  multiply: number;
  goal: number | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface MeasureValueTable {
  id: string;
  measure_id: string;
  team_id: string;
  network_id: string;
  /** 'YYYY-MM-DD': Monday of the week, first of the month, or the term's first day. */
  period_start: string;
  numerator: number;
  denominator: number | null;
  excluded: Generated<boolean>;
  note: Generated<string>;
  created_by: string | null;
  updated_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface MeasureValueRevisionTable {
  id: string;
  value_id: string;
  numerator: number;
  denominator: number | null;
  excluded: boolean;
  note: string;
  changed_by: string | null;
  changed_at: Timestamp;
  source: MeasureValueSource;
}

export interface AnnotationTable {
  id: string;
  network_id: string;
  team_id: string | null;
  measure_id: string | null;
  /** 'YYYY-MM-DD' */
  occurred_on: string;
  label: string;
  kind: AnnotationKind;
  phase_break: boolean;
  pdsa_cycle_id: string | null;
  change_idea_id: string | null;
  visibility: Visibility;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
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
  charter: CharterTable;
  project: ProjectTable;
  driver_diagram: DriverDiagramTable;
  driver_diagram_revision: DriverDiagramRevisionTable;
  change_idea: ChangeIdeaTable;
  tag: TagTable;
  change_idea_tag: ChangeIdeaTagTable;
  pdsa_cycle: PdsaCycleTable;
  pdsa_transition: PdsaTransitionTable;
  attachment: AttachmentTable;
  measure: MeasureTable;
  measure_value: MeasureValueTable;
  measure_value_revision: MeasureValueRevisionTable;
  annotation: AnnotationTable;
}

export type Db = Kysely<Database>;
export type DatabaseMode = 'pglite' | 'postgres';
