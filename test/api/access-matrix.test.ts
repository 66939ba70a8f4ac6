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

// ---------------------------------------------------------------------------------------------
// Stored state, to check what a write did (or did not do) and to put the world back after it.

type Kind = 'organisation' | 'network' | 'team' | 'membership' | 'invitation';

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
const mainRow = (s: Snapshot, kind: Kind) => s[kind][0] as Record<string, unknown> | undefined;

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
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
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
      const { res, problem } = await one.send(caller);
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
  method: 'PATCH' | 'DELETE';
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
          expected: onRecord(
            caller.key,
            key !== 'missing' && sees(caller.key, scope),
            key !== 'missing' && managesNetwork(CALLERS[caller.key], TEAMS[key].network),
            204,
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
      ];
    },
  },
];

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

    const listed = ROUTES.map((entry) => `${entry.method} ${entry.url}`);
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

  for (const entry of ROUTES) {
    it(`${entry.method} ${entry.url}`, () => runEntry(entry));
  }
});
