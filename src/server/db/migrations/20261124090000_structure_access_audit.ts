import { type Kysely, sql } from 'kysely';

/**
 * Coalition structure (networks, teams, memberships), visibility on content records, invitations,
 * password resets, instance settings and the audit trail.
 *
 * Visibility convention for every content table: `visibility` plus the `network_id` / `team_id`
 * that give it meaning and `created_by` (the author, for private drafts). See platform/access.ts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runEach(
    db,
    `
    alter table app_user add column deleted_at timestamptz;

    create table network (
      id uuid primary key,
      name text not null,
      description text not null default '',
      visibility text not null default 'coalition',
      created_by uuid references app_user (id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint network_name_length check (char_length(name) between 1 and 200),
      -- A network cannot be "team" visible: it has no single team.
      constraint network_visibility check (visibility in ('public', 'coalition', 'network', 'private'))
    );
    create unique index network_name_key on network (lower(name));

    create table team (
      id uuid primary key,
      network_id uuid not null references network (id) on delete restrict,
      organisation_id uuid references organisation (id) on delete set null,
      name text not null,
      visibility text not null default 'network',
      created_by uuid references app_user (id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint team_name_length check (char_length(name) between 1 and 200),
      constraint team_visibility check (visibility in ('public', 'coalition', 'network', 'team', 'private'))
    );
    create unique index team_name_key on team (network_id, lower(name));
    create index team_network_idx on team (network_id, (lower(name) collate "C"), id);

    -- Roles: hub_facilitator (coalition when network_id is null, else that network),
    -- team_member (a team), reviewer and partner (coalition).
    create table membership (
      id uuid primary key,
      user_id uuid not null references app_user (id) on delete cascade,
      role text not null,
      network_id uuid references network (id) on delete cascade,
      team_id uuid references team (id) on delete cascade,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint membership_role_scope check (
        (role = 'hub_facilitator' and team_id is null)
        or (role = 'team_member' and team_id is not null and network_id is null)
        or (role in ('reviewer', 'partner') and network_id is null and team_id is null)
      )
    );
    create unique index membership_key on membership (
      user_id, role,
      coalesce(network_id, '00000000-0000-0000-0000-000000000000'),
      coalesce(team_id, '00000000-0000-0000-0000-000000000000')
    );
    create index membership_network_idx on membership (network_id);
    create index membership_team_idx on membership (team_id);

    alter table organisation
      add column visibility text not null default 'coalition',
      add column created_by uuid references app_user (id),
      add constraint organisation_visibility check (visibility in ('public', 'coalition', 'private'));

    create table invitation (
      id uuid primary key,
      email text not null,
      role text not null,
      network_id uuid references network (id) on delete cascade,
      team_id uuid references team (id) on delete cascade,
      token_hash text not null unique,
      invited_by uuid references app_user (id),
      created_at timestamptz not null,
      expires_at timestamptz not null,
      accepted_at timestamptz,
      accepted_by uuid references app_user (id),
      revoked_at timestamptz,
      constraint invitation_role_scope check (
        (role = 'hub_facilitator' and team_id is null)
        or (role = 'team_member' and team_id is not null and network_id is null)
        or (role in ('reviewer', 'partner') and network_id is null and team_id is null)
      )
    );
    create index invitation_created_idx on invitation (created_at desc, id desc);

    create table password_reset (
      id uuid primary key,
      user_id uuid not null references app_user (id) on delete cascade,
      token_hash text not null unique,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    );

    create table instance_setting (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null,
      version integer not null default 1
    );

    -- Who did what to which record, with the record's API shape before and after. Users are
    -- never hard-deleted (see accounts), so actor_id stays resolvable.
    create table audit_event (
      id uuid primary key,
      occurred_at timestamptz not null,
      actor_id uuid references app_user (id),
      action text not null,
      entity_type text not null,
      entity_id uuid not null,
      summary text not null,
      before jsonb,
      after jsonb,
      request_id text,
      constraint audit_action check (action in ('create', 'update', 'delete'))
    );
    create index audit_event_entity_idx on audit_event (entity_type, entity_id, occurred_at desc, id desc);
    create index audit_event_time_idx on audit_event (occurred_at desc, id desc);
    create index audit_event_actor_idx on audit_event (actor_id, occurred_at desc);
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runEach(
    db,
    `
    drop table audit_event;
    drop table instance_setting;
    drop table password_reset;
    drop table invitation;
    alter table organisation drop column created_by, drop column visibility;
    drop table membership;
    drop table team;
    drop table network;
    alter table app_user drop column deleted_at;
  `,
  );
}

/** PGlite's extended protocol takes one statement per query: run the script statement by statement. */
async function runEach(db: Kysely<unknown>, script: string): Promise<void> {
  for (const statement of script.split(/;\s*\n/)) {
    if (statement.trim()) await sql.raw(statement).execute(db);
  }
}
