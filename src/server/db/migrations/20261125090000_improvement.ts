import { type Kysely, sql } from 'kysely';

/**
 * The improvement workspace (issue 6): network charters, team projects, driver diagrams (with
 * revisions), change ideas and their free tags, PDSA cycles (state machine, transition log,
 * attachments), measures, aggregate measure data (with revisions) and annotations.
 *
 * Visibility: records that stand alone carry `visibility` + `network_id` (+ `team_id`) +
 * `created_by` (platform/access.ts). Driver diagrams take their owner's visibility; measure data
 * is "team" level (the team, its network's facilitators, coalition facilitators and admins);
 * attachments and transitions take their cycle's.
 *
 * The two foreign keys that close a loop (a change idea sourced from a cycle that tests a change
 * idea; a cycle following another) are deferrable, so that `tandem import` can restore rows in
 * any order within its one transaction (db/archive.ts orders tables by the other keys).
 *
 * No student-level data: a measure value is one numerator (and denominator) per team per period.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runEach(
    db,
    `
    create table charter (
      id uuid primary key,
      network_id uuid not null references network (id) on delete restrict,
      title text not null,
      problem_of_practice text not null default '',
      aim_what text not null default '',
      aim_for_whom text not null default '',
      aim_unit text not null default '',
      aim_baseline double precision,
      aim_target double precision,
      aim_by date,
      visibility text not null default 'network',
      created_by uuid references app_user (id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint charter_title_length check (char_length(title) between 1 and 200),
      constraint charter_visibility check (visibility in ('public', 'coalition', 'network', 'private'))
    );
    create index charter_network_idx on charter (network_id, created_at, id);

    create table project (
      id uuid primary key,
      team_id uuid not null references team (id) on delete restrict,
      network_id uuid not null references network (id) on delete restrict,
      charter_id uuid references charter (id) on delete set null,
      title text not null,
      problem_statement text not null default '',
      aim_what text not null default '',
      aim_for_whom text not null default '',
      aim_unit text not null default '',
      aim_baseline double precision,
      aim_target double precision,
      aim_by date,
      status text not null default 'planning',
      visibility text not null default 'team',
      created_by uuid references app_user (id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint project_title_length check (char_length(title) between 1 and 200),
      constraint project_status check (status in ('planning', 'testing', 'implementing', 'spreading', 'sustaining', 'closed')),
      constraint project_visibility check (visibility in ('public', 'coalition', 'network', 'team', 'private'))
    );
    create index project_team_idx on project (team_id, (lower(title) collate "C"), id);
    create index project_network_idx on project (network_id, (lower(title) collate "C"), id);
    create index project_charter_idx on project (charter_id);

    -- One diagram per charter or per project; content is {nodes, edges} (see the service).
    create table driver_diagram (
      id uuid primary key,
      charter_id uuid unique references charter (id) on delete cascade,
      project_id uuid unique references project (id) on delete cascade,
      content jsonb not null,
      updated_by uuid references app_user (id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint driver_diagram_owner check ((charter_id is null) <> (project_id is null))
    );

    create table driver_diagram_revision (
      id uuid primary key,
      diagram_id uuid not null references driver_diagram (id) on delete cascade,
      version integer not null,
      content jsonb not null,
      saved_by uuid references app_user (id),
      saved_at timestamptz not null,
      constraint driver_diagram_revision_key unique (diagram_id, version)
    );

    create table change_idea (
      id uuid primary key,
      network_id uuid not null references network (id) on delete restrict,
      team_id uuid references team (id) on delete restrict,
      title text not null,
      description text not null default '',
      source_kind text not null default 'none',
      source_citation text not null default '',
      source_url text,
      source_cycle_id uuid,
      visibility text not null default 'network',
      created_by uuid references app_user (id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint change_idea_title_length check (char_length(title) between 1 and 200),
      constraint change_idea_source_kind check (source_kind in ('none', 'research', 'cycle', 'document', 'other')),
      constraint change_idea_visibility check (visibility in ('public', 'coalition', 'network', 'team', 'private'))
    );
    create index change_idea_network_idx on change_idea (network_id, (lower(title) collate "C"), id);

    -- Free tags now; a later issue's common taxonomy replaces this one table.
    create table tag (
      id uuid primary key,
      label text not null,
      created_at timestamptz not null,
      constraint tag_label_length check (char_length(label) between 1 and 60)
    );
    create unique index tag_label_key on tag (lower(label));

    create table change_idea_tag (
      change_idea_id uuid not null references change_idea (id) on delete cascade,
      tag_id uuid not null references tag (id) on delete cascade,
      primary key (change_idea_id, tag_id)
    );
    create index change_idea_tag_tag_idx on change_idea_tag (tag_id);

    -- plan / execution (the Do) / study / act are JSON documents validated by the service; the
    -- state says which one is being worked on. decision is copied out of act for filtering.
    create table pdsa_cycle (
      id uuid primary key,
      project_id uuid not null references project (id) on delete cascade,
      team_id uuid not null references team (id) on delete restrict,
      network_id uuid not null references network (id) on delete restrict,
      change_idea_id uuid not null references change_idea (id) on delete restrict,
      previous_cycle_id uuid references pdsa_cycle (id) on delete set null deferrable initially deferred,
      title text not null,
      scale text not null default '',
      state text not null default 'plan',
      plan jsonb not null,
      execution jsonb not null,
      study jsonb not null,
      act jsonb not null,
      decision text,
      planned_start date,
      completed_at timestamptz,
      visibility text not null default 'team',
      created_by uuid references app_user (id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint pdsa_cycle_title_length check (char_length(title) between 1 and 200),
      constraint pdsa_cycle_state check (state in ('plan', 'do', 'study', 'act', 'completed')),
      constraint pdsa_cycle_decision check (decision is null or decision in ('adopt', 'adapt', 'abandon')),
      constraint pdsa_cycle_visibility check (visibility in ('public', 'coalition', 'network', 'team', 'private'))
    );
    create index pdsa_cycle_project_idx on pdsa_cycle (project_id, created_at desc, id desc);
    create index pdsa_cycle_change_idea_idx on pdsa_cycle (change_idea_id, created_at desc, id desc);
    create index pdsa_cycle_network_idx on pdsa_cycle (network_id, created_at desc, id desc);
    create index pdsa_cycle_previous_idx on pdsa_cycle (previous_cycle_id);

    alter table change_idea add constraint change_idea_source_cycle_fk
      foreign key (source_cycle_id) references pdsa_cycle (id) on delete set null deferrable initially deferred;

    create table pdsa_transition (
      id uuid primary key,
      cycle_id uuid not null references pdsa_cycle (id) on delete cascade,
      from_state text not null,
      to_state text not null,
      reason text not null default '',
      actor_id uuid references app_user (id),
      occurred_at timestamptz not null
    );
    create index pdsa_transition_cycle_idx on pdsa_transition (cycle_id, occurred_at, id);

    create table attachment (
      id uuid primary key,
      pdsa_cycle_id uuid not null references pdsa_cycle (id) on delete cascade,
      filename text not null,
      content_type text not null,
      size_bytes integer not null,
      sha256 text not null,
      storage_key text not null unique,
      created_by uuid references app_user (id),
      created_at timestamptz not null
    );
    create index attachment_cycle_idx on attachment (pdsa_cycle_id, created_at, id);

    -- A common measure belongs to a charter (every team of the network reports it); a local one
    -- to a project.
    create table measure (
      id uuid primary key,
      network_id uuid not null references network (id) on delete restrict,
      charter_id uuid references charter (id) on delete cascade,
      project_id uuid references project (id) on delete cascade,
      name text not null,
      kind text not null,
      description text not null default '',
      numerator_definition text not null default '',
      denominator_definition text not null default '',
      inclusion text not null default '',
      exclusion text not null default '',
      data_source text not null default '',
      frequency text not null,
      unit text not null default '',
      improvement_direction text not null default 'increase',
      chart_type text not null,
      rule_set text not null default 'anhoej',
      multiply double precision not null default 1,
      goal double precision,
      created_by uuid references app_user (id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint measure_owner check ((charter_id is null) <> (project_id is null)),
      constraint measure_name_length check (char_length(name) between 1 and 200),
      constraint measure_kind check (kind in ('outcome', 'process', 'balancing')),
      constraint measure_frequency check (frequency in ('weekly', 'monthly', 'term')),
      constraint measure_direction check (improvement_direction in ('increase', 'decrease', 'neutral')),
      constraint measure_chart_type check (chart_type in ('run', 'i', 'mr', 'xmr', 'p', 'u', 'c', 'pp', 'up')),
      constraint measure_rule_set check (rule_set in ('anhoej', 'ihi', 'weco', 'mdc')),
      constraint measure_multiply check (multiply > 0)
    );
    create index measure_charter_idx on measure (charter_id, (lower(name) collate "C"), id);
    create index measure_project_idx on measure (project_id, (lower(name) collate "C"), id);

    -- Aggregates only: one numerator (and denominator) per measure, team and period.
    create table measure_value (
      id uuid primary key,
      measure_id uuid not null references measure (id) on delete cascade,
      team_id uuid not null references team (id) on delete cascade,
      network_id uuid not null references network (id) on delete restrict,
      period_start date not null,
      numerator double precision not null,
      denominator double precision,
      excluded boolean not null default false,
      note text not null default '',
      created_by uuid references app_user (id),
      updated_by uuid references app_user (id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint measure_value_key unique (measure_id, team_id, period_start),
      constraint measure_value_denominator check (denominator is null or denominator > 0)
    );
    create index measure_value_team_idx on measure_value (team_id, measure_id, period_start);

    -- The value as it was before each correction (the current one is in measure_value).
    create table measure_value_revision (
      id uuid primary key,
      value_id uuid not null references measure_value (id) on delete cascade,
      numerator double precision not null,
      denominator double precision,
      excluded boolean not null,
      note text not null,
      changed_by uuid references app_user (id),
      changed_at timestamptz not null,
      source text not null,
      constraint measure_value_revision_source check (source in ('grid', 'import', 'api'))
    );
    create index measure_value_revision_value_idx on measure_value_revision (value_id, changed_at, id);

    -- A dated event shown on charts. team_id null: a network-wide event (a strike, a snow week).
    -- measure_id null: on every chart of the team (or network). phase_break: the chart starts a
    -- new phase (part) at this date.
    create table annotation (
      id uuid primary key,
      network_id uuid not null references network (id) on delete restrict,
      team_id uuid references team (id) on delete cascade,
      measure_id uuid references measure (id) on delete cascade,
      occurred_on date not null,
      label text not null,
      kind text not null,
      phase_break boolean not null default false,
      pdsa_cycle_id uuid references pdsa_cycle (id) on delete cascade,
      change_idea_id uuid references change_idea (id) on delete cascade,
      visibility text not null default 'team',
      created_by uuid references app_user (id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint annotation_label_length check (char_length(label) between 1 and 200),
      constraint annotation_kind check (kind in ('change_idea', 'pdsa', 'phase_change', 'external', 'note')),
      constraint annotation_visibility check (visibility in ('public', 'coalition', 'network', 'team', 'private'))
    );
    create index annotation_network_idx on annotation (network_id, occurred_on, id);
    create index annotation_team_idx on annotation (team_id, occurred_on, id);
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runEach(
    db,
    `
    drop table annotation;
    drop table measure_value_revision;
    drop table measure_value;
    drop table measure;
    drop table attachment;
    drop table pdsa_transition;
    alter table change_idea drop constraint change_idea_source_cycle_fk;
    drop table pdsa_cycle;
    drop table change_idea_tag;
    drop table tag;
    drop table change_idea;
    drop table driver_diagram_revision;
    drop table driver_diagram;
    drop table project;
    drop table charter;
  `,
  );
}

/** PGlite's extended protocol takes one statement per query: run the script statement by statement. */
async function runEach(db: Kysely<unknown>, script: string): Promise<void> {
  for (const statement of script.split(/;\s*\n/)) {
    if (statement.trim()) await sql.raw(statement).execute(db);
  }
}
