/**
 * The charter's network dashboard: values written straight into measure_value, then the series,
 * limits (equal to the engine's on the same request), the common y scale, signal badges, silent
 * teams, PDSA counts, who sees which team's series, and pagination by team name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSpc, ENGINE_VERSION } from '../../../src/core/spc/index.ts';
import { createTeam } from '../../../src/server/modules/structure/team.service.ts';
import { SYSTEM } from '../../../src/server/platform/access.ts';
import type { TestActor } from '../../support/actors.ts';
import { buildImprovementWorld, type ImprovementWorld } from '../../support/improvement-world.ts';
import { createTestApp, type TestApp } from '../../support/test-db.ts';

let t: TestApp;
let w: ImprovementWorld;
let teamD: string; // no data at all
let teamE: string; // data, but nothing recent
let minutesMeasure: string; // a second common measure: monthly I chart with a goal
const MISSING = '7d0f2b4e-1b7a-4c9e-9a57-2f1b0c9d8e11';
const DAY = 86_400_000;
const now = new Date();

/** The first day of the month `ago` months before this one. */
const month = (ago: number) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - ago, 1)).toISOString().slice(0, 10);

const A_ON_TRACK = [30, 32, 29, 31, 33, 28, 30, 31, 29, 32, 30, 31, 28, 33, 30, 29, 31, 30, 32, 30];
const A_MISSING = 5; // axis position without a value
const A_EXCLUDED = 3;
const B_ON_TRACK = [20, 21, 19, 22, 20, 21, 19, 20, 22, 21, 38, 40, 39, 41, 37, 40, 39, 38, 41, 40];
const B_MINUTES = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 20, 21, 19, 20, 22, 21, 20, 19, 21, 20];

async function insertValues(
  measureId: string,
  teamId: string,
  values: { ago: number; numerator: number; denominator: number | null; excluded?: boolean }[],
  updatedAt: Date,
) {
  await t.db
    .insertInto('measure_value')
    .values(
      values.map((v) => ({
        id: t.ctx.newId(),
        measure_id: measureId,
        team_id: teamId,
        network_id: w.ids.N1,
        period_start: month(v.ago),
        numerator: v.numerator,
        denominator: v.denominator,
        excluded: v.excluded ?? false,
        created_by: null,
        updated_by: null,
        created_at: updatedAt,
        updated_at: updatedAt,
      })),
    )
    .execute();
}

async function insertCycle(
  state: 'plan' | 'do' | 'completed',
  doAt: Date | null,
  completedAt: Date | null,
) {
  const id = t.ctx.newId();
  await t.db
    .insertInto('pdsa_cycle')
    .values({
      id,
      project_id: w.ids.PA,
      team_id: w.ids.A,
      network_id: w.ids.N1,
      change_idea_id: w.ids.changeIdea,
      previous_cycle_id: null,
      title: `Cycle ${state}`,
      scale: '',
      state,
      plan: '{}',
      execution: '{}',
      study: '{}',
      act: '{}',
      decision: null,
      planned_start: null,
      completed_at: completedAt,
      visibility: 'team',
      created_by: null,
      created_at: new Date(now.getTime() - 400 * DAY),
      updated_at: now,
    })
    .execute();
  if (doAt) {
    await t.db
      .insertInto('pdsa_transition')
      .values({
        id: t.ctx.newId(),
        cycle_id: id,
        from_state: 'plan',
        to_state: 'do',
        reason: '',
        actor_id: null,
        occurred_at: doAt,
      })
      .execute();
  }
}

