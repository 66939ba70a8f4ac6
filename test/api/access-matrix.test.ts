/**
 * The access matrix: every route of the API, for every kind of caller and every visibility level,
 * with the status the caller must get and, for lists and writes, what they must see or change.
 *
 * The expectations come from the rules written down in this file (`sees`, `managesCoalition`,
 * `managesNetwork`, …), stated from the product rules of issue 4 and checked against a literal
 * table of worked examples (SEEN_BY); the test never calls `canSee()` or `may.*` from src/.
 *
 * Status of a request, first failing check wins (docs/adr/0003-access-model.md):
 *   a record named by the request that the caller cannot see (or that does not exist) → 404,
 *   signed out → 401, signed in but not allowed (or a read-only token writing) → 403,
 *   then the route's own outcome (200/201/204, or 400/409 when the rules make the write invalid).
 * A signed-out *write* naming a record the caller cannot see meets both "unseen → 404" and
 * "signed-out write → 401"; either is accepted, provided the caller gets the same answer for every
 * such target of the route, a missing id included (the runner checks this: existence must not
 * leak through the status).
 *
 * Lists must return exactly the ids the caller may see (set equality, one page). Writes are sent
 * with the record's current ETag and checked in the database: a refused write changed nothing and
 * wrote no audit event; an allowed one made its change and one audit event, and is then undone
 * (rows restored from a snapshot, created rows removed), so that cases do not interfere.
 *
 * The world (built once): networks N1 and N2 (network-visible), teams A and B in N1 and C in N2
 * (team-visible), and for each record type one record per visibility level; the memberships of
 * every caller plus those of "extra" (roles in records of every visibility), and one open
 * invitation into each scope. The callers: signed out, partner, reviewer, coalition hub
 * facilitator (also through a read-only API token), facilitator of N1, members of A, B and C,
 * instance admin, and the author of the private drafts. Private drafts are
 * written by "author", a second hub facilitator of N1: the caller "n1Facilitator" has exactly the
 * same roles, so any difference between the two is the private-draft rule alone. The author
 * creates its private team through the API (facilitators may add teams to their network); a
 * private network or organisation needs a coalition role to create, so the admin creates those
 * and the author is then set as `created_by` in the database.
 *
 * Routes are collected with an onRoute hook (Fastify is wrapped below so that the hook is in place
 * before buildApp registers anything), and a route of /api/v1 without an entry in ROUTES fails the
 * first test with the list of missing entries. Each route is one test; its cases are collected and
 * reported together as a table of mismatches.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCoalition } from '../../src/server/modules/coalition/coalition.service.ts';
import { hashSecret, newSecret } from '../../src/server/platform/secrets.ts';
import { createActor, createSession, TEST_PASSWORD, type TestActor } from '../support/actors.ts';
import { createTestApp, type TestApp } from '../support/test-db.ts';

// ---------------------------------------------------------------------------------------------
// Every route the app registers, seen by an onRoute hook added as soon as Fastify is created.

const registered = vi.hoisted(() => [] as { method: string; url: string }[]);
vi.mock('fastify', async (importOriginal) => {
  const original = await importOriginal<typeof import('fastify')>();
  const create = original.default as unknown as (options?: object) => FastifyInstance;
  const tracked = (options?: object) => {
    const app = create(options);
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) registered.push({ method, url: route.url });
    });
    return app;
  };
  return { ...original, default: tracked, fastify: tracked };
});

// ---------------------------------------------------------------------------------------------
// The callers and the records, declared.

type Visibility = 'public' | 'coalition' | 'network' | 'team' | 'private';

const ORGANISATIONS = {
  O_public: 'public',
  O_coalition: 'coalition',
  O_private: 'private',
} as const satisfies Record<string, Visibility>;
type OrganisationKey = keyof typeof ORGANISATIONS;

const NETWORKS = {
  N_public: 'public',
  N_coalition: 'coalition',
  N1: 'network',
  N2: 'network',
  N_private: 'private',
} as const satisfies Record<string, Visibility>;
type NetworkKey = keyof typeof NETWORKS;

const TEAMS = {
  T_public: { network: 'N1', visibility: 'public' },
  T_coalition: { network: 'N1', visibility: 'coalition' },
  T_network: { network: 'N1', visibility: 'network' },
  A: { network: 'N1', visibility: 'team' },
  B: { network: 'N1', visibility: 'team' },
  T_private: { network: 'N1', visibility: 'private' },
  T2_network: { network: 'N2', visibility: 'network' },
  C: { network: 'N2', visibility: 'team' },
} as const satisfies Record<string, { network: NetworkKey; visibility: Visibility }>;
type TeamKey = keyof typeof TEAMS;

type CallerKey =
  | 'anonymous'
  | 'partner'
  | 'reviewer'
  | 'hub'
  | 'hubReadToken'
  | 'n1Facilitator'
  | 'author'
  | 'memberA'
  | 'memberB'
  | 'memberC'
  | 'admin';

interface CallerSpec {
  signedIn: boolean;
  admin?: boolean;
  coalitionRole?: 'hub_facilitator' | 'reviewer' | 'partner';
  facilitates?: NetworkKey[];
  teams?: TeamKey[];
  /** Calls with a `read` API token of the same user as `hub` instead of a session. */
  readToken?: boolean;
}

const CALLERS: Record<CallerKey, CallerSpec> = {
  anonymous: { signedIn: false },
  partner: { signedIn: true, coalitionRole: 'partner' },
  reviewer: { signedIn: true, coalitionRole: 'reviewer' },
  hub: { signedIn: true, coalitionRole: 'hub_facilitator' },
  hubReadToken: { signedIn: true, coalitionRole: 'hub_facilitator', readToken: true },
  n1Facilitator: { signedIn: true, facilitates: ['N1'] },
  author: { signedIn: true, facilitates: ['N1'] },
  memberA: { signedIn: true, teams: ['A'] },
  memberB: { signedIn: true, teams: ['B'] },
  memberC: { signedIn: true, teams: ['C'] },
  admin: { signedIn: true, admin: true },
};
const CALLER_KEYS = Object.keys(CALLERS) as CallerKey[];
/** Private drafts in the world are all by this caller. */
const AUTHOR: CallerKey = 'author';

// ---------------------------------------------------------------------------------------------
// The rules, stated independently of src/server/platform/access.ts.

interface Scope {
  visibility: Visibility;
  network: NetworkKey | null;
  team: TeamKey | null;
}
const organisationScope = (key: OrganisationKey): Scope => ({
  visibility: ORGANISATIONS[key],
  network: null,
  team: null,
});
const networkScope = (key: NetworkKey): Scope => ({
  visibility: NETWORKS[key],
  network: key,
  team: null,
});
const teamScope = (key: TeamKey): Scope => ({
  visibility: TEAMS[key].visibility,
  network: TEAMS[key].network,
  team: key,
});

/** Instance admins and coalition-wide hub facilitators. */
const managesCoalition = (c: CallerSpec) =>
  c.admin === true || c.coalitionRole === 'hub_facilitator';
/** …and the hub facilitators of that network. */
const managesNetwork = (c: CallerSpec, network: NetworkKey) =>
  managesCoalition(c) || (c.facilitates ?? []).includes(network);
/** The networks a caller belongs to: those they facilitate and those of their teams. */
const networksOf = (c: CallerSpec): NetworkKey[] => [
  ...(c.facilitates ?? []),
  ...(c.teams ?? []).map((team) => TEAMS[team].network),
];

/**
 * public: everyone; coalition: everyone signed in; network: its members (facilitators and the
 * members of its teams); team: its members and its network's facilitators; private: the author.
 * Admins see everything, coalition hub facilitators everything but others' private drafts.
 */
function sees(key: CallerKey, record: Scope): boolean {
  const c = CALLERS[key];
  if (c.admin) return true;
  switch (record.visibility) {
    case 'public':
      return true;
    case 'private':
      return key === AUTHOR;
    case 'coalition':
      return c.signedIn;
    case 'network':
      return (
        managesCoalition(c) || (record.network !== null && networksOf(c).includes(record.network))
      );
    case 'team':
      return (
        managesCoalition(c) ||
        (record.team !== null && (c.teams ?? []).includes(record.team)) ||
        (record.network !== null && (c.facilitates ?? []).includes(record.network))
      );
  }
}

/** Worked examples of `sees`, by hand: if the rules above drift, this table says so. */
const EVERYONE = CALLER_KEYS;
const SIGNED_IN = CALLER_KEYS.filter((key) => key !== 'anonymous');
const N1_MEMBERS: CallerKey[] = [
  'hub',
  'hubReadToken',
  'n1Facilitator',
  'author',
  'memberA',
  'memberB',
  'admin',
];
const SEEN_BY: Record<OrganisationKey | NetworkKey | TeamKey, CallerKey[]> = {
  O_public: EVERYONE,
  O_coalition: SIGNED_IN,
  O_private: ['author', 'admin'],
  N_public: EVERYONE,
  N_coalition: SIGNED_IN,
  N1: N1_MEMBERS,
  N2: ['hub', 'hubReadToken', 'memberC', 'admin'],
  N_private: ['author', 'admin'],
  T_public: EVERYONE,
  T_coalition: SIGNED_IN,
  T_network: N1_MEMBERS,
  A: ['hub', 'hubReadToken', 'n1Facilitator', 'author', 'memberA', 'admin'],
  B: ['hub', 'hubReadToken', 'n1Facilitator', 'author', 'memberB', 'admin'],
  T_private: ['author', 'admin'],
  T2_network: ['hub', 'hubReadToken', 'memberC', 'admin'],
  C: ['hub', 'hubReadToken', 'memberC', 'admin'],
};

type MembershipScope =
  | { kind: 'coalition' }
  | { kind: 'network'; network: NetworkKey }
  | { kind: 'team'; team: TeamKey };

/** The record a role is held in (the coalition: seen by everyone signed in). */
const scopeOfMembership = (scope: MembershipScope): Scope =>
  scope.kind === 'team'
    ? teamScope(scope.team)
    : scope.kind === 'network'
      ? networkScope(scope.network)
      : { visibility: 'coalition', network: null, team: null };

/** A membership is as visible as its network or team; coalition-wide roles to everyone signed in. */
function seesMembership(key: CallerKey, scope: MembershipScope): boolean {
  return CALLERS[key].signedIn && sees(key, scopeOfMembership(scope));
}

/** Who grants, changes and removes roles in a scope (and sees members' emails there). */
function managesScope(key: CallerKey, scope: MembershipScope): boolean {
  const c = CALLERS[key];
  if (scope.kind === 'coalition') return managesCoalition(c);
  return managesNetwork(c, scope.kind === 'team' ? TEAMS[scope.team].network : scope.network);
}

/**
 * Open invitations: seen (listed, revoked) by those who may invite into their scope, which is
 * the same as for granting a role there: manage the scope and see it.
 */
function seesInvitation(key: CallerKey, scope: MembershipScope): boolean {
  return CALLERS[key].signedIn && managesScope(key, scope) && sees(key, scopeOfMembership(scope));
}

/** A write is allowed when the roles allow it and the caller does not use a read-only token. */
const writes = (key: CallerKey, allowedByRoles: boolean) =>
  allowedByRoles && !CALLERS[key].readToken;

type Expected = number | { anyOf: number[] };
/**
 * A signed-out write naming a record the caller cannot see: "unseen → 404" and "signed-out
 * write → 401" both apply. Either is right as long as it does not depend on whether the record
 * exists: the runner checks that one caller gets the same status for all such targets of a
 * route, the missing record included.
 */
const SIGNED_OUT_UNSEEN: Expected = { anyOf: [401, 404] };

/** The status of a write on a record: 404 unseen, 401 signed out, 403 not allowed, else `ok`. */
function onRecord(key: CallerKey, visible: boolean, allowed: boolean, ok: number): Expected {
  if (!visible) return CALLERS[key].signedIn ? 404 : SIGNED_OUT_UNSEEN;
  if (!CALLERS[key].signedIn) return 401;
  if (!writes(key, allowed)) return 403;
  return ok;
}

/** The status of a create whose body names a parent record (or none: `parentVisible` true). */
function onCreate(key: CallerKey, parentVisible: boolean, allowed: boolean, ok: number): Expected {
  if (!CALLERS[key].signedIn) return parentVisible ? 401 : SIGNED_OUT_UNSEEN;
  return onRecord(key, parentVisible, allowed, ok);
}

const ALL_SCOPES: MembershipScope[] = [
  { kind: 'coalition' },
  ...(Object.keys(NETWORKS) as NetworkKey[]).map((network) => ({
    kind: 'network' as const,
    network,
  })),
  ...(Object.keys(TEAMS) as TeamKey[]).map((team) => ({ kind: 'team' as const, team })),
];
const scopeName = (scope: MembershipScope) =>
  scope.kind === 'coalition' ? 'coalition' : scope.kind === 'network' ? scope.network : scope.team;

// ---------------------------------------------------------------------------------------------
// The improvement workspace: its records, declared, and the rules for them.

const CHARTERS = {
  CH_public: { network: 'N1', visibility: 'public' },
  CH_coalition: { network: 'N1', visibility: 'coalition' },
  CH_network: { network: 'N1', visibility: 'network' },
  CH_private: { network: 'N1', visibility: 'private' },
  CH2_network: { network: 'N2', visibility: 'network' },
} as const satisfies Record<string, { network: NetworkKey; visibility: Visibility }>;
type CharterKey = keyof typeof CHARTERS;

/** `bare`: no PDSA cycle and no local measure, so that it can be deleted. */
const PROJECTS = {
  P_A: { team: 'A', visibility: 'team', charter: 'CH_network', bare: false },
  P_B: { team: 'B', visibility: 'team', charter: 'CH_network', bare: false },
  P_C: { team: 'C', visibility: 'team', charter: 'CH2_network', bare: false },
  P_network: { team: 'T_network', visibility: 'network', charter: null, bare: false },
  P_private: { team: 'A', visibility: 'private', charter: 'CH_network', bare: false },
  P_bare: { team: 'B', visibility: 'coalition', charter: 'CH_network', bare: true },
} as const satisfies Record<
  string,
  { team: TeamKey; visibility: Visibility; charter: CharterKey | null; bare: boolean }
>;
type ProjectKey = keyof typeof PROJECTS;

/** `by`: who wrote the idea (its author may edit it). Network ideas have no team. */
const IDEAS = {
  CI_public: { network: 'N1', team: null, visibility: 'public', by: 'admin' },
  CI_coalition: { network: 'N1', team: null, visibility: 'coalition', by: 'admin' },
  CI_network: { network: 'N1', team: null, visibility: 'network', by: 'memberB' },
  CI_team: { network: 'N1', team: 'A', visibility: 'team', by: 'memberA' },
  CI_private: { network: 'N1', team: null, visibility: 'private', by: 'author' },
  CI2_network: { network: 'N2', team: null, visibility: 'network', by: 'admin' },
} as const satisfies Record<
  string,
  { network: NetworkKey; team: TeamKey | null; visibility: Visibility; by: CallerKey }
>;
type IdeaKey = keyof typeof IDEAS;

/** One PDSA cycle per project that is not bare, all still in plan. */
const CYCLES = {
  Y_A: { project: 'P_A', idea: 'CI_team', visibility: 'team' },
  Y_B: { project: 'P_B', idea: 'CI_network', visibility: 'coalition' },
  Y_C: { project: 'P_C', idea: 'CI2_network', visibility: 'public' },
  Y_network: { project: 'P_network', idea: 'CI_network', visibility: 'network' },
  Y_private: { project: 'P_private', idea: 'CI_network', visibility: 'private' },
} as const satisfies Record<string, { project: ProjectKey; idea: IdeaKey; visibility: Visibility }>;
type CycleKey = keyof typeof CYCLES;

/** Common measures belong to a charter, local ones to a project; both take their owner's visibility. */
const MEASURES = {
  M_public: { charter: 'CH_public', project: null },
  M_common: { charter: 'CH_network', project: null },
  M_A: { charter: null, project: 'P_A' },
  M_B: { charter: null, project: 'P_B' },
  M_C: { charter: null, project: 'P_C' },
  M_network: { charter: null, project: 'P_network' },
  M_private: { charter: null, project: 'P_private' },
} as const satisfies Record<string, { charter: CharterKey | null; project: ProjectKey | null }>;
type MeasureKey = keyof typeof MEASURES;

/** Series of values stored (January to March 2026), by measure and team. */
const SERIES = [
  { measure: 'M_common', team: 'A' },
  { measure: 'M_common', team: 'B' },
  { measure: 'M_A', team: 'A' },
  { measure: 'M_B', team: 'B' },
  { measure: 'M_C', team: 'C' },
  { measure: 'M_private', team: 'A' },
] as const satisfies { measure: MeasureKey; team: TeamKey }[];
const PERIODS = ['2026-01-01', '2026-02-01', '2026-03-01'];

/** Network-wide annotations have no team. All on 1 February 2026, on every chart. */
const ANNOTATIONS = {
  AN_public: { network: 'N1', team: null, visibility: 'public' },
  AN_coalition: { network: 'N1', team: null, visibility: 'coalition' },
  AN_network: { network: 'N1', team: null, visibility: 'network' },
  AN_team: { network: 'N1', team: 'A', visibility: 'team' },
  AN_private: { network: 'N1', team: null, visibility: 'private' },
} as const satisfies Record<
  string,
  { network: NetworkKey; team: TeamKey | null; visibility: Visibility }
>;
type AnnotationKey = keyof typeof ANNOTATIONS;

