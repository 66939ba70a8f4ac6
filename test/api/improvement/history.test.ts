/**
 * The record history (`GET /api/v1/history/{entity_type}/{id}`) of improvement records: each
 * record is created and changed through the API, and its history is as visible as the record
 * itself (404 otherwise, and for a missing or deleted record), never signed out (401).
 */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestActor } from '../../support/actors.ts';
import { buildImprovementWorld, type ImprovementWorld } from '../../support/improvement-world.ts';
import { createTestApp, type TestApp } from '../../support/test-db.ts';

let t: TestApp;
let w: ImprovementWorld;
const MISSING = '7d0f2b4e-1b7a-4c9e-9a57-2f1b0c9d8e11';

function call(actor: TestActor | undefined, options: InjectOptions) {
  return t.app.inject({ ...options, headers: { ...actor?.headers, ...options.headers } });
}
const history = (actor: TestActor | undefined, type: string, id: string) =>
  call(actor, { method: 'GET', url: `/api/v1/history/${type}/${id}` });

async function created(actor: TestActor, url: string, payload: object) {
  const res = await call(actor, { method: 'POST', url, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number };
}
async function changed(actor: TestActor, url: string, version: number, payload: object) {
  const res = await call(actor, {
    method: 'PATCH',
    url,
    payload,
    headers: { 'if-match': `"${version}"` },
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** Ids of the records made through the API, by history entity type. */
const made = {} as Record<
  | 'charter'
  | 'project'
  | 'driver_diagram'
  | 'change_idea'
  | 'pdsa_cycle'
  | 'measure'
  | 'annotation',
  string
>;

beforeAll(async () => {
  t = await createTestApp();
  w = await buildImprovementWorld(t);

  const charter = await created(w.n1Facilitator, '/api/v1/charters', {
    network_id: w.ids.N1,
    title: 'Attendance',
    visibility: 'network',
  });
  await changed(w.n1Facilitator, `/api/v1/charters/${charter.id}`, charter.version, {
    problem_of_practice: 'Too many absences',
  });
  made.charter = charter.id;

  const project = await created(w.memberA, '/api/v1/projects', {
    team_id: w.ids.A,
    title: 'Attendance at A',
    visibility: 'team',
  });
  await changed(w.memberA, `/api/v1/projects/${project.id}`, project.version, {
    problem_statement: 'Mondays',
  });
  made.project = project.id;

  // The project's driver diagram: created with the project, then saved once.
  const diagramUrl = `/api/v1/projects/${project.id}/driver-diagram`;
  const diagram = await call(w.memberA, { method: 'GET', url: diagramUrl });
  expect(diagram.statusCode, diagram.body).toBe(200);
  const saved = await call(w.memberA, {
    method: 'PUT',
    url: diagramUrl,
    payload: { content: { ...diagram.json().content, aim: 'Fewer absences on Mondays' } },
    headers: { 'if-match': `"${diagram.json().version}"` },
  });
  expect(saved.statusCode, saved.body).toBe(200);
  const diagramRow = await t.db
    .selectFrom('driver_diagram')
    .select('id')
    .where('project_id', '=', project.id)
    .executeTakeFirstOrThrow();
  // The response names the record, so a client can ask for its history.
  expect(saved.json().id).toBe(diagramRow.id);
  expect(diagram.json().id).toBe(diagramRow.id);
  made.driver_diagram = diagramRow.id;

  const idea = await created(w.memberA, '/api/v1/change-ideas', {
    network_id: w.ids.N1,
    team_id: w.ids.A,
    title: 'Morning calls',
    visibility: 'team',
  });
  await changed(w.memberA, `/api/v1/change-ideas/${idea.id}`, idea.version, {
    description: 'Call home before 9',
  });
  made.change_idea = idea.id;

  const cycle = await created(w.memberA, '/api/v1/pdsa-cycles', {
    project_id: project.id,
    change_idea_id: idea.id,
    title: 'Call five families',
    visibility: 'team',
    plan: { questions: [{ text: 'Will they pick up?', predictions: [{ text: 'Most' }] }] },
  });
  await changed(w.memberA, `/api/v1/pdsa-cycles/${cycle.id}`, cycle.version, {
    title: 'Call six families',
  });
  made.pdsa_cycle = cycle.id;

  const measure = await created(w.memberA, '/api/v1/measures', {
    project_id: project.id,
    name: 'Monday absences',
    kind: 'outcome',
    frequency: 'weekly',
    chart_type: 'run',
  });
  await changed(w.memberA, `/api/v1/measures/${measure.id}`, measure.version, {
    description: 'Students absent on Monday',
  });
  made.measure = measure.id;

  const annotation = await created(w.memberA, '/api/v1/annotations', {
    team_id: w.ids.A,
    occurred_on: '2026-01-05',
    label: 'Calls start',
    kind: 'note',
    visibility: 'team',
  });
  await changed(w.memberA, `/api/v1/annotations/${annotation.id}`, annotation.version, {
    label: 'Morning calls start',
  });
  made.annotation = annotation.id;
});
afterAll(() => t.close());

describe('GET /api/v1/history/{entity_type}/{id} for improvement records', () => {
  it.each([
    'charter',
    'project',
    'driver_diagram',
    'change_idea',
    'pdsa_cycle',
    'measure',
    'annotation',
  ] as const)('shows a %s its create and its update, newest first', async (type) => {
    for (const actor of [w.memberA, w.n1Facilitator, w.hub, w.admin]) {
      const res = await history(actor, type, made[type]);
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json().items as {
        action: string;
        entity_type: string;
        entity_id: string;
        actor: { id: string | null };
        changes: { field: string }[];
      }[];
      expect(items.map((item) => item.action)).toEqual(['update', 'create']);
      expect(items.every((i) => i.entity_type === type && i.entity_id === made[type])).toBe(true);
      expect(items[1]?.changes.length).toBeGreaterThan(0);
    }
  });

  it('names the change and its author', async () => {
    const res = await history(w.memberA, 'project', made.project);
    expect(res.json().items[0]).toMatchObject({
      actor: { id: w.memberA.id, deleted: false },
      changes: [{ field: 'problem_statement', before: '', after: 'Mondays' }],
    });
  });

  it("is 404 for team A's team-visible records to member B, member C and outsiders", async () => {
    const hidden = [
      'project',
      'driver_diagram',
      'change_idea',
      'pdsa_cycle',
      'measure',
      'annotation',
    ] as const;
    for (const actor of [w.memberB, w.memberC, w.outsider]) {
      for (const type of hidden) {
        const res = await history(actor, type, made[type]);
        expect(res.statusCode, `${type}: ${res.body}`).toBe(404);
        expect(res.json().code).toBe('not_found');
      }
    }
    // The network-visible charter: member B (N1) sees it, member C (N2) does not.
    expect((await history(w.memberB, 'charter', made.charter)).statusCode).toBe(200);
    expect((await history(w.memberC, 'charter', made.charter)).statusCode).toBe(404);
  });

  it('never names the diagram owner in a refusal', async () => {
    const res = await history(w.memberB, 'driver_diagram', made.driver_diagram);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(made.project);
  });

  it('is 401 signed out, for every type', async () => {
    for (const [type, id] of Object.entries(made)) {
      const res = await history(undefined, type, id);
      expect(res.statusCode, type).toBe(401);
    }
  });

  it('is 404 for a missing id of every type', async () => {
    for (const type of Object.keys(made)) {
      const res = await history(w.admin, type, MISSING);
      expect(res.statusCode, type).toBe(404);
    }
  });

  it('is 400 for an unknown entity type', async () => {
    expect((await history(w.admin, 'measure_values', w.ids.A)).statusCode).toBe(400);
  });

  it("is 404 for a deleted record (its history stays in the admins' audit log)", async () => {
    const annotation = await created(w.memberA, '/api/v1/annotations', {
      team_id: w.ids.A,
      occurred_on: '2026-01-12',
      label: 'Snow day',
      kind: 'note',
    });
    const removed = await call(w.memberA, {
      method: 'DELETE',
      url: `/api/v1/annotations/${annotation.id}`,
      headers: { 'if-match': `"${annotation.version}"` },
    });
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await history(w.admin, 'annotation', annotation.id)).statusCode).toBe(404);
    const log = await call(w.admin, {
      method: 'GET',
      url: `/api/v1/audit-events?entity_type=annotation&entity_id=${annotation.id}`,
    });
    expect(log.json().items.map((item: { action: string }) => item.action)).toEqual([
      'delete',
      'create',
    ]);
  });
});
