/**
 * Charters through the API: refusals first (401, 403, 404), then the behaviour, checked in the
 * response and in the stored rows and audit events (the charter's driver diagram included).
 */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestActor } from '../../support/actors.ts';
import { buildImprovementWorld, type ImprovementWorld } from '../../support/improvement-world.ts';
import { createTestApp, type TestApp } from '../../support/test-db.ts';

let t: TestApp;
let w: ImprovementWorld;
const ANONYMOUS = undefined;
const MISSING = '7d0f2b4e-1b7a-4c9e-9a57-2f1b0c9d8e11';

function call(actor: TestActor | undefined, options: InjectOptions) {
  return t.app.inject({ ...options, headers: { ...actor?.headers, ...options.headers } });
}
const get = (actor: TestActor | undefined, url: string) => call(actor, { method: 'GET', url });
const post = (actor: TestActor | undefined, url: string, payload: object) =>
  call(actor, { method: 'POST', url, payload });
const write = (
  method: 'PATCH' | 'PUT' | 'DELETE',
  actor: TestActor | undefined,
  url: string,
  payload?: object,
  ifMatch?: number,
) =>
  call(actor, {
    method,
    url,
    ...(payload ? { payload } : {}),
    headers: ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` },
  });
const paths = (res: { json: () => { errors?: { path: string }[] } }) =>
  [...new Set((res.json().errors ?? []).map((error) => error.path))].sort();
const auditOf = (entityId: string) =>
  t.db
    .selectFrom('audit_event')
    .selectAll()
    .where('entity_id', '=', entityId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();

beforeAll(async () => {
  t = await createTestApp();
  w = await buildImprovementWorld(t);
});
afterAll(() => t?.close());

const charterRow = (id: string) =>
  t.db.selectFrom('charter').selectAll().where('id', '=', id).executeTakeFirst();

const AIM = {
  what: 'the share of 9th graders on track',
  for_whom: '9th graders in network schools',
  unit: '%',
  baseline: 62,
  target: 80,
  by: '2028-06-30',
};

describe('GET /api/v1/charters and /api/v1/charters/:id', () => {
  it('hides a network charter from outsiders, other networks and the signed-out (404)', async () => {
    for (const actor of [ANONYMOUS, w.outsider, w.memberC]) {
      const res = await get(actor, `/api/v1/charters/${w.ids.charter}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('not_found');
      const list = await get(actor, `/api/v1/charters?network_id=${w.ids.N1}`);
      expect(list.json().items).toEqual([]);
    }
    expect((await get(w.admin, `/api/v1/charters/${MISSING}`)).statusCode).toBe(404);
    expect(paths(await get(w.admin, '/api/v1/charters/nope'))).toEqual(['/path/id']);
  });

  it('shows the charter with its aim statement, network name and visible project count', async () => {
    const res = await get(w.memberA, `/api/v1/charters/${w.ids.charter}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.json()).toMatchObject({
      id: w.ids.charter,
      network_id: w.ids.N1,
      title: 'Ninth grade on track',
      aim: AIM,
      aim_statement:
        'Increase the share of 9th graders on track from 62% to 80% by 30 June 2028 for 9th graders in network schools',
      visibility: 'network',
      version: 1,
    });
    expect(res.json().network_name).toMatch(/^N1 /);
    // PA and PB are team-visible: member A sees one, the facilitator both.
    expect(res.json().project_count).toBe(1);
    expect(
      (await get(w.n1Facilitator, `/api/v1/charters/${w.ids.charter}`)).json().project_count,
    ).toBe(2);
  });

  it('lists with keyset pagination, oldest first, each visible charter exactly once', async () => {
    for (const title of ['Second', 'Third', 'Fourth'])
      expect(
        (await post(w.n1Facilitator, '/api/v1/charters', { network_id: w.ids.N1, title }))
          .statusCode,
      ).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(
        w.memberB,
        `/api/v1/charters?network_id=${w.ids.N1}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((c: { title: string }) => c.title));
      cursor = res.json().next_cursor;
    } while (cursor);
    expect(seen).toEqual(['Ninth grade on track', 'Second', 'Third', 'Fourth']);
    expect((await get(w.memberC, '/api/v1/charters')).json().items).toEqual([]);
    expect((await get(w.memberB, '/api/v1/charters?cursor=bm9wZQ')).json().code).toBe(
      'invalid_cursor',
    );
  });
});