type ImprovementKey = CharterKey | ProjectKey | IdeaKey | CycleKey | MeasureKey | AnnotationKey;

const charterKeys = Object.keys(CHARTERS) as CharterKey[];
const projectKeys = Object.keys(PROJECTS) as ProjectKey[];
const ideaKeys = Object.keys(IDEAS) as IdeaKey[];
const cycleKeys = Object.keys(CYCLES) as CycleKey[];
const measureKeys = Object.keys(MEASURES) as MeasureKey[];
const annotationKeys = Object.keys(ANNOTATIONS) as AnnotationKey[];

const charterScope = (key: CharterKey): Scope => ({
  visibility: CHARTERS[key].visibility,
  network: CHARTERS[key].network,
  team: null,
});
const projectScope = (key: ProjectKey): Scope => ({
  visibility: PROJECTS[key].visibility,
  network: TEAMS[PROJECTS[key].team].network,
  team: PROJECTS[key].team,
});
const ideaScope = (key: IdeaKey): Scope => ({
  visibility: IDEAS[key].visibility,
  network: IDEAS[key].network,
  team: IDEAS[key].team,
});
const teamOfCycle = (key: CycleKey): TeamKey => PROJECTS[CYCLES[key].project].team;
const cycleScope = (key: CycleKey): Scope => ({
  visibility: CYCLES[key].visibility,
  network: TEAMS[teamOfCycle(key)].network,
  team: teamOfCycle(key),
});
/** A measure is as visible as its owner: its charter (common) or its project (local). */
function measureScope(key: MeasureKey): Scope {
  const { charter, project } = MEASURES[key];
  return charter ? charterScope(charter) : projectScope(project as ProjectKey);
}
const networkOfMeasure = (key: MeasureKey) => measureScope(key).network as NetworkKey;
const annotationScope = (key: AnnotationKey): Scope => ({
  visibility: ANNOTATIONS[key].visibility,
  network: ANNOTATIONS[key].network,
  team: ANNOTATIONS[key].team,
});
/**
 * A team's measure data is "team" level: its members, its network's facilitators, coalition hub
 * facilitators and admins — and only for a team record the caller can see (a private draft
 * team's data stays with its author).
 */
const teamDataScope = (team: TeamKey): Scope => ({
  visibility: 'team',
  network: TEAMS[team].network,
  team,
});

/** A team's own work (projects, cycles, local measures, data): coalition and network managers and its members. */
const worksInTeam = (c: CallerSpec, team: TeamKey) =>
  managesNetwork(c, TEAMS[team].network) || (c.teams ?? []).includes(team);
/** Shared work of a network (its change ideas): coalition managers and the network's members. */
const contributesTo = (c: CallerSpec, network: NetworkKey) =>
  managesCoalition(c) || networksOf(c).includes(network);

/** The measures a team reports: the common ones of its projects' charters and its projects' own. */
const reportsMeasure = (team: TeamKey, measure: MeasureKey) => {
  const { charter, project } = MEASURES[measure];
  return projectKeys.some(
    (p) => PROJECTS[p].team === team && (charter ? PROJECTS[p].charter === charter : p === project),
  );
};
const hasSeries = (measure: MeasureKey, team: TeamKey) =>
  SERIES.some((s) => s.measure === measure && s.team === team);
/** Teams holding improvement work (projects, cycles, change ideas), which cannot simply go. */
const teamHasWork = (team: TeamKey) =>
  projectKeys.some((p) => PROJECTS[p].team === team) ||
  ideaKeys.some((i) => IDEAS[i].team === team);

// ---------------------------------------------------------------------------------------------
// The world.

interface Caller {
  key: CallerKey;
  /** The user behind the caller (undefined when signed out). */
  userId: string | undefined;
  headers: Record<string, string>;
}

interface MembershipFixture {
  label: string;
  id: string;
  userId: string;
  role: string;
  scope: MembershipScope;
}

let t: TestApp;
const ids = {} as Record<OrganisationKey | NetworkKey | TeamKey, string>;
const actors = {} as Record<Exclude<CallerKey, 'anonymous' | 'hubReadToken'>, TestActor>;
let callers: Caller[] = [];
/** Holds roles all over the world, but never calls: its memberships are targets. */
let extra: TestActor;
/** Has no role: new memberships are granted to them, and they are "another account". */
let grantee: TestActor;
let memberships: MembershipFixture[] = [];
/** One open invitation into each scope (the coalition, every network, every team). */
const invitations: { label: string; id: string; scope: MembershipScope }[] = [];
let coalitionId: string;
const MISSING = '7d0f2b4e-1b7a-4c9e-9a57-2f1b0c9d8e11';
let unique = 0;
const nextName = (what: string) => `${what} ${++unique}`;
let casesRun = 0;

async function api(headers: Record<string, string>, options: InjectOptions) {
  const res = await t.app.inject({ ...options, headers: { ...headers, ...options.headers } });
  if (res.statusCode >= 500) throw new Error(`${options.method} ${options.url}: ${res.body}`);
  return res;
}

beforeAll(async () => {
  t = await createTestApp();
  coalitionId = (
    await createCoalition(t.ctx, { name: 'Riverbend Hub', slug: 'riverbend', description: '' })
  ).id;
  actors.admin = await createActor(t.ctx, { name: 'Admin', is_admin: true });
  const asAdmin = (options: InjectOptions) => api(actors.admin.headers, options);
  const created = async (options: InjectOptions) => {
    const res = await asAdmin(options);
    if (res.statusCode !== 201) throw new Error(`fixture ${options.url}: ${res.body}`);
    return res.json().id as string;
  };

  for (const [key, visibility] of Object.entries(ORGANISATIONS) as [OrganisationKey, Visibility][])
    ids[key] = await created({
      method: 'POST',
      url: '/api/v1/organisations',
      payload: { name: `Organisation ${key}`, type: 'nonprofit', visibility },
    });
  for (const [key, visibility] of Object.entries(NETWORKS) as [NetworkKey, Visibility][])
    ids[key] = await created({
      method: 'POST',
      url: '/api/v1/networks',
      payload: { name: `Network ${key}`, visibility },
    });
  for (const key of teamKeys.filter((team) => team !== 'T_private'))
    ids[key] = await created({
      method: 'POST',
      url: '/api/v1/teams',
      payload: {
        name: `Team ${key}`,
        network_id: ids[TEAMS[key].network],
        visibility: TEAMS[key].visibility,
      },
    });

  const roles = (spec: CallerSpec) => [
    ...(spec.coalitionRole ? [{ role: spec.coalitionRole }] : []),
    ...(spec.facilitates ?? []).map((network) => ({
      role: 'hub_facilitator' as const,
      network_id: ids[network],
    })),
    ...(spec.teams ?? []).map((team) => ({ role: 'team_member' as const, team_id: ids[team] })),
  ];
  for (const key of CALLER_KEYS) {
    if (key === 'anonymous' || key === 'hubReadToken' || key === 'admin') continue;
    actors[key] = await createActor(t.ctx, { name: key, roles: roles(CALLERS[key]) });
  }

  // The author's private drafts: the team through the API, the others reassigned to them.
  const draft = await api(actors.author.headers, {
    method: 'POST',
    url: '/api/v1/teams',
    payload: { name: 'Team T_private', network_id: ids.N1, visibility: 'private' },
  });
  if (draft.statusCode !== 201) throw new Error(`fixture private team: ${draft.body}`);
  ids.T_private = draft.json().id;
  await t.db
    .updateTable('organisation')
    .set({ created_by: actors.author.id })
    .where('id', '=', ids.O_private)
    .execute();
  await t.db
    .updateTable('network')
    .set({ created_by: actors.author.id })
    .where('id', '=', ids.N_private)
    .execute();

  extra = await createActor(t.ctx, {
    name: 'Extra',
    roles: [
      { role: 'reviewer' },
      { role: 'hub_facilitator', network_id: ids.N_public },
      { role: 'hub_facilitator', network_id: ids.N_private },
      { role: 'hub_facilitator', network_id: ids.N2 },
      { role: 'team_member', team_id: ids.T_public },
      { role: 'team_member', team_id: ids.T_network },
      { role: 'team_member', team_id: ids.T_private },
      { role: 'team_member', team_id: ids.C },
    ],
  });
  grantee = await createActor(t.ctx, { name: 'Grantee' });

  for (const scope of ALL_SCOPES) {
    const where = scopeName(scope);
    const id = await created({
      method: 'POST',
      url: '/api/v1/invitations',
      payload: { email: `invitee-${where.toLowerCase()}@example.org`, ...grantBody(scope) },
    });
    invitations.push({ label: `invitation to ${where}`, id, scope });
  }

  await buildImprovementWorld();

  const token = await api(actors.hub.headers, {
    method: 'POST',
    url: '/api/v1/me/tokens',
    payload: { name: 'read only', scope: 'read' },
  });
  if (token.statusCode !== 201) throw new Error(`fixture token: ${token.body}`);

  callers = CALLER_KEYS.map((key): Caller => {
    if (key === 'anonymous') return { key, userId: undefined, headers: {} };
    if (key === 'hubReadToken')
      return {
        key,
        userId: actors.hub.id,
        headers: { authorization: `Bearer ${token.json().token}` },
      };
    return { key, userId: actors[key].id, headers: actors[key].headers };
  });

  const nameOfUser = new Map<string, string>([
    ...callers.flatMap((c) => (c.userId && c.key !== 'hubReadToken' ? [[c.userId, c.key]] : [])),
    [extra.id, 'extra'],
  ] as [string, string][]);
  const labelOf = new Map(Object.entries(ids).map(([key, id]) => [id, key]));
  const rows = await t.db.selectFrom('membership').selectAll().execute();
  memberships = rows.map((row) => {
    const scope: MembershipScope = row.team_id
      ? { kind: 'team', team: labelOf.get(row.team_id) as TeamKey }
      : row.network_id
        ? { kind: 'network', network: labelOf.get(row.network_id) as NetworkKey }
        : { kind: 'coalition' };
    const where =
      scope.kind === 'coalition' ? 'coalition' : labelOf.get(row.team_id ?? row.network_id ?? '');
    return {
      label: `${nameOfUser.get(row.user_id)} ${row.role} of ${where}`,
      id: row.id,
      userId: row.user_id,
      role: row.role,
      scope,
    };
  });
});

afterAll(async () => {
  console.info(`access matrix: ${casesRun} cases`);
  await t?.close();
});

/** Ids of the improvement records, by key. */
const rec = {} as Record<ImprovementKey, string>;
/** The stored values: every period of every series. */
let values: { id: string; measure: MeasureKey; team: TeamKey; period: string }[] = [];
/** Tag ids by label: one tag per change idea (`tag <key>`) and one on all of them (`shared`). */
const tagIds = new Map<string, string>();
/** The attachment of Y_A, its text and where the file store keeps it. */
const ATTACHMENT_TEXT = 'Plan for cycle Y_A';
let attachment: { id: string; storageKey: string };

/**
 * The improvement records, written through the API as the admin (private drafts by the author,
 * and two change ideas by team members, whose authorship matters).
 */
async function buildImprovementWorld() {
  const created = async (who: keyof typeof actors, url: string, payload: object) => {
    const res = await api(actors[who].headers, { method: 'POST', url, payload });
    if (res.statusCode !== 201) throw new Error(`fixture ${url}: ${res.body}`);
    return res.json().id as string;
  };
  const writer = (visibility: Visibility) => (visibility === 'private' ? 'author' : 'admin');

  for (const key of charterKeys) {
    const { network, visibility } = CHARTERS[key];
    rec[key] = await created(writer(visibility), '/api/v1/charters', {
      network_id: ids[network],
      title: `Charter ${key}`,
      visibility,
    });
  }
  for (const key of projectKeys) {
    const { team, visibility, charter } = PROJECTS[key];
    rec[key] = await created(writer(visibility), '/api/v1/projects', {
      team_id: ids[team],
      title: `Project ${key}`,
      visibility,
      ...(charter ? { charter_id: rec[charter] } : {}),
    });
  }
  for (const key of ideaKeys) {
    const { network, team, visibility, by } = IDEAS[key];
    rec[key] = await created(by as keyof typeof actors, '/api/v1/change-ideas', {
      network_id: ids[network],
      ...(team ? { team_id: ids[team] } : {}),
      title: `Idea ${key}`,
      visibility,
      tags: [`tag ${key}`, 'shared'],
    });
  }
  for (const key of cycleKeys) {
    const { project, idea, visibility } = CYCLES[key];
    rec[key] = await created(writer(visibility), '/api/v1/pdsa-cycles', {
      project_id: rec[project],
      change_idea_id: rec[idea],
      title: `Cycle ${key}`,
      visibility,
      plan: { questions: [{ text: 'Will it work?', predictions: [{ text: 'Yes' }] }] },
    });
  }
  for (const key of measureKeys) {
    const { charter, project } = MEASURES[key];
    rec[key] = await created(writer(measureScope(key).visibility), '/api/v1/measures', {
      ...(charter ? { charter_id: rec[charter] } : { project_id: rec[project as ProjectKey] }),
      name: `Measure ${key}`,
      kind: 'process',
      frequency: 'monthly',
      chart_type: 'run',
    });
  }
  for (const team of [...new Set(SERIES.map((s) => s.team))]) {
    const res = await api(actors.admin.headers, {
      method: 'PUT',
      url: `/api/v1/teams/${ids[team]}/measure-values`,
      payload: {
        values: SERIES.filter((s) => s.team === team).flatMap((s) =>
          PERIODS.map((period, i) => ({
            measure_id: rec[s.measure],
            period_start: period,
            numerator: 10 + i,
          })),
        ),
      },
    });
    if (res.statusCode !== 200) throw new Error(`fixture values of ${team}: ${res.body}`);
  }
  for (const key of annotationKeys) {
    const { network, team, visibility } = ANNOTATIONS[key];
    rec[key] = await created(writer(visibility), '/api/v1/annotations', {
      ...(team ? { team_id: ids[team] } : { network_id: ids[network] }),
      occurred_on: '2026-02-01',
      label: `Annotation ${key}`,
      kind: 'note',
      visibility,
    });
  }
  const upload = await api(actors.admin.headers, {
    method: 'POST',
    url: `/api/v1/pdsa-cycles/${rec.Y_A}/attachments?filename=plan.txt`,
    payload: ATTACHMENT_TEXT,
    headers: { 'content-type': 'text/plain' },
  });
  if (upload.statusCode !== 201) throw new Error(`fixture attachment: ${upload.body}`);
  const stored = await t.db
    .selectFrom('attachment')
    .select(['id', 'storage_key'])
    .where('id', '=', upload.json().id)
    .executeTakeFirstOrThrow();
  attachment = { id: stored.id, storageKey: stored.storage_key };

  const keyOf = new Map<string, string>(Object.entries(rec).map(([key, id]) => [id, key]));
  const teamOf = new Map<string, string>(Object.entries(ids).map(([key, id]) => [id, key]));
  values = (await t.db.selectFrom('measure_value').selectAll().execute()).map((row) => ({
    id: row.id,
    measure: keyOf.get(row.measure_id) as MeasureKey,
    team: teamOf.get(row.team_id) as TeamKey,
    period: String(row.period_start),
  }));
  for (const row of await t.db.selectFrom('tag').select(['id', 'label']).execute())
    tagIds.set(row.label, row.id);
}

// ---------------------------------------------------------------------------------------------
// Stored state, to check what a write did (or did not do) and to put the world back after it.

type Kind = 'organisation' | 'network' | 'team' | 'membership' | 'invitation' | ImprovementKind;

type ImprovementKind =
  | 'charter'
  | 'project'
  | 'change_idea'
  | 'pdsa_cycle'
  | 'measure'
  | 'annotation'
  | 'attachment';
const IMPROVEMENT_KINDS: readonly string[] = [
  'charter',
  'project',
  'change_idea',
  'pdsa_cycle',
  'measure',
  'annotation',
  'attachment',
] satisfies ImprovementKind[];
const isImprovementKind = (kind: Kind): kind is ImprovementKind => IMPROVEMENT_KINDS.includes(kind);

/**
 * Rows of one table that a write may change, found by `column = value`. `upsert` groups are put
 * back row by row (their rows are parents of others); `replace` groups are leaves, emptied and
 * refilled, so rows a write added go too (a diagram revision, a transition).
 */
interface RowGroup {
  table: string;
  column: string;
  value: string;
  mode: 'upsert' | 'replace';
  rows: Record<string, unknown>[];
}
type LooseDb = Kysely<Record<string, Record<string, unknown>>>;
const loose = () => t.db as unknown as LooseDb;

async function rowGroup(
  table: string,
  column: string,
  value: string,
  mode: RowGroup['mode'],
): Promise<RowGroup> {
  const rows = await loose()
    .selectFrom(table)
    .selectAll()
    .where(column, '=', value)
    .orderBy(table === 'change_idea_tag' ? 'tag_id' : 'id')
    .execute();
  return { table, column, value, mode, rows };
}

