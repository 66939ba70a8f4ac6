/** The team data grid: refusals, save, correction with history, delete, stale version. */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../../src/server/platform/access.ts';
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
const save = (actor: TestActor | undefined, team: string, values: object[]) =>
  call(actor, { method: 'PUT', url: `/api/v1/teams/${team}/measure-values`, payload: { values } });
const stored = () => t.db.selectFrom('measure_value').selectAll().orderBy('period_start').execute();

describe('refusals', () => {
  it('401, 404 for another team, 403 for a read-only viewer of the data', async () => {
    const row = {
      measure_id: w.ids.commonMeasure,
      period_start: '2026-09',
      numerator: 4,
      denominator: 10,
    };
    expect([401, 404]).toContain((await save(undefined, w.ids.A, [row])).statusCode);
    expect((await save(w.memberB, w.ids.A, [row])).statusCode).toBe(404);
    expect(
      (await call(w.memberB, { method: 'GET', url: `/api/v1/teams/${w.ids.A}/measure-values` }))
        .statusCode,
    ).toBe(404);
    expect(
      (await call(w.outsider, { method: 'GET', url: `/api/v1/teams/${w.ids.A}/measure-values` }))
        .statusCode,
    ).toBe(404);
    expect(await stored()).toEqual([]);
  });
  it('400 with per-row field paths, nothing written', async () => {
    const res = await save(w.memberA, w.ids.A, [
      { measure_id: w.ids.commonMeasure, period_start: '2026-09', numerator: 4, denominator: 10 },
      {
        measure_id: w.ids.commonMeasure,
        period_start: '2026-10-15',
        numerator: 4,
        denominator: 10,
      },
      { measure_id: w.ids.commonMeasure, period_start: '2026-11', numerator: 12, denominator: 10 },
      { measure_id: w.ids.commonMeasure, period_start: '2026-12', numerator: 4 },
      { measure_id: w.ids.localMeasureB, period_start: '2026-09-07', numerator: 4 },
    ]);
    expect(res.statusCode).toBe(400);
    const paths = res
      .json()
      .errors.map((e: { path: string }) => e.path)
      .sort();
    expect(paths).toEqual(['/body/values/1/period_start', '/body/values/4/measure_id']);
    const second = await save(w.memberA, w.ids.A, [
      { measure_id: w.ids.commonMeasure, period_start: '2026-11', numerator: 12, denominator: 10 },
      { measure_id: w.ids.commonMeasure, period_start: '2026-12', numerator: 4 },
    ]);
    expect(
      second
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['/body/values/0/numerator', '/body/values/1/denominator']);
    expect(await stored()).toEqual([]);
  });
});

