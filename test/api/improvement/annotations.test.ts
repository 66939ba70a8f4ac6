/**
 * Chart annotations through the API: the refusals first (401, 403, 404), then create, read,
 * list, change and delete, checked in the response, the stored row and the audit trail.
 */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestActor } from '../../support/actors.ts';
import { buildImprovementWorld, type ImprovementWorld } from '../../support/improvement-world.ts';
import { createTestApp, type TestApp } from '../../support/test-db.ts';

let t: TestApp;
let w: ImprovementWorld;
const MISSING = '7d0f2b4e-1b7a-4c9e-9a57-2f1b0c9d8e11';

beforeAll(async () => {
  t = await createTestApp();
  w = await buildImprovementWorld(t);
});
afterAll(() => t.close());

function call(actor: TestActor | undefined, options: InjectOptions) {
  return t.app.inject({ ...options, headers: { ...actor?.headers, ...options.headers } });
}
const get = (actor: TestActor | undefined, url: string) => call(actor, { method: 'GET', url });
const post = (actor: TestActor | undefined, payload: object) =>
  call(actor, { method: 'POST', url: '/api/v1/annotations', payload });
const patch = (actor: TestActor | undefined, id: string, payload: object, ifMatch?: number) =>
  call(actor, {
    method: 'PATCH',
    url: `/api/v1/annotations/${id}`,
    payload,
    headers: ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` },
  });
const del = (actor: TestActor | undefined, id: string, ifMatch?: number) =>
  call(actor, {
    method: 'DELETE',
    url: `/api/v1/annotations/${id}`,
    headers: ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` },
  });
const paths = (res: { json: () => { errors?: { path: string }[] } }) =>
  [...new Set((res.json().errors ?? []).map((error) => error.path))].sort();
const row = (id: string) =>
  t.db.selectFrom('annotation').selectAll().where('id', '=', id).executeTakeFirst();
const auditOf = (entityId: string) =>
  t.db
    .selectFrom('audit_event')
    .selectAll()
    .where('entity_id', '=', entityId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();

async function created(actor: TestActor, payload: object) {
  const res = await post(actor, payload);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number } & Record<string, unknown>;
}

describe('refusals', () => {
  it('401 signed out, 403 a member adding a network-wide event, 404 an unseen team', async () => {
    const body = { team_id: w.ids.A, occurred_on: '2026-01-05', label: 'Start', kind: 'note' };
    expect((await post(undefined, body)).statusCode).toBe(401);
    // Team A is team-visible: member B and the outsider cannot see it.
    expect((await post(w.memberB, body)).statusCode).toBe(404);
    expect((await post(w.outsider, body)).statusCode).toBe(404);
    const network = {
      network_id: w.ids.N1,
      occurred_on: '2026-01-05',
      label: 'Snow',
      kind: 'external',
    };
    const forbidden = await post(w.memberA, network);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe('forbidden');
    // N1 is network-visible: member C (N2) cannot see it.
    expect((await post(w.memberC, network)).statusCode).toBe(404);
    expect(await t.db.selectFrom('annotation').selectAll().execute()).toHaveLength(0);
  });

  it('404 for a missing or unseen annotation, 403 for a visible one the caller may not change', async () => {
    expect((await get(w.admin, `/api/v1/annotations/${MISSING}`)).statusCode).toBe(404);
    const teamOnly = await created(w.memberA, {
      team_id: w.ids.A,
      occurred_on: '2026-01-05',
      label: 'Team only',
      kind: 'note',
    });
    expect((await get(w.memberB, `/api/v1/annotations/${teamOnly.id}`)).statusCode).toBe(404);
    expect((await get(undefined, `/api/v1/annotations/${teamOnly.id}`)).statusCode).toBe(404);
    expect((await patch(w.memberB, teamOnly.id, { label: 'x' }, 1)).statusCode).toBe(404);
    expect((await del(w.memberB, teamOnly.id, 1)).statusCode).toBe(404);

    const shared = await created(w.memberA, {
      team_id: w.ids.A,
      occurred_on: '2026-01-06',
      label: 'Shared with the network',
      kind: 'note',
      visibility: 'network',
    });
    expect((await get(w.memberB, `/api/v1/annotations/${shared.id}`)).statusCode).toBe(200);
    expect((await patch(w.memberB, shared.id, { label: 'x' }, 1)).statusCode).toBe(403);
    expect((await del(w.memberB, shared.id, 1)).statusCode).toBe(403);
    expect((await patch(undefined, shared.id, { label: 'x' }, 1)).statusCode).toBe(404);
    expect((await row(shared.id))?.label).toBe('Shared with the network');
    for (const id of [teamOnly.id, shared.id])
      expect((await del(w.admin, id, 1)).statusCode).toBe(204);
  });
});