/** The rows of an improvement record and of what goes with it (its diagram, log, files). */
async function improvementRows(kind: ImprovementKind, id: string): Promise<RowGroup[]> {
  const main = await rowGroup(kind, 'id', id, kind === 'attachment' ? 'replace' : 'upsert');
  if (kind === 'charter' || kind === 'project') {
    const diagram = await rowGroup('driver_diagram', `${kind}_id`, id, 'upsert');
    const diagramId = diagram.rows[0]?.id;
    return [
      main,
      diagram,
      ...(diagramId
        ? [await rowGroup('driver_diagram_revision', 'diagram_id', String(diagramId), 'replace')]
        : []),
    ];
  }
  if (kind === 'change_idea')
    return [main, await rowGroup('change_idea_tag', 'change_idea_id', id, 'replace')];
  if (kind === 'pdsa_cycle')
    return [
      main,
      await rowGroup('pdsa_transition', 'cycle_id', id, 'replace'),
      await rowGroup('attachment', 'pdsa_cycle_id', id, 'replace'),
    ];
  return [main];
}

/** jsonb columns go back as JSON text, as the services write them. */
const storable = (row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row).map(([column, value]) => [
      column,
      value !== null && typeof value === 'object' && !(value instanceof Date)
        ? JSON.stringify(value)
        : value,
    ]),
  );

async function restoreRows(groups: RowGroup[]): Promise<void> {
  const db = loose();
  for (const group of groups) {
    if (group.mode === 'replace')
      await db.deleteFrom(group.table).where(group.column, '=', group.value).execute();
    for (const row of group.rows.map(storable)) {
      if (group.mode === 'replace') await db.insertInto(group.table).values(row).execute();
      else
        await db
          .insertInto(group.table)
          .values(row)
          .onConflict((oc) => oc.column('id').doUpdateSet(row))
          .execute();
      // A fixture's file went with its attachment row: put it back in the file store.
      if (group.table === 'attachment' && row.id === attachment.id)
        await t.ctx.files?.put(attachment.storageKey, Buffer.from(ATTACHMENT_TEXT));
    }
  }
}