describe('behaviour', () => {
  let id: string;
  it('saves, reads back, corrects with a revision, is a no-op when unchanged', async () => {
    const first = await save(w.memberA, w.ids.A, [
      { measure_id: w.ids.commonMeasure, period_start: '2026-09', numerator: 40, denominator: 60 },
      {
        measure_id: w.ids.localMeasureA,
        period_start: '2026-09-07',
        numerator: 25,
        note: 'short week',
      },
    ]);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ created: 2, updated: 0, unchanged: 0, deleted: 0 });
    const read = await call(w.n1Facilitator, {
      method: 'GET',
      url: `/api/v1/teams/${w.ids.A}/measure-values?measure_id=${w.ids.commonMeasure}`,
    });
    expect(read.statusCode).toBe(200);
    expect(read.json().items).toHaveLength(1);
    const value = read.json().items[0];
    expect(value).toMatchObject({
      period_start: '2026-09-01',
      numerator: 40,
      denominator: 60,
      version: 1,
    });
    id = value.id;

    const fix = await save(w.memberA, w.ids.A, [
      { measure_id: w.ids.commonMeasure, period_start: '2026-09-01', numerator: 42, version: 1 },
      { measure_id: w.ids.localMeasureA, period_start: '2026-09-07', numerator: 25 },
    ]);
    expect(fix.json()).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const row = (await stored()).find((r) => r.id === id);
    expect(row).toMatchObject({ numerator: 42, denominator: 60, version: 2 });
    const history = await call(w.memberA, {
      method: 'GET',
      url: `/api/v1/measure-values/${id}/history`,
    });
    expect(history.json().revisions).toMatchObject([
      { numerator: 40, denominator: 60, source: 'grid' },
    ]);
    // Who first entered it (the revisions say who corrected it).
    expect(history.json()).toMatchObject({
      created_by: w.memberA.id,
      created_by_name: w.memberA.display_name,
    });
    expect(
      (await call(w.memberB, { method: 'GET', url: `/api/v1/measure-values/${id}/history` }))
        .statusCode,
    ).toBe(404);
  });

  it('refuses a stale version with 412 naming the rows, and deletes with numerator null', async () => {
    const stale = await save(w.memberA, w.ids.A, [
      { measure_id: w.ids.commonMeasure, period_start: '2026-09', numerator: 43, version: 1 },
    ]);
    expect(stale.statusCode).toBe(412);
    expect(stale.json().errors[0].path).toBe('/body/values/0/version');
    expect((await stored()).find((r) => r.id === id)?.numerator).toBe(42);
    const del = await save(w.memberA, w.ids.A, [
      { measure_id: w.ids.commonMeasure, period_start: '2026-09', numerator: null, version: 2 },
    ]);
    expect(del.json()).toMatchObject({ deleted: 1, values: [] });
    expect((await stored()).find((r) => r.id === id)).toBeUndefined();
    const audits = await t.db
      .selectFrom('audit_event')
      .selectAll()
      .where('entity_type', '=', 'measure_values')
      .execute();
    expect(audits).toHaveLength(3);
  });

  it('two saves of the same new value at once: never a silent overwrite', async () => {
    // PostgreSQL runs them concurrently: the second insert of the key fails (409, nothing of it
    // written); PGlite runs one after the other: the second is a correction with a revision.
    const row = (numerator: number) => ({
      measure_id: w.ids.commonMeasure,
      period_start: '2026-11',
      numerator,
      denominator: 100,
    });
    const [first, second] = await Promise.all([
      save(w.memberA, w.ids.A, [row(50)]),
      save(w.n1Facilitator, w.ids.A, [row(60)]),
    ]);
    const statuses = [first.statusCode, second.statusCode].sort();
    const value = (await stored()).find((r) => r.period_start === '2026-11-01');
    const revisions = await t.db
      .selectFrom('measure_value_revision')
      .selectAll()
      .where('value_id', '=', value?.id ?? '')
      .execute();
    if (statuses[1] === 409) {
      expect(statuses).toEqual([200, 409]);
      const lost = first.statusCode === 409 ? first : second;
      expect(lost.json().detail).toContain('nothing was saved');
      expect(value?.version).toBe(1);
      expect(revisions).toEqual([]);
    } else {
      expect(statuses).toEqual([200, 200]);
      expect(value?.version).toBe(2);
      expect(revisions).toHaveLength(1);
      expect([revisions[0]?.numerator, value?.numerator].sort()).toEqual([50, 60]);
    }
  });

  it('an insert racing a stored value is a 409 conflict, not an overwrite', async () => {
    // The plan believes the key is new (as a concurrent transaction would); the insert must fail.
    const { applyPlan, planWrites } = await import(
      '../../../src/server/modules/improvement/measure-data.service.ts'
    );
    const measure = await t.db
      .selectFrom('measure')
      .select(['id', 'network_id', 'chart_type', 'frequency'])
      .where('id', '=', w.ids.commonMeasure)
      .executeTakeFirstOrThrow();
    const team = await t.db
      .selectFrom('team')
      .select(['id', 'network_id'])
      .where('id', '=', w.ids.A)
      .executeTakeFirstOrThrow();
    const plan = planWrites(
      [],
      [
        {
          ref: 0,
          measure,
          teamId: team.id,
          networkId: team.network_id,
          period: '2026-11-01',
          numerator: 70,
          denominator: 100,
        },
      ],
    );
    expect(plan.creates).toHaveLength(1);
    const before = await stored();
    await expect(
      t.ctx.db
        .transaction()
        .execute((trx) => applyPlan({ ...t.ctx, db: trx }, SYSTEM, plan, 'grid')),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await stored()).toEqual(before);
  });
});
