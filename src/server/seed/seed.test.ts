import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-db.ts';
import { ORGANISATION_TYPES } from '../modules/directory/organisation.schemas.ts';
import { laterPeriods } from './improvement.seed.ts';
import { SeedAbortedError, seedDemo } from './seed.ts';

let a: TestDatabase;
let b: TestDatabase;
beforeAll(async () => {
  [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

const snapshot = (t: TestDatabase) =>
  Promise.all([
    t.db.selectFrom('coalition').selectAll().execute(),
    t.db.selectFrom('organisation').selectAll().orderBy('id').execute(),
  ]);

/** Every measure value with its network, team and measure named (ids differ between days). */
const measureValues = (t: TestDatabase) =>
  t.db
    .selectFrom('measure_value')
    .innerJoin('measure', 'measure.id', 'measure_value.measure_id')
    .innerJoin('team', 'team.id', 'measure_value.team_id')
    .innerJoin('network', 'network.id', 'measure_value.network_id')
    .select([
      'network.name as network',
      'team.name as team',
      'measure.name as measure',
      'measure.frequency',
      'measure_value.period_start',
      'measure_value.numerator',
      'measure_value.denominator',
      'measure_value.updated_at',
    ])
    .orderBy('network.name')
    .orderBy('team.name')
    .orderBy('measure.name')
    .orderBy('measure_value.period_start')
    .execute();

describe('demo seed', () => {
  it('an interrupted seed writes nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      seedDemo(a.ctx, { size: 'small', signal: controller.signal }),
    ).rejects.toBeInstanceOf(SeedAbortedError);
    const [coalitions, organisations] = await snapshot(a);
    expect(coalitions).toHaveLength(0);
    expect(organisations).toHaveLength(0);
  });

  it('small: one coalition and ~30 organisations of every type, identical on every run', async () => {
    // Seeded as of two different days: only the measure data after the story may differ.
    await seedDemo(a.ctx, { size: 'small', today: '2026-11-23' });
    await seedDemo(b.ctx, { size: 'small', today: '2026-08-01' });
    const [coalitions, organisations] = await snapshot(a);
    expect(coalitions).toHaveLength(1);
    expect(organisations.length).toBeGreaterThanOrEqual(28);
    expect(organisations.length).toBeLessThanOrEqual(35);
    expect(new Set(organisations.map((o) => o.type))).toEqual(new Set(ORGANISATION_TYPES));
    expect(await snapshot(b)).toEqual(await snapshot(a));
  });

  it('keeps the story data whatever the day, and reports up to the day before it', async () => {
    const [late, early] = await Promise.all([measureValues(a), measureValues(b)]);
    const story = (rows: typeof late) => rows.filter((r) => r.period_start < '2026-09-01');
    expect(story(late)).toEqual(story(early));
    expect(story(early)).toEqual(early); // seeded before the epoch: the story only
    const after = late.filter((r) => r.period_start >= '2026-09-01');
    expect(new Set(after.map((r) => r.network))).toEqual(
      new Set(['9th Grade On-Track Network', 'Early Literacy NIC']),
    );
    // Monthly values through October (ended before 23 November), entered on 22 November.
    const monthly = after.filter((r) => r.frequency === 'monthly');
    expect(Math.max(...monthly.map((r) => Date.parse(r.period_start)))).toBe(
      Date.parse('2026-10-01'),
    );
    expect(new Set(after.map((r) => r.updated_at.toISOString().slice(0, 10)))).toEqual(
      new Set(['2026-11-22']),
    );
    // The silent team has nothing after April 2026 in either seed.
    const lastOf = (rows: typeof late) => {
      const last = new Map<string, string>();
      for (const r of rows.filter((x) => x.network === '9th Grade On-Track Network'))
        if ((last.get(r.team) ?? '') < r.period_start) last.set(r.team, r.period_start);
      return last;
    };
    const silent = [...lastOf(early)].filter(([, period]) => period < '2026-05-01');
    expect(silent).toHaveLength(1);
    expect(lastOf(late).get(silent[0]?.[0] ?? '')).toBe(silent[0]?.[1]);
  });

  it('continues school weeks, screener windows and months after the story', () => {
    expect(laterPeriods('2026-09-01')).toEqual({
      months: [],
      weeks: [],
      terms: [],
      enteredOn: '2026-08-31',
    });
    const p = laterPeriods('2027-02-01');
    expect(p.months).toEqual([
      '2026-09-01',
      '2026-10-01',
      '2026-11-01',
      '2026-12-01',
      '2027-01-01',
    ]);
    expect(p.terms).toEqual(['2026-09-14', '2027-01-11']);
    expect(p.weeks[0]).toBe('2026-09-07');
    expect(p.weeks.at(-1)).toBe('2027-01-25');
    expect(p.weeks).not.toContain('2026-12-21');
    expect(p.weeks).not.toContain('2026-12-28');
    expect(p.weeks).toContain('2027-01-04');
    expect(p.weeks.every((w) => new Date(`${w}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
    expect(laterPeriods('2027-09-01').terms).toEqual(['2026-09-14', '2027-01-11', '2027-04-26']);
    expect(laterPeriods('2027-09-01').weeks.some((w) => w >= '2027-06-01')).toBe(false);
  });

  it('refuses to seed a database that already has a coalition', async () => {
    await expect(seedDemo(a.ctx, { size: 'small' })).rejects.toThrow(/already has a coalition/);
  });
});
