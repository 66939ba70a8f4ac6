/**
 * PDSA cycles through the API: refusals first (401/403/404), then every transition of the state
 * machine (legal and illegal), section edits by state, the PDSA log's filters and visibility,
 * adapt → next cycle, ramps with hidden links, deletion, and attachments (upload, limits,
 * download headers, removal of the file). Responses and stored rows (pdsa_transition,
 * audit_event, attachment, the files) are both checked.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentMaxBytes } from '../../../src/server/platform/file-store.ts';
import type { TestActor } from '../../support/actors.ts';
import { buildImprovementWorld, type ImprovementWorld } from '../../support/improvement-world.ts';
import { createTestApp, type TestApp } from '../../support/test-db.ts';

// Read when the routes are registered: a small limit keeps the 413 test light.
const MAX_BYTES = 4096;
process.env.TANDEM_ATTACHMENT_MAX_BYTES = String(MAX_BYTES);

let t: TestApp;
let w: ImprovementWorld;
const MISSING = '7d0f2b4e-1b7a-4c9e-9a57-2f1b0c9d8e11';

function call(actor: TestActor | undefined, options: InjectOptions) {
  return t.app.inject({ ...options, headers: { ...actor?.headers, ...options.headers } });
}
const get = (actor: TestActor | undefined, url: string) => call(actor, { method: 'GET', url });
const post = (actor: TestActor | undefined, url: string, payload: object, ifMatch?: number) =>
  call(actor, {
    method: 'POST',
    url,
    payload,
    headers: ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` },
  });
const patch = (actor: TestActor | undefined, url: string, payload: object, ifMatch?: number) =>
  call(actor, {
    method: 'PATCH',
    url,
    payload,
    headers: ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` },
  });
const del = (actor: TestActor | undefined, url: string, ifMatch?: number) =>
  call(actor, {
    method: 'DELETE',
    url,
    headers: ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` },
  });

const paths = (res: { json: () => { errors?: { path: string }[] } }) =>
  [...new Set((res.json().errors ?? []).map((error) => error.path))].sort();

const cycleRow = (id: string) =>
  t.db.selectFrom('pdsa_cycle').selectAll().where('id', '=', id).executeTakeFirst();
const transitionRows = (id: string) =>
  t.db
    .selectFrom('pdsa_transition')
    .selectAll()
    .where('cycle_id', '=', id)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
const auditOf = (entityId: string) =>
  t.db
    .selectFrom('audit_event')
    .selectAll()
    .where('entity_id', '=', entityId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();

const PLAN = {
  questions: [
    {
      id: 'q1',
      text: 'Will advisees attend a five-minute check-in?',
      predictions: [
        { id: 'p1', text: '4 of 5 will attend' },
        { id: 'p2', text: 'It takes under 6 minutes' },
      ],
    },
  ],
  who: 'Advisor Ms. Lee',
  what: 'Weekly check-in',
  when: 'Week of 3 March',
  where: 'Advisory room',
  data_to_collect: 'Attendance and minutes',
};

let unique = 0;
async function createCycle(
  actor: TestActor = w.memberA,
  body: Record<string, unknown> = {},
): Promise<{ id: string; version: number; [key: string]: unknown }> {
  const res = await post(actor, '/api/v1/pdsa-cycles', {
    project_id: w.ids.PA,
    change_idea_id: w.ids.changeIdea,
    title: `Check-in test ${++unique}`,
    scale: '1 advisor',
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Reads the cycle's version, then moves it; returns the response. */
async function move(actor: TestActor, id: string, to: string, extra: object = {}) {
  const current = await get(w.admin, `/api/v1/pdsa-cycles/${id}`);
  return post(
    actor,
    `/api/v1/pdsa-cycles/${id}/transitions`,
    { to, ...extra },
    current.json().version,
  );
}
async function moved(actor: TestActor, id: string, to: string, extra: object = {}) {
  const res = await move(actor, id, to, extra);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
async function edit(actor: TestActor, id: string, body: object) {
  const current = await get(w.admin, `/api/v1/pdsa-cycles/${id}`);
  return patch(actor, `/api/v1/pdsa-cycles/${id}`, body, current.json().version);
}
async function edited(actor: TestActor, id: string, body: object) {
  const res = await edit(actor, id, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** A cycle taken to `state` by memberA, with each section filled in on the way. */
async function cycleIn(state: 'plan' | 'do' | 'study' | 'act' | 'completed', body = {}) {
  const cycle = await createCycle(w.memberA, { plan: PLAN, ...body });
  if (state === 'plan') return cycle.id;
  await moved(w.memberA, cycle.id, 'do');
  if (state === 'do') return cycle.id;
  await edited(w.memberA, cycle.id, { execution: { what_happened: 'Held 5 check-ins.' } });
  await moved(w.memberA, cycle.id, 'study');
  if (state === 'study') return cycle.id;
  await edited(w.memberA, cycle.id, {
    study: {
      results: [
        { prediction_id: 'p1', outcome: 'confirmed' },
        { prediction_id: 'p2', outcome: 'refuted', note: 'took 9 minutes' },
      ],
    },
  });
  await moved(w.memberA, cycle.id, 'act');
  if (state === 'act') return cycle.id;
  await edited(w.memberA, cycle.id, { act: { decision: 'adopt', reason: 'It worked.' } });
  await moved(w.memberA, cycle.id, 'completed');
  return cycle.id;
}

beforeAll(async () => {
  t = await createTestApp();
  w = await buildImprovementWorld(t);
});
afterAll(() => t?.close());

describe('creating and reading cycles', () => {
  it('refuses callers who may not see or work in the project', async () => {
    const body = { project_id: w.ids.PA, change_idea_id: w.ids.changeIdea, title: 'T' };
    expect([401, 404]).toContain((await post(undefined, '/api/v1/pdsa-cycles', body)).statusCode);
    for (const actor of [w.memberB, w.memberC, w.outsider]) {
      const res = await post(actor, '/api/v1/pdsa-cycles', body);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
    expect(await t.db.selectFrom('pdsa_cycle').selectAll().execute()).toHaveLength(0);
  });

  it('checks the change idea and the previous cycle', async () => {
    const missingIdea = await post(w.memberA, '/api/v1/pdsa-cycles', {
      project_id: w.ids.PA,
      change_idea_id: MISSING,
      title: 'T',
    });
    expect(missingIdea.statusCode).toBe(400);
    expect(paths(missingIdea)).toEqual(['/body/change_idea_id']);

    const bCycle = await createCycle(w.memberB, { project_id: w.ids.PB });
    const otherTeam = await post(w.n1Facilitator, '/api/v1/pdsa-cycles', {
      project_id: w.ids.PA,
      change_idea_id: w.ids.changeIdea,
      title: 'T',
      previous_cycle_id: bCycle.id,
    });
    expect(otherTeam.statusCode).toBe(400);
    expect(paths(otherTeam)).toEqual(['/body/previous_cycle_id']);
    // memberA cannot see B's cycle: "no such cycle", not "wrong team"
    const unseen = await post(w.memberA, '/api/v1/pdsa-cycles', {
      project_id: w.ids.PA,
      change_idea_id: w.ids.changeIdea,
      title: 'T',
      previous_cycle_id: bCycle.id,
    });
    expect(unseen.json().errors).toEqual([
      { path: '/body/previous_cycle_id', message: 'no such cycle' },
    ]);

    const duplicateIds = await post(w.memberA, '/api/v1/pdsa-cycles', {
      project_id: w.ids.PA,
      change_idea_id: w.ids.changeIdea,
      title: 'T',
      plan: { questions: [{ id: 'x', text: 'a', predictions: [{ id: 'x', text: 'b' }] }] },
    });
    expect(paths(duplicateIds)).toEqual(['/body/plan/questions/0/predictions/0/id']);
  });

  it('creates a cycle in plan, with ids generated for the plan, stored and audited', async () => {
    const res = await post(w.memberA, '/api/v1/pdsa-cycles', {
      project_id: w.ids.PA,
      change_idea_id: w.ids.changeIdea,
      title: '  First check-ins ',
      scale: '1 advisor',
      planned_start: '2026-03-02',
      plan: { questions: [{ text: 'Attend?', predictions: [{ text: 'Yes' }] }], who: 'Lee' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const cycle = res.json();
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(`/api/v1/pdsa-cycles/${cycle.id}`);
    expect(cycle).toMatchObject({
      project_id: w.ids.PA,
      project_title: 'On track at A',
      team_id: w.ids.A,
      team_name: 'Team A',
      network_id: w.ids.N1,
      change_idea_id: w.ids.changeIdea,
      change_idea_title: 'Advisory check-ins',
      previous_cycle_id: null,
      next_cycle_ids: [],
      title: 'First check-ins',
      scale: '1 advisor',
      planned_start: '2026-03-02',
      state: 'plan',
      decision: null,
      visibility: 'team',
      transition_count: 0,
      completed_at: null,
      created_by: w.memberA.id,
      version: 1,
      execution: {
        what_happened: '',
        observations: '',
        deviations: '',
        started_on: null,
        ended_on: null,
      },
      study: { results: [], summary: '', measure_links: [] },
      act: { decision: null, reason: '' },
    });
    expect(cycle.plan.who).toBe('Lee');
    const [question] = cycle.plan.questions;
    expect(question.id).toMatch(/^q[0-9a-f]{8}$/);
    expect(question.predictions[0].id).toMatch(/^p[0-9a-f]{8}$/);

    const row = await cycleRow(cycle.id);
    expect(row).toMatchObject({ state: 'plan', team_id: w.ids.A, network_id: w.ids.N1 });
    expect(row?.plan).toEqual(cycle.plan);
    const audit = await auditOf(cycle.id);
    expect(audit.map((a) => [a.action, a.entity_type, a.actor_id])).toEqual([
      ['create', 'pdsa_cycle', w.memberA.id],
    ]);
  });

  it('shows a cycle to those who may see it, 404 to others', async () => {
    const cycle = await createCycle();
    const url = `/api/v1/pdsa-cycles/${cycle.id}`;
    for (const actor of [undefined, w.memberB, w.memberC, w.outsider]) {
      expect((await get(actor, url)).statusCode).toBe(404);
    }
    for (const actor of [w.memberA, w.n1Facilitator, w.hub, w.admin]) {
      const res = await get(actor, url);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"1"');
    }
    expect((await get(w.memberA, `/api/v1/pdsa-cycles/${MISSING}`)).statusCode).toBe(404);
  });
});

describe('the state machine', () => {
  it('refuses moves to those who may not work in the team', async () => {
    const teamCycle = await createCycle(w.memberA, { plan: PLAN });
    const url = `/api/v1/pdsa-cycles/${teamCycle.id}/transitions`;
    for (const actor of [undefined, w.memberB, w.outsider]) {
      expect((await post(actor, url, { to: 'do' }, 1)).statusCode).toBe(404);
    }
    // network-visible: B's member sees it but may not move it; a public one answers 401 signed out
    const shared = await createCycle(w.memberA, { plan: PLAN, visibility: 'network' });
    const sharedUrl = `/api/v1/pdsa-cycles/${shared.id}/transitions`;
    const forbidden = await post(w.memberB, sharedUrl, { to: 'do' }, 1);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe('forbidden');
    const open = await createCycle(w.memberA, { plan: PLAN, visibility: 'public' });
    const anonymous = await post(
      undefined,
      `/api/v1/pdsa-cycles/${open.id}/transitions`,
      { to: 'do' },
      1,
    );
    expect(anonymous.statusCode).toBe(401);
    expect(await transitionRows(shared.id)).toHaveLength(0);
    expect(await transitionRows(open.id)).toHaveLength(0);

    // and memberA cannot move team B's cycle
    const bCycle = await createCycle(w.memberB, { project_id: w.ids.PB, plan: PLAN });
    expect(
      (await post(w.memberA, `/api/v1/pdsa-cycles/${bCycle.id}/transitions`, { to: 'do' }, 1))
        .statusCode,
    ).toBe(404);
    expect((await cycleRow(bCycle.id))?.state).toBe('plan');
  });

  it('needs If-Match, and the current version', async () => {
    const cycle = await createCycle(w.memberA, { plan: PLAN });
    const url = `/api/v1/pdsa-cycles/${cycle.id}/transitions`;
    expect((await post(w.memberA, url, { to: 'do' })).statusCode).toBe(428);
    expect((await post(w.memberA, url, { to: 'do' }, 7)).statusCode).toBe(412);
    expect((await cycleRow(cycle.id))?.state).toBe('plan');
  });

  it('plan: → do only with questions that each have a prediction; skips refused', async () => {
    const cycle = await createCycle();
    for (const to of ['plan', 'study', 'act', 'completed']) {
      const res = await move(w.memberA, cycle.id, to);
      expect(res.statusCode, to).toBe(409);
      expect(res.json().code).toBe('invalid_state');
      expect(res.json().detail).toContain("it can move to 'do'");
    }
    const noQuestions = await move(w.memberA, cycle.id, 'do');
    expect(noQuestions.statusCode).toBe(400);
    expect(noQuestions.json().code).toBe('validation_failed');
    expect(paths(noQuestions)).toEqual(['/body/plan/questions']);

    await edited(w.memberA, cycle.id, {
      plan: {
        questions: [
          { id: 'q1', text: 'a', predictions: [{ id: 'p1', text: 'x' }] },
          { id: 'q2', text: 'b' },
        ],
      },
    });
    const noPrediction = await move(w.memberA, cycle.id, 'do');
    expect(noPrediction.statusCode).toBe(400);
    expect(paths(noPrediction)).toEqual(['/body/plan/questions/1/predictions']);
    expect(await transitionRows(cycle.id)).toHaveLength(0);

    await edited(w.memberA, cycle.id, { plan: PLAN });
    const done = await moved(w.memberA, cycle.id, 'do');
    expect(done).toMatchObject({ state: 'do', transition_count: 1 });
    expect((await cycleRow(cycle.id))?.state).toBe('do');
  });

  it('do: → study needs what happened; → plan needs a reason; skips refused', async () => {
    const id = await cycleIn('do');
    for (const to of ['do', 'act', 'completed']) {
      const res = await move(w.memberA, id, to);
      expect(res.statusCode, to).toBe(409);
      expect(res.json().detail).toContain("'study' or 'plan'");
    }
    const notDone = await move(w.memberA, id, 'study');
    expect(paths(notDone)).toEqual(['/body/execution/what_happened']);
    const noReason = await move(w.memberA, id, 'plan', { reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(paths(noReason)).toEqual(['/body/reason']);

    expect(await moved(w.memberA, id, 'plan', { reason: 'Forgot a prediction' })).toMatchObject({
      state: 'plan',
    });
    await moved(w.memberA, id, 'do');
    await edited(w.memberA, id, { execution: { what_happened: 'Held 5 check-ins.' } });
    expect((await moved(w.memberA, id, 'study')).state).toBe('study');
    const log = await transitionRows(id);
    expect(log.map((r) => [r.from_state, r.to_state, r.reason, r.actor_id])).toEqual([
      ['plan', 'do', '', w.memberA.id],
      ['do', 'plan', 'Forgot a prediction', w.memberA.id],
      ['plan', 'do', '', w.memberA.id],
      ['do', 'study', '', w.memberA.id],
    ]);
  });

  it('study: → act needs an outcome for every prediction; → do needs a reason', async () => {
    const id = await cycleIn('study');
    for (const to of ['study', 'plan', 'completed']) {
      expect((await move(w.memberA, id, to)).statusCode, to).toBe(409);
    }
    expect(paths(await move(w.memberA, id, 'do'))).toEqual(['/body/reason']);
    expect((await moved(w.memberA, id, 'do', { reason: 'One more day' })).state).toBe('do');
    await moved(w.memberA, id, 'study');

    await edited(w.memberA, id, {
      study: { results: [{ prediction_id: 'p1', outcome: 'partly' }] },
    });
    const missing = await move(w.memberA, id, 'act');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([
      { path: '/body/study/results', message: expect.stringContaining('p2') },
    ]);
    await edited(w.memberA, id, {
      study: {
        results: [
          { prediction_id: 'p1', outcome: 'partly' },
          { prediction_id: 'p2', outcome: 'confirmed' },
        ],
      },
    });
    expect((await moved(w.memberA, id, 'act')).state).toBe('act');
  });

  it('act: → completed needs decision and reason; → study needs a reason', async () => {
    const id = await cycleIn('act');
    for (const to of ['act', 'plan', 'do']) {
      expect((await move(w.memberA, id, to)).statusCode, to).toBe(409);
    }
    expect(paths(await move(w.memberA, id, 'completed'))).toEqual([
      '/body/act/decision',
      '/body/act/reason',
    ]);
    expect(paths(await move(w.memberA, id, 'study'))).toEqual(['/body/reason']);
    expect((await moved(w.memberA, id, 'study', { reason: 'Recount' })).state).toBe('study');
    await moved(w.memberA, id, 'act');
    const withDecision = await edited(w.memberA, id, { act: { decision: 'abandon' } });
    expect(withDecision.decision).toBe('abandon');
    expect((await cycleRow(id))?.decision).toBe('abandon');
    expect(paths(await move(w.memberA, id, 'completed'))).toEqual(['/body/act/reason']);
    // a next cycle only with 'adapt'
    await edited(w.memberA, id, { act: { reason: 'Took too long' } });
    const notAdapt = await move(w.memberA, id, 'completed', { next_cycle: { title: 'Again' } });
    expect(paths(notAdapt)).toEqual(['/body/next_cycle']);

    const done = await moved(w.memberA, id, 'completed');
    expect(done).toMatchObject({ state: 'completed', decision: 'abandon' });
    expect(done.completed_at).toEqual(expect.any(String));
    expect((await cycleRow(id))?.completed_at).toBeInstanceOf(Date);
  });

  it('completed: read-only; reopening needs a reason and is logged', async () => {
    const id = await cycleIn('completed');
    for (const to of ['completed', 'plan', 'do', 'study']) {
      const res = await move(w.memberA, id, to);
      expect(res.statusCode, to).toBe(409);
      expect(res.json().detail).toContain("it can move to 'act'");
    }
    const readOnly = await edit(w.memberA, id, { title: 'Renamed' });
    expect(readOnly.statusCode).toBe(409);
    expect(readOnly.json().code).toBe('invalid_state');
    expect(readOnly.json().detail).toMatch(/read-only/);

    const noReason = await move(w.memberA, id, 'act');
    expect(noReason.statusCode).toBe(400);
    expect(paths(noReason)).toEqual(['/body/reason']);
    expect((await cycleRow(id))?.state).toBe('completed');

    const reopened = await moved(w.memberA, id, 'act', { reason: 'New data came in' });
    expect(reopened).toMatchObject({ state: 'act', completed_at: null, decision: 'adopt' });
    const last = (await transitionRows(id)).at(-1);
    expect(last).toMatchObject({
      from_state: 'completed',
      to_state: 'act',
      reason: 'New data came in',
      actor_id: w.memberA.id,
    });
    const audit = (await auditOf(id)).at(-1);
    expect(audit).toMatchObject({ action: 'update', entity_type: 'pdsa_cycle' });
    expect(audit?.summary).toBe(
      `Moved PDSA cycle "${reopened.title}" from completed to act: New data came in`,
    );

    const log = await get(w.n1Facilitator, `/api/v1/pdsa-cycles/${id}/transitions`);
    expect(log.statusCode).toBe(200);
    expect(log.json().items.map((i: { from: string; to: string }) => `${i.from}>${i.to}`)).toEqual([
      'plan>do',
      'do>study',
      'study>act',
      'act>completed',
      'completed>act',
    ]);
    expect(log.json().items.at(-1)).toMatchObject({
      reason: 'New data came in',
      actor: { id: w.memberA.id, display_name: 'Member A' },
    });
    expect(reopened.transition_count).toBe(5);
    // every transition audited, in the same transaction as its log row
    const moves = (await auditOf(id)).filter((a) => a.summary.startsWith('Moved'));
    expect(moves).toHaveLength(5);
    expect((await get(w.memberB, `/api/v1/pdsa-cycles/${id}/transitions`)).statusCode).toBe(404);
  });

  it("adapt: completing with next_cycle creates the ramp's next cycle in the same transaction", async () => {
    const id = await cycleIn('act', { visibility: 'network', planned_start: '2026-03-02' });
    await edited(w.memberA, id, { act: { decision: 'adapt', reason: 'Shorter script' } });
    const done = await moved(w.memberA, id, 'completed', {
      next_cycle: { title: 'Shorter check-ins', scale: '3 advisors', planned_start: '2026-03-16' },
    });
    expect(done.next_cycle_ids).toHaveLength(1);
    const nextId = done.next_cycle_ids[0];
    const next = (await get(w.memberA, `/api/v1/pdsa-cycles/${nextId}`)).json();
    expect(next).toMatchObject({
      previous_cycle_id: id,
      project_id: w.ids.PA,
      change_idea_id: w.ids.changeIdea,
      title: 'Shorter check-ins',
      scale: '3 advisors',
      planned_start: '2026-03-16',
      state: 'plan',
      visibility: 'network',
      decision: null,
      plan: PLAN,
      created_by: w.memberA.id,
    });
    expect(next.study.results).toEqual([]);
    expect((await auditOf(nextId)).map((a) => a.action)).toEqual(['create']);
  });
});

describe('editing sections', () => {
  it('refuses a section outside its state, allows the header fields until completed', async () => {
    const id = await cycleIn('plan');
    for (const section of ['execution', 'study', 'act']) {
      const res = await edit(w.memberA, id, { [section]: {} });
      expect(res.statusCode, section).toBe(409);
      expect(res.json().code).toBe('invalid_state');
    }
    await moved(w.memberA, id, 'do');
    const planInDo = await edit(w.memberA, id, { plan: { who: 'someone else' } });
    expect(planInDo.statusCode).toBe(409);
    expect(planInDo.json().detail).toContain("only be edited while the cycle is in 'plan'");
    expect((await edit(w.memberA, id, { study: { summary: 'x' } })).statusCode).toBe(409);

    const header = await edited(w.memberA, id, {
      title: 'Renamed',
      scale: '2 advisors',
      planned_start: '2026-04-01',
      visibility: 'network',
      execution: { what_happened: 'Went fine', started_on: '2026-04-01' },
    });
    expect(header).toMatchObject({
      title: 'Renamed',
      scale: '2 advisors',
      planned_start: '2026-04-01',
      visibility: 'network',
      execution: { what_happened: 'Went fine', started_on: '2026-04-01', observations: '' },
    });
    // a section's omitted fields keep their value
    const more = await edited(w.memberA, id, { execution: { observations: 'Quiet room helps' } });
    expect(more.execution).toMatchObject({
      what_happened: 'Went fine',
      observations: 'Quiet room helps',
    });
    const backwards = await edit(w.memberA, id, { execution: { ended_on: '2026-03-01' } });
    expect(paths(backwards)).toEqual(['/body/execution/ended_on']);
    expect((await auditOf(id)).filter((a) => a.summary.startsWith('Changed'))).toHaveLength(2);
  });

  it('checks study results against the plan and measure links against visibility', async () => {
    const id = await cycleIn('study');
    const bad = await edit(w.memberA, id, {
      study: {
        results: [
          { prediction_id: 'p1', outcome: 'confirmed' },
          { prediction_id: 'p1', outcome: 'refuted' },
          { prediction_id: 'nope', outcome: 'partly' },
        ],
        measure_links: [{ measure_id: w.ids.localMeasureB }, { measure_id: MISSING }],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(paths(bad)).toEqual([
      '/body/study/measure_links/0/measure_id',
      '/body/study/measure_links/1/measure_id',
      '/body/study/results/1/prediction_id',
      '/body/study/results/2/prediction_id',
    ]);
    const badOutcome = await edit(w.memberA, id, {
      study: { results: [{ prediction_id: 'p1', outcome: 'maybe' }] },
    });
    expect(badOutcome.statusCode).toBe(400);
    expect(paths(badOutcome)).toEqual(['/body/study/results/0/outcome']);
    const hiddenTeam = await edit(w.memberA, id, {
      study: { measure_links: [{ measure_id: w.ids.commonMeasure, team_id: w.ids.B }] },
    });
    expect(paths(hiddenTeam)).toEqual(['/body/study/measure_links/0/team_id']);

    const ok = await edited(w.memberA, id, {
      study: {
        summary: 'Mostly as predicted',
        measure_links: [
          { measure_id: w.ids.localMeasureA },
          { measure_id: w.ids.commonMeasure, team_id: w.ids.A },
        ],
      },
    });
    expect(ok.study.measure_links).toEqual([
      { measure_id: w.ids.localMeasureA, team_id: null },
      { measure_id: w.ids.commonMeasure, team_id: w.ids.A },
    ]);
  });

  it('refuses edits by those who may not work in the team', async () => {
    const cycle = await createCycle(w.memberA, { visibility: 'network' });
    const url = `/api/v1/pdsa-cycles/${cycle.id}`;
    expect((await patch(w.memberB, url, { title: 'x' }, 1)).statusCode).toBe(403);
    expect((await patch(w.memberC, url, { title: 'x' }, 1)).statusCode).toBe(404);
    expect((await patch(w.n1Facilitator, url, { title: 'By facilitator' }, 1)).statusCode).toBe(
      200,
    );
  });
});

describe('the PDSA log', () => {
  let ids: Record<'planA' | 'doneA' | 'netA' | 'planB', string>;
  beforeAll(async () => {
    // A fresh project keeps these cycles apart from the other tests' in the assertions below.
    ids = {
      planA: (await createCycle(w.memberA, { title: 'Log plan A', planned_start: '2026-01-10' }))
        .id,
      doneA: await cycleIn('completed', { title: 'Log done A', planned_start: '2026-02-10' }),
      netA: (
        await createCycle(w.memberA, {
          title: 'Log network A',
          visibility: 'network',
          planned_start: '2026-03-10',
        })
      ).id,
      planB: (
        await createCycle(w.memberB, {
          project_id: w.ids.PB,
          title: 'Log plan B',
          planned_start: '2026-01-20',
        })
      ).id,
    };
  });
  const titles = async (actor: TestActor | undefined, query: string) => {
    const res = await get(actor, `/api/v1/pdsa-cycles?q=Log&${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items.map((i: { title: string }) => i.title);
  };

  it('lists newest first, filtered by visibility in the query', async () => {
    expect(await titles(w.admin, '')).toEqual([
      'Log plan B',
      'Log network A',
      'Log done A',
      'Log plan A',
    ]);
    expect(await titles(w.memberA, '')).toEqual(['Log network A', 'Log done A', 'Log plan A']);
    expect(await titles(w.memberB, '')).toEqual(['Log plan B', 'Log network A']);
    expect(await titles(w.memberC, '')).toEqual([]);
    expect(await titles(undefined, '')).toEqual([]);
    // B's member sees A's network-visible cycle but not the (team-visible) team or project names
    const shared = (await get(w.memberB, `/api/v1/pdsa-cycles/${ids.netA}`)).json();
    expect(shared).toMatchObject({ team_name: null, project_title: null, title: 'Log network A' });
  });

  it('filters by network, team, project, change idea, state, decision, dates and title', async () => {
    expect(await titles(w.admin, `team_id=${w.ids.B}`)).toEqual(['Log plan B']);
    expect(await titles(w.admin, `project_id=${w.ids.PA}&state=plan`)).toEqual([
      'Log network A',
      'Log plan A',
    ]);
    expect(await titles(w.admin, `network_id=${w.ids.N2}`)).toEqual([]);
    expect(
      await titles(w.admin, `network_id=${w.ids.N1}&change_idea_id=${w.ids.changeIdea}`),
    ).toHaveLength(4);
    expect(await titles(w.admin, 'state=completed&decision=adopt')).toEqual(['Log done A']);
    expect(await titles(w.admin, 'decision=abandon')).toEqual([]);
    expect(await titles(w.admin, 'from=2026-01-15&to=2026-02-28')).toEqual([
      'Log plan B',
      'Log done A',
    ]);
    expect(await titles(w.memberB, 'from=2026-01-15&to=2026-02-28')).toEqual(['Log plan B']);
    const reversed = await get(w.admin, '/api/v1/pdsa-cycles?from=2026-03-01&to=2026-01-01');
    expect(paths(reversed)).toEqual(['/query/to']);
    expect((await get(w.admin, '/api/v1/pdsa-cycles?state=doing')).statusCode).toBe(400);
  });

  it('pages with a keyset cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/pdsa-cycles?q=Log&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await get(w.admin, url)).json();
      seen.push(...page.items.map((i: { title: string }) => i.title));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['Log plan B', 'Log network A', 'Log done A', 'Log plan A']);
    expect((await get(w.admin, '/api/v1/pdsa-cycles?cursor=nonsense')).statusCode).toBe(400);
  });
});

describe('ramps', () => {
  it('returns the chain from its root, with hidden cycles as gaps', async () => {
    const root = await cycleIn('act', { title: 'Ramp 1', visibility: 'network' });
    await edited(w.memberA, root, { act: { decision: 'adapt', reason: 'Scale up' } });
    const middle = (await moved(w.memberA, root, 'completed', { next_cycle: { title: 'Ramp 2' } }))
      .next_cycle_ids[0];
    // the middle cycle stays team-visible (it inherits 'network'; make it team)
    await edited(w.memberA, middle, { visibility: 'team' });
    const leaf = (
      await createCycle(w.memberA, {
        title: 'Ramp 3',
        previous_cycle_id: middle,
        visibility: 'network',
      })
    ).id;
    const sibling = (
      await createCycle(w.memberA, {
        title: 'Ramp 2b',
        previous_cycle_id: root,
        visibility: 'team',
      })
    ).id;

    const full = await get(w.memberA, `/api/v1/pdsa-cycles/${leaf}/ramp`);
    expect(full.statusCode).toBe(200);
    expect(
      full
        .json()
        .items.map((i: { cycle: { title: string }; depth: number; parent_index: number }) => [
          i.cycle.title,
          i.depth,
          i.parent_index,
        ]),
    ).toEqual([
      ['Ramp 1', 0, null],
      ['Ramp 2', 1, 0],
      ['Ramp 3', 2, 1],
      ['Ramp 2b', 1, 0],
    ]);

    const forB = (await get(w.memberB, `/api/v1/pdsa-cycles/${root}/ramp`)).json();
    expect(forB.items).toEqual([
      expect.objectContaining({
        index: 0,
        hidden: false,
        cycle: expect.objectContaining({ id: root }),
      }),
      { index: 1, parent_index: 0, depth: 1, hidden: true, cycle: null },
      expect.objectContaining({ index: 2, parent_index: 1, hidden: false }),
      { index: 3, parent_index: 0, depth: 1, hidden: true, cycle: null },
    ]);
    expect(JSON.stringify(forB)).not.toContain(middle);
    expect(JSON.stringify(forB)).not.toContain(sibling);
    // the leaf's link to its hidden predecessor is not shown either
    const leafForB = (await get(w.memberB, `/api/v1/pdsa-cycles/${leaf}`)).json();
    expect(leafForB.previous_cycle_id).toBeNull();
    expect((await get(w.memberB, `/api/v1/pdsa-cycles/${root}`)).json().next_cycle_ids).toEqual([]);
    expect((await get(w.memberB, `/api/v1/pdsa-cycles/${middle}/ramp`)).statusCode).toBe(404);
  });
});

describe('deleting cycles', () => {
  it('deletes a cycle still in plan, refuses a tested one', async () => {
    const planned = await createCycle();
    const url = `/api/v1/pdsa-cycles/${planned.id}`;
    expect((await del(w.memberB, url, 1)).statusCode).toBe(404);
    expect((await del(w.memberA, url)).statusCode).toBe(428);
    expect((await del(w.memberA, url, 1)).statusCode).toBe(204);
    expect(await cycleRow(planned.id)).toBeUndefined();
    expect((await auditOf(planned.id)).map((a) => a.action)).toEqual(['create', 'delete']);

    const tested = await cycleIn('do');
    const version = (await get(w.memberA, `/api/v1/pdsa-cycles/${tested}`)).json().version;
    const refused = await del(w.memberA, `/api/v1/pdsa-cycles/${tested}`, version);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('invalid_state');
    expect(refused.json().detail).toContain('kept as history');
    expect(await cycleRow(tested)).toBeDefined();
  });
});

describe('attachments', () => {
  const upload = (
    actor: TestActor | undefined,
    cycleId: string,
    filename: string,
    body: string | Buffer,
    contentType = 'text/plain',
  ) =>
    call(actor, {
      method: 'POST',
      url: `/api/v1/pdsa-cycles/${cycleId}/attachments?filename=${encodeURIComponent(filename)}`,
      payload: body,
      headers: { 'content-type': contentType },
    });
  const fileOf = (id: string) => path.join(t.filesDir, id);
  const attachmentRow = (id: string) =>
    t.db.selectFrom('attachment').selectAll().where('id', '=', id).executeTakeFirst();

  it('uploads, lists, downloads and deletes a file, keeping the database and disk in step', async () => {
    const cycleId = await cycleIn('do');
    for (const actor of [undefined, w.memberB, w.outsider]) {
      expect((await upload(actor, cycleId, 'a.txt', 'x')).statusCode).toBe(404);
    }
    const content = 'Attendance: 4 of 5\n';
    const res = await upload(w.memberA, cycleId, 'notes.txt', content, 'text/plain; charset=utf-8');
    expect(res.statusCode, res.body).toBe(201);
    const attachment = res.json();
    const sha256 = createHash('sha256').update(content).digest('hex');
    expect(attachment).toMatchObject({
      pdsa_cycle_id: cycleId,
      filename: 'notes.txt',
      content_type: 'text/plain',
      size_bytes: content.length,
      sha256,
      created_by: w.memberA.id,
      download_url: `/api/v1/attachments/${attachment.id}`,
    });
    expect(await attachmentRow(attachment.id)).toMatchObject({
      storage_key: attachment.id,
      sha256,
    });
    expect(fs.readFileSync(fileOf(attachment.id), 'utf8')).toBe(content);
    expect((await auditOf(attachment.id)).map((a) => [a.action, a.entity_type])).toEqual([
      ['create', 'attachment'],
    ]);

    const list = await get(w.n1Facilitator, `/api/v1/pdsa-cycles/${cycleId}/attachments`);
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([attachment.id]);
    expect((await get(w.memberB, `/api/v1/pdsa-cycles/${cycleId}/attachments`)).statusCode).toBe(
      404,
    );

    const download = await get(w.memberA, attachment.download_url);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe(content);
    expect(download.headers['content-type']).toBe('text/plain');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="notes.txt"; filename*=UTF-8''notes.txt`,
    );
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-length']).toBe(String(content.length));
    expect((await get(w.memberB, attachment.download_url)).statusCode).toBe(404);

    expect((await del(w.memberB, attachment.download_url)).statusCode).toBe(404);
    expect((await del(w.memberA, attachment.download_url)).statusCode).toBe(204);
    expect(await attachmentRow(attachment.id)).toBeUndefined();
    expect(fs.existsSync(fileOf(attachment.id))).toBe(false);
    expect((await auditOf(attachment.id)).map((a) => a.action)).toEqual(['create', 'delete']);
    expect((await get(w.memberA, attachment.download_url)).statusCode).toBe(404);
  });

  it('sanitises names and never serves a risky type as itself', async () => {
    const cycleId = await cycleIn('plan');
    const html = await upload(
      w.memberA,
      cycleId,
      '../../evil<script>.html',
      '<script>alert(1)</script>',
      'text/html',
    );
    expect(html.statusCode, html.body).toBe(201);
    expect(html.json()).toMatchObject({ filename: 'evil_script_.html', content_type: 'text/html' });
    const download = await get(w.memberA, html.json().download_url);
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.headers['content-disposition']).toMatch(
      /^attachment; filename="evil_script_.html"/,
    );

    const unicode = await upload(
      w.memberA,
      cycleId,
      'Résumé "final".pdf',
      '%PDF-1.4',
      'application/pdf',
    );
    const pdf = await get(w.memberA, unicode.json().download_url);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(
      `attachment; filename="R_sum_ _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20_final_.pdf`,
    );

    // any body type is accepted here (JSON stays raw bytes); the rest of the API stays JSON-only
    const json = await upload(w.memberA, cycleId, 'data.json', '{"a":1}', 'application/json');
    expect(json.statusCode).toBe(201);
    expect(fs.readFileSync(fileOf(json.json().id), 'utf8')).toBe('{"a":1}');
    const notJson = await call(w.memberA, {
      method: 'POST',
      url: '/api/v1/pdsa-cycles',
      payload: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(notJson.statusCode).toBe(415);
  });

  it('refuses empty and oversized files, leaving nothing behind', async () => {
    const cycleId = await cycleIn('plan');
    expect(attachmentMaxBytes({})).toBe(10 * 1024 * 1024);
    const before = fs.readdirSync(t.filesDir).length;
    const tooBig = await upload(
      w.memberA,
      cycleId,
      'big.bin',
      Buffer.alloc(MAX_BYTES + 1),
      'application/octet-stream',
    );
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().code).toBe('payload_too_large');
    const empty = await upload(w.memberA, cycleId, 'empty.txt', '');
    expect(empty.statusCode).toBe(400);
    const noName = await call(w.memberA, {
      method: 'POST',
      url: `/api/v1/pdsa-cycles/${cycleId}/attachments`,
      payload: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(paths(noName)).toEqual(['/query/filename']);
    const justRight = await upload(
      w.memberA,
      cycleId,
      'ok.bin',
      Buffer.alloc(MAX_BYTES, 1),
      'application/octet-stream',
    );
    expect(justRight.statusCode).toBe(201);
    expect(fs.readdirSync(t.filesDir).length).toBe(before + 1);
    const rows = await t.db
      .selectFrom('attachment')
      .selectAll()
      .where('pdsa_cycle_id', '=', cycleId)
      .execute();
    expect(rows.map((r) => r.filename)).toEqual(['ok.bin']);
  });

  it('removes the file when the database write fails after it', async () => {
    const cycleId = await cycleIn('plan');
    const real = t.ctx.files;
    if (!real) throw new Error('test context has no file store');
    const written: string[] = [];
    // The file lands, then the store reports a failure: the row must roll back and the file go.
    t.ctx.files = {
      kind: 'disk',
      async put(key, data) {
        await real.put(key, data);
        written.push(key);
        throw new Error('disk full');
      },
      get: (key) => real.get(key),
      delete: (key) => real.delete(key),
    };
    try {
      const res = await upload(w.memberA, cycleId, 'a.txt', 'hello');
      expect(res.statusCode).toBe(500);
    } finally {
      t.ctx.files = real;
    }
    expect(written).toHaveLength(1);
    expect(fs.existsSync(fileOf(written[0] as string))).toBe(false);
    expect(await attachmentRow(written[0] as string)).toBeUndefined();
  });

  it('follows the cycle: read-only once completed, files removed with a deleted cycle', async () => {
    const done = await cycleIn('completed');
    const refused = await upload(w.memberA, done, 'late.txt', 'x');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('invalid_state');

    const planned = await createCycle();
    const file = (await upload(w.memberA, planned.id, 'plan.txt', 'draft')).json();
    expect(fs.existsSync(fileOf(file.id))).toBe(true);
    expect((await del(w.memberA, `/api/v1/pdsa-cycles/${planned.id}`, 1)).statusCode).toBe(204);
    expect(await attachmentRow(file.id)).toBeUndefined();
    expect(fs.existsSync(fileOf(file.id))).toBe(false);
  });
});
