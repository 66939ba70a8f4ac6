/**
 * Change ideas and tags through the API: refusals first, then the behaviour (stored rows, tags
 * reused across ideas, audit events), and the drivers and testing teams shown with an idea.
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

const ideaRow = (id: string) =>
  t.db.selectFrom('change_idea').selectAll().where('id', '=', id).executeTakeFirst();

/** A PDSA cycle of a project testing an idea, written straight into the database. */
async function cycle(
  projectId: string,
  teamId: string,
  ideaId: string,
  visibility: 'team' | 'network',
) {
  const id = t.ctx.newId();
  const now = new Date();
  const empty = JSON.stringify({});
  await t.db
    .insertInto('pdsa_cycle')
    .values({
      id,
      project_id: projectId,
      team_id: teamId,
      network_id: w.ids.N1,
      change_idea_id: ideaId,
      previous_cycle_id: null,
      title: 'Cycle',
      scale: '',
      state: 'plan',
      plan: empty,
      execution: empty,
      study: empty,
      act: empty,
      decision: null,
      planned_start: null,
      completed_at: null,
      visibility,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

describe('GET /api/v1/change-ideas and /api/v1/change-ideas/:id', () => {
  it('hides network ideas from outsiders, other networks and the signed-out (404)', async () => {
    for (const actor of [ANONYMOUS, w.outsider, w.memberC]) {
      expect((await get(actor, `/api/v1/change-ideas/${w.ids.changeIdea}`)).statusCode).toBe(404);
      expect((await get(actor, '/api/v1/change-ideas')).json().items).toEqual([]);
    }
    expect((await get(w.admin, `/api/v1/change-ideas/${MISSING}`)).statusCode).toBe(404);
    const res = await get(w.memberB, `/api/v1/change-ideas/${w.ids.changeIdea}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      title: 'Advisory check-ins',
      team_id: null,
      team_name: null,
      source: { kind: 'none', citation: '', url: null, cycle_id: null },
      tags: [],
      drivers: [],
      teams_testing: [],
      version: 1,
    });
  });
});

describe('POST /api/v1/change-ideas', () => {
  it('is 401/404 signed out, 404 for an unseen network, 403 without a role in the network', async () => {
    const body = { network_id: w.ids.N1, title: 'X' };
    expect([401, 404]).toContain((await post(ANONYMOUS, '/api/v1/change-ideas', body)).statusCode);
    expect((await post(w.memberC, '/api/v1/change-ideas', body)).statusCode).toBe(404);
    expect((await post(w.outsider, '/api/v1/change-ideas', body)).statusCode).toBe(404);
    // member B may not add team A's ideas (team A unseen → field error), nor C's team in N1
    // A team idea's team owns it, as a project's team does: unseen → 404.
    const teamA = await post(w.memberB, '/api/v1/change-ideas', { ...body, team_id: w.ids.A });
    expect(teamA.statusCode).toBe(404);
    const wrongNetwork = await post(w.hub, '/api/v1/change-ideas', { ...body, team_id: w.ids.C });
    expect(paths(wrongNetwork)).toEqual(['/body/team_id']);
  });

  it('validates the source: http(s) urls only, a visible cycle for kind "cycle"', async () => {
    const base = { network_id: w.ids.N1, title: 'X' };
    const ftp = await post(w.memberA, '/api/v1/change-ideas', {
      ...base,
      source: { kind: 'document', url: 'ftp://x.org/a' },
    });
    expect(ftp.statusCode).toBe(400);
    expect(paths(ftp)).toEqual(['/body/source/url']);
    const junk = await post(w.memberA, '/api/v1/change-ideas', {
      ...base,
      source: { kind: 'document', url: 'http://' },
    });
    expect(paths(junk)).toEqual(['/body/source/url']);
    const noCycle = await post(w.memberA, '/api/v1/change-ideas', {
      ...base,
      source: { kind: 'cycle' },
    });
    expect(noCycle.json().errors).toEqual([
      { path: '/body/source/cycle_id', message: 'is required when kind is "cycle"' },
    ]);
    const hiddenCycle = await cycle(w.ids.PB, w.ids.B, w.ids.changeIdea, 'team');
    const unseen = await post(w.memberA, '/api/v1/change-ideas', {
      ...base,
      source: { kind: 'cycle', cycle_id: hiddenCycle },
    });
    expect(unseen.json().errors).toEqual([
      { path: '/body/source/cycle_id', message: 'no such PDSA cycle' },
    ]);
    const tooMany = await post(w.memberA, '/api/v1/change-ideas', {
      ...base,
      tags: Array.from({ length: 21 }, (_, i) => `t${i}`),
    });
    expect(paths(tooMany)).toEqual(['/body/tags']);
    await t.db.deleteFrom('pdsa_cycle').where('id', '=', hiddenCycle).execute();
  });

  it('creates a team idea with tags (deduplicated, existing rows reused) and audits it', async () => {
    const res = await post(w.memberA, '/api/v1/change-ideas', {
      network_id: w.ids.N1,
      team_id: w.ids.A,
      title: ' Peer tutoring ',
      description: 'Juniors tutor 9th graders.',
      source: { kind: 'research', citation: 'Smith 2019', url: 'https://example.org/paper' },
      tags: ['Tutoring', 'tutoring ', 'Peer  support'],
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(res.headers.location).toBe(`/api/v1/change-ideas/${body.id}`);
    expect(body).toMatchObject({
      title: 'Peer tutoring',
      team_id: w.ids.A,
      team_name: 'Team A',
      visibility: 'network',
      source: {
        kind: 'research',
        citation: 'Smith 2019',
        url: 'https://example.org/paper',
        cycle_id: null,
      },
      tags: ['Peer support', 'Tutoring'],
      created_by_id: w.memberA.id,
    });
    expect(await ideaRow(body.id)).toMatchObject({
      team_id: w.ids.A,
      source_kind: 'research',
      created_by: w.memberA.id,
    });
    const second = await post(w.memberB, '/api/v1/change-ideas', {
      network_id: w.ids.N1,
      title: 'Study hall',
      tags: ['TUTORING'],
    });
    expect(second.json().tags).toEqual(['Tutoring']);
    const tags = await t.db.selectFrom('tag').select('label').orderBy('label').execute();
    expect(tags.map((tag) => tag.label)).toEqual(['Peer support', 'Tutoring']);
    const [event, ...more] = await auditOf(body.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      action: 'create',
      entity_type: 'change_idea',
      actor_id: w.memberA.id,
    });
    expect(event?.after).toMatchObject({ tags: ['Peer support', 'Tutoring'] });
    // member B sees the network-visible idea of team A, but not team A's name
    expect((await get(w.memberB, `/api/v1/change-ideas/${body.id}`)).json().team_name).toBeNull();
  });
});

describe('GET /api/v1/tags and list filters', () => {
  it('counts usage among visible ideas, searches and pages by label', async () => {
    const res = await get(w.memberB, '/api/v1/tags?q=tut');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({ label: 'Tutoring', usage_count: 2 }),
    ]);
    expect((await get(w.memberC, '/api/v1/tags')).json().items).toEqual([]);
    const page = (await get(w.memberA, '/api/v1/tags?limit=1')).json();
    expect(page.items.map((tag: { label: string }) => tag.label)).toEqual(['Peer support']);
    const next = (await get(w.memberA, `/api/v1/tags?limit=1&cursor=${page.next_cursor}`)).json();
    expect(next.items.map((tag: { label: string }) => tag.label)).toEqual(['Tutoring']);
    expect(next.next_cursor).toBeNull();
  });

  it('filters ideas by tag (any case), team and title, sorted by title', async () => {
    const titles = async (query: string) =>
      (await get(w.n1Facilitator, `/api/v1/change-ideas?${query}`))
        .json()
        .items.map((i: { title: string }) => i.title);
    expect(await titles('tag=tutoring')).toEqual(['Peer tutoring', 'Study hall']);
    expect(await titles(`team_id=${w.ids.A}`)).toEqual(['Peer tutoring']);
    expect(await titles(`network_id=${w.ids.N1}&q=check`)).toEqual(['Advisory check-ins']);
    const first = (await get(w.n1Facilitator, '/api/v1/change-ideas?limit=2')).json();
    const rest = (
      await get(w.n1Facilitator, `/api/v1/change-ideas?limit=2&cursor=${first.next_cursor}`)
    ).json();
    expect([...first.items, ...rest.items].map((i: { title: string }) => i.title)).toEqual([
      'Advisory check-ins',
      'Peer tutoring',
      'Study hall',
    ]);
  });
});

describe('drivers and teams_testing', () => {
  it('shows the driver nodes linked to the idea and the teams testing it, as far as the caller sees', async () => {
    const charterDiagram = {
      aim: '',
      nodes: [
        { id: 'p1', kind: 'primary', label: 'Relationships' },
        { id: 's1', kind: 'secondary', label: 'Advisory' },
        { id: 'c1', kind: 'change_idea', label: 'Check-ins', change_idea_id: w.ids.changeIdea },
      ],
      edges: [
        { from: 'p1', to: 's1' },
        { from: 's1', to: 'c1' },
        { from: 'p1', to: 'c1' },
      ],
    };
    expect(
      (
        await write(
          'PUT',
          w.n1Facilitator,
          `/api/v1/charters/${w.ids.charter}/driver-diagram`,
          { content: charterDiagram },
          0,
        )
      ).statusCode,
    ).toBe(200);
    const projectDiagram = {
      aim: '',
      nodes: [
        { id: 'x', kind: 'secondary', label: 'Mentoring' },
        { id: 'y', kind: 'change_idea', label: 'Check-ins', change_idea_id: w.ids.changeIdea },
      ],
      edges: [{ from: 'x', to: 'y' }],
    };
    expect(
      (
        await write(
          'PUT',
          w.memberA,
          `/api/v1/projects/${w.ids.PA}/driver-diagram`,
          { content: projectDiagram },
          0,
        )
      ).statusCode,
    ).toBe(200);
    await cycle(w.ids.PA, w.ids.A, w.ids.changeIdea, 'team');
    await cycle(w.ids.PA, w.ids.A, w.ids.changeIdea, 'team');
    await cycle(w.ids.PB, w.ids.B, w.ids.changeIdea, 'network');

    const driversOf = async (actor: TestActor) => {
      const body = (await get(actor, `/api/v1/change-ideas/${w.ids.changeIdea}`)).json();
      return {
        drivers: body.drivers.map(
          (d: { owner_kind: string; label: string; kind: string }) =>
            `${d.owner_kind}:${d.kind}:${d.label}`,
        ),
        teams: body.teams_testing.map(
          (x: { team_name: string; cycle_count: number }) => `${x.team_name}:${x.cycle_count}`,
        ),
      };
    };
    expect(await driversOf(w.memberA)).toEqual({
      drivers: [
        'charter:secondary:Advisory',
        'charter:primary:Relationships',
        'project:secondary:Mentoring',
      ],
      teams: ['Team A:2', 'Team B:1'],
    });
    // member B sees neither team A's project diagram nor its team-visible cycles
    expect(await driversOf(w.memberB)).toEqual({
      drivers: ['charter:secondary:Advisory', 'charter:primary:Relationships'],
      teams: ['Team B:1'],
    });
    const listed = (await get(w.memberB, `/api/v1/change-ideas?q=advisory`)).json().items[0];
    expect(listed.teams_testing).toEqual([
      { team_id: w.ids.B, team_name: 'Team B', cycle_count: 1 },
    ]);
  });
});

describe('PATCH and DELETE /api/v1/change-ideas/:id', () => {
  it('lets only the author or the network facilitators edit; 428/412 on If-Match', async () => {
    const idea = (
      await post(w.memberB, '/api/v1/change-ideas', {
        network_id: w.ids.N1,
        title: 'Mine',
        tags: ['a'],
      })
    ).json();
    const url = `/api/v1/change-ideas/${idea.id}`;
    expect((await write('PATCH', w.memberC, url, { title: 'X' }, 1)).statusCode).toBe(404);
    expect((await write('PATCH', w.memberA, url, { title: 'X' }, 1)).statusCode).toBe(403);
    expect((await write('PATCH', w.memberB, url, { title: 'X' })).statusCode).toBe(428);
    expect((await write('PATCH', w.memberB, url, { title: 'X' }, 5)).statusCode).toBe(412);
    const res = await write(
      'PATCH',
      w.memberB,
      url,
      { title: 'Mine, renamed', tags: ['B', 'Tutoring'] },
      1,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      title: 'Mine, renamed',
      tags: ['B', 'Tutoring'],
      version: 2,
    });
    const byFacilitator = await write(
      'PATCH',
      w.n1Facilitator,
      url,
      { source: { kind: 'other', citation: 'Staff meeting' } },
      2,
    );
    expect(byFacilitator.json()).toMatchObject({
      source: { kind: 'other', citation: 'Staff meeting' },
      version: 3,
    });
    expect(await ideaRow(idea.id)).toMatchObject({
      title: 'Mine, renamed',
      source_kind: 'other',
      version: 3,
    });
    const events = await auditOf(idea.id);
    expect(events.map((e) => e.action)).toEqual(['create', 'update', 'update']);
    expect(events[1]?.before).toMatchObject({ tags: ['a'] });
    expect(events[1]?.after).toMatchObject({ tags: ['B', 'Tutoring'] });
  });

  it('refuses to delete an idea that cycles test (409), deletes others with their tag links', async () => {
    const tested = await write(
      'DELETE',
      w.n1Facilitator,
      `/api/v1/change-ideas/${w.ids.changeIdea}`,
      undefined,
      1,
    );
    expect(tested.statusCode).toBe(409);
    expect(await ideaRow(w.ids.changeIdea)).toBeDefined();
    const idea = (
      await post(w.memberA, '/api/v1/change-ideas', {
        network_id: w.ids.N1,
        title: 'Brief',
        tags: ['Tutoring'],
      })
    ).json();
    expect(
      (await write('DELETE', w.memberB, `/api/v1/change-ideas/${idea.id}`, undefined, 1))
        .statusCode,
    ).toBe(403);
    expect(
      (await write('DELETE', w.memberA, `/api/v1/change-ideas/${idea.id}`, undefined, 1))
        .statusCode,
    ).toBe(204);
    expect(await ideaRow(idea.id)).toBeUndefined();
    const links = await t.db
      .selectFrom('change_idea_tag')
      .select('tag_id')
      .where('change_idea_id', '=', idea.id)
      .execute();
    expect(links).toEqual([]);
    expect((await auditOf(idea.id)).map((e) => e.action)).toEqual(['create', 'delete']);
  });
});
