/**
 * Networks, teams and memberships through the API: for each endpoint the refusals first (401,
 * 403, 404), then the behaviour, checked in the response and in the stored rows and audit events.
 * Then the credentials side of writes: read-only tokens and the same-origin check on cookies.
 * (Who may do what on every route, for every role and visibility, is test/api/access-matrix.)
 */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor, type TestActor } from '../support/actors.ts';
import { createTestApp, type TestApp } from '../support/test-db.ts';

let t: TestApp;
let admin: TestActor;
let hub: TestActor; // coalition-wide hub facilitator
let partner: TestActor;
let n1Facilitator: TestActor;
let memberA: TestActor;
let memberB: TestActor;
let outsider: TestActor; // signed in, no role
/** N1 and N2 are network-visible, N_coalition coalition-visible; A, B in N1 and C in N2 team-visible. */
const id = {} as Record<'N1' | 'N2' | 'N_coalition' | 'A' | 'B' | 'C', string>;

const ANONYMOUS = undefined;
const MISSING = '7d0f2b4e-1b7a-4c9e-9a57-2f1b0c9d8e11';

function call(actor: TestActor | undefined, options: InjectOptions) {
  return t.app.inject({ ...options, headers: { ...actor?.headers, ...options.headers } });
}
const get = (actor: TestActor | undefined, url: string) => call(actor, { method: 'GET', url });
const post = (actor: TestActor | undefined, url: string, payload: object) =>
  call(actor, { method: 'POST', url, payload });
const patch = (
  actor: TestActor | undefined,
  url: string,
  payload: object,
  ifMatch?: string | number,
) =>
  call(actor, {
    method: 'PATCH',
    url,
    payload,
    headers: ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` },
  });
const del = (actor: TestActor | undefined, url: string, ifMatch?: string | number) =>
  call(actor, {
    method: 'DELETE',
    url,
    headers: ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` },
  });

async function created(actor: TestActor, url: string, payload: object): Promise<string> {
  const res = await post(actor, url, payload);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/** The distinct field paths of a problem's errors, sorted. */
const paths = (res: { json: () => { errors?: { path: string }[] } }) =>
  [...new Set((res.json().errors ?? []).map((error) => error.path))].sort();
/**
 * A signed-out write naming a record the caller cannot see may answer 401 (sign in) or 404 (not
 * found): both say nothing about whether the record exists (see test/api/access-matrix).
 */
const SIGNED_OUT_UNSEEN = [401, 404];

const auditOf = (entityId: string) =>
  t.db
    .selectFrom('audit_event')
    .selectAll()
    .where('entity_id', '=', entityId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();

const networkRow = (networkId: string) =>
  t.db.selectFrom('network').selectAll().where('id', '=', networkId).executeTakeFirst();
const teamRow = (teamId: string) =>
  t.db.selectFrom('team').selectAll().where('id', '=', teamId).executeTakeFirst();
const membershipRow = (membershipId: string) =>
  t.db.selectFrom('membership').selectAll().where('id', '=', membershipId).executeTakeFirst();
const count = async (table: 'network' | 'team' | 'membership' | 'audit_event') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

let unique = 0;
const nameFor = (what: string) => `${what} ${++unique}`;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createActor(t.ctx, { name: 'Ada Admin', is_admin: true });
  hub = await createActor(t.ctx, { name: 'Hana Hub', roles: [{ role: 'hub_facilitator' }] });
  partner = await createActor(t.ctx, { name: 'Pat Partner', roles: [{ role: 'partner' }] });
  outsider = await createActor(t.ctx, { name: 'Otto Outsider' });
  id.N1 = await created(hub, '/api/v1/networks', { name: 'North', visibility: 'network' });
  id.N2 = await created(hub, '/api/v1/networks', { name: 'South', visibility: 'network' });
  id.N_coalition = await created(hub, '/api/v1/networks', {
    name: 'Open',
    visibility: 'coalition',
  });
  id.A = await created(hub, '/api/v1/teams', { network_id: id.N1, name: 'A', visibility: 'team' });
  id.B = await created(hub, '/api/v1/teams', { network_id: id.N1, name: 'B', visibility: 'team' });
  id.C = await created(hub, '/api/v1/teams', { network_id: id.N2, name: 'C', visibility: 'team' });
  n1Facilitator = await createActor(t.ctx, {
    name: 'Nia Facilitator',
    roles: [{ role: 'hub_facilitator', network_id: id.N1 }],
  });
  memberA = await createActor(t.ctx, {
    name: 'Mo Member',
    roles: [{ role: 'team_member', team_id: id.A }],
  });
  memberB = await createActor(t.ctx, {
    name: 'Bea Member',
    roles: [{ role: 'team_member', team_id: id.B }],
  });
});
afterAll(() => t?.close());

// ---------------------------------------------------------------------------------------------