describe('POST /api/v1/charters', () => {
  it('is 401/404 signed out, 404 for an unseen network, 403 for team members', async () => {
    const body = { network_id: w.ids.N1, title: 'X' };
    // Signed out, an unseen network may answer 401 or 404: neither says whether it exists.
    expect([401, 404]).toContain((await post(ANONYMOUS, '/api/v1/charters', body)).statusCode);
    expect((await post(w.memberC, '/api/v1/charters', body)).statusCode).toBe(404);
    const res = await post(w.memberA, '/api/v1/charters', body);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
  });

  it('validates with field paths', async () => {
    const res = await post(w.n1Facilitator, '/api/v1/charters', {
      network_id: w.ids.N1,
      title: ' ',
      visibility: 'team',
      aim: { by: '30/06/2028', extra: 1 },
    });
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual([
      '/body/aim/by',
      '/body/aim/extra',
      '/body/title',
      '/body/visibility',
    ]);
  });

  it('creates the charter with its empty driver diagram (version 1, revision 1) and audits both', async () => {
    const res = await post(w.n1Facilitator, '/api/v1/charters', {
      network_id: w.ids.N1,
      title: '  Attendance  ',
      problem_of_practice: 'Chronic absence.',
      aim: { what: 'chronic absence', unit: '%', baseline: 30, target: 20, by: '2027-01-15' },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(res.headers.location).toBe(`/api/v1/charters/${body.id}`);
    expect(body).toMatchObject({
      title: 'Attendance',
      visibility: 'network',
      aim: {
        what: 'chronic absence',
        for_whom: '',
        unit: '%',
        baseline: 30,
        target: 20,
        by: '2027-01-15',
      },
      aim_statement: 'Decrease chronic absence from 30% to 20% by 15 January 2027',
      project_count: 0,
      version: 1,
    });
    expect(await charterRow(body.id)).toMatchObject({
      title: 'Attendance',
      aim_baseline: 30,
      aim_target: 20,
      aim_by: '2027-01-15',
      created_by: w.n1Facilitator.id,
    });
    const [event, ...more] = await auditOf(body.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      action: 'create',
      entity_type: 'charter',
      actor_id: w.n1Facilitator.id,
    });
    const diagram = await t.db
      .selectFrom('driver_diagram')
      .selectAll()
      .where('charter_id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(diagram).toMatchObject({ version: 1, project_id: null });
    expect(diagram.content).toEqual({ aim: body.aim_statement, nodes: [], edges: [] });
    const revisions = await t.db
      .selectFrom('driver_diagram_revision')
      .selectAll()
      .where('diagram_id', '=', diagram.id)
      .execute();
    expect(revisions).toHaveLength(1);
    expect((await auditOf(diagram.id))[0]).toMatchObject({
      entity_type: 'driver_diagram',
      action: 'create',
    });
    const read = await get(w.memberA, `/api/v1/charters/${body.id}/driver-diagram`);
    expect(read.json()).toMatchObject({ version: 1, owner_kind: 'charter', owner_id: body.id });
  });

  it('composes the aim statement for each shape of aim', async () => {
    const statement = async (aim: object) =>
      (await post(w.hub, '/api/v1/charters', { network_id: w.ids.N2, title: 'Aim', aim })).json()
        .aim_statement;
    expect(await statement({ what: 'reading scores', unit: 'points', target: 250 })).toBe(
      'Bring reading scores to 250 points',
    );
    expect(await statement({ what: 'belonging', baseline: 3, target: 3 })).toBe(
      'Maintain belonging at 3',
    );
    expect(await statement({ what: 'belonging', for_whom: 'new students' })).toBe(
      'Improve belonging for new students',
    );
    expect(await statement({})).toBe('');
  });
});

describe('PATCH /api/v1/charters/:id', () => {
  it('is 404 unseen, 403 for team members, 428 without If-Match, 412 when stale', async () => {
    const url = `/api/v1/charters/${w.ids.charter}`;
    expect((await write('PATCH', w.outsider, url, { title: 'X' }, 1)).statusCode).toBe(404);
    const forbidden = await write('PATCH', w.memberA, url, { title: 'X' }, 1);
    expect(forbidden.statusCode).toBe(403);
    expect((await write('PATCH', w.n1Facilitator, url, { title: 'X' })).statusCode).toBe(428);
    expect((await write('PATCH', w.n1Facilitator, url, { title: 'X' }, 7)).statusCode).toBe(412);
    expect((await charterRow(w.ids.charter))?.title).toBe('Ninth grade on track');
  });

  it('changes the fields sent (aim parts merge), bumps the version and audits before/after', async () => {
    const created = (
      await post(w.n1Facilitator, '/api/v1/charters', {
        network_id: w.ids.N1,
        title: 'Math',
        aim: AIM,
      })
    ).json();
    const url = `/api/v1/charters/${created.id}`;
    const res = await write(
      'PATCH',
      w.hub,
      url,
      { title: 'Math on track', aim: { target: 85 }, visibility: 'coalition' },
      1,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.json()).toMatchObject({
      title: 'Math on track',
      aim: { ...AIM, target: 85 },
      visibility: 'coalition',
      version: 2,
    });
    expect(await charterRow(created.id)).toMatchObject({
      aim_target: 85,
      aim_baseline: 62,
      version: 2,
    });
    const events = await auditOf(created.id);
    expect(events.map((e) => e.action)).toEqual(['create', 'update']);
    expect(events[1]?.before).toMatchObject({ title: 'Math' });
    expect(events[1]?.after).toMatchObject({ title: 'Math on track' });
    // coalition-visible now: the outsider sees it
    expect((await get(w.outsider, url)).statusCode).toBe(200);
  });
});

describe('DELETE /api/v1/charters/:id', () => {
  it('is 403 for team members and 409 while projects or measures depend on the charter', async () => {
    const url = `/api/v1/charters/${w.ids.charter}`;
    expect((await write('DELETE', w.memberA, url, undefined, 1)).statusCode).toBe(403);
    const res = await write('DELETE', w.n1Facilitator, url, undefined, 1);
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toContain('2 project(s) and 1 common measure(s)');
    expect(await charterRow(w.ids.charter)).toBeDefined();
  });

  it('deletes a charter and its diagram, and audits it', async () => {
    const created = (
      await post(w.n1Facilitator, '/api/v1/charters', { network_id: w.ids.N1, title: 'Gone' })
    ).json();
    const res = await write(
      'DELETE',
      w.n1Facilitator,
      `/api/v1/charters/${created.id}`,
      undefined,
      1,
    );
    expect(res.statusCode).toBe(204);
    expect(await charterRow(created.id)).toBeUndefined();
    const diagrams = await t.db
      .selectFrom('driver_diagram')
      .select('id')
      .where('charter_id', '=', created.id)
      .execute();
    expect(diagrams).toEqual([]);
    expect((await auditOf(created.id)).map((e) => e.action)).toEqual(['create', 'delete']);
    expect((await get(w.n1Facilitator, `/api/v1/charters/${created.id}`)).statusCode).toBe(404);
  });
});