beforeAll(async () => {
  t = await createTestApp();
  w = await buildImprovementWorld(t);
  teamD = (
    await createTeam(t.ctx, SYSTEM, { network_id: w.ids.N1, name: 'Team D', visibility: 'team' })
  ).id;
  teamE = (
    await createTeam(t.ctx, SYSTEM, { network_id: w.ids.N1, name: 'Team E', visibility: 'team' })
  ).id;
  minutesMeasure = t.ctx.newId();
  await t.db
    .insertInto('measure')
    .values({
      id: minutesMeasure,
      network_id: w.ids.N1,
      charter_id: w.ids.charter,
      project_id: null,
      name: 'Advisory minutes',
      kind: 'process',
      description: '',
      numerator_definition: '',
      denominator_definition: '',
      inclusion: '',
      exclusion: '',
      data_source: '',
      frequency: 'monthly',
      unit: 'minutes',
      improvement_direction: 'increase',
      chart_type: 'i',
      rule_set: 'anhoej',
      multiply: 1,
      goal: 60,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();

  // Months 19 … 0 ago: A steady (one month missing, one excluded), B shifts up half way.
  await insertValues(
    w.ids.commonMeasure,
    w.ids.A,
    A_ON_TRACK.flatMap((numerator, i) =>
      i === A_MISSING
        ? []
        : [{ ago: 19 - i, numerator, denominator: 50, excluded: i === A_EXCLUDED }],
    ),
    now,
  );
  await insertValues(
    w.ids.commonMeasure,
    w.ids.B,
    B_ON_TRACK.map((numerator, i) => ({ ago: 19 - i, numerator, denominator: 50 })),
    now,
  );
  await insertValues(
    minutesMeasure,
    w.ids.B,
    B_MINUTES.map((numerator, i) => ({ ago: 19 - i, numerator, denominator: null })),
    now,
  );
  // E reported months 12 … 7 ago, last touched 200 days ago.
  await insertValues(
    w.ids.commonMeasure,
    teamE,
    [12, 11, 10, 9, 8, 7].map((ago) => ({ ago, numerator: 25, denominator: 50 })),
    new Date(now.getTime() - 200 * DAY),
  );
  // B's minutes chart starts a new phase at month 9 ago (the shift was a deliberate change).
  await t.db
    .insertInto('annotation')
    .values({
      id: t.ctx.newId(),
      network_id: w.ids.N1,
      team_id: w.ids.B,
      measure_id: minutesMeasure,
      occurred_on: month(9).replace(/01$/, '15'),
      label: 'Longer advisory',
      kind: 'phase_change',
      phase_break: true,
      pdsa_cycle_id: null,
      change_idea_id: null,
      visibility: 'team',
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  // PDSA: one completed this month (Do began last month), one in Do since this month, one planned.
  await insertCycle(
    'completed',
    new Date(`${month(1)}T12:00:00Z`),
    new Date(`${month(0)}T12:00:00Z`),
  );
  await insertCycle('do', new Date(`${month(0)}T12:00:00Z`), null);
  await insertCycle('plan', null, null);
});
afterAll(() => t.close());

interface Point {
  period: string;
  y: number | null;
  cl: number | null;
  lcl: number | null;
  ucl: number | null;
  signal: boolean;
}
interface Series {
  team_id: string;
  team_name: string;
  measure_id: string;
  last_period: string | null;
  last_reported_at: string | null;
  points: Point[];
  signals: string[];
  trial_limits: boolean;
  runs_signal: boolean;
  phase_breaks: string[];
  error: string | null;
}

const dashboard = (actor: TestActor | undefined, query = '') =>
  t.app.inject({
    method: 'GET',
    url: `/api/v1/charters/${w.ids.charter}/dashboard${query}`,
    headers: { ...actor?.headers },
  });
const seriesOf = (body: { series: Series[] }, teamId: string, measureId: string) =>
  body.series.find((s) => s.team_id === teamId && s.measure_id === measureId) as Series;

/** The dashboard's series equals the team's own measure chart (which is never cached). */
async function expectSameAsTeamChart(body: { series: Series[] }, team: string, measure: string) {
  const series = seriesOf(body, team, measure);
  const chart = (
    await t.app.inject({
      url: `/api/v1/measures/${measure}/chart?team=${team}`,
      headers: w.admin.headers,
    })
  ).json();
  const byPeriod = new Map(
    chart.points.map((p: { index: number; y: number | null; cl: number; ucl: number }) => [
      chart.periods[p.index - 1],
      [p.y, p.cl, p.ucl],
    ]),
  );
  const shared = series.points.filter((point) => byPeriod.has(point.period));
  expect(shared.length).toBeGreaterThan(0);
  for (const p of shared) expect([p.y, p.cl, p.ucl]).toEqual(byPeriod.get(p.period));
  const chartRules = new Set<string>(chart.patterns.map((p: { rule: string }) => p.rule));
  if (chart.sigmaSignalPoints.length)
    chartRules.add(LIMIT_RULES[chart.measure.rule_set as string] as string);
  expect(series.signals.slice().sort()).toEqual([...chartRules].sort());
  return series;
}
const LIMIT_RULES: Record<string, string> = {
  anhoej: 'sigma.outside_limits',
  ihi: 'sigma.outside_limits',
  weco: 'weco.1',
  mdc: 'mdc.outside_limits',
};

describe('refusals', () => {
  it('404 for a missing charter and for callers who cannot see the charter', async () => {
    expect(
      (
        await t.app.inject({
          url: `/api/v1/charters/${MISSING}/dashboard`,
          headers: w.admin.headers,
        })
      ).statusCode,
    ).toBe(404);
    expect((await dashboard(undefined)).statusCode).toBe(404);
    expect((await dashboard(w.outsider)).statusCode).toBe(404);
    expect((await dashboard(w.memberC)).statusCode).toBe(404);
    const bad = await dashboard(w.admin, '?from=2026-02-01&to=2026-01-01&limit=501');
    expect(bad.statusCode).toBe(400);
  });
});

describe('series', () => {
  it('charts each team × common measure with the engine’s limits on the same request', async () => {
    const res = await dashboard(w.n1Facilitator);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.measures.map((m: { name: string }) => m.name)).toEqual([
      'Advisory minutes',
      'On track',
    ]);
    expect(
      body.series.map(
        (s: Series) => `${s.team_name}/${s.measure_id === minutesMeasure ? 'min' : 'p'}`,
      ),
    ).toEqual([
      'Team A/min',
      'Team A/p',
      'Team B/min',
      'Team B/p',
      'Team D/min',
      'Team D/p',
      'Team E/min',
      'Team E/p',
    ]);

    expect(body.engine_version).toBe(ENGINE_VERSION);
    const a = seriesOf(body, w.ids.A, w.ids.commonMeasure);
    const expected = analyzeSpc({
      chart: 'p',
      values: A_ON_TRACK.map((v, i) => (i === A_MISSING ? null : v)),
      denominators: A_ON_TRACK.map((_, i) => (i === A_MISSING ? null : 50)),
      excludePoints: [A_EXCLUDED + 1],
      multiply: 100,
      ruleSet: 'anhoej',
      improvementDirection: 'increase',
    });
    expect(a.points).toHaveLength(20);
    expect(a.points[0]?.period).toBe(month(19));
    expect(a.points[19]?.period).toBe(month(0));
    expect(a.points[A_MISSING]?.y).toBeNull();
    expect(a.points.map((p) => [p.y, p.cl, p.lcl, p.ucl])).toEqual(
      expected.points.map((p) => [p.y, p.cl, p.lcl, p.ucl]),
    );
    expect(a.points[0]?.y).toBeCloseTo(60);
    expect(a.last_period).toBe(month(0));
    expect(a.last_reported_at).toBe(now.toISOString());
    expect(a.trial_limits).toBe(false);
    expect(a.error).toBeNull();

    // B shifted: a signal badge naming the rule, and the points that complete it flagged.
    const b = seriesOf(body, w.ids.B, w.ids.commonMeasure);
    expect(b.signals).toContain('anhoej.longest_run');
    expect(b.runs_signal).toBe(true);
    expect(b.points.some((p) => p.signal)).toBe(true);

    // B's minutes: the phase-break annotation splits the chart at the month that contains it.
    const minutes = seriesOf(body, w.ids.B, minutesMeasure);
    expect(minutes.phase_breaks).toEqual([month(9)]);
    const phased = analyzeSpc({
      chart: 'i',
      values: B_MINUTES,
      partEnds: [10],
      multiply: 1,
      ruleSet: 'anhoej',
      improvementDirection: 'increase',
    });
    expect(minutes.points.map((p) => p.cl)).toEqual(phased.points.map((p) => p.cl));
    expect(new Set(minutes.points.map((p) => p.cl)).size).toBe(2);

    // Teams without a value of a measure: an empty series; E's months sit on the common axis.
    expect(seriesOf(body, teamD, w.ids.commonMeasure).points).toEqual([]);
    expect(seriesOf(body, w.ids.A, minutesMeasure).points).toEqual([]);
    const e = seriesOf(body, teamE, w.ids.commonMeasure);
    expect(e.points).toHaveLength(20);
    expect(e.points.filter((p) => p.y !== null).map((p) => p.period)).toEqual(
      [12, 11, 10, 9, 8, 7].map(month),
    );
    expect(e.trial_limits).toBe(true);
  });

  it('draws each series as the team’s own measure chart does: same limits, same signals', async () => {
    // Both go through src/core/measures/series.ts; a divergence would show one signal on the
    // dashboard and another on the team's chart. (The dashboard's axis may start earlier: align
    // on periods.)
    const body = (await dashboard(w.admin)).json();
    for (const [team, measure] of [
      [w.ids.A, w.ids.commonMeasure],
      [w.ids.B, w.ids.commonMeasure],
      [w.ids.B, minutesMeasure],
    ] as const)
      await expectSameAsTeamChart(body, team, measure);
  });

  it('gives each measure one y scale over every series shown, goal included', async () => {
    const body = (await dashboard(w.admin)).json();
    for (const measure of body.measures) {
      const values = body.series
        .filter((s: Series) => s.measure_id === measure.id)
        .flatMap((s: Series) => s.points.flatMap((p) => [p.y, p.cl, p.lcl, p.ucl]))
        .filter((v: number | null) => v !== null);
      if (measure.goal !== null) values.push(measure.goal);
      expect(measure.y_min).toBe(Math.min(...values));
      expect(measure.y_max).toBe(Math.max(...values));
    }
    const minutes = body.measures.find((m: { id: string }) => m.id === minutesMeasure);
    expect(minutes).toMatchObject({ unit: 'minutes', chart_type: 'i', goal: 60, y_max: 60 });
  });
});

describe('summary', () => {
  it('lists silent teams, PDSA cycles per month and signal counts', async () => {
    const body = (await dashboard(w.admin)).json();
    expect(body.summary.team_count).toBe(4);
    expect(body.summary.teams_without_recent_data).toEqual([
      { team_id: teamD, team_name: 'Team D', last_reported_at: null },
      {
        team_id: teamE,
        team_name: 'Team E',
        last_reported_at: new Date(now.getTime() - 200 * DAY).toISOString(),
      },
    ]);
    const cycles = body.summary.cycles_per_month;
    expect(cycles).toHaveLength(12);
    expect(cycles.at(-1)).toEqual({ month: month(0).slice(0, 7), started: 1, completed: 1 });
    expect(cycles.at(-2)).toEqual({ month: month(1).slice(0, 7), started: 1, completed: 0 });
    expect(
      cycles
        .slice(0, -2)
        .every((c: { started: number; completed: number }) => c.started + c.completed === 0),
    ).toBe(true);

    const p = body.summary.signal_counts.find(
      (c: { measure_id: string }) => c.measure_id === w.ids.commonMeasure,
    );
    expect(p.series).toBe(3);
    expect(p.series_with_signal).toBeGreaterThanOrEqual(1);
    expect(p.rules).toContainEqual({ rule: 'anhoej.longest_run', series: expect.any(Number) });
  });
});

describe('visibility and pagination', () => {
  it('a team member sees only their own team’s series and summaries over it', async () => {
    const res = await dashboard(w.memberA);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect([...new Set(body.series.map((s: Series) => s.team_id))]).toEqual([w.ids.A]);
    expect(body.summary.team_count).toBe(1);
    expect(body.summary.teams_without_recent_data).toEqual([]);
    expect(JSON.stringify(body)).not.toContain(w.ids.B);
    // The scale comes from A's series only: B's high values do not leak through it.
    const p = body.measures.find((m: { id: string }) => m.id === w.ids.commonMeasure);
    const bHigh = Math.max(...B_ON_TRACK) * 2;
    expect(p.y_max).toBeLessThan(bHigh);
    expect(body.summary.cycles_per_month.at(-1)).toMatchObject({ started: 1, completed: 1 });

    const memberB = (await dashboard(w.memberB)).json();
    expect([...new Set(memberB.series.map((s: Series) => s.team_id))]).toEqual([w.ids.B]);
    expect(
      memberB.summary.cycles_per_month.every((c: { started: number }) => c.started === 0),
    ).toBe(true);
  });

  it('pages through teams by name; the summary covers every team on each page', async () => {
    const first = (await dashboard(w.admin, '?limit=3')).json();
    expect([...new Set(first.series.map((s: Series) => s.team_name))]).toEqual([
      'Team A',
      'Team B',
      'Team D',
    ]);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = (await dashboard(w.admin, `?limit=3&cursor=${first.next_cursor}`)).json();
    expect([...new Set(second.series.map((s: Series) => s.team_name))]).toEqual(['Team E']);
    expect(second.next_cursor).toBeNull();
    expect(second.summary).toEqual(first.summary);
    expect(second.measures).toEqual(first.measures);
    expect((await dashboard(w.admin, '?cursor=nonsense')).statusCode).toBe(400);
  });

  it('never serves a stale series: corrections, deletes, phase changes and measure edits show at once', async () => {
    // The engine's results are cached between requests (dashboard.service.ts); every change
    // below must reach the next dashboard, equal to the team's uncached chart.
    const before = seriesOf((await dashboard(w.admin)).json(), w.ids.B, w.ids.commonMeasure);
    const write = (values: object[]) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/teams/${w.ids.B}/measure-values`,
        headers: w.admin.headers,
        payload: { values },
      });
    const at = (series: Series, period: string) => series.points.find((p) => p.period === period);

    // A correction (the same period, a new numerator).
    const corrected = await write([
      { measure_id: w.ids.commonMeasure, period_start: month(2), numerator: 5, denominator: 50 },
    ]);
    expect(corrected.statusCode, corrected.body).toBe(200);
    let body = (await dashboard(w.admin)).json();
    let b = await expectSameAsTeamChart(body, w.ids.B, w.ids.commonMeasure);
    expect(at(b, month(2))?.y).toBe(10);
    expect(at(b, month(2))?.y).not.toBe(at(before, month(2))?.y);

    // A delete (the point becomes a gap).
    expect(
      (await write([{ measure_id: w.ids.commonMeasure, period_start: month(3), numerator: null }]))
        .statusCode,
    ).toBe(200);
    body = (await dashboard(w.admin)).json();
    b = await expectSameAsTeamChart(body, w.ids.B, w.ids.commonMeasure);
    expect(at(b, month(3))?.y).toBeNull();

    // An accepted phase change on the team's chart.
    const annotation = await t.app.inject({
      method: 'POST',
      url: '/api/v1/annotations',
      headers: w.admin.headers,
      payload: {
        team_id: w.ids.B,
        measure_id: w.ids.commonMeasure,
        occurred_on: month(9),
        label: 'New timetable',
        kind: 'phase_change',
        phase_break: true,
        visibility: 'network',
      },
    });
    expect(annotation.statusCode, annotation.body).toBe(201);
    body = (await dashboard(w.admin)).json();
    b = await expectSameAsTeamChart(body, w.ids.B, w.ids.commonMeasure);
    expect(b.phase_breaks).toEqual([month(9)]);

    // The measure's rule set changes: every series is charted again under the new rules.
    const measure = await t.app.inject({
      url: `/api/v1/measures/${w.ids.commonMeasure}`,
      headers: w.admin.headers,
    });
    const edited = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/measures/${w.ids.commonMeasure}`,
      headers: { ...w.admin.headers, 'if-match': measure.headers.etag as string },
      payload: { rule_set: 'weco' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    body = (await dashboard(w.admin)).json();
    expect(body.measures.find((m: { id: string }) => m.id === w.ids.commonMeasure).rule_set).toBe(
      'weco',
    );
    b = await expectSameAsTeamChart(body, w.ids.B, w.ids.commonMeasure);
    await expectSameAsTeamChart(body, w.ids.A, w.ids.commonMeasure);
    expect(b.signals.every((rule) => rule.startsWith('weco.'))).toBe(true);
  });

  it('limits the periods to from–to', async () => {
    const body = (await dashboard(w.admin, `?from=${month(5)}&to=${month(1)}`)).json();
    const a = seriesOf(body, w.ids.A, w.ids.commonMeasure);
    expect(a.points.map((p) => p.period)).toEqual([5, 4, 3, 2, 1].map(month));
    expect(seriesOf(body, teamE, w.ids.commonMeasure).points).toEqual([]);
  });
});
