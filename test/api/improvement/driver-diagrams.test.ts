/**
 * Driver diagrams through the API: refusals first, then saving (validation with field paths,
 * versions, revisions, audit), the history, and the project-vs-charter comparison.
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

const charterUrl = () => `/api/v1/charters/${w.ids.charter}/driver-diagram`;
const projectUrl = () => `/api/v1/projects/${w.ids.PA}/driver-diagram`;

const NETWORK = {
  aim: 'On track',
  nodes: [
    { id: 'p1', kind: 'primary', label: 'Relationships' },
    { id: 'p2', kind: 'primary', label: 'Academic support' },
    { id: 's1', kind: 'secondary', label: 'Advisory' },
    { id: 's2', kind: 'secondary', label: 'Tutoring' },
    { id: 'c1', kind: 'change_idea', label: 'Weekly check-ins' },
  ],
  edges: [
    { from: 'p1', to: 's1' },
    { from: 'p2', to: 's2' },
    { from: 's1', to: 'c1' },
  ],
};

describe('GET/PUT /api/v1/{charters,projects}/:id/driver-diagram', () => {
  it('is 404 for unseen owners, 403 for those who may not write, 428/412 on If-Match', async () => {
    expect((await get(w.outsider, charterUrl())).statusCode).toBe(404);
    expect((await get(ANONYMOUS, charterUrl())).statusCode).toBe(404);
    expect([401, 404]).toContain(
      (await write('PUT', ANONYMOUS, charterUrl(), { content: NETWORK }, 0)).statusCode,
    );
    expect((await get(w.memberB, projectUrl())).statusCode).toBe(404);
    expect((await get(w.admin, `/api/v1/projects/${MISSING}/driver-diagram`)).statusCode).toBe(404);
    expect((await write('PUT', w.memberB, projectUrl(), { content: NETWORK }, 0)).statusCode).toBe(
      404,
    );
    const forbidden = await write('PUT', w.memberA, charterUrl(), { content: NETWORK }, 0);
    expect(forbidden.statusCode).toBe(403);
    expect(
      (await write('PUT', w.n1Facilitator, charterUrl(), { content: NETWORK })).statusCode,
    ).toBe(428);
    expect(
      (await write('PUT', w.n1Facilitator, charterUrl(), { content: NETWORK }, 3)).statusCode,
    ).toBe(412);
    expect(await t.db.selectFrom('driver_diagram').select('id').execute()).toEqual([]);
  });

  it('reads a never-saved diagram as empty at version 0', async () => {
    const res = await get(w.memberA, charterUrl());
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"0"');
    expect(res.json()).toMatchObject({
      owner_kind: 'charter',
      owner_id: w.ids.charter,
      network_id: w.ids.N1,
      version: 0,
      content: { aim: '', nodes: [], edges: [] },
    });
  });

  it('refuses invalid content with field paths and stores nothing', async () => {
    const bad = await write(
      'PUT',
      w.n1Facilitator,
      charterUrl(),
      {
        content: {
          aim: 'x',
          nodes: [
            { id: 'p1', kind: 'primary', label: 'A' },
            { id: 'p1', kind: 'secondary', label: 'B' },
            { id: 's1', kind: 'secondary', label: 'C' },
            { id: 'c1', kind: 'change_idea', label: 'D', change_idea_id: MISSING },
          ],
          edges: [
            { from: 'p1', to: 's1' },
            { from: 's1', to: 'p1' },
            { from: 'p1', to: 'zz' },
            { from: 'p1', to: 's1' },
          ],
        },
      },
      0,
    );
    expect(bad.statusCode).toBe(400);
    expect(paths(bad)).toEqual([
      '/body/content/edges/1',
      '/body/content/edges/2/to',
      '/body/content/edges/3',
      '/body/content/nodes/1/id',
      '/body/content/nodes/3/change_idea_id',
    ]);
    const shape = await write(
      'PUT',
      w.n1Facilitator,
      charterUrl(),
      { content: { aim: 'x', nodes: [{ id: 'has space', kind: 'driver', label: '' }], edges: [] } },
      0,
    );
    expect(paths(shape)).toEqual([
      '/body/content/nodes/0/id',
      '/body/content/nodes/0/kind',
      '/body/content/nodes/0/label',
    ]);
    // a change idea of another network
    const n2Idea = t.ctx.newId();
    const now = new Date();
    await t.db
      .insertInto('change_idea')
      .values({
        id: n2Idea,
        network_id: w.ids.N2,
        team_id: null,
        title: 'Elsewhere',
        description: '',
        source_kind: 'none',
        source_citation: '',
        source_url: null,
        source_cycle_id: null,
        visibility: 'coalition',
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const other = await write(
      'PUT',
      w.n1Facilitator,
      charterUrl(),
      {
        content: {
          aim: '',
          nodes: [{ id: 'c', kind: 'change_idea', label: 'E', change_idea_id: n2Idea }],
          edges: [],
        },
      },
      0,
    );
    expect(other.json().errors).toEqual([
      {
        path: '/body/content/nodes/0/change_idea_id',
        message: "the change idea belongs to another network than the diagram's",
      },
    ]);
    expect(await t.db.selectFrom('driver_diagram').select('id').execute()).toEqual([]);
  });

  it('saves versions, keeps each as a revision, audits each save', async () => {
    const first = await write('PUT', w.n1Facilitator, charterUrl(), { content: NETWORK }, 0);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers.etag).toBe('"1"');
    expect(first.json()).toMatchObject({
      version: 1,
      updated_by_id: w.n1Facilitator.id,
      updated_by_name: 'N1 facilitator',
    });
    const linked = {
      ...NETWORK,
      nodes: NETWORK.nodes.map((node) =>
        node.id === 'c1'
          ? { ...node, label: '  Weekly check-ins ', change_idea_id: w.ids.changeIdea }
          : node,
      ),
      edges: [...NETWORK.edges, { from: 'p2', to: 'c1' }],
    };
    const second = await write('PUT', w.hub, charterUrl(), { content: linked }, 1);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().version).toBe(2);
    expect(second.json().content.nodes[4]).toEqual({
      id: 'c1',
      kind: 'change_idea',
      label: 'Weekly check-ins',
      change_idea_id: w.ids.changeIdea,
    });
    const stale = await write('PUT', w.hub, charterUrl(), { content: NETWORK }, 1);
    expect(stale.statusCode).toBe(412);

    const row = await t.db
      .selectFrom('driver_diagram')
      .selectAll()
      .where('charter_id', '=', w.ids.charter)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ version: 2, updated_by: w.hub.id });
    const revisions = await t.db
      .selectFrom('driver_diagram_revision')
      .select(['version', 'saved_by'])
      .where('diagram_id', '=', row.id)
      .orderBy('version')
      .execute();
    expect(revisions).toEqual([
      { version: 1, saved_by: w.n1Facilitator.id },
      { version: 2, saved_by: w.hub.id },
    ]);
    const events = await auditOf(row.id);
    expect(events.map((e) => [e.action, e.entity_type])).toEqual([
      ['create', 'driver_diagram'],
      ['update', 'driver_diagram'],
    ]);
    expect(events[1]?.summary).toContain('version 2');
  });

  it('lists revisions newest first with counts, pages them, and reads one', async () => {
    const list = await get(w.memberA, `${charterUrl()}/revisions?limit=1`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({
        version: 2,
        saved_by_name: 'Hub',
        node_counts: { primary: 2, secondary: 2, change_idea: 1 },
        edge_count: 4,
      }),
    ]);
    const next = await get(
      w.memberA,
      `${charterUrl()}/revisions?limit=1&cursor=${list.json().next_cursor}`,
    );
    expect(next.json().items.map((r: { version: number }) => r.version)).toEqual([1]);
    expect(next.json().next_cursor).toBeNull();
    const one = await get(w.memberA, `${charterUrl()}/revisions/1`);
    expect(one.json()).toMatchObject({ version: 1, saved_by_name: 'N1 facilitator' });
    expect(one.json().content.edges).toHaveLength(3);
    expect((await get(w.memberA, `${charterUrl()}/revisions/9`)).statusCode).toBe(404);
    expect((await get(w.outsider, `${charterUrl()}/revisions`)).statusCode).toBe(404);
  });

  it('lets the team save its project diagram; others in the network cannot see it', async () => {
    const res = await write(
      'PUT',
      w.memberA,
      projectUrl(),
      {
        content: {
          aim: 'At A',
          nodes: [
            { id: 'a', kind: 'primary', label: ' relationships ' },
            { id: 'b', kind: 'secondary', label: 'ADVISORY' },
            {
              id: 'c',
              kind: 'change_idea',
              label: 'Check-ins (our version)',
              change_idea_id: w.ids.changeIdea,
            },
            { id: 'd', kind: 'secondary', label: 'Family   contact' },
          ],
          edges: [
            { from: 'a', to: 'b' },
            { from: 'b', to: 'c' },
            { from: 'a', to: 'd' },
          ],
        },
      },
      0,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect((await get(w.memberB, `${projectUrl()}/revisions`)).statusCode).toBe(404);
  });
});

describe('GET /api/v1/projects/:id/driver-diagram/compare', () => {
  it('is 404 for unseen projects and 409 without a charter', async () => {
    expect((await get(w.memberB, `${projectUrl()}/compare`)).statusCode).toBe(404);
    const bare = (
      await post(w.memberA, '/api/v1/projects', { team_id: w.ids.A, title: 'No charter' })
    ).json();
    expect(
      (await get(w.memberA, `/api/v1/projects/${bare.id}/driver-diagram/compare`)).statusCode,
    ).toBe(409);
  });

  it('matches nodes by kind and normalised label (ideas by record) and edges by their ends', async () => {
    const res = await get(w.memberA, `${projectUrl()}/compare`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      project_id: w.ids.PA,
      charter_id: w.ids.charter,
      project_version: 1,
      charter_version: 2,
    });
    expect(
      body.nodes.both.map((m: { project: { id: string }; charter: { id: string } }) => [
        m.project.id,
        m.charter.id,
      ]),
    ).toEqual([
      ['a', 'p1'],
      ['b', 's1'],
      ['c', 'c1'],
    ]);
    expect(body.nodes.only_project.map((n: { id: string }) => n.id)).toEqual(['d']);
    expect(body.nodes.only_network.map((n: { id: string }) => n.id)).toEqual(['p2', 's2']);
    const edge = (e: {
      project_edge: { from: string; to: string } | null;
      charter_edge: { from: string; to: string } | null;
    }) =>
      `${e.project_edge ? `${e.project_edge.from}>${e.project_edge.to}` : '-'}|${e.charter_edge ? `${e.charter_edge.from}>${e.charter_edge.to}` : '-'}`;
    expect(body.edges.both.map(edge)).toEqual(['a>b|p1>s1', 'b>c|s1>c1']);
    expect(body.edges.only_project.map(edge)).toEqual(['a>d|-']);
    expect(body.edges.only_network.map(edge)).toEqual(['-|p2>s2', '-|p2>c1']);
    expect(body.edges.only_project[0].to).toEqual({ kind: 'secondary', label: 'Family   contact' });
  });
});