describe('POST /api/v1/networks', () => {
  it('is 401 signed out and 403 without a coalition role (a network facilitator included)', async () => {
    const before = await count('network');
    expect((await post(ANONYMOUS, '/api/v1/networks', { name: 'X' })).statusCode).toBe(401);
    for (const actor of [partner, n1Facilitator, memberA]) {
      const res = await post(actor, '/api/v1/networks', { name: 'X' });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    expect(await count('network')).toBe(before);
  });

  it('creates a network, returns ETag and Location, stores it and audits it', async () => {
    const res = await post(hub, '/api/v1/networks', {
      name: '  East Valley  ',
      description: 'Middle schools',
      visibility: 'public',
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      name: 'East Valley',
      description: 'Middle schools',
      visibility: 'public',
      team_count: 0,
      version: 1,
    });
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(`/api/v1/networks/${body.id}`);
    expect(await networkRow(body.id)).toMatchObject({
      name: 'East Valley',
      visibility: 'public',
      created_by: hub.id,
      version: 1,
    });
    const [event, ...more] = await auditOf(body.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      action: 'create',
      actor_id: hub.id,
      entity_type: 'network',
      before: null,
      request_id: res.headers['x-request-id'],
    });
    expect(event?.after).toMatchObject({ id: body.id, name: 'East Valley', visibility: 'public' });
  });

  it('defaults to coalition visibility and refuses a team-visible network', async () => {
    const res = await post(hub, '/api/v1/networks', { name: nameFor('Plain') });
    expect(res.json().visibility).toBe('coalition');
    const team = await post(hub, '/api/v1/networks', { name: nameFor('Bad'), visibility: 'team' });
    expect(team.statusCode).toBe(400);
    expect(paths(team)).toEqual(['/body/visibility']);
  });

  it('validates with field paths and refuses a duplicate name (any case) with 409', async () => {
    const before = await count('network');
    const invalid = await post(hub, '/api/v1/networks', { name: ' ', extra: 1 });
    expect(invalid.statusCode).toBe(400);
    expect(paths(invalid)).toEqual(['/body/extra', '/body/name']);
    const duplicate = await post(hub, '/api/v1/networks', { name: 'NORTH' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ code: 'conflict', errors: [{ path: '/body/name' }] });
    expect(await count('network')).toBe(before);
  });
});

describe('GET /api/v1/networks', () => {
  it('lists only the networks the caller sees, with team_count counting visible teams only', async () => {
    const names = async (actor: TestActor | undefined) =>
      (await get(actor, '/api/v1/networks?limit=200'))
        .json()
        .items.map((n: { name: string }) => n.name);
    expect(await names(memberA)).toEqual(expect.arrayContaining(['North', 'Open']));
    expect(await names(memberA)).not.toContain('South');
    expect(await names(ANONYMOUS)).not.toEqual(expect.arrayContaining(['North']));
    const north = async (actor: TestActor) =>
      (await get(actor, `/api/v1/networks/${id.N1}`)).json().team_count;
    // A and B are team-visible: a member of A sees A only, the facilitator both.
    expect(await north(memberA)).toBe(1);
    expect(await north(memberB)).toBe(1);
    expect(await north(n1Facilitator)).toBe(2);
    expect(await north(hub)).toBe(2);
    const page = (await get(memberA, '/api/v1/networks?q=north')).json();
    expect(page.items).toEqual([expect.objectContaining({ id: id.N1, team_count: 1 })]);
  });

  it('pages with a cursor through every visible network exactly once, in name order', async () => {
    for (const name of ['pg-delta', 'PG-alpha', 'pg-charlie', 'Pg-bravo', 'pg-echo'])
      await created(hub, '/api/v1/networks', { name, visibility: 'coalition' });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/networks?q=pg-&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await get(partner, url);
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((n: { name: string }) => n.name));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['PG-alpha', 'Pg-bravo', 'pg-charlie', 'pg-delta', 'pg-echo']);
    const forged = await get(partner, '/api/v1/networks?cursor=bm90LWEtY3Vyc29y');
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('invalid_cursor');
  });

  it('searches names case-insensitively, with % and _ taken literally', async () => {
    await created(hub, '/api/v1/networks', { name: '100% Readers' });
    await created(hub, '/api/v1/networks', { name: '1000 Readers' });
    const names = (await get(hub, '/api/v1/networks?q=0%25%20r')).json().items;
    expect(names.map((n: { name: string }) => n.name)).toEqual(['100% Readers']);
    const underscore = (await get(hub, '/api/v1/networks?q=_')).json().items;
    expect(underscore).toEqual([]);
  });
});

