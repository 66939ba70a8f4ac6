/** A measure's chart from stored data: refusals, a p-chart signal, exclusions, phases, gaps. */
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
const chart = (actor: TestActor | undefined, measure: string, team: string, extra = '') =>
  call(actor, { method: 'GET', url: `/api/v1/measures/${measure}/chart?team=${team}${extra}` });
const month = (i: number) =>
  `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;

describe('refusals', () => {
  it('404 for a team whose data the caller cannot see; empty chart with a message when no data', async () => {
    expect((await chart(w.memberB, w.ids.commonMeasure, w.ids.A)).statusCode).toBe(404);
    expect((await chart(undefined, w.ids.commonMeasure, w.ids.A)).statusCode).toBe(404);
    expect((await chart(w.memberA, w.ids.localMeasureB, w.ids.A)).statusCode).toBe(404);
    const empty = await chart(w.memberA, w.ids.commonMeasure, w.ids.A);
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toMatchObject({ points: [], request: null, team: { id: w.ids.A } });
    expect(empty.json().message).toContain('No values');
  });
});

describe('behaviour', () => {
  it('charts 24 months with a shift, an excluded point, a phase break and a gap', async () => {
    // 12 months around 50%, then 11 months around 75% (month 18 missing), one excluded outlier.
    const values = [];
    for (let i = 0; i < 24; i++) {
      if (i === 18) continue;
      const high = i >= 12;
      values.push({
        measure_id: w.ids.commonMeasure,
        period_start: month(i),
        numerator: (high ? 75 : 50) + ((i * 7) % 5) - 2,
        denominator: 100,
        ...(i === 3 ? { excluded: true, note: 'snow week' } : {}),
      });
    }
    const saved = await call(w.memberA, {
      method: 'PUT',
      url: `/api/v1/teams/${w.ids.A}/measure-values`,
      payload: { values },
    });
    expect(saved.statusCode, saved.body).toBe(200);

    const res = await chart(w.memberA, w.ids.commonMeasure, w.ids.A);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.points).toHaveLength(24);
    expect(body.periods[18]).toBe('2025-07-01');
    expect(body.points[18].y).toBeNull();
    expect(body.request.values[18]).toBeNull();
    expect(body.request.labels[0]).toBe('2024-01');
    expect(body.points[3].excluded).toBe(true);
    expect(body.request.excludePoints).toEqual([4]);
    expect(body.patterns.map((p: { rule: string }) => p.rule)).toContain('anhoej.longest_run');
    expect(body.measure).toMatchObject({ chart_type: 'p', multiply: 100, goal: 80 });

    const now = new Date();
    await t.db
      .insertInto('annotation')
      .values({
        id: t.ctx.newId(),
        network_id: w.ids.N1,
        team_id: w.ids.A,
        measure_id: null,
        occurred_on: '2025-01-10', // in January 2025: its period starts the new phase
        label: 'Advisory check-ins start',
        kind: 'change_idea',
        phase_break: true,
        pdsa_cycle_id: null,
        change_idea_id: w.ids.changeIdea,
        visibility: 'team',
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const phased = (await chart(w.memberA, w.ids.commonMeasure, w.ids.A)).json();
    expect(phased.annotations).toMatchObject([
      { point_index: 13, phase_break: true, change_idea_id: w.ids.changeIdea },
    ]);
    expect(phased.request.partEnds).toEqual([12]);
    expect(phased.parts).toHaveLength(2);
    expect(phased.parts[1].first).toBe(13);
    // memberB cannot see team A's annotation nor its chart
    expect((await chart(w.memberB, w.ids.commonMeasure, w.ids.A)).statusCode).toBe(404);
  });
});
