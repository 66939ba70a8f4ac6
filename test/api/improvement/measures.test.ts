/** Measures through the API: refusals first, then create/read/list/update/delete with stored state. */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestActor } from '../../support/actors.ts';
import { buildImprovementWorld, type ImprovementWorld } from '../../support/improvement-world.ts';
import { createTestApp, type TestApp } from '../../support/test-db.ts';

let t: TestApp;
let w: ImprovementWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await buildImprovementWorld(t);
});
afterAll(() => t.close());

const call = (actor: TestActor | undefined, options: InjectOptions) =>
  t.app.inject({ ...options, headers: { ...actor?.headers, ...options.headers } });
const body = (extra: object = {}) => ({
  name: 'Attendance',
  kind: 'process',
  frequency: 'weekly',
  chart_type: 'p',
  multiply: 100,
  operational_definition: { numerator_definition: 'present', denominator_definition: 'enrolled' },
  ...extra,
});

describe('refusals', () => {
  it('401 signed out, 403 for a member on a common measure, 404 for an unseen project', async () => {
    // Signed out, a record the caller cannot see answers 404 or 401: neither leaks its existence.
    expect([401, 404]).toContain(
      (
        await call(undefined, {
          method: 'POST',
          url: '/api/v1/measures',
          payload: body({ charter_id: w.ids.charter }),
        })
      ).statusCode,
    );
    const res = await call(w.memberA, {
      method: 'POST',
      url: '/api/v1/measures',
      payload: body({ charter_id: w.ids.charter }),
    });
    expect(res.statusCode).toBe(403);
    expect(
      (
        await call(w.memberB, {
          method: 'POST',
          url: '/api/v1/measures',
          payload: body({ project_id: w.ids.PA }),
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await call(w.memberB, { method: 'GET', url: `/api/v1/measures/${w.ids.localMeasureA}` }))
        .statusCode,
    ).toBe(404);
    const patch = await call(w.memberA, {
      method: 'PATCH',
      url: `/api/v1/measures/${w.ids.commonMeasure}`,
      payload: { name: 'x' },
      headers: { 'if-match': '"1"' },
    });
    expect(patch.statusCode).toBe(403);
  });
  it('400 when both or neither owner is given', async () => {
    const res = await call(w.admin, {
      method: 'POST',
      url: '/api/v1/measures',
      payload: body({ charter_id: w.ids.charter, project_id: w.ids.PA }),
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('behaviour', () => {
  it('creates a local measure for the team and a common one for the facilitator', async () => {
    const local = await call(w.memberA, {
      method: 'POST',
      url: '/api/v1/measures',
      payload: body({ project_id: w.ids.PA }),
    });
    expect(local.statusCode, local.body).toBe(201);
    expect(local.json()).toMatchObject({
      scope: 'local',
      team_id: w.ids.A,
      needs_denominator: 'required',
      owner_title: 'On track at A',
    });
    const common = await call(w.n1Facilitator, {
      method: 'POST',
      url: '/api/v1/measures',
      payload: body({ charter_id: w.ids.charter, chart_type: 'c', name: 'Referrals' }),
    });
    expect(common.statusCode, common.body).toBe(201);
    expect(common.json()).toMatchObject({
      scope: 'common',
      network_id: w.ids.N1,
      needs_denominator: 'not_allowed',
    });
    const row = await t.db
      .selectFrom('measure')
      .selectAll()
      .where('id', '=', local.json().id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      project_id: w.ids.PA,
      numerator_definition: 'present',
      multiply: 100,
    });
    const audit = await t.db
      .selectFrom('audit_event')
      .selectAll()
      .where('entity_id', '=', local.json().id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create']);
  });

  it("lists a team's measures: common ones of linked charters and its own local ones", async () => {
    const res = await call(w.memberA, {
      method: 'GET',
      url: `/api/v1/measures?team_id=${w.ids.A}`,
    });
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((m: { id: string }) => m.id);
    expect(ids).toContain(w.ids.commonMeasure);
    expect(ids).toContain(w.ids.localMeasureA);
    expect(ids).not.toContain(w.ids.localMeasureB);
    const mine = await call(w.memberB, { method: 'GET', url: '/api/v1/measures?limit=200' });
    expect(mine.json().items.map((m: { id: string }) => m.id)).not.toContain(w.ids.localMeasureA);
    const page = await call(w.admin, { method: 'GET', url: '/api/v1/measures?limit=1' });
    expect(page.json().next_cursor).toBeTruthy();
  });

  it('updates with If-Match (412 stale) and refuses a chart change the data does not fit', async () => {
    const get = await call(w.memberA, {
      method: 'GET',
      url: `/api/v1/measures/${w.ids.localMeasureA}`,
    });
    const etag = get.headers.etag as string;
    const ok = await call(w.memberA, {
      method: 'PATCH',
      url: `/api/v1/measures/${w.ids.localMeasureA}`,
      payload: { goal: 30 },
      headers: { 'if-match': etag },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().goal).toBe(30);
    const stale = await call(w.memberA, {
      method: 'PATCH',
      url: `/api/v1/measures/${w.ids.localMeasureA}`,
      payload: { goal: 31 },
      headers: { 'if-match': etag },
    });
    expect(stale.statusCode).toBe(412);
    await call(w.memberA, {
      method: 'PUT',
      url: `/api/v1/teams/${w.ids.A}/measure-values`,
      payload: {
        values: [{ measure_id: w.ids.localMeasureA, period_start: '2026-09-07', numerator: 20 }],
      },
    });
    const toP = await call(w.memberA, {
      method: 'PATCH',
      url: `/api/v1/measures/${w.ids.localMeasureA}`,
      payload: { chart_type: 'p' },
      headers: { 'if-match': ok.headers.etag as string },
    });
    expect(toP.statusCode).toBe(409);
    expect(toP.json().detail).toContain('no denominator');
  });

  it('refuses to delete a measure with data unless with_data=true', async () => {
    const m = await call(w.memberA, {
      method: 'GET',
      url: `/api/v1/measures/${w.ids.localMeasureA}`,
    });
    const refused = await call(w.memberA, {
      method: 'DELETE',
      url: `/api/v1/measures/${w.ids.localMeasureA}`,
      headers: { 'if-match': m.headers.etag as string },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('with_data=true');
    const done = await call(w.memberA, {
      method: 'DELETE',
      url: `/api/v1/measures/${w.ids.localMeasureA}?with_data=true`,
      headers: { 'if-match': m.headers.etag as string },
    });
    expect(done.statusCode).toBe(204);
    expect(
      await t.db
        .selectFrom('measure_value')
        .selectAll()
        .where('measure_id', '=', w.ids.localMeasureA)
        .execute(),
    ).toEqual([]);
  });
});