describe('GET /api/v1/networks/:id', () => {
  it('is 404 for an unseen or unknown network, 400 for a malformed id, else 200 with ETag', async () => {
    expect((await get(memberA, `/api/v1/networks/${id.N2}`)).statusCode).toBe(404);
    expect((await get(ANONYMOUS, `/api/v1/networks/${id.N1}`)).statusCode).toBe(404);
    expect((await get(hub, `/api/v1/networks/${MISSING}`)).json().code).toBe('not_found');
    const malformed = await get(hub, '/api/v1/networks/nope');
    expect(malformed.statusCode).toBe(400);
    expect(paths(malformed)).toEqual(['/path/id']);
    const res = await get(memberA, `/api/v1/networks/${id.N1}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe(`"${res.json().version}"`);
  });
});

describe('PATCH /api/v1/networks/:id', () => {
  it('refuses: 401 signed out (public network), 404 unseen, 403 without the right', async () => {
    const open = await created(hub, '/api/v1/networks', {
      name: nameFor('Public'),
      visibility: 'public',
    });
    expect((await patch(ANONYMOUS, `/api/v1/networks/${open}`, { name: 'X' }, 1)).statusCode).toBe(
      401,
    );
    expect((await patch(memberA, `/api/v1/networks/${id.N2}`, { name: 'X' }, 1)).statusCode).toBe(
      404,
    );
    // A member sees the network but may not change it; a facilitator of N1 not another network.
    expect((await patch(memberA, `/api/v1/networks/${id.N1}`, { name: 'X' }, 1)).statusCode).toBe(
      403,
    );
    expect(
      (await patch(n1Facilitator, `/api/v1/networks/${id.N_coalition}`, { name: 'X' }, 1))
        .statusCode,
    ).toBe(403);
    expect((await networkRow(open))?.version).toBe(1);
    expect((await networkRow(id.N1))?.name).toBe('North');
  });

  it('needs If-Match (428), refuses a stale one (412), applies a fresh one and audits it', async () => {
    const networkId = await created(hub, '/api/v1/networks', { name: nameFor('Editable') });
    const url = `/api/v1/networks/${networkId}`;
    const missing = await patch(hub, url, { description: 'x' });
    expect(missing.statusCode).toBe(428);
    expect(missing.json().code).toBe('precondition_required');
    const ok = await patch(hub, url, { name: 'Renamed network', description: 'New' }, 1);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.json()).toMatchObject({ name: 'Renamed network', description: 'New', version: 2 });
    const stale = await patch(hub, url, { name: 'Lost update' }, 1);
    expect(stale.statusCode).toBe(412);
    expect(stale.json().code).toBe('precondition_failed');
    expect(await networkRow(networkId)).toMatchObject({ name: 'Renamed network', version: 2 });
    const events = (await auditOf(networkId)).filter((e) => e.action === 'update');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_id: hub.id, entity_type: 'network' });
    expect(events[0]?.before).toMatchObject({
      name: expect.stringMatching(/^Editable/),
      version: 1,
    });
    expect(events[0]?.after).toMatchObject({ name: 'Renamed network', version: 2 });
  });

  it("lets a network's facilitator change it", async () => {
    const before = await networkRow(id.N1);
    const res = await patch(
      n1Facilitator,
      `/api/v1/networks/${id.N1}`,
      { description: 'Northern schools' },
      before?.version,
    );
    expect(res.statusCode).toBe(200);
    expect((await networkRow(id.N1))?.description).toBe('Northern schools');
    const [last] = (await auditOf(id.N1)).reverse();
    expect(last).toMatchObject({ action: 'update', actor_id: n1Facilitator.id });
  });
});

describe('DELETE /api/v1/networks/:id', () => {
  it('is 404 unseen, 403 for a network facilitator (coalition roles only), 409 while it has teams', async () => {
    const version = (await networkRow(id.N1))?.version;
    const open = await created(hub, '/api/v1/networks', {
      name: nameFor('Public'),
      visibility: 'public',
    });
    expect((await del(ANONYMOUS, `/api/v1/networks/${open}`, 1)).statusCode).toBe(401);
    expect((await del(partner, `/api/v1/networks/${open}`, 1)).statusCode).toBe(403);
    expect(await networkRow(open)).toBeDefined();
    expect((await del(memberA, `/api/v1/networks/${id.N2}`, 1)).statusCode).toBe(404);
    expect((await del(n1Facilitator, `/api/v1/networks/${id.N1}`, version)).statusCode).toBe(403);
    const busy = await del(hub, `/api/v1/networks/${id.N1}`, version);
    expect(busy.statusCode).toBe(409);
    expect(busy.json().code).toBe('conflict');
    expect(await networkRow(id.N1)).toBeDefined();
  });

  it('needs If-Match, then deletes an empty network and audits it with its last state', async () => {
    const networkId = await created(hub, '/api/v1/networks', { name: nameFor('Doomed') });
    const url = `/api/v1/networks/${networkId}`;
    expect((await del(hub, url)).statusCode).toBe(428);
    expect((await del(hub, url, 7)).statusCode).toBe(412);
    expect(await networkRow(networkId)).toBeDefined();
    const res = await del(hub, url, 1);
    expect(res.statusCode).toBe(204);
    expect(await networkRow(networkId)).toBeUndefined();
    const deleted = (await auditOf(networkId)).filter((e) => e.action === 'delete');
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({ actor_id: hub.id, entity_type: 'network', after: null });
    expect(deleted[0]?.before).toMatchObject({ id: networkId, version: 1 });
  });
});

// ---------------------------------------------------------------------------------------------

describe('POST /api/v1/teams', () => {
  it('is 401 signed out, 404 in an unseen network, 403 in a visible network one may not manage', async () => {
    const before = await count('team');
    expect(SIGNED_OUT_UNSEEN).toContain(
      (await post(ANONYMOUS, '/api/v1/teams', { network_id: id.N_coalition, name: 'X' }))
        .statusCode,
    );
    expect(
      (await post(n1Facilitator, '/api/v1/teams', { network_id: id.N2, name: 'X' })).statusCode,
    ).toBe(404);
    expect(
      (await post(n1Facilitator, '/api/v1/teams', { network_id: id.N_coalition, name: 'X' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await post(memberA, '/api/v1/teams', { network_id: id.N1, name: 'X' })).statusCode,
    ).toBe(403);
    const open = await created(hub, '/api/v1/networks', {
      name: nameFor('Public'),
      visibility: 'public',
    });
    expect(
      (await post(ANONYMOUS, '/api/v1/teams', { network_id: open, name: 'X' })).statusCode,
    ).toBe(401);
    expect(await count('team')).toBe(before);
  });

  it("lets a network's facilitator add a team, linked to an organisation, and audits it", async () => {
    const organisation = await created(admin, '/api/v1/organisations', {
      name: 'Lincoln High School',
      type: 'school',
    });
    const res = await post(n1Facilitator, '/api/v1/teams', {
      network_id: id.N1,
      name: '  Lincoln Literacy  ',
      organisation_id: organisation,
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      network_id: id.N1,
      network_name: 'North',
      organisation_id: organisation,
      organisation_name: 'Lincoln High School',
      name: 'Lincoln Literacy',
      visibility: 'network',
      version: 1,
    });
    expect(res.headers.location).toBe(`/api/v1/teams/${body.id}`);
    expect(await teamRow(body.id)).toMatchObject({
      created_by: n1Facilitator.id,
      organisation_id: organisation,
    });
    const [event] = await auditOf(body.id);
    expect(event).toMatchObject({
      action: 'create',
      actor_id: n1Facilitator.id,
      entity_type: 'team',
      before: null,
    });
    expect(event?.after).toMatchObject({ id: body.id, name: 'Lincoln Literacy' });
  });

  it('refuses an unknown organisation (400 on organisation_id) and a duplicate name in the network (409)', async () => {
    const before = await count('team');
    const unknown = await post(hub, '/api/v1/teams', {
      network_id: id.N1,
      name: nameFor('Team'),
      organisation_id: MISSING,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('validation_failed');
    expect(paths(unknown)).toEqual(['/body/organisation_id']);
    const duplicate = await post(hub, '/api/v1/teams', { network_id: id.N1, name: 'a' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ code: 'conflict', errors: [{ path: '/body/name' }] });
    const invalid = await post(hub, '/api/v1/teams', { network_id: 'x', name: '' });
    expect(paths(invalid)).toEqual(['/body/name', '/body/network_id']);
    expect(await count('team')).toBe(before);
    // The same name in another network is fine.
    expect((await post(hub, '/api/v1/teams', { network_id: id.N2, name: 'A' })).statusCode).toBe(
      201,
    );
  });

  it('does not link or reveal an organisation the caller cannot see (a private draft)', async () => {
    const secret = await post(admin, '/api/v1/organisations', {
      name: 'Secret Draft Org',
      type: 'nonprofit',
      visibility: 'private',
    });
    expect(secret.statusCode).toBe(201);
    const before = await count('team');
    const probe = await post(n1Facilitator, '/api/v1/teams', {
      network_id: id.N1,
      name: nameFor('Probe'),
      organisation_id: secret.json().id,
    });
    expect(probe.statusCode).toBe(400);
    expect(paths(probe)).toEqual(['/body/organisation_id']);
    expect(await count('team')).toBe(before);
    // Linked by the admin, the team shows the organisation to the admin only.
    const linked = await post(admin, '/api/v1/teams', {
      network_id: id.N1,
      name: nameFor('Linked'),
      organisation_id: secret.json().id,
    });
    expect(linked.json().organisation_name).toBe('Secret Draft Org');
    const seenByFacilitator = await get(n1Facilitator, `/api/v1/teams/${linked.json().id}`);
    expect(seenByFacilitator.json()).toMatchObject({
      organisation_id: null,
      organisation_name: null,
    });
    expect(seenByFacilitator.body).not.toContain('Secret Draft Org');
  });
});

describe('GET /api/v1/teams', () => {
  it('lists the teams the caller sees, filtered by network and name, page by page', async () => {
    const names = async (actor: TestActor | undefined, query = '') =>
      (await get(actor, `/api/v1/teams?limit=200${query}`))
        .json()
        .items.map((team: { name: string }) => team.name);
    expect(await names(memberA, `&network_id=${id.N1}`)).toContain('A');
    expect(await names(memberA, `&network_id=${id.N1}`)).not.toContain('B');
    expect(await names(memberA)).not.toContain('C');
    expect(await names(ANONYMOUS)).toEqual([]);
    expect(await names(hub, `&network_id=${id.N1}&q=b`)).toEqual(['B']);

    const all = await names(hub);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { name: string }[]; next_cursor: string | null } = (
        await get(hub, `/api/v1/teams?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items.map((team) => team.name));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(seen.length).toBeGreaterThan(2);
  });
});