async function snapshot(kind: Kind, id: string) {
  const db = t.db;
  const rows = <T>(wanted: boolean, query: () => Promise<T[]>) =>
    wanted ? query() : Promise.resolve([] as T[]);
  return {
    organisation: await rows(kind === 'organisation', () =>
      db.selectFrom('organisation').selectAll().where('id', '=', id).execute(),
    ),
    network: await rows(kind === 'network', () =>
      db.selectFrom('network').selectAll().where('id', '=', id).execute(),
    ),
    // Deleting an organisation unlinks its teams.
    team: await rows(kind === 'team' || kind === 'organisation', () =>
      db
        .selectFrom('team')
        .selectAll()
        .where(kind === 'team' ? 'id' : 'organisation_id', '=', id)
        .orderBy('id')
        .execute(),
    ),
    // Deleting a network or a team takes its memberships and invitations with it.
    membership: await rows(kind === 'membership' || kind === 'network' || kind === 'team', () =>
      db
        .selectFrom('membership')
        .selectAll()
        .where(
          kind === 'membership' ? 'id' : kind === 'network' ? 'network_id' : 'team_id',
          '=',
          id,
        )
        .orderBy('id')
        .execute(),
    ),
    invitation: await rows(kind === 'invitation' || kind === 'network' || kind === 'team', () =>
      db
        .selectFrom('invitation')
        .selectAll()
        .where(
          kind === 'invitation' ? 'id' : kind === 'network' ? 'network_id' : 'team_id',
          '=',
          id,
        )
        .orderBy('id')
        .execute(),
    ),
    improvement: isImprovementKind(kind) ? await improvementRows(kind, id) : [],
  };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

async function restore(s: Snapshot): Promise<void> {
  const db = t.db;
  for (const row of s.organisation)
    await db
      .insertInto('organisation')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  for (const row of s.network)
    await db
      .insertInto('network')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  for (const row of s.team)
    await db
      .insertInto('team')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  for (const row of s.membership)
    await db
      .insertInto('membership')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  for (const row of s.invitation)
    await db
      .insertInto('invitation')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  await restoreRows(s.improvement);
}

async function auditCount(entityId: string): Promise<number> {
  const row = await t.db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('entity_id', '=', entityId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const mainRow = (s: Snapshot, kind: Kind) =>
  (isImprovementKind(kind) ? s.improvement[0]?.rows[0] : s[kind][0]) as
    | Record<string, unknown>
    | undefined;

// ---------------------------------------------------------------------------------------------
// Cases and the runner.

type Response = LightMyRequestResponse;

interface Case {
  /** What the request is about, with its visibility: `team A (team)`. */
  target: string;
  expected: Expected;
  /** Sends the request; `problem` says what else is wrong (contents, stored state). */
  send: (caller: Caller) => Promise<{ res: Response; problem?: string | undefined }>;
}

interface RouteEntry {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /**
   * For routes that do not look at the caller's roles and cost a password hash per request:
   * one caller per kind of credential (signed out, session, admin session, read token).
   */
  callers?: CallerKey[];
  cases: (caller: Caller) => Case[];
}
const ONE_OF_EACH_CREDENTIAL: CallerKey[] = ['anonymous', 'partner', 'admin', 'hubReadToken'];

interface Mismatch {
  route: string;
  caller: string;
  target: string;
  expected: string;
  got: string;
  problem: string;
}

const showExpected = (e: Expected) => (typeof e === 'number' ? String(e) : e.anyOf.join('|'));
const statusMatches = (e: Expected, got: number) =>
  typeof e === 'number' ? e === got : e.anyOf.includes(got);

function table(rows: Mismatch[]): string {
  const head: Mismatch = {
    route: 'route',
    caller: 'caller',
    target: 'target',
    expected: 'expected',
    got: 'got',
    problem: 'problem',
  };
  const columns = Object.keys(head) as (keyof Mismatch)[];
  const width = (column: keyof Mismatch) =>
    Math.max(...[head, ...rows].map((row) => row[column].length));
  return [head, ...rows]
    .map((row) => columns.map((column) => row[column].padEnd(width(column))).join(' │ '))
    .join('\n');
}

function problemDetail(res: Response): string {
  try {
    return String(res.json().detail ?? '');
  } catch {
    return res.body.slice(0, 100);
  }
}

async function runEntry(entry: RouteEntry): Promise<void> {
  const route = `${entry.method} ${entry.url}`;
  const mismatches: Mismatch[] = [];
  let total = 0;
  for (const caller of callers.filter((c) => !entry.callers || entry.callers.includes(c.key))) {
    const unseen = new Map<number, string[]>();
    for (const one of entry.cases(caller)) {
      total++;
      let sent: Awaited<ReturnType<Case['send']>>;
      try {
        sent = await one.send(caller);
      } catch (error) {
        // A server error (api() throws on 5xx) is one mismatch, not the end of the route.
        mismatches.push({
          route,
          caller: caller.key,
          target: one.target,
          expected: showExpected(one.expected),
          got: 'error',
          problem: String(error instanceof Error ? error.message : error).slice(0, 160),
        });
        continue;
      }
      const { res, problem } = sent;
      if (one.expected === SIGNED_OUT_UNSEEN)
        unseen.set(res.statusCode, [...(unseen.get(res.statusCode) ?? []), one.target]);
      const okStatus = statusMatches(one.expected, res.statusCode);
      if (okStatus && !problem) continue;
      const detail = res.statusCode >= 400 ? problemDetail(res) : '';
      mismatches.push({
        route,
        caller: caller.key,
        target: one.target,
        expected: showExpected(one.expected),
        got: String(res.statusCode),
        problem: problem ?? String(detail).slice(0, 100),
      });
    }
    if (unseen.size > 1)
      mismatches.push({
        route,
        caller: caller.key,
        target: 'records it cannot see',
        expected: 'one status',
        got: [...unseen.keys()].join(' and '),
        problem: `existence leaks: ${[...unseen.entries()].map(([status, targets]) => `${status} for ${targets.join(', ')}`).join('; ')}`,
      });
  }
  casesRun += total;
  if (mismatches.length)
    throw new Error(
      `${mismatches.length} of ${total} cases of ${route} differ from the rules:\n${table(mismatches)}`,
    );
  expect(total).toBeGreaterThan(0);
}

const recordLabel = (key: string, scope: Scope) => `${key} (${scope.visibility})`;
const setProblem = (got: string[], want: string[], name: (id: string) => string) => {
  const extraIds = got.filter((id) => !want.includes(id)).map(name);
  const missing = want.filter((id) => !got.includes(id)).map(name);
  if (!extraIds.length && !missing.length && got.length === want.length) return undefined;
  return `unexpected: [${extraIds.join(', ')}] missing: [${missing.join(', ')}]${
    got.length !== new Set(got).size ? ' (duplicates)' : ''
  }`;
};
const nameOfId = (id: string) =>
  Object.entries(ids).find(([, value]) => value === id)?.[0] ??
  memberships.find((m) => m.id === id)?.label ??
  invitations.find((i) => i.id === id)?.label ??
  Object.entries(rec).find(([, value]) => value === id)?.[0] ??
  [...tagIds].find(([, value]) => value === id)?.[0] ??
  valueLabel(id) ??
  id;

const sameId = (id: string) => (res: Response) =>
  res.json().id === id ? undefined : 'another record';

/** A read of one record. */
function readCase(
  target: string,
  expected: Expected,
  url: string,
  check?: (res: Response) => string | undefined,
): Case {
  return {
    target,
    expected,
    send: async (caller) => {
      const res = await api(caller.headers, { method: 'GET', url });
      return { res, problem: res.statusCode === 200 ? check?.(res) : undefined };
    },
  };
}

/** A list, whose ids must be exactly `want` (all on one page). */
function listCase(
  target: string,
  expected: Expected,
  url: string,
  want: () => string[],
  check?: (items: Record<string, unknown>[]) => string | undefined,
): Case {
  return {
    target,
    expected,
    send: async (caller) => {
      const res = await api(caller.headers, { method: 'GET', url });
      if (res.statusCode !== 200) return { res };
      const page = res.json() as { items: Record<string, unknown>[]; next_cursor: string | null };
      const got = page.items.map((item) => String(item.id));
      const problem =
        (page.next_cursor !== null ? 'more than one page' : undefined) ??
        setProblem(got, want(), nameOfId) ??
        check?.(page.items);
      return { res, problem };
    },
  };
}

/**
 * A PATCH or DELETE of an existing record, sent with its current ETag: when it succeeds the
 * stored record changed as asked and one audit event was written (then the world is put back);
 * when it is refused nothing changed and nothing was audited.
 */
function changeCase(options: {
  target: string;
  expected: Expected;
  kind: Kind;
  id: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: object;
  success: number;
  /** For a success: what is wrong with the stored record after (undefined: deleted). */
  changed: (after: Record<string, unknown> | undefined) => string | undefined;
}): Case {
  return {
    target: options.target,
    expected: options.expected,
    send: async (caller) => {
      const before = await snapshot(options.kind, options.id);
      const audits = await auditCount(options.id);
      const version = mainRow(before, options.kind)?.version ?? 1;
      const res = await api(caller.headers, {
        method: options.method,
        url: options.url,
        headers: { 'if-match': `"${version}"` },
        ...(options.payload ? { payload: options.payload } : {}),
      });
      const after = await snapshot(options.kind, options.id);
      const auditsAfter = await auditCount(options.id);
      let problem: string | undefined;
      if (res.statusCode === options.success) {
        problem =
          options.changed(mainRow(after, options.kind)) ??
          (auditsAfter !== audits + 1 ? `${auditsAfter - audits} audit events` : undefined);
        await restore(before);
      } else {
        if (!same(before, after)) problem = 'refused, but the stored record changed';
        else if (auditsAfter !== audits) problem = 'refused, but an audit event was written';
      }
      return { res, problem };
    },
  };
}

const deleted = (after: Record<string, unknown> | undefined) =>
  after === undefined ? undefined : 'still stored';
const hasField = (field: string, value: unknown) => (after: Record<string, unknown> | undefined) =>
  after?.[field] === value ? undefined : `${field} is ${String(after?.[field])}, not ${value}`;

/**
 * A POST that creates a row: when it succeeds the row is stored (checked by `check`) and audited,
 * then removed; when it is refused no such row exists.
 */
function createCase(options: {
  target: string;
  expected: Expected;
  url: string;
  payload: () => object;
  success?: number;
  find: (payload: object) => Promise<{ id: string; [field: string]: unknown }[]>;
  check?: (row: Record<string, unknown>, caller: Caller) => string | undefined;
  remove: (id: string) => Promise<void>;
  audited?: boolean;
}): Case {
  return {
    target: options.target,
    expected: options.expected,
    send: async (caller) => {
      const payload = options.payload();
      const res = await api(caller.headers, { method: 'POST', url: options.url, payload });
      const rows = await options.find(payload);
      let problem: string | undefined;
      if (res.statusCode === (options.success ?? 201)) {
        const [row] = rows;
        if (!row || rows.length !== 1) problem = `${rows.length} rows stored`;
        else if (row.id !== res.json().id) problem = 'the stored row is not the one returned';
        else
          problem =
            options.check?.(row, caller) ??
            (options.audited !== false && (await auditCount(row.id)) !== 1
              ? 'not audited'
              : undefined);
        for (const stored of rows) await options.remove(stored.id);
      } else if (rows.length) {
        problem = 'refused, but a row was stored';
        for (const stored of rows) await options.remove(stored.id);
      }
      return { res, problem };
    },
  };
}

const createdBy = (row: Record<string, unknown>, caller: Caller) =>
  row.created_by === caller.userId ? undefined : 'created_by is not the caller';

// ---------------------------------------------------------------------------------------------
// The table: every route of the API.

const organisationKeys = Object.keys(ORGANISATIONS) as OrganisationKey[];
const networkKeys = Object.keys(NETWORKS) as NetworkKey[];
const teamKeys = Object.keys(TEAMS) as TeamKey[];
const missingScope: Scope = { visibility: 'private', network: null, team: null };
const isSelf = (caller: Caller, userId: string) => caller.userId === userId;

/** Teams of a network the caller sees: what `team_count` must say. */
const visibleTeamCount = (key: CallerKey, network: NetworkKey) =>
  teamKeys.filter((team) => TEAMS[team].network === network && sees(key, teamScope(team))).length;

function membershipEmailProblem(caller: Caller, item: Record<string, unknown>): string | undefined {
  const fixture = memberships.find((m) => m.id === item.id);
  if (!fixture) return undefined;
  const user = item.user as { email: string | null };
  const shown = isSelf(caller, fixture.userId) || managesScope(caller.key, fixture.scope);
  if (shown && user.email === null) return `email hidden on ${fixture.label}`;
  if (!shown && user.email !== null) return `email shown on ${fixture.label}`;
  return undefined;
}

const membershipLabel = (m: MembershipFixture) =>
  `${m.label} (${scopeOfMembership(m.scope).visibility})`;

const signedInOnly = (caller: Caller, ok: number): Expected =>
  CALLERS[caller.key].signedIn ? ok : 401;

type GrantScope = MembershipScope | { kind: 'missing' };
/** The role a new membership or invitation gets in a scope, and the body naming the scope. */
function grantBody(scope: GrantScope): { role: string; network_id?: string; team_id?: string } {
  if (scope.kind === 'coalition') return { role: 'reviewer' };
  if (scope.kind === 'network') return { role: 'hub_facilitator', network_id: ids[scope.network] };
  if (scope.kind === 'team') return { role: 'team_member', team_id: ids[scope.team] };
  return { role: 'team_member', team_id: MISSING };
}
const grantTarget = (scope: GrantScope) =>
  scope.kind === 'coalition'
    ? 'reviewer of the coalition'
    : scope.kind === 'network'
      ? `facilitator of ${recordLabel(scope.network, networkScope(scope.network))}`
      : scope.kind === 'team'
        ? `member of ${recordLabel(scope.team, teamScope(scope.team))}`
        : 'member of a missing team';
/** Granting (or inviting into) a role: the scope must be visible, and managed by the caller. */
const grantExpected = (caller: Caller, scope: GrantScope) =>
  onCreate(
    caller.key,
    scope.kind !== 'missing' && sees(caller.key, scopeOfMembership(scope)),
    scope.kind !== 'missing' && managesScope(caller.key, scope),
    201,
  );
/** One case per scope a role can be granted in, and a missing team. */
const grantCases = (build: (scope: GrantScope, body: ReturnType<typeof grantBody>) => Case) =>
  [...ALL_SCOPES, { kind: 'missing' as const }].map((scope) => build(scope, grantBody(scope)));

/** An invitation row with a known link secret (the API never shows one), for preview/accept. */
async function invitationWithToken(email: string, role: string) {
  const token = newSecret();
  const id = t.ctx.newId();
  const now = new Date();
  await t.db
    .insertInto('invitation')
    .values({
      id,
      email,
      role: role as 'partner',
      network_id: null,
      team_id: null,
      token_hash: hashSecret(token),
      invited_by: actors.admin.id,
      created_at: now,
      expires_at: new Date(now.getTime() + 86_400_000),
      accepted_at: null,
      accepted_by: null,
      revoked_at: null,
    })
    .execute();
  return { id, token };
}

const userRow = (id: string) =>
  t.db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const ROUTES: RouteEntry[] = [
  // ---- system
  {
    method: 'GET',
    url: '/api/v1/health',
    cases: () => [readCase('—', 200, '/api/v1/health')],
  },
  {
    method: 'GET',
    url: '/api/v1/openapi.json',
    cases: () => [readCase('—', 200, '/api/v1/openapi.json')],
  },

  // ---- accounts: sign-in, the caller's own account, sessions and tokens
  {
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    callers: ONE_OF_EACH_CREDENTIAL,
    cases: (caller) => [
      {
        target: 'valid credentials',
        expected: 200,
        send: async () => {
          const res = await api(caller.headers, {
            method: 'POST',
            url: '/api/v1/auth/sign-in',
            payload: { email: grantee.email, password: TEST_PASSWORD },
          });
          const cookie = String(res.headers['set-cookie'] ?? '');
          return {
            res,
            problem:
              res.statusCode === 200 && !cookie.includes('tandem_session=')
                ? 'no cookie'
                : undefined,
          };
        },
      },
      {
        target: 'unknown account',
        expected: 401,
        send: async () => ({
          res: await api(caller.headers, {
            method: 'POST',
            url: '/api/v1/auth/sign-in',
            payload: { email: `nobody-${caller.key}@example.org`, password: TEST_PASSWORD },
          }),
        }),
      },
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/auth/sign-out',
    cases: (caller) => [
      {
        target: 'a session of the caller',
        expected: 204,
        send: async () => {
          // A second session, so that the caller's own stays usable for the other cases.
          if (!caller.userId || CALLERS[caller.key].readToken)
            return {
              res: await api(caller.headers, { method: 'POST', url: '/api/v1/auth/sign-out' }),
            };
          const session = await createSession(t.ctx, caller.userId);
          const res = await api(
            { ...caller.headers, cookie: session.cookie },
            { method: 'POST', url: '/api/v1/auth/sign-out' },
          );
          const left = await t.db
            .selectFrom('user_session')
            .select('id')
            .where('id', '=', session.id)
            .execute();
          return { res, problem: left.length ? 'the session is still stored' : undefined };
        },
      },
    ],
  },
  {
    method: 'GET',
    url: '/api/v1/me',
    cases: (caller) => [
      readCase('—', signedInOnly(caller, 200), '/api/v1/me', (res) =>
        res.json().id === caller.userId ? undefined : 'another user',
      ),
    ],
  },
  {
    // Stateless: nothing stored, so "nothing changed" holds trivially; the answer must be the
    // engine's, computed for signed-in callers only (read tokens included: it only reads).
    method: 'POST',
    url: '/api/v1/analysis/spc',
    cases: (caller) => [
      {
        target: 'a run chart',
        expected: signedInOnly(caller, 200),
        send: async () => {
          const res = await api(caller.headers, {
            method: 'POST',
            url: '/api/v1/analysis/spc',
            payload: { chart: 'run', values: [3, 1, 4, 1, 5, 9, 2, 6] },
          });
          const problem =
            res.statusCode === 200 && res.json().parts[0].cl !== 3.5 ? 'wrong median' : undefined;
          return { res, problem };
        },
      },
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/me/password',
    callers: ONE_OF_EACH_CREDENTIAL,
    cases: (caller) => [
      {
        // A wrong current password: the route is reached (400) but nothing changes.
        target: 'wrong current password',
        expected: !CALLERS[caller.key].signedIn ? 401 : CALLERS[caller.key].readToken ? 403 : 400,
        send: async () => {
          const hash = async () =>
            caller.userId
              ? (
                  await t.db
                    .selectFrom('app_user')
                    .select('password_hash')
                    .where('id', '=', caller.userId)
                    .executeTakeFirstOrThrow()
                ).password_hash
              : null;
          const before = await hash();
          const res = await api(caller.headers, {
            method: 'POST',
            url: '/api/v1/me/password',
            payload: {
              current_password: 'not my password',
              new_password: 'a brand new passphrase',
            },
          });
          return { res, problem: before !== (await hash()) ? 'the password changed' : undefined };
        },
      },
    ],
  },
  {
    method: 'GET',
    url: '/api/v1/me/sessions',
    cases: (caller) => [
      {
        target: 'own sessions',
        expected: signedInOnly(caller, 200),
        send: async () => {
          const res = await api(caller.headers, {
            method: 'GET',
            url: '/api/v1/me/sessions?limit=200',
          });
          if (res.statusCode !== 200 || !caller.userId) return { res };
          const want = (
            await t.db
              .selectFrom('user_session')
              .select('id')
              .where('user_id', '=', caller.userId)
              .execute()
          ).map((row) => row.id);
          const got = res.json().items.map((item: { id: string }) => item.id);
          return { res, problem: setProblem(got, want, (id) => id) };
        },
      },
    ],
  },
  {
    method: 'DELETE',
    url: '/api/v1/me/sessions/:id',
    cases: (caller) => {
      const spec = CALLERS[caller.key];
      const revoke = (target: string, expected: Expected, owner: () => string): Case => ({
        target,
        expected,
        send: async () => {
          const session = await createSession(t.ctx, owner());
          const res = await api(caller.headers, {
            method: 'DELETE',
            url: `/api/v1/me/sessions/${session.id}`,
          });
          const left = await t.db
            .selectFrom('user_session')
            .select('id')
            .where('id', '=', session.id)
            .execute();
          const gone = left.length === 0;
          return {
            res,
            problem:
              gone !== (res.statusCode === 204)
                ? `the session is ${gone ? 'gone' : 'still stored'}`
                : undefined,
          };
        },
      });
      const writer = spec.readToken ? 403 : undefined;
      return [
        ...(caller.userId
          ? [revoke('own other session', writer ?? 204, () => caller.userId as string)]
          : []),
        revoke('session of another user', !spec.signedIn ? 401 : (writer ?? 404), () => grantee.id),
      ];
    },
  },
  {
    method: 'GET',
    url: '/api/v1/me/tokens',
    cases: (caller) => [
      {
        target: 'own tokens',
        expected: signedInOnly(caller, 200),
        send: async () => {
          const res = await api(caller.headers, {
            method: 'GET',
            url: '/api/v1/me/tokens?limit=200',
          });
          if (res.statusCode !== 200 || !caller.userId) return { res };
          const want = (
            await t.db
              .selectFrom('api_token')
              .select('id')
              .where('user_id', '=', caller.userId)
              .execute()
          ).map((row) => row.id);
          const got = res.json().items.map((item: { id: string }) => item.id);
          return { res, problem: setProblem(got, want, (id) => id) };
        },
      },
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/me/tokens',
    cases: (caller) => [
      createCase({
        target: 'new token',
        // Tokens are made in a signed-in browser session only.
        expected: !CALLERS[caller.key].signedIn ? 401 : CALLERS[caller.key].readToken ? 403 : 201,
        url: '/api/v1/me/tokens',
        payload: () => ({ name: nextName('token'), scope: 'read' }),
        find: (payload) =>
          t.db
            .selectFrom('api_token')
            .selectAll()
            .where('name', '=', (payload as { name: string }).name)
            .execute(),
        check: (row, c) => (row.user_id === c.userId ? undefined : 'token of another user'),
        remove: async (id) => {
          await t.db.deleteFrom('api_token').where('id', '=', id).execute();
        },
        audited: false,
      }),
    ],
  },
  {
    method: 'DELETE',
    url: '/api/v1/me/tokens/:id',
    cases: (caller) => {
      const spec = CALLERS[caller.key];
      const revoke = (target: string, expected: Expected, owner: () => string): Case => ({
        target,
        expected,
        send: async () => {
          const id = t.ctx.newId();
          await t.db
            .insertInto('api_token')
            .values({
              id,
              user_id: owner(),
              name: nextName('token'),
              token_hash: `hash-${id}`,
              scope: 'read',
              created_at: new Date(),
              expires_at: null,
              last_used_at: null,
            })
            .execute();
          const res = await api(caller.headers, {
            method: 'DELETE',
            url: `/api/v1/me/tokens/${id}`,
          });
          const left = await t.db
            .selectFrom('api_token')
            .select('id')
            .where('id', '=', id)
            .execute();
          const gone = left.length === 0;
          await t.db.deleteFrom('api_token').where('id', '=', id).execute();
          return {
            res,
            problem:
              gone !== (res.statusCode === 204)
                ? `the token is ${gone ? 'gone' : 'still stored'}`
                : undefined,
          };
        },
      });
      const writer = spec.readToken ? 403 : undefined;
      return [
        ...(caller.userId
          ? [revoke('own token', writer ?? 204, () => caller.userId as string)]
          : []),
        revoke('token of another user', !spec.signedIn ? 401 : (writer ?? 404), () => grantee.id),
      ];
    },
  },

  // ---- accounts: administration
  {
    method: 'GET',
    url: '/api/v1/users',
    cases: (caller) => [
      {
        target: 'all accounts',
        expected: !CALLERS[caller.key].signedIn ? 401 : CALLERS[caller.key].admin ? 200 : 403,
        send: async () => {
          const res = await api(caller.headers, { method: 'GET', url: '/api/v1/users?limit=200' });
          if (res.statusCode !== 200) return { res };
          const want = (
            await t.db.selectFrom('app_user').select('id').where('deleted_at', 'is', null).execute()
          ).map((row) => row.id);
          const got = res.json().items.map((item: { id: string }) => item.id);
          return { res, problem: setProblem(got, want, (id) => id) };
        },
      },
    ],
  },
  {
    method: 'GET',
    url: '/api/v1/users/:id',
    cases: (caller) => {
      const spec = CALLERS[caller.key];
      return [
        ...(caller.userId ? [readCase('own account', 200, `/api/v1/users/${caller.userId}`)] : []),
        readCase(
          'another account',
          !spec.signedIn ? 401 : spec.admin ? 200 : 404,
          `/api/v1/users/${grantee.id}`,
        ),
      ];
    },
  },
  {
    method: 'PATCH',
    url: '/api/v1/users/:id',
    cases: (caller) => {
      const spec = CALLERS[caller.key];
      const change = (
        target: string,
        expected: Expected,
        userId: () => string,
        payload: () => { display_name?: string; is_admin?: boolean },
      ): Case => ({
        target,
        expected,
        send: async () => {
          const id = userId();
          const read = () =>
            t.db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
          const before = await read();
          const body = payload();
          const res = await api(caller.headers, {
            method: 'PATCH',
            url: `/api/v1/users/${id}`,
            headers: { 'if-match': `"${before.version}"` },
            payload: body,
          });
          const after = await read();
          let problem: string | undefined;
          if (res.statusCode === 200) {
            if (body.display_name !== undefined && after.display_name !== body.display_name)
              problem = 'name not changed';
            await t.db
              .updateTable('app_user')
              .set({
                display_name: before.display_name,
                is_admin: before.is_admin,
                version: before.version,
              })
              .where('id', '=', id)
              .execute();
          } else if (!same(before, after)) problem = 'refused, but the account changed';
          return { res, problem };
        },
      });
      const own = caller.userId;
      return [
        ...(own
          ? [
              change(
                'own account: rename',
                spec.readToken ? 403 : 200,
                () => own,
                () => ({
                  display_name: `${caller.key} renamed`,
                }),
              ),
              change(
                'own account: make admin',
                spec.admin ? 200 : 403,
                () => own,
                () => ({ is_admin: true }),
              ),
            ]
          : []),
        change(
          'another account: rename',
          !spec.signedIn ? 401 : spec.admin ? 200 : 404,
          () => grantee.id,
          () => ({ display_name: 'Renamed by someone' }),
        ),
      ];
    },
  },
  {
    method: 'DELETE',
    url: '/api/v1/users/:id',
    cases: (caller) => {
      const spec = CALLERS[caller.key];
      const remove = (target: string, expected: Expected, userId: () => Promise<string>): Case => ({
        target,
        expected,
        send: async () => {
          const id = await userId();
          const read = () =>
            t.db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
          const before = await read();
          const res = await api(caller.headers, {
            method: 'DELETE',
            url: `/api/v1/users/${id}`,
            headers: { 'if-match': `"${before.version}"` },
          });
          const after = await read();
          const problem =
            res.statusCode === 204
              ? after.deleted_at === null
                ? 'not deleted'
                : undefined
              : !same(before, after)
                ? 'refused, but the account changed'
                : undefined;
          return { res, problem };
        },
      });
      return [
        // The admin is the only one: the last admin cannot delete their account (409).
        ...(caller.userId
          ? [remove('own account', spec.admin ? 409 : 403, async () => caller.userId as string)]
          : []),
        remove(
          'another account',
          !spec.signedIn ? 401 : spec.admin ? 204 : 404,
          async () => (await createActor(t.ctx, { name: nextName('Doomed') })).id,
        ),
      ];
    },
  },

  // ---- coalition
  {
    method: 'GET',
    url: '/api/v1/coalition',
    cases: () => [readCase('the coalition', 200, '/api/v1/coalition')],
  },
  {
    method: 'PATCH',
    url: '/api/v1/coalition',
    cases: (caller) => [
      {
        target: 'the coalition',
        expected: !CALLERS[caller.key].signedIn
          ? 401
          : writes(caller.key, managesCoalition(CALLERS[caller.key]))
            ? 200
            : 403,
        send: async () => {
          const read = () => t.db.selectFrom('coalition').selectAll().executeTakeFirstOrThrow();
          const before = await read();
          const res = await api(caller.headers, {
            method: 'PATCH',
            url: '/api/v1/coalition',
            headers: { 'if-match': `"${before.version}"` },
            payload: { description: `Edited by ${caller.key}` },
          });
          const after = await read();
          const problem =
            res.statusCode === 200
              ? after.description === `Edited by ${caller.key}`
                ? undefined
                : 'not changed'
              : !same(before, after)
                ? 'refused, but the coalition changed'
                : undefined;
          return { res, problem };
        },
      },
    ],
  },

  // ---- organisations (public / coalition / private)
  {
    method: 'GET',
    url: '/api/v1/organisations',
    cases: (caller) => [
      listCase('every organisation', 200, '/api/v1/organisations?limit=200', () =>
        organisationKeys
          .filter((key) => sees(caller.key, organisationScope(key)))
          .map((key) => ids[key]),
      ),
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/organisations',
    cases: (caller) => [
      createCase({
        target: 'new organisation',
        expected: onCreate(caller.key, true, managesCoalition(CALLERS[caller.key]), 201),
        url: '/api/v1/organisations',
        payload: () => ({
          name: nextName('New organisation'),
          type: 'school',
          visibility: 'private',
        }),
        find: (payload) =>
          t.db
            .selectFrom('organisation')
            .selectAll()
            .where('name', '=', (payload as { name: string }).name)
            .execute(),
        check: createdBy,
        remove: async (id) => {
          await t.db.deleteFrom('organisation').where('id', '=', id).execute();
        },
      }),
    ],
  },
  {
    method: 'GET',
    url: '/api/v1/organisations/:id',
    cases: (caller) => [
      ...organisationKeys.map((key) =>
        readCase(
          recordLabel(key, organisationScope(key)),
          sees(caller.key, organisationScope(key)) ? 200 : 404,
          `/api/v1/organisations/${ids[key]}`,
          sameId(ids[key]),
        ),
      ),
      readCase('missing', 404, `/api/v1/organisations/${MISSING}`),
    ],
  },
  {
    method: 'PATCH',
    url: '/api/v1/organisations/:id',
    cases: (caller) =>
      [...organisationKeys, 'missing' as const].map((key) => {
        const scope = key === 'missing' ? missingScope : organisationScope(key);
        const id = key === 'missing' ? MISSING : ids[key];
        const name = `${key} renamed by ${caller.key}`;
        return changeCase({
          target: key === 'missing' ? key : recordLabel(key, scope),
          expected: onRecord(
            caller.key,
            key !== 'missing' && sees(caller.key, scope),
            managesCoalition(CALLERS[caller.key]),
            200,
          ),
          kind: 'organisation',
          id,
          method: 'PATCH',
          url: `/api/v1/organisations/${id}`,
          payload: { name },
          success: 200,
          changed: hasField('name', name),
        });
      }),
  },
  {
    method: 'DELETE',
    url: '/api/v1/organisations/:id',
    cases: (caller) =>
      [...organisationKeys, 'missing' as const].map((key) => {
        const scope = key === 'missing' ? missingScope : organisationScope(key);
        const id = key === 'missing' ? MISSING : ids[key];
        return changeCase({
          target: key === 'missing' ? key : recordLabel(key, scope),
          expected: onRecord(
            caller.key,
            key !== 'missing' && sees(caller.key, scope),
            managesCoalition(CALLERS[caller.key]),
            204,
          ),
          kind: 'organisation',
          id,
          method: 'DELETE',
          url: `/api/v1/organisations/${id}`,
          success: 204,
          changed: deleted,
        });
      }),
  },

  // ---- networks (public / coalition / network / private)
  {
    method: 'GET',
    url: '/api/v1/networks',
    cases: (caller) => [
      listCase(
        'every network',
        200,
        '/api/v1/networks?limit=200',
        () =>
          networkKeys.filter((key) => sees(caller.key, networkScope(key))).map((key) => ids[key]),
        (items) =>
          items
            .map((item) => {
              const key = nameOfId(String(item.id)) as NetworkKey;
              const want = visibleTeamCount(caller.key, key);
              return item.team_count === want
                ? undefined
                : `${key}.team_count ${item.team_count}, not ${want}`;
            })
            .find(Boolean),
      ),
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/networks',
    cases: (caller) => [
      createCase({
        target: 'new network',
        expected: onCreate(caller.key, true, managesCoalition(CALLERS[caller.key]), 201),
        url: '/api/v1/networks',
        payload: () => ({ name: nextName('New network'), visibility: 'private' }),
        find: (payload) =>
          t.db
            .selectFrom('network')
            .selectAll()
            .where('name', '=', (payload as { name: string }).name)
            .execute(),
        check: createdBy,
        remove: async (id) => {
          await t.db.deleteFrom('network').where('id', '=', id).execute();
        },
      }),
    ],
  },
  {
    method: 'GET',
    url: '/api/v1/networks/:id',
    cases: (caller) => [
      ...networkKeys.map((key) =>
        readCase(
          recordLabel(key, networkScope(key)),
          sees(caller.key, networkScope(key)) ? 200 : 404,
          `/api/v1/networks/${ids[key]}`,
          (res) => {
            if (res.json().id !== ids[key]) return 'another record';
            const want = visibleTeamCount(caller.key, key);
            return res.json().team_count === want
              ? undefined
              : `team_count ${res.json().team_count}, not ${want}`;
          },
        ),
      ),
      readCase('missing', 404, `/api/v1/networks/${MISSING}`),
    ],
  },
  {
    method: 'PATCH',
    url: '/api/v1/networks/:id',
    cases: (caller) =>
      [...networkKeys, 'missing' as const].map((key) => {
        const scope = key === 'missing' ? missingScope : networkScope(key);
        const id = key === 'missing' ? MISSING : ids[key];
        const description = `Edited by ${caller.key}`;
        return changeCase({
          target: key === 'missing' ? key : recordLabel(key, scope),
          expected: onRecord(
            caller.key,
            key !== 'missing' && sees(caller.key, scope),
            key !== 'missing' && managesNetwork(CALLERS[caller.key], key),
            200,
          ),
          kind: 'network',
          id,
          method: 'PATCH',
          url: `/api/v1/networks/${id}`,
          payload: { description },
          success: 200,
          changed: hasField('description', description),
        });
      }),
  },
  {
    method: 'DELETE',
    url: '/api/v1/networks/:id',
    cases: (caller) =>
      [...networkKeys, 'missing' as const].map((key) => {
        const scope = key === 'missing' ? missingScope : networkScope(key);
        const id = key === 'missing' ? MISSING : ids[key];
        const hasTeams = teamKeys.some((team) => TEAMS[team].network === key);
        return changeCase({
          target: key === 'missing' ? key : recordLabel(key, scope),
          // Only coalition-wide roles delete networks, and never one that still has teams.
          expected: onRecord(
            caller.key,
            key !== 'missing' && sees(caller.key, scope),
            managesCoalition(CALLERS[caller.key]),
            hasTeams ? 409 : 204,
          ),
          kind: 'network',
          id,
          method: 'DELETE',
          url: `/api/v1/networks/${id}`,
          success: 204,
          changed: deleted,
        });
      }),
  },

  // ---- teams (public / coalition / network / team / private)
  {
    method: 'GET',
    url: '/api/v1/teams',
    cases: (caller) => {
      const seen = (network?: NetworkKey) =>
        teamKeys
          .filter((key) => !network || TEAMS[key].network === network)
          .filter((key) => sees(caller.key, teamScope(key)))
          .map((key) => ids[key]);
      return [
        listCase('every team', 200, '/api/v1/teams?limit=200', () => seen()),
        listCase('teams of N1', 200, `/api/v1/teams?limit=200&network_id=${ids.N1}`, () =>
          seen('N1'),
        ),
        listCase('teams of N2', 200, `/api/v1/teams?limit=200&network_id=${ids.N2}`, () =>
          seen('N2'),
        ),
      ];
    },
  },
  {
    method: 'POST',
    url: '/api/v1/teams',
    cases: (caller) =>
      [...networkKeys, 'missing' as const].map((key) => {
        const scope = key === 'missing' ? missingScope : networkScope(key);
        const networkId = key === 'missing' ? MISSING : ids[key];
        return createCase({
          target: `in ${key === 'missing' ? 'a missing network' : recordLabel(key, scope)}`,
          expected: onCreate(
            caller.key,
            key !== 'missing' && sees(caller.key, scope),
            key !== 'missing' && managesNetwork(CALLERS[caller.key], key),
            201,
          ),
          url: '/api/v1/teams',
          payload: () => ({
            network_id: networkId,
            name: nextName('New team'),
            visibility: 'team',
          }),
          find: (payload) =>
            t.db
              .selectFrom('team')
              .selectAll()
              .where('name', '=', (payload as { name: string }).name)
              .execute(),
          check: (row, c) =>
            row.network_id !== networkId ? 'in another network' : createdBy(row, c),
          remove: async (id) => {
            await t.db.deleteFrom('team').where('id', '=', id).execute();
          },
        });
      }),
  },
  {
    method: 'GET',
    url: '/api/v1/teams/:id',
    cases: (caller) => [
      ...teamKeys.map((key) =>
        readCase(
          recordLabel(key, teamScope(key)),
          sees(caller.key, teamScope(key)) ? 200 : 404,
          `/api/v1/teams/${ids[key]}`,
          sameId(ids[key]),
        ),
      ),
      readCase('missing', 404, `/api/v1/teams/${MISSING}`),
    ],
  },
  {
    method: 'PATCH',
    url: '/api/v1/teams/:id',
    cases: (caller) =>
      [...teamKeys, 'missing' as const].map((key) => {
        const scope = key === 'missing' ? missingScope : teamScope(key);
        const id = key === 'missing' ? MISSING : ids[key];
        const name = `${key} renamed by ${caller.key}`;
        return changeCase({
          target: key === 'missing' ? key : recordLabel(key, scope),
          expected: onRecord(
            caller.key,
            key !== 'missing' && sees(caller.key, scope),
            key !== 'missing' && managesNetwork(CALLERS[caller.key], TEAMS[key].network),
            200,
          ),
          kind: 'team',
          id,
          method: 'PATCH',
          url: `/api/v1/teams/${id}`,
          payload: { name },
          success: 200,
          changed: hasField('name', name),
        });
      }),
  },
  {
    method: 'DELETE',
    url: '/api/v1/teams/:id',
    cases: (caller) =>
      [...teamKeys, 'missing' as const].map((key) => {
        const scope = key === 'missing' ? missingScope : teamScope(key);
        const id = key === 'missing' ? MISSING : ids[key];
        return changeCase({
          target: key === 'missing' ? key : recordLabel(key, scope),
          // Never a team that still holds improvement work (as a network with teams): 409.
          expected: onRecord(
            caller.key,
            key !== 'missing' && sees(caller.key, scope),
            key !== 'missing' && managesNetwork(CALLERS[caller.key], TEAMS[key].network),
            key !== 'missing' && teamHasWork(key) ? 409 : 204,
          ),
          kind: 'team',
          id,
          method: 'DELETE',
          url: `/api/v1/teams/${id}`,
          success: 204,
          changed: deleted,
        });
      }),
  },

  // ---- memberships (as visible as their network or team; coalition-wide ones to everyone)
  {
    method: 'GET',
    url: '/api/v1/memberships',
    cases: (caller) => {
      const seen = (network?: NetworkKey) =>
        memberships
          .filter((m) => seesMembership(caller.key, m.scope))
          .filter(
            (m) =>
              !network ||
              (m.scope.kind === 'network' && m.scope.network === network) ||
              (m.scope.kind === 'team' && TEAMS[m.scope.team].network === network),
          )
          .map((m) => m.id);
      const emails = (items: Record<string, unknown>[]) =>
        items.map((item) => membershipEmailProblem(caller, item)).find(Boolean);
      const expected = signedInOnly(caller, 200);
      return [
        listCase(
          'every membership',
          expected,
          '/api/v1/memberships?limit=200',
          () => seen(),
          emails,
        ),
        listCase(
          'memberships in N1',
          expected,
          `/api/v1/memberships?limit=200&network_id=${ids.N1}`,
          () => seen('N1'),
          emails,
        ),
      ];
    },
  },
  {
    method: 'POST',
    url: '/api/v1/memberships',
    cases: (caller) =>
      grantCases((scope, body) =>
        createCase({
          target: grantTarget(scope),
          expected: grantExpected(caller, scope),
          url: '/api/v1/memberships',
          payload: () => ({ email: grantee.email, ...body }),
          find: () =>
            t.db.selectFrom('membership').selectAll().where('user_id', '=', grantee.id).execute(),
          check: (row) => (row.role === body.role ? undefined : `role ${row.role}`),
          remove: async (id) => {
            await t.db.deleteFrom('membership').where('id', '=', id).execute();
          },
        }),
      ),
  },
  {
    method: 'GET',
    url: '/api/v1/memberships/:id',
    cases: (caller) => [
      ...memberships.map((m) =>
        readCase(
          membershipLabel(m),
          seesMembership(caller.key, m.scope) ? 200 : 404,
          `/api/v1/memberships/${m.id}`,
          (res) => sameId(m.id)(res) ?? membershipEmailProblem(caller, res.json()),
        ),
      ),
      readCase('missing', 404, `/api/v1/memberships/${MISSING}`),
    ],
  },
  {
    method: 'PATCH',
    url: '/api/v1/memberships/:id',
    cases: (caller) => [
      ...memberships.map((m) => {
        const role = m.role === 'reviewer' ? 'partner' : 'reviewer';
        return changeCase({
          target: membershipLabel(m),
          // Only coalition-wide roles change in place (else 400, once the caller may manage it).
          expected: onRecord(
            caller.key,
            seesMembership(caller.key, m.scope),
            managesScope(caller.key, m.scope),
            m.scope.kind === 'coalition' ? 200 : 400,
          ),
          kind: 'membership',
          id: m.id,
          method: 'PATCH',
          url: `/api/v1/memberships/${m.id}`,
          payload: { role },
          success: 200,
          changed: hasField('role', role),
        });
      }),
      changeCase({
        target: 'missing',
        expected: onRecord(caller.key, false, false, 200),
        kind: 'membership',
        id: MISSING,
        method: 'PATCH',
        url: `/api/v1/memberships/${MISSING}`,
        payload: { role: 'reviewer' },
        success: 200,
        changed: () => 'changed a missing membership',
      }),
    ],
  },
  {
    method: 'DELETE',
    url: '/api/v1/memberships/:id',
    cases: (caller) => [
      ...memberships.map((m) =>
        changeCase({
          target: membershipLabel(m),
          // Anyone may leave; removing someone else needs the right to manage the scope.
          expected: onRecord(
            caller.key,
            seesMembership(caller.key, m.scope),
            isSelf(caller, m.userId) || managesScope(caller.key, m.scope),
            204,
          ),
          kind: 'membership',
          id: m.id,
          method: 'DELETE',
          url: `/api/v1/memberships/${m.id}`,
          success: 204,
          changed: deleted,
        }),
      ),
      changeCase({
        target: 'missing',
        expected: onRecord(caller.key, false, false, 204),
        kind: 'membership',
        id: MISSING,
        method: 'DELETE',
        url: `/api/v1/memberships/${MISSING}`,
        success: 204,
        changed: deleted,
      }),
    ],
  },
  // ---- sign-in options, demo accounts and password reset (no roles involved)
  {
    method: 'GET',
    url: '/api/v1/auth/options',
    cases: () => [
      readCase('—', 200, '/api/v1/auth/options', (res) =>
        res.json().demo_roles.length === 0 ? undefined : 'demo roles offered outside demo mode',
      ),
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/auth/demo-sign-in',
    cases: (caller) => [
      {
        target: 'not a demo instance',
        expected: 404,
        send: async () => {
          const res = await api(caller.headers, {
            method: 'POST',
            url: '/api/v1/auth/demo-sign-in',
            payload: { key: 'facilitator' },
          });
          return { res, problem: res.headers['set-cookie'] ? 'a session was opened' : undefined };
        },
      },
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/auth/password-reset',
    cases: (caller) => [
      {
        // 202 whether or not the address has an account: the signed-in ask for their own, the
        // signed-out for an unknown one. Only a known address gets a reset link stored.
        target: caller.userId ? 'own email' : 'unknown email',
        expected: 202,
        send: async () => {
          const email = caller.userId
            ? (await userRow(caller.userId)).email
            : 'nobody-at-all@example.org';
          const count = async () =>
            Number(
              (
                await t.db
                  .selectFrom('password_reset')
                  .select((eb) => eb.fn.countAll<number>().as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            );
          const before = await count();
          const res = await api(caller.headers, {
            method: 'POST',
            url: '/api/v1/auth/password-reset',
            payload: { email },
          });
          const stored = (await count()) - before;
          const want = caller.userId ? 1 : 0;
          return {
            res,
            problem: stored !== want ? `${stored} reset links stored, not ${want}` : undefined,
          };
        },
      },
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/auth/password-reset/confirm',
    cases: (caller) => [
      {
        target: 'unknown link',
        expected: 404,
        send: async () => ({
          res: await api(caller.headers, {
            method: 'POST',
            url: '/api/v1/auth/password-reset/confirm',
            payload: { token: newSecret(), password: 'a long and fine passphrase' },
          }),
        }),
      },
      {
        // The link is what authorises the reset, whoever sends it: checked up to the password
        // rule (a weak one, so that nothing changes and no hash is computed).
        target: "another person's valid link",
        expected: 400,
        send: async () => {
          const token = newSecret();
          const id = t.ctx.newId();
          await t.db
            .insertInto('password_reset')
            .values({
              id,
              user_id: grantee.id,
              token_hash: hashSecret(token),
              created_at: new Date(),
              expires_at: new Date(Date.now() + 3_600_000),
              used_at: null,
            })
            .execute();
          const before = await userRow(grantee.id);
          const res = await api(caller.headers, {
            method: 'POST',
            url: '/api/v1/auth/password-reset/confirm',
            payload: { token, password: 'short' },
          });
          const reset = await t.db
            .selectFrom('password_reset')
            .selectAll()
            .where('id', '=', id)
            .executeTakeFirstOrThrow();
          await t.db.deleteFrom('password_reset').where('id', '=', id).execute();
          const changed = !same(before, await userRow(grantee.id)) || reset.used_at !== null;
          return { res, problem: changed ? 'the account or the link changed' : undefined };
        },
      },
    ],
  },

  // ---- invitations (seen by those who manage and see their scope)
  {
    method: 'GET',
    url: '/api/v1/invitations',
    cases: (caller) => {
      const c = CALLERS[caller.key];
      const facilitator = managesCoalition(c) || (c.facilitates ?? []).length > 0;
      return [
        listCase(
          'open invitations',
          !c.signedIn ? 401 : facilitator ? 200 : 403,
          '/api/v1/invitations?limit=200',
          () => invitations.filter((i) => seesInvitation(caller.key, i.scope)).map((i) => i.id),
        ),
      ];
    },
  },
  {
    method: 'POST',
    url: '/api/v1/invitations',
    cases: (caller) =>
      grantCases((scope, body) =>
        createCase({
          target: grantTarget(scope),
          expected: grantExpected(caller, scope),
          url: '/api/v1/invitations',
          payload: () => ({ email: `${nextName('new').replace(' ', '-')}@example.org`, ...body }),
          find: (payload) =>
            t.db
              .selectFrom('invitation')
              .selectAll()
              .where('email', '=', (payload as { email: string }).email)
              .execute(),
          check: (row, c) =>
            row.role !== body.role
              ? `role ${row.role}`
              : row.invited_by !== c.userId
                ? 'invited_by is not the caller'
                : undefined,
          remove: async (id) => {
            await t.db.deleteFrom('invitation').where('id', '=', id).execute();
          },
        }),
      ),
  },
  {
    method: 'DELETE',
    url: '/api/v1/invitations/:id',
    cases: (caller) => [
      ...invitations.map((invitation) =>
        changeCase({
          target: `${invitation.label} (${scopeOfMembership(invitation.scope).visibility})`,
          expected: onRecord(caller.key, seesInvitation(caller.key, invitation.scope), true, 204),
          kind: 'invitation',
          id: invitation.id,
          method: 'DELETE',
          url: `/api/v1/invitations/${invitation.id}`,
          success: 204,
          changed: (after) => (after?.revoked_at ? undefined : 'not revoked'),
        }),
      ),
      changeCase({
        target: 'missing',
        expected: onRecord(caller.key, false, false, 204),
        kind: 'invitation',
        id: MISSING,
        method: 'DELETE',
        url: `/api/v1/invitations/${MISSING}`,
        success: 204,
        changed: () => 'revoked a missing invitation',
      }),
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/invitations/preview',
    cases: (caller) => [
      {
        // The link's secret is the permission: anyone holding it may look.
        target: 'valid link',
        expected: 200,
        send: async () => {
          const email = `${nextName('preview').replace(' ', '-')}@example.org`;
          const { id, token } = await invitationWithToken(email, 'partner');
          const res = await api(caller.headers, {
            method: 'POST',
            url: '/api/v1/invitations/preview',
            payload: { token },
          });
          await t.db.deleteFrom('invitation').where('id', '=', id).execute();
          return {
            res,
            problem:
              res.statusCode === 200 && res.json().email !== email
                ? 'another invitation'
                : undefined,
          };
        },
      },
      {
        target: 'unknown link',
        expected: 404,
        send: async () => ({
          res: await api(caller.headers, {
            method: 'POST',
            url: '/api/v1/invitations/preview',
            payload: { token: newSecret() },
          }),
        }),
      },
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/invitations/accept',
    cases: (caller) => {
      const spec = CALLERS[caller.key];
      /**
       * Accepts a fresh invitation to `email` as `role` of the coalition: when it succeeds the
       * account holds the role (removed again after); otherwise no role was added.
       */
      const accept = (
        target: string,
        expected: Expected,
        email: () => Promise<string>,
        role: string,
        body: object,
        token?: string,
      ): Case => ({
        target,
        expected,
        send: async () => {
          const address = await email();
          const invitation = await invitationWithToken(address, role);
          const holders = () =>
            t.db
              .selectFrom('membership')
              .innerJoin('app_user', 'app_user.id', 'membership.user_id')
              .select('membership.id')
              .where('app_user.email', '=', address)
              .where('membership.role', '=', role as 'partner')
              .where('membership.network_id', 'is', null)
              .execute();
          const res = await api(caller.headers, {
            method: 'POST',
            url: '/api/v1/invitations/accept',
            payload: { token: token ?? invitation.token, ...body },
          });
          const granted = await holders();
          const accepted = (
            await t.db
              .selectFrom('invitation')
              .select('accepted_at')
              .where('id', '=', invitation.id)
              .executeTakeFirstOrThrow()
          ).accepted_at;
          for (const row of granted)
            await t.db.deleteFrom('membership').where('id', '=', row.id).execute();
          await t.db.deleteFrom('invitation').where('id', '=', invitation.id).execute();
          const problem =
            res.statusCode === 200
              ? granted.length !== 1 || accepted === null
                ? 'the role was not granted'
                : undefined
              : granted.length || accepted !== null
                ? 'refused, but the role was granted'
                : undefined;
          return { res, problem };
        },
      });
      const fresh = async () => `${nextName('newcomer').replace(' ', '-')}@example.org`;
      const ownRole = spec.coalitionRole === 'reviewer' ? 'partner' : 'reviewer';
      return [
        accept('unknown link', 404, fresh, 'partner', {}, newSecret()),
        accept('new account without a password', 400, fresh, 'partner', {
          display_name: 'Newcomer',
        }),
        // An invitation to an existing account adds the role only for that account, signed in.
        // Signed out: sign in first (401); signed in as someone else: not yours (403).
        accept(
          "another person's account",
          spec.signedIn ? 403 : 401,
          async () => grantee.email,
          'partner',
          {},
        ),
        ...(caller.userId
          ? [
              accept(
                'own account',
                // Accepting adds a role to the account: a write, which a read-only token may not.
                spec.readToken ? 403 : 200,
                async () => (await userRow(caller.userId as string)).email,
                ownRole,
                {},
              ),
            ]
          : []),
      ];
    },
  },

  // ---- the audit log and record history
  {
    method: 'GET',
    url: '/api/v1/audit-events',
    cases: (caller) => [
      readCase(
        'the audit log',
        !CALLERS[caller.key].signedIn ? 401 : CALLERS[caller.key].admin ? 200 : 403,
        '/api/v1/audit-events?limit=5',
        (res) => (res.json().items.length === 5 ? undefined : 'fewer events than stored'),
      ),
    ],
  },
  {
    method: 'GET',
    url: '/api/v1/audit-events/export.csv',
    cases: (caller) => [
      readCase(
        'the audit log as CSV',
        !CALLERS[caller.key].signedIn ? 401 : CALLERS[caller.key].admin ? 200 : 403,
        '/api/v1/audit-events/export.csv',
        (res) =>
          String(res.headers['content-type']).startsWith('text/csv') &&
          res.body.startsWith('occurred_at,')
            ? undefined
            : 'not the CSV',
      ),
    ],
  },
  {
    method: 'GET',
    url: '/api/v1/history/:entity_type/:id',
    cases: (caller) => {
      const spec = CALLERS[caller.key];
      const history = (
        target: string,
        expected: Expected,
        type: string,
        id: string,
        nonEmpty: boolean,
      ) =>
        readCase(target, expected, `/api/v1/history/${type}/${id}?limit=200`, (res) => {
          const items = res.json().items as { entity_type: string; entity_id: string }[];
          if (items.some((item) => item.entity_type !== type || item.entity_id !== id))
            return 'events of another record';
          return nonEmpty && items.length === 0 ? 'no events' : undefined;
        });
      // A record's history is as visible as the record, and never shown signed out (it names
      // the people who made the changes).
      const seen = (visible: boolean) => (!spec.signedIn ? 401 : visible ? 200 : 404);
      return [
        history('the coalition', spec.signedIn ? 200 : 401, 'coalition', coalitionId, false),
        ...organisationKeys.map((key) =>
          history(
            `organisation ${recordLabel(key, organisationScope(key))}`,
            seen(sees(caller.key, organisationScope(key))),
            'organisation',
            ids[key],
            true,
          ),
        ),
        ...networkKeys.map((key) =>
          history(
            `network ${recordLabel(key, networkScope(key))}`,
            seen(sees(caller.key, networkScope(key))),
            'network',
            ids[key],
            true,
          ),
        ),
        ...teamKeys.map((key) =>
          history(
            `team ${recordLabel(key, teamScope(key))}`,
            seen(sees(caller.key, teamScope(key))),
            'team',
            ids[key],
            true,
          ),
        ),
        history('missing team', seen(false), 'team', MISSING, false),
        ...(caller.userId ? [history('own account', 200, 'user', caller.userId, false)] : []),
        history(
          'another account',
          !spec.signedIn ? 401 : spec.admin ? 200 : 404,
          'user',
          grantee.id,
          false,
        ),
        // Improvement records (written through the API, so each has its create event): as
        // visible as the record. Driver diagrams (by the diagram's id) are in history.test.ts.
        ...(
          [
            ['charter', charterKeys, charterScope],
            ['project', projectKeys, projectScope],
            ['change_idea', ideaKeys, ideaScope],
            ['pdsa_cycle', cycleKeys, cycleScope],
            ['measure', measureKeys, measureScope],
            ['annotation', annotationKeys, annotationScope],
          ] as [string, ImprovementKey[], (key: ImprovementKey) => Scope][]
        ).flatMap(([type, keys, scopeOf]) =>
          keys.map((key) =>
            history(
              `${type} ${recordLabel(key, scopeOf(key))}`,
              seen(sees(caller.key, scopeOf(key))),
              type,
              rec[key],
              true,
            ),
          ),
        ),
        history('missing project', seen(false), 'project', MISSING, false),
      ];
    },
  },
];

// ---------------------------------------------------------------------------------------------
// The improvement workspace: charters, projects, driver diagrams, change ideas, PDSA cycles,
// measures and their data, annotations and the network dashboard.

const seesData = (key: CallerKey, team: TeamKey) =>
  sees(key, teamScope(team)) && sees(key, teamDataScope(team));
function valueLabel(id: string): string | undefined {
  const value = values.find((v) => v.id === id);
  return value && `${value.measure} of ${value.team} in ${value.period.slice(0, 7)}`;
}
/** The records of a kind the caller sees, by id. */
const seenIds = <K extends ImprovementKey>(caller: Caller, keys: K[], scope: (key: K) => Scope) =>
  keys.filter((key) => sees(caller.key, scope(key))).map((key) => rec[key]);
const findBy =
  (table: string, column: string) =>
  (payload: object): Promise<{ id: string; [field: string]: unknown }[]> =>
    loose()
      .selectFrom(table)
      .selectAll()
      .where(column, '=', (payload as Record<string, unknown>)[column])
      .execute() as Promise<{ id: string; [field: string]: unknown }[]>;
const removeFrom = (table: string) => async (id: string) => {
  await loose().deleteFrom(table).where('id', '=', id).execute();
};
const isAuthorOf = (caller: Caller, by: CallerKey) =>
  caller.userId !== undefined && caller.userId === actors[by as keyof typeof actors]?.id;

/** Reads of each record of a kind and of a missing one: 200 when seen, else 404. */
function readEach<K extends ImprovementKey>(
  caller: Caller,
  keys: K[],
  scope: (key: K) => Scope,
  url: (id: string) => string,
  check: (key: K) => (res: Response) => string | undefined = (key) => sameId(rec[key]),
): Case[] {
  return [
    ...keys.map((key) =>
      readCase(
        recordLabel(key, scope(key)),
        sees(caller.key, scope(key)) ? 200 : 404,
        url(rec[key]),
        check(key),
      ),
    ),
    readCase('missing', 404, url(MISSING)),
  ];
}

/** One write (changeCase) to each record of a kind and to a missing one. */
function writeEach<K extends ImprovementKey>(
  caller: Caller,
  keys: K[],
  scope: (key: K) => Scope,
  options: {
    kind: ImprovementKind;
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    url: (id: string) => string;
    payload?: object;
    /** What the caller's roles allow on the record. */
    allowed: (key: K) => boolean;
    success: number;
    /** The answer to an allowed write when it is not `success` (409: the record is in use). */
    outcome?: (key: K) => number;
    changed: (after: Record<string, unknown> | undefined) => string | undefined;
  },
): Case[] {
  return [...keys, 'missing' as const].map((key) => {
    const id = key === 'missing' ? MISSING : rec[key];
    return changeCase({
      target: key === 'missing' ? key : recordLabel(key, scope(key)),
      expected:
        key === 'missing'
          ? onRecord(caller.key, false, false, options.success)
          : onRecord(
              caller.key,
              sees(caller.key, scope(key)),
              options.allowed(key),
              options.outcome?.(key) ?? options.success,
            ),
      kind: options.kind,
      id,
      method: options.method,
      url: options.url(id),
      ...(options.payload ? { payload: options.payload } : {}),
      success: options.success,
      changed: options.changed,
    });
  });
}

const jsonOf = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

/** Saving a charter's or a project's driver diagram (If-Match: the diagram's version). */
function diagramSaves(caller: Caller, owner: 'charter' | 'project'): Case[] {
  const c = CALLERS[caller.key];
  const keys: (CharterKey | ProjectKey)[] = owner === 'charter' ? charterKeys : projectKeys;
  const scopeOf = (key: CharterKey | ProjectKey) =>
    owner === 'charter' ? charterScope(key as CharterKey) : projectScope(key as ProjectKey);
  const allowed = (key: CharterKey | ProjectKey) =>
    owner === 'charter'
      ? managesNetwork(c, CHARTERS[key as CharterKey].network)
      : worksInTeam(c, PROJECTS[key as ProjectKey].team);
  return [...keys, 'missing' as const].map((key): Case => {
    const id = key === 'missing' ? MISSING : rec[key];
    return {
      target: key === 'missing' ? key : recordLabel(key, scopeOf(key)),
      expected:
        key === 'missing'
          ? onRecord(caller.key, false, false, 200)
          : onRecord(caller.key, sees(caller.key, scopeOf(key)), allowed(key), 200),
      send: async () => {
        const diagramOf = (s: Snapshot) =>
          s.improvement.find((group) => group.table === 'driver_diagram')?.rows[0];
        const before = await snapshot(owner, id);
        const diagram = diagramOf(before);
        const audits = diagram ? await auditCount(String(diagram.id)) : 0;
        const driver = `Driver saved by ${caller.key}`;
        const res = await api(caller.headers, {
          method: 'PUT',
          url: `/api/v1/${owner}s/${id}/driver-diagram`,
          headers: { 'if-match': `"${diagram?.version ?? 0}"` },
          payload: {
            content: {
              aim: 'Better',
              nodes: [{ id: 'p1', kind: 'primary', label: driver }],
              edges: [],
            },
          },
        });
        const after = await snapshot(owner, id);
        const saved = diagramOf(after);
        const auditsAfter = saved ? await auditCount(String(saved.id)) : 0;
        let problem: string | undefined;
        if (res.statusCode === 200) {
          const nodes = (jsonOf(saved?.content) as { nodes?: { label: string }[] } | undefined)
            ?.nodes;
          problem =
            nodes?.[0]?.label !== driver
              ? 'not saved'
              : auditsAfter !== audits + 1
                ? `${auditsAfter - audits} audit events`
                : undefined;
          await restore(before);
        } else if (!same(before, after)) problem = 'refused, but the diagram changed';
        else if (auditsAfter !== audits) problem = 'refused, but an audit event was written';
        return { res, problem };
      },
    };
  });
}

/** Reads of a charter's or a project's diagram (`path` after …/driver-diagram). */
const diagramReads = (
  caller: Caller,
  owner: 'charter' | 'project',
  path: string,
  check: (id: string) => (res: Response) => string | undefined,
) =>
  owner === 'charter'
    ? readEach(
        caller,
        charterKeys,
        charterScope,
        (id) => `/api/v1/charters/${id}/driver-diagram${path}`,
        (key) => check(rec[key]),
      )
    : readEach(
        caller,
        projectKeys,
        projectScope,
        (id) => `/api/v1/projects/${id}/driver-diagram${path}`,
        (key) => check(rec[key]),
      );
const DIAGRAM_CHECKS = {
  '': (id: string) => (res: Response) =>
    res.json().owner_id === id ? undefined : "another owner's diagram",
  '/revisions': () => (res: Response) =>
    (res.json().items as { version: number }[]).some((item) => item.version === 1)
      ? undefined
      : 'no revision 1',
  '/revisions/1': () => (res: Response) =>
    res.json().version === 1 ? undefined : 'another revision',
};

/** A raw file upload to a cycle: stored and audited once when allowed, else no row. */
function uploadCase(caller: Caller, key: CycleKey | 'missing'): Case {
  const id = key === 'missing' ? MISSING : rec[key];
  return {
    target: key === 'missing' ? key : recordLabel(key, cycleScope(key)),
    expected:
      key === 'missing'
        ? onRecord(caller.key, false, false, 201)
        : onRecord(
            caller.key,
            sees(caller.key, cycleScope(key)),
            worksInTeam(CALLERS[caller.key], teamOfCycle(key)),
            201,
          ),
    send: async () => {
      const rows = () =>
        t.db.selectFrom('attachment').selectAll().where('pdsa_cycle_id', '=', id).execute();
      const before = await rows();
      const res = await api(caller.headers, {
        method: 'POST',
        url: `/api/v1/pdsa-cycles/${id}/attachments?filename=notes.txt`,
        payload: `Notes of ${caller.key}`,
        headers: { 'content-type': 'text/plain' },
      });
      const added = (await rows()).filter((row) => !before.some((b) => b.id === row.id));
      let problem: string | undefined;
      if (res.statusCode === 201) {
        const [row] = added;
        problem =
          !row || added.length !== 1
            ? `${added.length} rows stored`
            : row.id !== res.json().id
              ? 'the stored row is not the one returned'
              : (await t.ctx.files?.get(row.storage_key)) === undefined
                ? 'no file stored'
                : (await auditCount(row.id)) !== 1
                  ? 'not audited'
                  : undefined;
      } else if (added.length) problem = 'refused, but a row was stored';
      for (const row of added) {
        await t.db.deleteFrom('attachment').where('id', '=', row.id).execute();
        await t.ctx.files?.delete(row.storage_key);
      }
      return { res, problem };
    },
  };
}

/**
 * A write of one value into a team's data (the grid, or an import of one CSV line): when allowed,
 * one new value stored and `audits` counts one more event; refused: no value changed, no event.
 */
function teamDataWrite(
  caller: Caller,
  team: TeamKey | 'missing',
  measure: MeasureKey,
  how: 'grid' | 'import',
): Case {
  const teamId = team === 'missing' ? MISSING : ids[team];
  const c = CALLERS[caller.key];
  // The grid names a measure the team does not report for T_private: 400 once allowed.
  const ok =
    how === 'grid' ? (team !== 'missing' && reportsMeasure(team, measure) ? 200 : 400) : 200;
  const audits = async () =>
    how === 'grid'
      ? auditCount(teamId)
      : Number(
          (
            await t.db
              .selectFrom('audit_event')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('entity_type', '=', 'measure_value_import')
              .executeTakeFirstOrThrow()
          ).n,
        );
  return {
    target:
      team === 'missing'
        ? 'missing team'
        : `data of ${recordLabel(team, teamScope(team))}: ${measure}`,
    expected:
      team === 'missing'
        ? onRecord(caller.key, false, false, 200)
        : onRecord(caller.key, seesData(caller.key, team), worksInTeam(c, team), ok),
    send: async () => {
      const rows = () =>
        t.db
          .selectFrom('measure_value')
          .selectAll()
          .where('team_id', '=', teamId)
          .orderBy('id')
          .execute();
      const before = await rows();
      const eventsBefore = await audits();
      const res =
        how === 'grid'
          ? await api(caller.headers, {
              method: 'PUT',
              url: `/api/v1/teams/${teamId}/measure-values`,
              payload: {
                values: [{ measure_id: rec[measure], period_start: '2026-06-01', numerator: 7 }],
              },
            })
          : await api(caller.headers, {
              method: 'POST',
              url: `/api/v1/measure-values/import?team_id=${teamId}&dry_run=false`,
              payload: `measure,period,numerator\r\n${rec[measure]},2026-07,9\r\n`,
              headers: { 'content-type': 'text/csv' },
            });
      const after = await rows();
      const eventsAfter = await audits();
      const added = after.filter((row) => !before.some((b) => b.id === row.id));
      let problem: string | undefined;
      if (res.statusCode === 200) {
        problem =
          how === 'import' && res.json().committed !== true
            ? `not committed: ${JSON.stringify(res.json().errors).slice(0, 80)}`
            : added.length !== 1 || after.length !== before.length + 1
              ? `${added.length} values stored`
              : eventsAfter !== eventsBefore + 1
                ? `${eventsAfter - eventsBefore} audit events`
                : undefined;
      } else if (!same(before, after)) problem = 'refused, but values changed';
      else if (eventsAfter !== eventsBefore) problem = 'refused, but an audit event was written';
      for (const row of added)
        await t.db.deleteFrom('measure_value').where('id', '=', row.id).execute();
      return { res, problem };
    },
  };
}

/**
 * The network dashboard of a charter: the series (every shown team × every common measure), the
 * team count, the silent teams and the signal counts cover exactly the teams whose data the
 * caller may see in the charter's network.
 */
const dashboardCheck = (caller: Caller, key: CharterKey) => (res: Response) => {
  const body = res.json() as {
    charter_id: string;
    measures: { id: string }[];
    series: { team_id: string; measure_id: string }[];
    summary: {
      team_count: number;
      teams_without_recent_data: { team_id: string }[];
      signal_counts: { measure_id: string; series: number }[];
    };
  };
  const shown = teamKeys.filter(
    (team) => TEAMS[team].network === CHARTERS[key].network && seesData(caller.key, team),
  );
  const common = measureKeys.filter((m) => MEASURES[m].charter === key);
  const teamName = (id: string) => nameOfId(id);
  if (body.charter_id !== rec[key]) return 'another charter';
  const measuresProblem = setProblem(
    body.measures.map((m) => m.id),
    common.map((m) => rec[m]),
    nameOfId,
  );
  if (measuresProblem) return `measures: ${measuresProblem}`;
  if (common.length) {
    const seriesProblem = setProblem(
      [...new Set(body.series.map((s) => s.team_id))],
      shown.map((team) => ids[team]),
      teamName,
    );
    if (seriesProblem) return `series: ${seriesProblem}`;
  }
  if (body.summary.team_count !== shown.length)
    return `team_count ${body.summary.team_count}, not ${shown.length}`;
  const silentProblem = setProblem(
    body.summary.teams_without_recent_data.map((s) => s.team_id),
    shown.filter((team) => !common.some((m) => hasSeries(m, team))).map((team) => ids[team]),
    teamName,
  );
  if (silentProblem) return `teams_without_recent_data: ${silentProblem}`;
  for (const m of common) {
    const want = shown.filter((team) => hasSeries(m, team)).length;
    const got = body.summary.signal_counts.find((s) => s.measure_id === rec[m])?.series;
    if (got !== want) return `signal_counts of ${m}: ${got} series, not ${want}`;
  }
  return undefined;
};

/** A measure's chart for a team: its points and the annotations the caller sees on it. */
const chartCheck = (caller: Caller, measure: MeasureKey, team: TeamKey) => (res: Response) => {
  const body = res.json() as {
    measure: { id: string };
    team: { id: string };
    points: unknown[];
    annotations: { id: string }[];
  };
  if (body.measure.id !== rec[measure] || body.team.id !== ids[team]) return 'another chart';
  const points = hasSeries(measure, team) ? PERIODS.length : 0;
  if (body.points.length !== points) return `${body.points.length} points, not ${points}`;
  const want = hasSeries(measure, team)
    ? annotationKeys
        .filter((a) => sees(caller.key, annotationScope(a)))
        .filter((a) => ANNOTATIONS[a].network === networkOfMeasure(measure))
        .filter((a) => ANNOTATIONS[a].team === null || ANNOTATIONS[a].team === team)
        .map((a) => rec[a])
    : [];
  const problem = setProblem(
    body.annotations.map((a) => a.id),
    want,
    nameOfId,
  );
  return problem && `annotations: ${problem}`;
};

const IMPROVEMENT_ROUTES: RouteEntry[] = [
  // ---- charters (public / coalition / network / private; written by the network's managers)
  {
    method: 'GET',
    url: '/api/v1/charters',
    cases: (caller) => [
      listCase('every charter', 200, '/api/v1/charters?limit=200', () =>
        seenIds(caller, charterKeys, charterScope),
      ),
      listCase('charters of N2', 200, `/api/v1/charters?limit=200&network_id=${ids.N2}`, () =>
        seenIds(
          caller,
          charterKeys.filter((key) => CHARTERS[key].network === 'N2'),
          charterScope,
        ),
      ),
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/charters',
    cases: (caller) =>
      [...networkKeys, 'missing' as const].map((key) => {
        const scope = key === 'missing' ? missingScope : networkScope(key);
        const networkId = key === 'missing' ? MISSING : ids[key];
        return createCase({
          target: `in ${key === 'missing' ? 'a missing network' : recordLabel(key, scope)}`,
          expected: onCreate(
            caller.key,
            key !== 'missing' && sees(caller.key, scope),
            key !== 'missing' && managesNetwork(CALLERS[caller.key], key),
            201,
          ),
          url: '/api/v1/charters',
          payload: () => ({ network_id: networkId, title: nextName('New charter') }),
          find: findBy('charter', 'title'),
          check: (row, c) =>
            row.network_id !== networkId ? 'in another network' : createdBy(row, c),
          remove: removeFrom('charter'),
        });
      }),
  },
  {
    method: 'GET',
    url: '/api/v1/charters/:id',
    cases: (caller) =>
      readEach(caller, charterKeys, charterScope, (id) => `/api/v1/charters/${id}`),
  },
  {
    method: 'PATCH',
    url: '/api/v1/charters/:id',
    cases: (caller) =>
      writeEach(caller, charterKeys, charterScope, {
        kind: 'charter',
        method: 'PATCH',
        url: (id) => `/api/v1/charters/${id}`,
        payload: { problem_of_practice: `Edited by ${caller.key}` },
        allowed: (key) => managesNetwork(CALLERS[caller.key], CHARTERS[key].network),
        success: 200,
        changed: hasField('problem_of_practice', `Edited by ${caller.key}`),
      }),
  },
  {
    method: 'DELETE',
    url: '/api/v1/charters/:id',
    cases: (caller) =>
      writeEach(caller, charterKeys, charterScope, {
        kind: 'charter',
        method: 'DELETE',
        url: (id) => `/api/v1/charters/${id}`,
        allowed: (key) => managesNetwork(CALLERS[caller.key], CHARTERS[key].network),
        success: 204,
        // Never a charter with projects or common measures.
        outcome: (key) =>
          projectKeys.some((p) => PROJECTS[p].charter === key) ||
          measureKeys.some((m) => MEASURES[m].charter === key)
            ? 409
            : 204,
        changed: deleted,
      }),
  },

  // ---- projects (a team's work: written by those who work in the team)
  {
    method: 'GET',
    url: '/api/v1/projects',
    cases: (caller) => [
      listCase('every project', 200, '/api/v1/projects?limit=200', () =>
        seenIds(caller, projectKeys, projectScope),
      ),
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/projects',
    cases: (caller) =>
      [...teamKeys, 'missing' as const].map((key) => {
        const scope = key === 'missing' ? missingScope : teamScope(key);
        const teamId = key === 'missing' ? MISSING : ids[key];
        return createCase({
          target: `for ${key === 'missing' ? 'a missing team' : recordLabel(key, scope)}`,
          expected: onCreate(
            caller.key,
            key !== 'missing' && sees(caller.key, scope),
            key !== 'missing' && worksInTeam(CALLERS[caller.key], key),
            201,
          ),
          url: '/api/v1/projects',
          payload: () => ({ team_id: teamId, title: nextName('New project') }),
          find: findBy('project', 'title'),
          check: (row, c) => (row.team_id !== teamId ? 'for another team' : createdBy(row, c)),
          remove: removeFrom('project'),
        });
      }),
  },
  {
    method: 'GET',
    url: '/api/v1/projects/:id',
    cases: (caller) =>
      readEach(caller, projectKeys, projectScope, (id) => `/api/v1/projects/${id}`),
  },
  {
    method: 'PATCH',
    url: '/api/v1/projects/:id',
    cases: (caller) =>
      writeEach(caller, projectKeys, projectScope, {
        kind: 'project',
        method: 'PATCH',
        url: (id) => `/api/v1/projects/${id}`,
        payload: { problem_statement: `Edited by ${caller.key}` },
        allowed: (key) => worksInTeam(CALLERS[caller.key], PROJECTS[key].team),
        success: 200,
        changed: hasField('problem_statement', `Edited by ${caller.key}`),
      }),
  },
  {
    method: 'DELETE',
    url: '/api/v1/projects/:id',
    cases: (caller) =>
      writeEach(caller, projectKeys, projectScope, {
        kind: 'project',
        method: 'DELETE',
        url: (id) => `/api/v1/projects/${id}`,
        allowed: (key) => worksInTeam(CALLERS[caller.key], PROJECTS[key].team),
        success: 204,
        // Never a project with PDSA cycles or local measures.
        outcome: (key) => (PROJECTS[key].bare ? 204 : 409),
        changed: deleted,
      }),
  },

  // ---- driver diagrams (as visible as their owner; written as the owner is)
  ...(['charter', 'project'] as const).flatMap((owner): RouteEntry[] => [
    {
      method: 'GET',
      url: `/api/v1/${owner}s/:id/driver-diagram`,
      cases: (caller) => diagramReads(caller, owner, '', DIAGRAM_CHECKS['']),
    },
    {
      method: 'PUT',
      url: `/api/v1/${owner}s/:id/driver-diagram`,
      cases: (caller) => diagramSaves(caller, owner),
    },
    {
      method: 'GET',
      url: `/api/v1/${owner}s/:id/driver-diagram/revisions`,
      cases: (caller) => diagramReads(caller, owner, '/revisions', DIAGRAM_CHECKS['/revisions']),
    },
    {
      method: 'GET',
      url: `/api/v1/${owner}s/:id/driver-diagram/revisions/:version`,
      cases: (caller) =>
        diagramReads(caller, owner, '/revisions/1', DIAGRAM_CHECKS['/revisions/1']),
    },
  ]),
  {
    // Shows the charter's diagram too: the charter must be visible (404), and exist (409).
    method: 'GET',
    url: '/api/v1/projects/:id/driver-diagram/compare',
    cases: (caller) => [
      ...projectKeys.map((key) => {
        const charter = PROJECTS[key].charter;
        return readCase(
          `${recordLabel(key, projectScope(key))}, charter ${charter ? recordLabel(charter, charterScope(charter)) : 'none'}`,
          !sees(caller.key, projectScope(key))
            ? 404
            : !charter
              ? 409
              : sees(caller.key, charterScope(charter))
                ? 200
                : 404,
          `/api/v1/projects/${rec[key]}/driver-diagram/compare`,
          (res) => (res.json().project_id === rec[key] ? undefined : 'another project'),
        );
      }),
      readCase('missing', 404, `/api/v1/projects/${MISSING}/driver-diagram/compare`),
    ],
  },

  // ---- change ideas (network ideas by the network's members, team ideas by the team;
  //      changed by their author or the network's managers) and their tags
  {
    method: 'GET',
    url: '/api/v1/change-ideas',
    cases: (caller) => [
      listCase('every change idea', 200, '/api/v1/change-ideas?limit=200', () =>
        seenIds(caller, ideaKeys, ideaScope),
      ),
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/change-ideas',
    cases: (caller) => {
      const c = CALLERS[caller.key];
      const idea = (
        target: string,
        expected: Expected,
        body: { network_id: string; team_id?: string },
      ) =>
        createCase({
          target,
          expected,
          url: '/api/v1/change-ideas',
          payload: () => ({ ...body, title: nextName('New idea') }),
          find: findBy('change_idea', 'title'),
          check: (row, who) =>
            row.network_id !== body.network_id || row.team_id !== (body.team_id ?? null)
              ? 'elsewhere'
              : createdBy(row, who),
          remove: removeFrom('change_idea'),
        });
      return [
        ...[...networkKeys, 'missing' as const].map((key) =>
          idea(
            `of ${key === 'missing' ? 'a missing network' : recordLabel(key, networkScope(key))}`,
            onCreate(
              caller.key,
              key !== 'missing' && sees(caller.key, networkScope(key)),
              key !== 'missing' && contributesTo(c, key),
              201,
            ),
            { network_id: key === 'missing' ? MISSING : ids[key] },
          ),
        ),
        // A team idea names its team: unseen (or missing) → 404, like the team of a project.
        ...(['A', 'C', 'T_network', 'T_private', 'missing'] as const).map((key) => {
          const network = key === 'missing' ? 'N1' : TEAMS[key].network;
          return idea(
            `of ${key === 'missing' ? 'a missing team' : recordLabel(key, teamScope(key))}`,
            onCreate(
              caller.key,
              key !== 'missing' &&
                sees(caller.key, networkScope(network)) &&
                sees(caller.key, teamScope(key)),
              key !== 'missing' && worksInTeam(c, key),
              201,
            ),
            { network_id: ids[network], team_id: key === 'missing' ? MISSING : ids[key] },
          );
        }),
      ];
    },
  },
  {
    method: 'GET',
    url: '/api/v1/change-ideas/:id',
    cases: (caller) => readEach(caller, ideaKeys, ideaScope, (id) => `/api/v1/change-ideas/${id}`),
  },
  {
    method: 'PATCH',
    url: '/api/v1/change-ideas/:id',
    cases: (caller) =>
      writeEach(caller, ideaKeys, ideaScope, {
        kind: 'change_idea',
        method: 'PATCH',
        url: (id) => `/api/v1/change-ideas/${id}`,
        payload: { description: `Edited by ${caller.key}` },
        allowed: (key) =>
          isAuthorOf(caller, IDEAS[key].by) ||
          managesNetwork(CALLERS[caller.key], IDEAS[key].network),
        success: 200,
        changed: hasField('description', `Edited by ${caller.key}`),
      }),
  },
  {
    method: 'DELETE',
    url: '/api/v1/change-ideas/:id',
    cases: (caller) =>
      writeEach(caller, ideaKeys, ideaScope, {
        kind: 'change_idea',
        method: 'DELETE',
        url: (id) => `/api/v1/change-ideas/${id}`,
        allowed: (key) =>
          isAuthorOf(caller, IDEAS[key].by) ||
          managesNetwork(CALLERS[caller.key], IDEAS[key].network),
        success: 204,
        // Never an idea that PDSA cycles test.
        outcome: (key) => (cycleKeys.some((y) => CYCLES[y].idea === key) ? 409 : 204),
        changed: deleted,
      }),
  },
  {
    // A tag is listed when an idea the caller sees carries it, counted over those ideas only.
    method: 'GET',
    url: '/api/v1/tags',
    cases: (caller) => {
      const seen = ideaKeys.filter((key) => sees(caller.key, ideaScope(key)));
      const labels = [...seen.map((key) => `tag ${key}`), ...(seen.length ? ['shared'] : [])];
      return [
        listCase(
          'tags in use',
          200,
          '/api/v1/tags?limit=200',
          () => labels.map((label) => tagIds.get(label) as string),
          (items) =>
            items
              .map((item) => {
                const want = item.label === 'shared' ? seen.length : 1;
                return item.usage_count === want
                  ? undefined
                  : `${item.label}: usage_count ${item.usage_count}, not ${want}`;
              })
              .find(Boolean),
        ),
      ];
    },
  },

  // ---- PDSA cycles (own visibility; written by those who work in the cycle's team), their
  //      transitions, ramps and attachments (which follow the cycle)
  {
    method: 'GET',
    url: '/api/v1/pdsa-cycles',
    cases: (caller) => [
      listCase('every cycle', 200, '/api/v1/pdsa-cycles?limit=200', () =>
        seenIds(caller, cycleKeys, cycleScope),
      ),
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/pdsa-cycles',
    cases: (caller) =>
      [...projectKeys, 'missing' as const].map((key) => {
        const projectId = key === 'missing' ? MISSING : rec[key];
        // A change idea of the project's network that everyone working there sees.
        const idea =
          key !== 'missing' && projectScope(key).network === 'N2' ? 'CI2_network' : 'CI_public';
        return createCase({
          target: `in ${key === 'missing' ? 'a missing project' : recordLabel(key, projectScope(key))}`,
          expected: onCreate(
            caller.key,
            key !== 'missing' && sees(caller.key, projectScope(key)),
            key !== 'missing' && worksInTeam(CALLERS[caller.key], PROJECTS[key].team),
            201,
          ),
          url: '/api/v1/pdsa-cycles',
          payload: () => ({
            project_id: projectId,
            change_idea_id: rec[idea],
            title: nextName('New cycle'),
          }),
          find: findBy('pdsa_cycle', 'title'),
          check: (row, c) =>
            row.project_id !== projectId ? 'in another project' : createdBy(row, c),
          remove: removeFrom('pdsa_cycle'),
        });
      }),
  },
  {
    method: 'GET',
    url: '/api/v1/pdsa-cycles/:id',
    cases: (caller) => readEach(caller, cycleKeys, cycleScope, (id) => `/api/v1/pdsa-cycles/${id}`),
  },
  {
    method: 'PATCH',
    url: '/api/v1/pdsa-cycles/:id',
    cases: (caller) =>
      writeEach(caller, cycleKeys, cycleScope, {
        kind: 'pdsa_cycle',
        method: 'PATCH',
        url: (id) => `/api/v1/pdsa-cycles/${id}`,
        payload: { title: `Renamed by ${caller.key}` },
        allowed: (key) => worksInTeam(CALLERS[caller.key], teamOfCycle(key)),
        success: 200,
        changed: hasField('title', `Renamed by ${caller.key}`),
      }),
  },
  {
    method: 'DELETE',
    url: '/api/v1/pdsa-cycles/:id',
    cases: (caller) =>
      writeEach(caller, cycleKeys, cycleScope, {
        kind: 'pdsa_cycle',
        method: 'DELETE',
        url: (id) => `/api/v1/pdsa-cycles/${id}`,
        allowed: (key) => worksInTeam(CALLERS[caller.key], teamOfCycle(key)),
        success: 204,
        changed: deleted,
      }),
  },
  {
    method: 'POST',
    url: '/api/v1/pdsa-cycles/:id/transitions',
    cases: (caller) =>
      writeEach(caller, cycleKeys, cycleScope, {
        kind: 'pdsa_cycle',
        method: 'POST',
        url: (id) => `/api/v1/pdsa-cycles/${id}/transitions`,
        payload: { to: 'do' },
        allowed: (key) => worksInTeam(CALLERS[caller.key], teamOfCycle(key)),
        success: 200,
        changed: hasField('state', 'do'),
      }),
  },
  {
    method: 'GET',
    url: '/api/v1/pdsa-cycles/:id/transitions',
    cases: (caller) =>
      readEach(
        caller,
        cycleKeys,
        cycleScope,
        (id) => `/api/v1/pdsa-cycles/${id}/transitions`,
        (key) => (res) =>
          (res.json().items as { cycle_id: string }[]).every((item) => item.cycle_id === rec[key])
            ? undefined
            : "another cycle's transitions",
      ),
  },
  {
    method: 'GET',
    url: '/api/v1/pdsa-cycles/:id/ramp',
    cases: (caller) =>
      readEach(
        caller,
        cycleKeys,
        cycleScope,
        (id) => `/api/v1/pdsa-cycles/${id}/ramp`,
        (key) => (res) => {
          const body = res.json() as {
            cycle_id: string;
            items: { cycle: { id: string } | null }[];
          };
          return body.cycle_id === rec[key] && body.items[0]?.cycle?.id === rec[key]
            ? undefined
            : 'another ramp';
        },
      ),
  },
  {
    method: 'GET',
    url: '/api/v1/pdsa-cycles/:id/attachments',
    cases: (caller) => [
      ...cycleKeys.map((key) =>
        listCase(
          recordLabel(key, cycleScope(key)),
          sees(caller.key, cycleScope(key)) ? 200 : 404,
          `/api/v1/pdsa-cycles/${rec[key]}/attachments`,
          () => (key === 'Y_A' ? [attachment.id] : []),
        ),
      ),
      readCase('missing', 404, `/api/v1/pdsa-cycles/${MISSING}/attachments`),
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/pdsa-cycles/:id/attachments',
    cases: (caller) => [...cycleKeys, 'missing' as const].map((key) => uploadCase(caller, key)),
  },
  {
    method: 'GET',
    url: '/api/v1/attachments/:id',
    cases: (caller) => [
      readCase(
        `plan.txt of ${recordLabel('Y_A', cycleScope('Y_A'))}`,
        sees(caller.key, cycleScope('Y_A')) ? 200 : 404,
        `/api/v1/attachments/${attachment.id}`,
        (res) => (res.body === ATTACHMENT_TEXT ? undefined : 'another file'),
      ),
      readCase('missing', 404, `/api/v1/attachments/${MISSING}`),
    ],
  },
  {
    method: 'DELETE',
    url: '/api/v1/attachments/:id',
    cases: (caller) => [
      changeCase({
        target: `plan.txt of ${recordLabel('Y_A', cycleScope('Y_A'))}`,
        expected: onRecord(
          caller.key,
          sees(caller.key, cycleScope('Y_A')),
          worksInTeam(CALLERS[caller.key], 'A'),
          204,
        ),
        kind: 'attachment',
        id: attachment.id,
        method: 'DELETE',
        url: `/api/v1/attachments/${attachment.id}`,
        success: 204,
        changed: deleted,
      }),
      changeCase({
        target: 'missing',
        expected: onRecord(caller.key, false, false, 204),
        kind: 'attachment',
        id: MISSING,
        method: 'DELETE',
        url: `/api/v1/attachments/${MISSING}`,
        success: 204,
        changed: deleted,
      }),
    ],
  },

  // ---- measures (as visible as their owner; common ones written by the network's managers,
  //      local ones by those who work in the project's team) and their charts
  {
    method: 'GET',
    url: '/api/v1/measures',
    cases: (caller) => [
      listCase('every measure', 200, '/api/v1/measures?limit=200', () =>
        seenIds(caller, measureKeys, measureScope),
      ),
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/measures',
    cases: (caller) => {
      const c = CALLERS[caller.key];
      const measure = (
        target: string,
        expected: Expected,
        owner: { charter_id: string } | { project_id: string },
      ) =>
        createCase({
          target,
          expected,
          url: '/api/v1/measures',
          payload: () => ({
            ...owner,
            name: nextName('New measure'),
            kind: 'outcome',
            frequency: 'monthly',
            chart_type: 'run',
          }),
          find: findBy('measure', 'name'),
          check: createdBy,
          remove: removeFrom('measure'),
        });
      return [
        ...(['CH_public', 'CH_network', 'CH_private', 'CH2_network', 'missing'] as const).map(
          (key) =>
            measure(
              `common, of ${key === 'missing' ? 'a missing charter' : recordLabel(key, charterScope(key))}`,
              onCreate(
                caller.key,
                key !== 'missing' && sees(caller.key, charterScope(key)),
                key !== 'missing' && managesNetwork(c, CHARTERS[key].network),
                201,
              ),
              { charter_id: key === 'missing' ? MISSING : rec[key] },
            ),
        ),
        ...(['P_A', 'P_C', 'P_network', 'P_private', 'P_bare', 'missing'] as const).map((key) =>
          measure(
            `local, of ${key === 'missing' ? 'a missing project' : recordLabel(key, projectScope(key))}`,
            onCreate(
              caller.key,
              key !== 'missing' && sees(caller.key, projectScope(key)),
              key !== 'missing' && worksInTeam(c, PROJECTS[key].team),
              201,
            ),
            { project_id: key === 'missing' ? MISSING : rec[key] },
          ),
        ),
      ];
    },
  },
  {
    method: 'GET',
    url: '/api/v1/measures/:id',
    cases: (caller) =>
      readEach(caller, measureKeys, measureScope, (id) => `/api/v1/measures/${id}`),
  },
  ...(['PATCH', 'DELETE'] as const).map(
    (method): RouteEntry => ({
      method,
      url: '/api/v1/measures/:id',
      cases: (caller) =>
        writeEach(caller, measureKeys, measureScope, {
          kind: 'measure',
          method,
          url: (id) => `/api/v1/measures/${id}`,
          ...(method === 'PATCH' ? { payload: { description: `Edited by ${caller.key}` } } : {}),
          allowed: (key) => {
            const { charter, project } = MEASURES[key];
            return charter
              ? managesNetwork(CALLERS[caller.key], CHARTERS[charter].network)
              : worksInTeam(CALLERS[caller.key], PROJECTS[project as ProjectKey].team);
          },
          success: method === 'PATCH' ? 200 : 204,
          // A measure with values goes only with ?with_data=true.
          outcome: (key) =>
            method === 'DELETE' && SERIES.some((s) => s.measure === key)
              ? 409
              : method === 'PATCH'
                ? 200
                : 204,
          changed:
            method === 'PATCH' ? hasField('description', `Edited by ${caller.key}`) : deleted,
        }),
    }),
  ),
  {
    // The measure must be visible, the team's data too, and the team must report the measure.
    method: 'GET',
    url: '/api/v1/measures/:id/chart',
    cases: (caller) => [
      ...(
        [
          ['M_common', 'A'],
          ['M_common', 'B'],
          ['M_A', 'A'],
          ['M_C', 'C'],
          ['M_private', 'A'],
          ['M_network', 'T_network'],
          ['M_public', 'A'],
        ] as const
      ).map(([measure, team]) =>
        readCase(
          `${recordLabel(measure, measureScope(measure))} for ${team}`,
          sees(caller.key, measureScope(measure)) &&
            seesData(caller.key, team) &&
            reportsMeasure(team, measure)
            ? 200
            : 404,
          `/api/v1/measures/${rec[measure]}/chart?team=${ids[team]}`,
          chartCheck(caller, measure, team),
        ),
      ),
      readCase('missing measure', 404, `/api/v1/measures/${MISSING}/chart?team=${ids.A}`),
      readCase('missing team', 404, `/api/v1/measures/${rec.M_common}/chart?team=${MISSING}`),
    ],
  },

  // ---- a team's measure data ("team" level, whatever the team record's visibility)
  {
    method: 'GET',
    url: '/api/v1/teams/:team_id/measure-values',
    cases: (caller) => [
      ...teamKeys.map((team) =>
        readCase(
          `data of ${recordLabel(team, teamScope(team))}`,
          seesData(caller.key, team) ? 200 : 404,
          `/api/v1/teams/${ids[team]}/measure-values`,
          (res) =>
            setProblem(
              (res.json().items as { id: string }[]).map((item) => item.id),
              values
                .filter((v) => v.team === team && sees(caller.key, measureScope(v.measure)))
                .map((v) => v.id),
              nameOfId,
            ),
        ),
      ),
      readCase('missing team', 404, `/api/v1/teams/${MISSING}/measure-values`),
    ],
  },
  {
    method: 'PUT',
    url: '/api/v1/teams/:team_id/measure-values',
    cases: (caller) =>
      (
        [
          ['A', 'M_A'],
          ['C', 'M_C'],
          ['T_network', 'M_network'],
          ['T_private', 'M_A'],
          ['missing', 'M_A'],
        ] as const
      ).map(([team, measure]) => teamDataWrite(caller, team, measure, 'grid')),
  },
  {
    // Only the changes of a value made through the API are its history: none here.
    method: 'GET',
    url: '/api/v1/measure-values/:id/history',
    cases: (caller) => [
      ...SERIES.map(({ measure, team }) => {
        const value = values.find(
          (v) => v.measure === measure && v.team === team && v.period === PERIODS[0],
        );
        const id = value?.id ?? MISSING;
        return readCase(
          `${measure} of ${team} (${measureScope(measure).visibility}, team data)`,
          seesData(caller.key, team) && sees(caller.key, measureScope(measure)) ? 200 : 404,
          `/api/v1/measure-values/${id}/history`,
          (res) => (res.json().value.id === id ? undefined : 'another value'),
        );
      }),
      readCase('missing', 404, `/api/v1/measure-values/${MISSING}/history`),
    ],
  },
  {
    // One line per measure the team reports that the caller sees (and period).
    method: 'GET',
    url: '/api/v1/measure-values/template.csv',
    cases: (caller) => [
      ...(['A', 'B', 'C', 'T_network', 'T_private'] as const).map((team) =>
        readCase(
          `template of ${recordLabel(team, teamScope(team))}`,
          seesData(caller.key, team) ? 200 : 404,
          `/api/v1/measure-values/template.csv?team_id=${ids[team]}`,
          (res) =>
            setProblem(
              [
                ...new Set(
                  res.body
                    .split('\r\n')
                    .slice(1)
                    .filter(Boolean)
                    .map((line) => line.split(',')[0] as string),
                ),
              ],
              measureKeys
                .filter((m) => reportsMeasure(team, m) && sees(caller.key, measureScope(m)))
                .map((m) => `Measure ${m}`),
              (name) => name,
            ),
        ),
      ),
      readCase('missing team', 404, `/api/v1/measure-values/template.csv?team_id=${MISSING}`),
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/measure-values/import',
    cases: (caller) =>
      (
        [
          ['A', 'M_A'],
          ['C', 'M_C'],
          ['T_network', 'M_network'],
          ['missing', 'M_A'],
        ] as const
      ).map(([team, measure]) => teamDataWrite(caller, team, measure, 'import')),
  },

  // ---- annotations (own visibility; a team's written by those who work in it, network-wide
  //      ones by the network's managers)
  {
    method: 'GET',
    url: '/api/v1/annotations',
    cases: (caller) => [
      listCase('every annotation', 200, '/api/v1/annotations?limit=200', () =>
        seenIds(caller, annotationKeys, annotationScope),
      ),
      // On team A's charts: its own and the network-wide ones of N1 (none for an unseen team).
      listCase('on the charts of A', 200, `/api/v1/annotations?limit=200&team_id=${ids.A}`, () =>
        sees(caller.key, teamScope('A'))
          ? seenIds(
              caller,
              annotationKeys.filter(
                (key) =>
                  ANNOTATIONS[key].team === 'A' ||
                  (ANNOTATIONS[key].team === null && ANNOTATIONS[key].network === 'N1'),
              ),
              annotationScope,
            )
          : [],
      ),
    ],
  },
  {
    method: 'POST',
    url: '/api/v1/annotations',
    cases: (caller) => {
      const c = CALLERS[caller.key];
      const annotation = (
        target: string,
        expected: Expected,
        owner: { network_id: string } | { team_id: string },
      ) =>
        createCase({
          target,
          expected,
          url: '/api/v1/annotations',
          payload: () => ({
            ...owner,
            occurred_on: '2026-02-15',
            label: nextName('New annotation'),
            kind: 'note',
          }),
          find: findBy('annotation', 'label'),
          check: createdBy,
          remove: removeFrom('annotation'),
        });
      return [
        ...(['N1', 'N2', 'N_private', 'missing'] as const).map((key) =>
          annotation(
            `network-wide, in ${key === 'missing' ? 'a missing network' : recordLabel(key, networkScope(key))}`,
            onCreate(
              caller.key,
              key !== 'missing' && sees(caller.key, networkScope(key)),
              key !== 'missing' && managesNetwork(c, key),
              201,
            ),
            { network_id: key === 'missing' ? MISSING : ids[key] },
          ),
        ),
        ...(['A', 'C', 'T_private', 'missing'] as const).map((key) =>
          annotation(
            `of ${key === 'missing' ? 'a missing team' : recordLabel(key, teamScope(key))}`,
            onCreate(
              caller.key,
              key !== 'missing' && sees(caller.key, teamScope(key)),
              key !== 'missing' && worksInTeam(c, key),
              201,
            ),
            { team_id: key === 'missing' ? MISSING : ids[key] },
          ),
        ),
      ];
    },
  },
  {
    method: 'GET',
    url: '/api/v1/annotations/:id',
    cases: (caller) =>
      readEach(caller, annotationKeys, annotationScope, (id) => `/api/v1/annotations/${id}`),
  },
  ...(['PATCH', 'DELETE'] as const).map(
    (method): RouteEntry => ({
      method,
      url: '/api/v1/annotations/:id',
      cases: (caller) =>
        writeEach(caller, annotationKeys, annotationScope, {
          kind: 'annotation',
          method,
          url: (id) => `/api/v1/annotations/${id}`,
          ...(method === 'PATCH' ? { payload: { label: `Renamed by ${caller.key}` } } : {}),
          allowed: (key) => {
            const { network, team } = ANNOTATIONS[key];
            return team
              ? worksInTeam(CALLERS[caller.key], team)
              : managesNetwork(CALLERS[caller.key], network);
          },
          success: method === 'PATCH' ? 200 : 204,
          changed: method === 'PATCH' ? hasField('label', `Renamed by ${caller.key}`) : deleted,
        }),
    }),
  ),

  // ---- the network dashboard of a charter
  {
    method: 'GET',
    url: '/api/v1/charters/:id/dashboard',
    cases: (caller) =>
      readEach(
        caller,
        charterKeys,
        charterScope,
        (id) => `/api/v1/charters/${id}/dashboard`,
        (key) => dashboardCheck(caller, key),
      ),
  },
];

const ALL_ROUTES = [...ROUTES, ...IMPROVEMENT_ROUTES];

// ---------------------------------------------------------------------------------------------

describe('access matrix', () => {
  it('has an entry for every /api/v1 route the app serves, and none for routes it does not', () => {
    const served = new Set(
      registered
        .filter((route) => route.url.startsWith('/api/v1') && route.method !== 'HEAD')
        .map((route) => `${route.method} ${route.url}`),
    );
    // The hook saw everything the OpenAPI document lists (it cannot have missed routes).
    const documented = Object.entries(
      (t.app.swagger() as { paths: Record<string, object> }).paths,
    ).flatMap(([path, item]) =>
      Object.keys(item).map(
        (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
      ),
    );
    expect(documented.filter((route) => !served.has(route))).toEqual([]);
    expect(served.size).toBeGreaterThan(10);

    const listed = ALL_ROUTES.map((entry) => `${entry.method} ${entry.url}`);
    const duplicates = listed.filter((route, i) => listed.indexOf(route) !== i);
    const missing = [...served].filter((route) => !listed.includes(route)).sort();
    const stale = listed.filter((route) => !served.has(route)).sort();
    const message = [
      missing.length &&
        `Routes without an entry in ROUTES of test/api/access-matrix.test.ts (add one saying who may call them):\n  ${missing.join('\n  ')}`,
      stale.length && `Entries for routes the app does not serve:\n  ${stale.join('\n  ')}`,
      duplicates.length && `Entries listed twice:\n  ${duplicates.join('\n  ')}`,
    ]
      .filter(Boolean)
      .join('\n');
    expect(message, message).toBe('');
  });

  it('states the visibility rules as the worked examples say', () => {
    const wrong: string[] = [];
    const scopes: [string, Scope][] = [
      ...organisationKeys.map((key) => [key, organisationScope(key)] as [string, Scope]),
      ...networkKeys.map((key) => [key, networkScope(key)] as [string, Scope]),
      ...teamKeys.map((key) => [key, teamScope(key)] as [string, Scope]),
    ];
    for (const [key, scope] of scopes) {
      const byRules = CALLER_KEYS.filter((caller) => sees(caller, scope)).sort();
      const byHand = [...SEEN_BY[key as keyof typeof SEEN_BY]].sort();
      if (!same(byRules, byHand)) wrong.push(`${key}: rules ${byRules} / table ${byHand}`);
    }
    expect(wrong).toEqual([]);
  });

  for (const entry of ALL_ROUTES) {
    it(`${entry.method} ${entry.url}`, () => runEntry(entry));
  }
});
