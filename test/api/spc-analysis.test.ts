import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor, type TestActor } from '../support/actors.ts';
import { createTestApp, type TestApp } from '../support/test-db.ts';

let t: TestApp;
let member: TestActor;
beforeAll(async () => {
  t = await createTestApp();
  member = await createActor(t.ctx, {});
});
afterAll(() => t.close());

const analyse = (payload: unknown, headers: Record<string, string> = member.headers) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/analysis/spc',
    headers,
    payload: payload as object,
  });

/** Row counts of every table, to show the analysis stores nothing. */
async function tableCounts() {
  const tables = [
    'audit_event',
    'organisation',
    'network',
    'team',
    'app_user',
    'user_session',
  ] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await t.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

// Montgomery, Introduction to SQC, Example 7.1 (orange-juice cans): 30 samples of 50 cans.
const DEFECTIVES = [
  12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7,
  13, 9, 6,
];

describe('POST /api/v1/analysis/spc', () => {
  it('refuses a signed-out caller with 401 problem+json', async () => {
    const res = await analyse({ chart: 'run', values: [1, 2, 3] }, {});
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('unauthenticated');
  });

  it('answers a p chart with the textbook centre line and limits, and stores nothing', async () => {
    const before = await tableCounts();
    const res = await analyse({
      chart: 'p',
      values: DEFECTIVES,
      denominators: DEFECTIVES.map(() => 50),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const pBar = DEFECTIVES.reduce((a, b) => a + b, 0) / (50 * 30);
    const sigma = Math.sqrt((pBar * (1 - pBar)) / 50);
    expect(body.parts[0].cl).toBeCloseTo(0.2313, 4);
    expect(body.parts[0].cl).toBeCloseTo(pBar, 12);
    expect(body.parts[0].ucl).toBeCloseTo(pBar + 3 * sigma, 12);
    expect(body.parts[0].ucl).toBeCloseTo(0.4102, 4);
    expect(body.parts[0].lcl).toBeCloseTo(0.0524, 4);
    // Samples 15 (0.44) and 23 (0.48) are above the UCL, as in the book.
    expect(body.sigmaSignalPoints).toEqual([15, 23]);
    expect(body.points[14].signals.map((s: { rule: string }) => s.rule)).toContain(
      'sigma.outside_limits',
    );
    expect(body.engine).toMatchObject({ version: '1.0.0', ruleSet: 'anhoej', mrScreening: true });
    expect(body.engine.conventions.map((c: { id: string }) => c.id)).toContain('baseline');
    expect(await tableCounts()).toEqual(before);
  });

  it('works with an API token, read-only scope included', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: member.headers,
      payload: { name: 'analysis', scope: 'read' },
    });
    expect(res.statusCode).toBe(201);
    const token = res.json().token as string;
    const answer = await analyse(
      { chart: 'xmr', values: [5, 7, 6, 8, 7] },
      { authorization: `Bearer ${token}` },
    );
    expect(answer.statusCode).toBe(200);
    expect(answer.json().chart).toBe('xmr');
    expect(answer.json().mr.points[0].y).toBeNull();
  });

  it.each([
    ['an empty series', { chart: 'i', values: [] }, '/body/values'],
    ['all values missing', { chart: 'i', values: [null, null] }, '/body/values'],
    ['an unknown chart', { chart: 'z', values: [1] }, '/body/chart'],
    ['an unknown rule set', { chart: 'i', values: [1], ruleSet: 'nelson' }, '/body/ruleSet'],
    ['a non-numeric value', { chart: 'i', values: [1, 'x'] }, '/body/values/1'],
    ['a p chart without denominators', { chart: 'p', values: [1, 2] }, '/body/denominators'],
    [
      'a zero denominator',
      { chart: 'u', values: [1, 2], denominators: [3, 0] },
      '/body/denominators/1',
    ],
    [
      'a missing denominator',
      { chart: 'p', values: [1, 2], denominators: [3, null] },
      '/body/denominators/1',
    ],
    [
      'a numerator above its denominator',
      { chart: 'p', values: [1, 5], denominators: [3, 4] },
      '/body/values/1',
    ],
    ['a negative count', { chart: 'c', values: [1, -2] }, '/body/values/1'],
    [
      'an index out of range',
      { chart: 'i', values: [1, 2, 3], excludePoints: [4] },
      '/body/excludePoints/0',
    ],
    [
      'indices not increasing',
      { chart: 'i', values: [1, 2, 3, 4], partEnds: [2, 1] },
      '/body/partEnds/1',
    ],
    [
      'a baseline beyond the series',
      { chart: 'i', values: [1, 2], baselineLastPoint: 3 },
      '/body/baselineLastPoint',
    ],
    [
      'a part end at the last point',
      { chart: 'i', values: [1, 2], partEnds: [2] },
      '/body/partEnds/0',
    ],
  ])('answers 400 with the field path for %s', async (_name, payload, path) => {
    const res = await analyse(payload);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json();
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(JSON.stringify(problem)).not.toContain('NaN');
  });

  it('keeps a missing value missing (the schema must not coerce null to 0)', async () => {
    const res = await analyse({ chart: 'i', values: [2, null, 4, 6] });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.points[1]).toMatchObject({ index: 2, y: null, cl: 4 });
    expect(body.parts[0].nBaseline).toBe(3);
  });

  it('never returns NaN: a single point has a centre line but no limits', async () => {
    const res = await analyse({ chart: 'i', values: [4] });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.points[0]).toMatchObject({ y: 4, cl: 4, lcl: null, ucl: null, sigma: null });
    expect(body.parts[0]).toMatchObject({ trialLimits: true, runsSignal: false });
    expect(body.parts[0].notEvaluable).toContain('anhoej.longest_run');
  });
});