describe('GET /api/v1/teams/:id', () => {
  it('is 404 for a team-visible team to a member of another team, 200 to its members', async () => {
    expect((await get(memberB, `/api/v1/teams/${id.A}`)).statusCode).toBe(404);
    expect((await get(partner, `/api/v1/teams/${id.A}`)).statusCode).toBe(404);
    const res = await get(memberA, `/api/v1/teams/${id.A}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe(`"${res.json().version}"`);
    expect(res.json()).toMatchObject({ id: id.A, network_id: id.N1, visibility: 'team' });
  });
});

describe('PATCH /api/v1/teams/:id', () => {
  it('is 404 unseen, 403 for a team member, 428 without and 412 with a stale If-Match', async () => {
    const teamId = await created(hub, '/api/v1/teams', {
      network_id: id.N1,
      name: nameFor('Team'),
      visibility: 'team',
    });
    const url = `/api/v1/teams/${teamId}`;
    expect((await patch(memberB, `/api/v1/teams/${id.A}`, { name: 'X' }, 1)).statusCode).toBe(404);
    expect((await patch(memberA, `/api/v1/teams/${id.A}`, { name: 'X' }, 1)).statusCode).toBe(403);
    expect((await patch(hub, url, { name: 'X' })).statusCode).toBe(428);
    expect((await patch(hub, url, { name: 'X' }, 3)).statusCode).toBe(412);
    expect((await teamRow(teamId))?.version).toBe(1);
  });

  it('changes name, visibility and organisation, rejects an unknown organisation, and audits', async () => {
    const teamId = await created(hub, '/api/v1/teams', { network_id: id.N2, name: nameFor('T') });
    const url = `/api/v1/teams/${teamId}`;
    const unknown = await patch(n1Facilitator, url, { organisation_id: MISSING }, 1);
    expect(unknown.statusCode).toBe(404); // N2's network-visible team is unseen by N1's facilitator
    const bad = await patch(hub, url, { organisation_id: MISSING }, 1);
    expect(bad.statusCode).toBe(400);
    expect(paths(bad)).toEqual(['/body/organisation_id']);
    expect((await teamRow(teamId))?.version).toBe(1);
    const ok = await patch(hub, url, { name: 'Renamed team', visibility: 'coalition' }, 1);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(await teamRow(teamId)).toMatchObject({
      name: 'Renamed team',
      visibility: 'coalition',
      version: 2,
    });
    const [event] = (await auditOf(teamId)).filter((e) => e.action === 'update');
    expect(event).toMatchObject({ actor_id: hub.id, entity_type: 'team' });
    expect(event?.before).toMatchObject({ visibility: 'network', version: 1 });
    expect(event?.after).toMatchObject({ name: 'Renamed team', visibility: 'coalition' });
    // The name is unique per network.
    const clash = await patch(hub, `/api/v1/teams/${id.C}`, { name: 'renamed TEAM' }, 1);
    expect(clash.statusCode).toBe(409);
  });
});

describe('DELETE /api/v1/teams/:id', () => {
  it('is 403 for a member, then deletes the team with its memberships and audits it', async () => {
    const teamId = await created(hub, '/api/v1/teams', { network_id: id.N1, name: nameFor('T') });
    const member = await createActor(t.ctx, { roles: [{ role: 'team_member', team_id: teamId }] });
    const url = `/api/v1/teams/${teamId}`;
    const open = await created(hub, '/api/v1/teams', {
      network_id: id.N1,
      name: nameFor('Public'),
      visibility: 'public',
    });
    expect((await del(ANONYMOUS, `/api/v1/teams/${open}`, 1)).statusCode).toBe(401);
    expect((await del(memberB, `/api/v1/teams/${id.A}`, 1)).statusCode).toBe(404);
    expect((await del(member, url, 1)).statusCode).toBe(403);
    expect(await teamRow(open)).toBeDefined();
    expect((await del(n1Facilitator, url)).statusCode).toBe(428);
    expect((await del(n1Facilitator, url, 2)).statusCode).toBe(412);
    expect(await teamRow(teamId)).toBeDefined();
    const res = await del(n1Facilitator, url, 1);
    expect(res.statusCode).toBe(204);
    expect(await teamRow(teamId)).toBeUndefined();
    expect(
      await t.db.selectFrom('membership').selectAll().where('team_id', '=', teamId).execute(),
    ).toEqual([]);
    const [event] = (await auditOf(teamId)).filter((e) => e.action === 'delete');
    expect(event).toMatchObject({ actor_id: n1Facilitator.id, entity_type: 'team', after: null });
    expect(event?.before).toMatchObject({ id: teamId });
  });
});

// ---------------------------------------------------------------------------------------------

describe('POST /api/v1/memberships', () => {
  it('is 401 signed out, 404 for an unseen team, 403 when the caller may not grant roles there', async () => {
    const before = await count('membership');
    const grant = (actor: TestActor | undefined, body: object) =>
      post(actor, '/api/v1/memberships', { email: outsider.email, ...body });
    expect((await grant(ANONYMOUS, { role: 'reviewer' })).statusCode).toBe(401);
    expect((await grant(memberB, { role: 'team_member', team_id: id.A })).statusCode).toBe(404);
    // A team member cannot grant roles, not even in their own team.
    const self = await grant(memberA, { role: 'team_member', team_id: id.A });
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('forbidden');
    expect((await grant(n1Facilitator, { role: 'reviewer' })).statusCode).toBe(403);
    expect(
      (await grant(n1Facilitator, { role: 'hub_facilitator', network_id: id.N_coalition }))
        .statusCode,
    ).toBe(403);
    expect((await grant(partner, { role: 'partner' })).statusCode).toBe(403);
    expect(await count('membership')).toBe(before);
  });

  it('checks that the role fits the scope, with the path of the field at fault', async () => {
    const grant = (body: object) =>
      post(hub, '/api/v1/memberships', { email: outsider.email, ...body });
    const cases: [object, string[]][] = [
      [{ role: 'team_member' }, ['/body/team_id']],
      [{ role: 'team_member', team_id: id.A, network_id: id.N1 }, ['/body/network_id']],
      [{ role: 'hub_facilitator', team_id: id.A }, ['/body/team_id']],
      [{ role: 'reviewer', network_id: id.N1 }, ['/body/network_id']],
      [{ role: 'partner', team_id: id.A }, ['/body/team_id']],
      [{ role: 'owner' }, ['/body/role']],
    ];
    for (const [body, expected] of cases) {
      const res = await grant(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(paths(res), JSON.stringify(body)).toEqual(expected);
    }
    const unknown = await post(hub, '/api/v1/memberships', {
      email: 'nobody@example.org',
      role: 'reviewer',
    });
    expect(unknown.statusCode).toBe(400);
    expect(paths(unknown)).toEqual(['/body/email']);
    expect(
      await t.db.selectFrom('membership').selectAll().where('user_id', '=', outsider.id).execute(),
    ).toEqual([]);
  });

  it("lets a network's facilitator grant a team role, stores and audits it, and refuses a duplicate", async () => {
    const res = await post(n1Facilitator, '/api/v1/memberships', {
      email: `  ${outsider.email.toUpperCase()} `,
      role: 'team_member',
      team_id: id.B,
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      role: 'team_member',
      scope: 'team',
      team_id: id.B,
      network_id: null,
      scope_name: 'B',
      user: { id: outsider.id, email: outsider.email },
      version: 1,
    });
    expect(res.headers.location).toBe(`/api/v1/memberships/${body.id}`);
    expect(await membershipRow(body.id)).toMatchObject({
      user_id: outsider.id,
      role: 'team_member',
      team_id: id.B,
    });
    const [event] = await auditOf(body.id);
    expect(event).toMatchObject({
      action: 'create',
      actor_id: n1Facilitator.id,
      entity_type: 'membership',
      before: null,
    });
    expect(event?.after).toMatchObject({ role: 'team_member', team_id: id.B });

    const before = await count('membership');
    const duplicate = await post(n1Facilitator, '/api/v1/memberships', {
      email: outsider.email,
      role: 'team_member',
      team_id: id.B,
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('conflict');
    expect(await count('membership')).toBe(before);
    // Now a member of B, the outsider sees B.
    expect((await get(outsider, `/api/v1/teams/${id.B}`)).statusCode).toBe(200);
    await t.db.deleteFrom('membership').where('id', '=', body.id).execute();
  });
});

describe('GET /api/v1/memberships', () => {
  it('is 401 signed out', async () => {
    expect((await get(ANONYMOUS, '/api/v1/memberships')).statusCode).toBe(401);
  });

  it('lists memberships as visible as their scope, with emails only for those who manage it', async () => {
    type Item = { id: string; team_id: string | null; user: { id: string; email: string | null } };
    const list = async (actor: TestActor, query = '') =>
      (await get(actor, `/api/v1/memberships?limit=200${query}`)).json().items as Item[];

    const asB = await list(memberB);
    expect(asB.some((m) => m.team_id === id.A)).toBe(false); // A is team-visible
    const own = asB.find((m) => m.user.id === memberB.id);
    expect(own?.user.email).toBe(memberB.email); // one's own email
    const hubsRole = asB.find((m) => m.user.id === hub.id);
    expect(hubsRole?.user.email).toBeNull(); // others': hidden from a team member

    const asFacilitator = await list(n1Facilitator, `&network_id=${id.N1}`);
    const inA = asFacilitator.find((m) => m.user.id === memberA.id);
    expect(inA?.user.email).toBe(memberA.email); // N1's facilitator manages team A
    const coalitionWide = (await list(n1Facilitator, '&scope=coalition')).find(
      (m) => m.user.id === partner.id,
    );
    expect(coalitionWide?.user.email).toBeNull(); // …but not coalition roles

    const everyEmail = await list(hub);
    expect(everyEmail.every((m) => m.user.email !== null)).toBe(true);

    const byUser = await list(hub, `&user_id=${memberA.id}`);
    expect(byUser.map((m) => m.team_id)).toEqual([id.A]);
    const byTeam = await list(hub, `&team_id=${id.B}`);
    expect(byTeam.map((m) => m.user.id)).toEqual([memberB.id]);
  });

  it('pages with a cursor through every visible membership exactly once', async () => {
    const all = (await get(hub, '/api/v1/memberships?limit=200')).json().items;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; next_cursor: string | null } = (
        await get(hub, `/api/v1/memberships?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((m) => m.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.map((m: { id: string }) => m.id));
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('GET /api/v1/memberships/:id', () => {
  it('is 404 when its team is unseen, else 200 with ETag', async () => {
    const [mine] = await t.db
      .selectFrom('membership')
      .selectAll()
      .where('user_id', '=', memberA.id)
      .execute();
    const url = `/api/v1/memberships/${mine?.id}`;
    expect((await get(memberB, url)).statusCode).toBe(404);
    expect((await get(ANONYMOUS, url)).statusCode).toBe(404);
    const res = await get(memberA, url);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.json().user.email).toBe(memberA.email);
  });
});

describe('PATCH /api/v1/memberships/:id', () => {
  const coalitionMembership = async () => {
    const person = await createActor(t.ctx, { roles: [{ role: 'reviewer' }] });
    const row = await t.db
      .selectFrom('membership')
      .selectAll()
      .where('user_id', '=', person.id)
      .executeTakeFirstOrThrow();
    return { person, row, url: `/api/v1/memberships/${row.id}` };
  };

  it('is 403 without a coalition role (the member themself included), 428 without If-Match', async () => {
    const { person, row, url } = await coalitionMembership();
    expect(SIGNED_OUT_UNSEEN).toContain(
      (await patch(ANONYMOUS, url, { role: 'partner' }, 1)).statusCode,
    );
    expect((await patch(n1Facilitator, url, { role: 'partner' }, 1)).statusCode).toBe(403);
    expect((await patch(person, url, { role: 'hub_facilitator' }, 1)).statusCode).toBe(403);
    expect((await patch(hub, url, { role: 'partner' })).statusCode).toBe(428);
    expect(await membershipRow(row.id)).toMatchObject({ role: 'reviewer', version: 1 });
  });

  it('changes a coalition-wide role in place, and audits it', async () => {
    const { person, row, url } = await coalitionMembership();
    const res = await patch(hub, url, { role: 'partner' }, 1);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.json()).toMatchObject({ role: 'partner', version: 2, user: { id: person.id } });
    expect(await membershipRow(row.id)).toMatchObject({ role: 'partner', version: 2 });
    const [event] = (await auditOf(row.id)).filter((e) => e.action === 'update');
    expect(event).toMatchObject({ actor_id: hub.id, entity_type: 'membership' });
    expect(event?.before).toMatchObject({ role: 'reviewer' });
    expect(event?.after).toMatchObject({ role: 'partner' });
  });

  it('refuses to change a team or network role in place (400 on role), or into a team role', async () => {
    const [inA] = await t.db
      .selectFrom('membership')
      .selectAll()
      .where('user_id', '=', memberA.id)
      .execute();
    const teamRole = await patch(hub, `/api/v1/memberships/${inA?.id}`, { role: 'reviewer' }, 1);
    expect(teamRole.statusCode).toBe(400);
    expect(paths(teamRole)).toEqual(['/body/role']);
    const { url } = await coalitionMembership();
    const intoTeam = await patch(hub, url, { role: 'team_member' }, 1);
    expect(intoTeam.statusCode).toBe(400);
    expect(paths(intoTeam)).toEqual(['/body/role']);
    expect((await membershipRow(inA?.id as string))?.version).toBe(1);
  });

  it('lets exactly one of two concurrent edits with the same ETag win', async () => {
    const { row, url } = await coalitionMembership();
    const etag = (await get(hub, url)).headers.etag as string;
    const [first, second] = await Promise.all([
      call(hub, {
        method: 'PATCH',
        url,
        payload: { role: 'partner' },
        headers: { 'if-match': etag },
      }),
      call(admin, {
        method: 'PATCH',
        url,
        payload: { role: 'hub_facilitator' },
        headers: { 'if-match': etag },
      }),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 412]);
    const winner = first.statusCode === 200 ? 'partner' : 'hub_facilitator';
    expect(await membershipRow(row.id)).toMatchObject({ role: winner, version: 2 });
    expect((await auditOf(row.id)).filter((e) => e.action === 'update')).toHaveLength(1);
  });
});

describe('DELETE /api/v1/memberships/:id', () => {
  it('lets a team member leave, but not remove someone else; If-Match required; audited', async () => {
    const teamId = await created(hub, '/api/v1/teams', {
      network_id: id.N1,
      name: nameFor('T'),
      visibility: 'team',
    });
    const stay = await createActor(t.ctx, { roles: [{ role: 'team_member', team_id: teamId }] });
    const leave = await createActor(t.ctx, { roles: [{ role: 'team_member', team_id: teamId }] });
    const rowOf = (actor: TestActor) =>
      t.db
        .selectFrom('membership')
        .selectAll()
        .where('user_id', '=', actor.id)
        .executeTakeFirstOrThrow();
    const stays = await rowOf(stay);
    const leaves = await rowOf(leave);

    expect(SIGNED_OUT_UNSEEN).toContain(
      (await del(ANONYMOUS, `/api/v1/memberships/${stays.id}`, 1)).statusCode,
    );
    expect((await del(leave, `/api/v1/memberships/${stays.id}`, 1)).statusCode).toBe(403);
    expect((await del(memberA, `/api/v1/memberships/${stays.id}`, 1)).statusCode).toBe(404);
    expect((await del(leave, `/api/v1/memberships/${leaves.id}`)).statusCode).toBe(428);
    expect((await del(leave, `/api/v1/memberships/${leaves.id}`, 2)).statusCode).toBe(412);
    expect(await membershipRow(stays.id)).toBeDefined();
    expect(await membershipRow(leaves.id)).toBeDefined();

    const res = await del(leave, `/api/v1/memberships/${leaves.id}`, 1);
    expect(res.statusCode).toBe(204);
    expect(await membershipRow(leaves.id)).toBeUndefined();
    const [event] = (await auditOf(leaves.id)).filter((e) => e.action === 'delete');
    expect(event).toMatchObject({ actor_id: leave.id, entity_type: 'membership', after: null });
    expect(event?.before).toMatchObject({ role: 'team_member', team_id: teamId });
    // Having left a team-visible team, they no longer see it.
    expect((await get(leave, `/api/v1/teams/${teamId}`)).statusCode).toBe(404);
    // The network's facilitator may remove the other member.
    expect((await del(n1Facilitator, `/api/v1/memberships/${stays.id}`, 1)).statusCode).toBe(204);
  });
});

// ---------------------------------------------------------------------------------------------

describe('credentials of writes', () => {
  const tokenOf = async (actor: TestActor, scope: 'read' | 'read_write') => {
    const res = await post(actor, '/api/v1/me/tokens', { name: nameFor('token'), scope });
    expect(res.statusCode).toBe(201);
    return { authorization: `Bearer ${res.json().token}` };
  };

  it('a read-only API token reads, but gets 403 on every write and writes nothing', async () => {
    const bearer = await tokenOf(hub, 'read');
    expect(
      (await call(undefined, { url: `/api/v1/networks/${id.N1}`, headers: bearer })).statusCode,
    ).toBe(200);
    const before = {
      networks: await count('network'),
      teams: await count('team'),
      memberships: await count('membership'),
      audit: await count('audit_event'),
    };
    const version = (await networkRow(id.N2))?.version;
    const writes: InjectOptions[] = [
      { method: 'POST', url: '/api/v1/networks', payload: { name: nameFor('Token') } },
      { method: 'POST', url: '/api/v1/teams', payload: { network_id: id.N2, name: 'T' } },
      {
        method: 'POST',
        url: '/api/v1/memberships',
        payload: { email: outsider.email, role: 'reviewer' },
      },
      {
        method: 'PATCH',
        url: `/api/v1/networks/${id.N2}`,
        payload: { name: 'Changed' },
        headers: { 'if-match': `"${version}"` },
      },
      { method: 'DELETE', url: `/api/v1/teams/${id.C}`, headers: { 'if-match': '"1"' } },
    ];
    for (const options of writes) {
      const res = await call(undefined, { ...options, headers: { ...bearer, ...options.headers } });
      expect(res.statusCode, `${options.method} ${options.url}`).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    expect({
      networks: await count('network'),
      teams: await count('team'),
      memberships: await count('membership'),
      audit: await count('audit_event'),
    }).toEqual(before);
    expect((await networkRow(id.N2))?.name).toBe('South');
  });

  it('a read_write token writes without an Origin header (browsers cannot forge a Bearer)', async () => {
    const bearer = await tokenOf(hub, 'read_write');
    const res = await call(undefined, {
      method: 'POST',
      url: '/api/v1/networks',
      payload: { name: nameFor('By token') },
      headers: bearer,
    });
    expect(res.statusCode).toBe(201);
    const [event] = await auditOf(res.json().id);
    expect(event).toMatchObject({ action: 'create', actor_id: hub.id });
  });

  it('a cookie write from a foreign origin is 403 cross_site_request and writes nothing', async () => {
    const before = await count('network');
    const name = nameFor('Forged');
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/v1/networks',
      payload: { name },
      headers: { cookie: hub.headers.cookie, origin: 'https://evil.example' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('cross_site_request');
    const viaReferer = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/networks/${id.N1}`,
      payload: { name },
      headers: {
        cookie: hub.headers.cookie,
        referer: 'https://evil.example/page',
        'if-match': `"${(await networkRow(id.N1))?.version}"`,
      },
    });
    expect(viaReferer.statusCode).toBe(403);
    expect(viaReferer.json().code).toBe('cross_site_request');
    expect(await count('network')).toBe(before);
    expect((await networkRow(id.N1))?.name).toBe('North');
  });

  it('a cookie write with neither Origin nor Referer is 403; a same-origin Referer is enough', async () => {
    const before = await count('network');
    const bare = await t.app.inject({
      method: 'POST',
      url: '/api/v1/networks',
      payload: { name: nameFor('Scripted') },
      headers: { cookie: hub.headers.cookie },
    });
    expect(bare.statusCode).toBe(403);
    expect(bare.json().code).toBe('cross_site_request');
    const deleteBare = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/teams/${id.C}`,
      headers: { cookie: hub.headers.cookie, 'if-match': '"1"' },
    });
    expect(deleteBare.statusCode).toBe(403);
    expect(await count('network')).toBe(before);
    expect(await teamRow(id.C)).toBeDefined();

    const referer = await t.app.inject({
      method: 'POST',
      url: '/api/v1/networks',
      payload: { name: nameFor('From a page') },
      headers: { cookie: hub.headers.cookie, referer: 'http://localhost/networks' },
    });
    expect(referer.statusCode).toBe(201);
    // Reads need no Origin.
    expect(
      (await t.app.inject({ url: '/api/v1/networks', headers: { cookie: hub.headers.cookie } }))
        .statusCode,
    ).toBe(200);
  });
});