describe('create, read, change, delete', () => {
  it('a team member annotates their team: team-level by default, network from the team, audited', async () => {
    const res = await post(w.memberA, {
      team_id: w.ids.A,
      measure_id: w.ids.localMeasureA,
      occurred_on: '2026-02-02',
      label: '  Advisory check-ins begin  ',
      kind: 'change_idea',
      change_idea_id: w.ids.changeIdea,
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(`/api/v1/annotations/${body.id}`);
    expect(body).toMatchObject({
      network_id: w.ids.N1,
      team_id: w.ids.A,
      measure_id: w.ids.localMeasureA,
      occurred_on: '2026-02-02',
      label: 'Advisory check-ins begin',
      kind: 'change_idea',
      phase_break: false,
      change_idea_id: w.ids.changeIdea,
      pdsa_cycle_id: null,
      visibility: 'team',
      created_by: w.memberA.id,
      version: 1,
    });
    const stored = await row(body.id);
    expect(stored).toMatchObject({ network_id: w.ids.N1, team_id: w.ids.A, visibility: 'team' });
    const audit = await auditOf(body.id);
    expect(audit.map((e) => [e.action, e.entity_type, e.actor_id])).toEqual([
      ['create', 'annotation', w.memberA.id],
    ]);

    // The network's facilitator sees it (team level); member B does not.
    const read = await get(w.n1Facilitator, `/api/v1/annotations/${body.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');

    // Change: If-Match required, stale refused, then applied and audited with before/after.
    expect((await patch(w.memberA, body.id, { label: 'Renamed' })).statusCode).toBe(428);
    expect((await patch(w.memberA, body.id, { label: 'Renamed' }, 7)).statusCode).toBe(412);
    const changed = await patch(
      w.memberA,
      body.id,
      { label: 'Check-ins start', kind: 'phase_change', phase_break: true },
      1,
    );
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      label: 'Check-ins start',
      phase_break: true,
      version: 2,
    });
    expect(changed.headers.etag).toBe('"2"');
    expect(await row(body.id)).toMatchObject({
      kind: 'phase_change',
      phase_break: true,
      version: 2,
    });

    // A phase break needs kind phase_change, on the record as it would be stored.
    const badKind = await patch(w.memberA, body.id, { kind: 'note' }, 2);
    expect(badKind.statusCode).toBe(400);
    expect(paths(badKind)).toEqual(['/body/phase_break']);

    expect((await del(w.memberA, body.id)).statusCode).toBe(428);
    expect((await del(w.memberA, body.id, 1)).statusCode).toBe(412);
    expect((await del(w.memberA, body.id, 2)).statusCode).toBe(204);
    expect(await row(body.id)).toBeUndefined();
    const trail = await auditOf(body.id);
    expect(trail.map((e) => e.action)).toEqual(['create', 'update', 'delete']);
    expect(trail[1]?.before).toMatchObject({ label: 'Advisory check-ins begin' });
  });

  it('a network-wide event: facilitators only, network-level by default', async () => {
    const snow = await created(w.n1Facilitator, {
      network_id: w.ids.N1,
      occurred_on: '2026-01-19',
      label: 'Snow week',
      kind: 'external',
    });
    expect(snow).toMatchObject({ team_id: null, measure_id: null, visibility: 'network' });
    // Every member of N1 sees it; a member of N2 does not.
    expect((await get(w.memberA, `/api/v1/annotations/${snow.id}`)).statusCode).toBe(200);
    expect((await get(w.memberC, `/api/v1/annotations/${snow.id}`)).statusCode).toBe(404);
    expect((await patch(w.memberA, snow.id, { label: 'x' }, 1)).statusCode).toBe(403);
    expect((await del(w.n1Facilitator, snow.id, 1)).statusCode).toBe(204);
  });

  it('validates fields and links, with field paths', async () => {
    const base = { team_id: w.ids.A, occurred_on: '2026-03-02', label: 'L', kind: 'note' };
    const schema = await post(w.memberA, {
      ...base,
      label: '',
      kind: 'other',
      occurred_on: '2026-02-30',
    });
    expect(schema.statusCode).toBe(400);
    expect(paths(schema)).toEqual(['/body/kind', '/body/label', '/body/occurred_on']);

    const noScope = await post(w.n1Facilitator, {
      occurred_on: '2026-03-02',
      label: 'L',
      kind: 'note',
    });
    expect(paths(noScope)).toEqual(['/body/network_id']);

    const wrongNetwork = await post(w.admin, { ...base, network_id: w.ids.N2 });
    expect(paths(wrongNetwork)).toEqual(['/body/network_id']);

    const rules = await post(w.n1Facilitator, {
      network_id: w.ids.N1,
      occurred_on: '2026-03-02',
      label: 'L',
      kind: 'note',
      phase_break: true,
      visibility: 'team',
      measure_id: w.ids.localMeasureA,
    });
    expect(rules.statusCode).toBe(400);
    expect(paths(rules)).toEqual(['/body/measure_id', '/body/phase_break', '/body/visibility']);

    const links = await post(w.memberA, {
      ...base,
      measure_id: w.ids.localMeasureB,
      pdsa_cycle_id: MISSING,
      change_idea_id: MISSING,
    });
    expect(links.statusCode).toBe(400);
    expect(paths(links)).toEqual([
      '/body/change_idea_id',
      '/body/measure_id',
      '/body/pdsa_cycle_id',
    ]);
    expect(await t.db.selectFrom('annotation').selectAll().execute()).toHaveLength(0);
  });
});

describe('list', () => {
  it('filters by team (with the network-wide events), measure and dates; paginates by date', async () => {
    const a1 = await created(w.memberA, {
      team_id: w.ids.A,
      occurred_on: '2026-01-10',
      label: 'A1',
      kind: 'note',
    });
    const a2 = await created(w.memberA, {
      team_id: w.ids.A,
      measure_id: w.ids.commonMeasure,
      occurred_on: '2026-02-10',
      label: 'A2',
      kind: 'pdsa',
    });
    const b1 = await created(w.memberB, {
      team_id: w.ids.B,
      occurred_on: '2026-01-15',
      label: 'B1',
      kind: 'note',
    });
    const net = await created(w.n1Facilitator, {
      network_id: w.ids.N1,
      occurred_on: '2026-01-20',
      label: 'Strike',
      kind: 'external',
    });
    const labels = async (actor: TestActor | undefined, query: string) => {
      const res = await get(actor, `/api/v1/annotations?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items.map((a: { label: string }) => a.label);
    };
    expect(await labels(w.admin, '')).toEqual(['A1', 'B1', 'Strike', 'A2']);
    expect(await labels(w.memberA, '')).toEqual(['A1', 'Strike', 'A2']);
    expect(await labels(w.memberC, '')).toEqual([]);
    expect(await labels(undefined, '')).toEqual([]);
    expect(await labels(w.admin, `team_id=${w.ids.A}`)).toEqual(['A1', 'Strike', 'A2']);
    expect(await labels(w.memberB, `team_id=${w.ids.A}`)).toEqual([]);
    expect(await labels(w.admin, `team_id=${w.ids.A}&measure_id=${w.ids.commonMeasure}`)).toEqual([
      'A1',
      'Strike',
      'A2',
    ]);
    expect(await labels(w.admin, `measure_id=${w.ids.localMeasureA}`)).toEqual([
      'A1',
      'B1',
      'Strike',
    ]);
    expect(await labels(w.admin, 'from=2026-01-12&to=2026-01-31')).toEqual(['B1', 'Strike']);
    expect(await labels(w.admin, `network_id=${w.ids.N2}`)).toEqual([]);

    const bad = await get(w.admin, '/api/v1/annotations?from=2026-02-01&to=2026-01-01');
    expect(bad.statusCode).toBe(400);
    expect(paths(bad)).toEqual(['/query/from']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/annotations?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await get(w.admin, url)).json();
      seen.push(...page.items.map((a: { label: string }) => a.label));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['A1', 'B1', 'Strike', 'A2']);
    for (const a of [a1, a2, b1, net]) expect((await del(w.admin, a.id, 1)).statusCode).toBe(204);
  });
});
