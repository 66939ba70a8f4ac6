/**
 * Projects through the API: refusals first, then the behaviour (stored rows, audit events, the
 * charter's aim and driver diagram copied on create).
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

const projectRow = (id: string) =>
  t.db.selectFrom('project').selectAll().where('id', '=', id).executeTakeFirst();

describe('GET /api/v1/projects and /api/v1/projects/:id', () => {
  it('hides team-visible projects from other teams, outsiders and the signed-out (404)', async () => {
    for (const actor of [ANONYMOUS, w.outsider, w.memberB, w.memberC]) {
      expect((await get(actor, `/api/v1/projects/${w.ids.PA}`)).statusCode).toBe(404);
    }
    expect((await get(w.admin, `/api/v1/projects/${MISSING}`)).statusCode).toBe(404);
    const list = await get(w.memberB, `/api/v1/projects?network_id=${w.ids.N1}`);
    expect(list.json().items.map((p: { id: string }) => p.id)).toEqual([w.ids.PB]);
  });

  it('shows names, the charter, the aim statement and the team members', async () => {
    const res = await get(w.memberA, `/api/v1/projects/${w.ids.PA}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.json()).toMatchObject({
      id: w.ids.PA,
      team_id: w.ids.A,
      team_name: 'Team A',
      network_id: w.ids.N1,
      charter_id: w.ids.charter,
      charter_title: 'Ninth grade on track',
      status: 'testing',
      aim_statement: '',
      members: [{ user_id: w.memberA.id, display_name: 'Member A' }],
    });
  });

  it('filters by team, charter, status and title, with keyset pagination by title', async () => {
    const names = async (query: string) =>
      (await get(w.n1Facilitator, `/api/v1/projects?${query}`))
        .json()
        .items.map((p: { title: string }) => p.title);
    expect(await names(`team_id=${w.ids.B}`)).toEqual(['On track at B']);
    expect(await names(`charter_id=${w.ids.charter}`)).toEqual(['On track at A', 'On track at B']);
    expect(await names('status=closed')).toEqual([]);
    expect(await names('q=AT%20a')).toEqual(['On track at A']);
    const first = (
      await get(w.n1Facilitator, `/api/v1/projects?network_id=${w.ids.N1}&limit=1`)
    ).json();
    expect(first.items.map((p: { id: string }) => p.id)).toEqual([w.ids.PA]);
    const second = (
      await get(
        w.n1Facilitator,
        `/api/v1/projects?network_id=${w.ids.N1}&limit=1&cursor=${first.next_cursor}`,
      )
    ).json();
    expect(second.items.map((p: { id: string }) => p.id)).toEqual([w.ids.PB]);
    expect(second.next_cursor).toBeNull();
  });
});

describe('POST /api/v1/projects', () => {
  it('is 401/404 signed out, 404 for an unseen team, 403 for members of another team', async () => {
    const body = { team_id: w.ids.A, title: 'X' };
    expect([401, 404]).toContain((await post(ANONYMOUS, '/api/v1/projects', body)).statusCode);
    expect((await post(w.memberB, '/api/v1/projects', body)).statusCode).toBe(404);
    expect((await post(w.outsider, '/api/v1/projects', body)).statusCode).toBe(404);
    // team B is visible to hub; a network facilitator of N1 may work in A, member C may not see A
    expect((await post(w.memberC, '/api/v1/projects', body)).statusCode).toBe(404);
  });

  it('refuses a charter of another network or an unseen one with a field path', async () => {
    const other = (
      await post(w.hub, '/api/v1/charters', { network_id: w.ids.N2, title: 'N2 charter' })
    ).json();
    const res = await post(w.memberA, '/api/v1/projects', {
      team_id: w.ids.A,
      title: 'X',
      charter_id: other.id,
    });
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual(['/body/charter_id']);
    const hub = await post(w.hub, '/api/v1/projects', {
      team_id: w.ids.A,
      title: 'X',
      charter_id: other.id,
    });
    expect(hub.json().errors).toEqual([
      {
        path: '/body/charter_id',
        message: "the charter belongs to another network than the team's",
      },
    ]);
    const invalid = await post(w.memberA, '/api/v1/projects', {
      team_id: w.ids.A,
      title: '',
      status: 'done',
    });
    expect(paths(invalid)).toEqual(['/body/status', '/body/title']);
  });

  it("copies the charter's aim and driver diagram into a project created from it", async () => {
    const diagramUrl = `/api/v1/charters/${w.ids.charter}/driver-diagram`;
    const content = {
      aim: 'Network aim',
      nodes: [
        { id: 'p1', kind: 'primary', label: 'Relationships' },
        { id: 's1', kind: 'secondary', label: 'Advisory' },
        { id: 'c1', kind: 'change_idea', label: 'Check-ins', change_idea_id: w.ids.changeIdea },
      ],
      edges: [
        { from: 'p1', to: 's1' },
        { from: 's1', to: 'c1' },
      ],
    };
    const saved = await write('PUT', w.n1Facilitator, diagramUrl, { content }, 0);
    expect(saved.statusCode, saved.body).toBe(200);

    const res = await post(w.memberA, '/api/v1/projects', {
      team_id: w.ids.A,
      charter_id: w.ids.charter,
      title: '  Ninth grade at A ',
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      title: 'Ninth grade at A',
      status: 'planning',
      visibility: 'team',
      charter_title: 'Ninth grade on track',
      aim: {
        what: 'the share of 9th graders on track',
        baseline: 62,
        target: 80,
        by: '2028-06-30',
      },
      aim_statement:
        'Increase the share of 9th graders on track from 62% to 80% by 30 June 2028 for 9th graders in network schools',
    });
    expect(await projectRow(body.id)).toMatchObject({
      network_id: w.ids.N1,
      aim_target: 80,
      created_by: w.memberA.id,
    });
    const diagram = await get(w.memberA, `/api/v1/projects/${body.id}/driver-diagram`);
    expect(diagram.json()).toMatchObject({ version: 1, owner_kind: 'project' });
    expect(diagram.json().content).toEqual({
      ...content,
      nodes: content.nodes.map((node) => ({ change_idea_id: null, ...node })),
    });
    const events = await auditOf(body.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'create',
      entity_type: 'project',
      actor_id: w.memberA.id,
    });
    // the charter's project count grew for member A
    expect((await get(w.memberA, `/api/v1/charters/${w.ids.charter}`)).json().project_count).toBe(
      2,
    );
  });

  it('keeps an aim given with the charter, and starts an empty diagram without a charter', async () => {
    const own = (
      await post(w.n1Facilitator, '/api/v1/projects', {
        team_id: w.ids.B,
        charter_id: w.ids.charter,
        title: 'Own aim',
        aim: { what: 'failing grades', baseline: 10, target: 5 },
      })
    ).json();
    expect(own.aim_statement).toBe('Decrease failing grades from 10 to 5');
    const bare = await post(w.memberA, '/api/v1/projects', {
      team_id: w.ids.A,
      title: 'Standalone',
    });
    expect(bare.statusCode).toBe(201);
    expect(bare.json()).toMatchObject({ charter_id: null, charter_title: null });
    const diagram = (
      await get(w.memberA, `/api/v1/projects/${bare.json().id}/driver-diagram`)
    ).json();
    expect(diagram.content).toEqual({ aim: '', nodes: [], edges: [] });
  });
});

describe('PATCH /api/v1/projects/:id', () => {
  it('is 404 for another team, 403 for a read-only network view, 428/412 on If-Match', async () => {
    const url = `/api/v1/projects/${w.ids.PA}`;
    expect((await write('PATCH', w.memberB, url, { status: 'closed' }, 1)).statusCode).toBe(404);
    // network-visible project: member B sees it, may not edit it
    const open = (
      await post(w.memberA, '/api/v1/projects', {
        team_id: w.ids.A,
        title: 'Open',
        visibility: 'network',
      })
    ).json();
    expect((await get(w.memberB, `/api/v1/projects/${open.id}`)).statusCode).toBe(200);
    expect(
      (await write('PATCH', w.memberB, `/api/v1/projects/${open.id}`, { status: 'closed' }, 1))
        .statusCode,
    ).toBe(403);
    expect((await write('PATCH', w.memberA, url, { status: 'closed' })).statusCode).toBe(428);
    expect((await write('PATCH', w.memberA, url, { status: 'closed' }, 9)).statusCode).toBe(412);
    expect((await projectRow(w.ids.PA))?.status).toBe('testing');
  });

  it('changes status and aim, bumps the version, audits the change', async () => {
    const url = `/api/v1/projects/${w.ids.PA}`;
    const res = await write(
      'PATCH',
      w.memberA,
      url,
      { status: 'implementing', aim: { what: 'attendance' } },
      1,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.json()).toMatchObject({
      status: 'implementing',
      aim: { what: 'attendance' },
      version: 2,
    });
    expect(await projectRow(w.ids.PA)).toMatchObject({
      status: 'implementing',
      aim_what: 'attendance',
      version: 2,
    });
    const [event] = await auditOf(w.ids.PA);
    expect(event).toMatchObject({
      action: 'update',
      entity_type: 'project',
      actor_id: w.memberA.id,
    });
    expect(event?.summary).toContain('testing → implementing');
    const unlink = await write('PATCH', w.memberA, url, { charter_id: null }, 2);
    expect(unlink.json()).toMatchObject({ charter_id: null, charter_title: null });
    const relink = await write('PATCH', w.memberA, url, { charter_id: w.ids.charter }, 3);
    expect(relink.json().charter_id).toBe(w.ids.charter);
  });
});

describe('DELETE /api/v1/projects/:id', () => {
  it('is 404 for another team and 409 while the project has cycles or measures', async () => {
    expect(
      (await write('DELETE', w.memberB, `/api/v1/projects/${w.ids.PA}`, undefined, 1)).statusCode,
    ).toBe(404);
    const res = await write('DELETE', w.memberB, `/api/v1/projects/${w.ids.PB}`, undefined, 1);
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toContain('1 local measure(s)');
    expect(await projectRow(w.ids.PB)).toBeDefined();
  });

  it('deletes a project and its diagram, and audits it', async () => {
    const created = (
      await post(w.memberA, '/api/v1/projects', { team_id: w.ids.A, title: 'Short-lived' })
    ).json();
    const res = await write('DELETE', w.memberA, `/api/v1/projects/${created.id}`, undefined, 1);
    expect(res.statusCode).toBe(204);
    expect(await projectRow(created.id)).toBeUndefined();
    expect(
      await t.db
        .selectFrom('driver_diagram')
        .select('id')
        .where('project_id', '=', created.id)
        .execute(),
    ).toEqual([]);
    expect((await auditOf(created.id)).map((e) => e.action)).toEqual(['create', 'delete']);
  });
});
