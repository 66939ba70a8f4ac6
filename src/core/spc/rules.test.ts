/**
 * One focused test per rule id, each with a hand-made series whose signalling points are known,
 * and a near miss that must not signal.
 *
 * Most series are c charts frozen on their first point (value 25): the centre line is 25 and
 * sigma √25 = 5 on every point, so the zones are exact integers:
 *
 *   LCL 10 | −2σ 15 | −1σ 20 | CL 25 | +1σ 30 | +2σ 35 | UCL 40
 *
 * Run-chart series are frozen on their first two points (4 and 6): the median is 5, and the
 * I-chart limits used for IHI's astronomical point are 5 ± 3·2/1.128 = [−0.319, 10.319].
 * Point numbers in the expectations are 1-based positions in the literal arrays.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSpc } from './analyze.ts';
import {
  RULE_IDS,
  type RuleId,
  type RuleSet,
  type SpcChartResult,
  type SpcRequest,
} from './types.ts';

const covered = new Set<RuleId>();

/** A c chart frozen on point 1 (CL 25, sigma 5). */
function cChart(values: (number | null)[], ruleSet: RuleSet, extra: Partial<SpcRequest> = {}) {
  expect(values[0]).toBe(25);
  return analyzeSpc({ chart: 'c', values, baselineLastPoint: 1, ruleSet, ...extra });
}

/** An IHI run chart frozen on points 1–2 (4 and 6: median 5). */
function ihiRun(values: (number | null)[], extra: Partial<SpcRequest> = {}) {
  expect(values.slice(0, 2)).toEqual([4, 6]);
  return analyzeSpc({ chart: 'run', values, baselineLastPoint: 2, ruleSet: 'ihi', ...extra });
}

function patternsOf(r: SpcChartResult, rule: RuleId): number[][] {
  return r.patterns.filter((p) => p.rule === rule).map((p) => p.points);
}

function signalledBy(r: SpcChartResult, rule: RuleId): number[] {
  return r.points.filter((p) => p.signals.some((s) => s.rule === rule)).map((p) => p.index);
}

function rulesFound(r: SpcChartResult): RuleId[] {
  return [...new Set(r.patterns.map((p) => p.rule))].sort();
}

/** The rule's occurrences and signalling points are exactly these. */
function expectRule(r: SpcChartResult, rule: RuleId, patterns: number[][], signals: number[]) {
  expect(patternsOf(r, rule), `${rule} patterns`).toEqual(patterns);
  expect(signalledBy(r, rule), `${rule} signals`).toEqual(signals);
  for (const p of r.points) {
    for (const s of p.signals) expect(s.description.length).toBeGreaterThan(0);
  }
  if (patterns.length > 0) covered.add(rule);
}

function expectNoRule(r: SpcChartResult, rule: RuleId) {
  expectRule(r, rule, [], []);
}

/** Values alternating within runs: below the median 4, 3, 4, …; above 6, 7, 6, … */
function fromRuns(lengths: number[]): number[] {
  const values: number[] = [];
  lengths.forEach((length, k) => {
    const below = k % 2 === 0;
    for (let j = 0; j < length; j += 1) values.push(below ? (j % 2 ? 3 : 4) : j % 2 ? 7 : 6);
  });
  return values;
}

/** The number of runs about 5 (no point lies on 5 in these series). */
function runsAbout5(values: number[]): number {
  let runs = 0;
  let side = 0;
  for (const v of values) {
    const s = Math.sign(v - 5);
    if (s !== side) runs += 1;
    side = s;
  }
  return runs;
}

describe('the frozen c chart used by these tests', () => {
  it('has CL 25, sigma 5 and limits 10 and 40 on every point', () => {
    const r = cChart([25, 12, 30, 44], 'anhoej');
    for (const p of r.points) {
      expect([p.cl, p.sigma, p.lcl, p.ucl]).toEqual([25, 5, 10, 40]);
    }
    expect(r.parts[0]?.nBaseline).toBe(1);
  });
});

// ───────────────────────────────────── anhoej ─────────────────────────────────────

describe('anhoej', () => {
  it('sigma.outside_limits: strictly above the UCL or below the LCL', () => {
    const r = cChart([25, 41, 25, 9, 40, 10], 'anhoej');
    expectRule(r, 'sigma.outside_limits', [[2], [4]], [2, 4]);
    // 40 and 10 lie exactly on the limits: not outside.
    expect(r.sigmaSignalPoints).toEqual([2, 4]);
  });

  it('anhoej.longest_run: a run longer than round(log2(n) + 3), points on the centre line skipped', () => {
    // 20 useful points (limit 7); points 5–13 are above except point 8, which is on the line.
    const values = [
      25, 24, 26, 24, 26, 26, 26, 25, 26, 26, 26, 26, 26, 24, 26, 24, 26, 24, 26, 24, 26, 24,
    ];
    const r = cChart(values, 'anhoej');
    expect(r.parts[0]).toMatchObject({ nUseful: 20, longestRun: 8, longestRunMax: 7 });
    expectRule(r, 'anhoej.longest_run', [[5, 6, 7, 9, 10, 11, 12, 13]], [13]);
    expect(r.parts[0]?.runsSignal).toBe(true);
    expect(rulesFound(r)).toEqual(['anhoej.longest_run']);
  });

  it('anhoej.longest_run near miss: a run of exactly the limit', () => {
    const values = [
      25, 24, 26, 24, 26, 26, 26, 26, 26, 26, 26, 24, 26, 24, 26, 24, 26, 24, 26, 24, 26,
    ];
    const r = cChart(values, 'anhoej');
    expect(r.parts[0]).toMatchObject({ nUseful: 20, longestRun: 7, longestRunMax: 7 });
    expectNoRule(r, 'anhoej.longest_run');
    expect(r.parts[0]?.runsSignal).toBe(false);
  });

  it('anhoej.crossings: fewer crossings than qbinom(0.05, n − 1, 0.5), signalled on the last useful point', () => {
    // 20 useful points in 6 runs (5 crossings < 6); the final point lies on the centre line.
    const values = [
      25, 24, 24, 24, 24, 26, 26, 26, 24, 24, 24, 26, 26, 26, 26, 24, 24, 24, 26, 26, 26, 25,
    ];
    const r = cChart(values, 'anhoej');
    expect(r.parts[0]).toMatchObject({ nUseful: 20, crossings: 5, crossingsMin: 6, longestRun: 4 });
    const useful = Array.from({ length: 20 }, (_, i) => i + 2);
    expectRule(r, 'anhoej.crossings', [useful], [21]);
    expect(r.parts[0]?.runsSignal).toBe(true);
  });

  it('anhoej.crossings near miss: exactly the minimum number of crossings', () => {
    const values = [
      25, 24, 24, 24, 26, 26, 26, 24, 24, 24, 26, 26, 26, 24, 24, 24, 26, 26, 26, 24, 24,
    ];
    const r = cChart(values, 'anhoej');
    expect(r.parts[0]).toMatchObject({ nUseful: 20, crossings: 6, crossingsMin: 6 });
    expectNoRule(r, 'anhoej.crossings');
    expect(r.parts[0]?.runsSignal).toBe(false);
  });

  it('suggests a new phase where a sustained shift starts (1-based: the phase would start at after + 1)', () => {
    const values = [
      25, 24, 26, 24, 26, 24, 26, 24, 26, 24, 26, 30, 31, 30, 31, 30, 31, 30, 31, 30, 31,
    ];
    const r = cChart(values, 'anhoej');
    expect(patternsOf(r, 'anhoej.longest_run')).toEqual([
      [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21],
    ]);
    expect(r.suggestedPhases).toEqual([
      expect.objectContaining({ after: 10, rule: 'anhoej.longest_run' }),
    ]);
    // Once the user accepts it, the suggestion is not repeated.
    const phased = cChart(values, 'anhoej', { partEnds: [10] });
    expect(phased.suggestedPhases).toEqual([]);
  });
});

// ──────────────────────────────────── ihi: run chart ────────────────────────────────────

describe('ihi on a run chart', () => {
  it('the frozen run chart has median 5 and I-chart limits 5 ± 3·2/1.128', () => {
    const r = ihiRun([4, 6, 10, 0]);
    expect(r.points.map((p) => p.cl)).toEqual([5, 5, 5, 5]);
    expect(r.points.every((p) => p.lcl === null && p.ucl === null && p.sigma === null)).toBe(true);
  });

  it('ihi.shift: 6 on one side of the median, a point on the median skipped', () => {
    const r = ihiRun([4, 6, 4, 6, 7, 5, 6, 7, 6, 7, 4, 6, 4]);
    expectRule(r, 'ihi.shift', [[4, 5, 7, 8, 9, 10]], [10]);
    expect(rulesFound(r)).toEqual(['ihi.shift']);
    expect(r.parts[0]?.runsSignal).toBe(true);
  });

  it('ihi.shift near miss: 5 on one side', () => {
    const r = ihiRun([4, 6, 4, 6, 7, 5, 6, 7, 6, 4, 6, 4]);
    expectNoRule(r, 'ihi.shift');
    expect(r.patterns).toEqual([]);
  });

  it('ihi.trend: 5 going up, equal neighbours counting once', () => {
    // 2, 3, 4, 4, 6, 7: six points but five distinct steps' worth of values.
    const r = ihiRun([4, 6, 2, 3, 4, 4, 6, 7, 4, 6, 4, 6]);
    expectRule(r, 'ihi.trend', [[3, 4, 5, 6, 7, 8]], [8]);
    expect(r.patterns[0]?.description).toContain('equal values count once');
    expect(rulesFound(r)).toEqual(['ihi.trend']);
  });

  it('ihi.trend near miss: five points but only four distinct values going up', () => {
    const r = ihiRun([4, 6, 3, 4, 4, 6, 7, 4, 6, 4, 6, 4]);
    expectNoRule(r, 'ihi.trend');
    expect(r.patterns).toEqual([]);
  });

  it('ihi.runs: too few runs for 20 useful points (6 < 7)', () => {
    const values = fromRuns([1, 5, 5, 4, 3, 2]);
    expect(values.slice(0, 2)).toEqual([4, 6]);
    expect(runsAbout5(values)).toBe(6);
    const r = ihiRun(values);
    const all = values.map((_, i) => i + 1);
    expectRule(r, 'ihi.runs', [all], [20]);
    expect(r.patterns[0]?.description).toContain('too few');
    expect(rulesFound(r)).toEqual(['ihi.runs']);
  });

  it('ihi.runs: too many runs for 20 useful points (16 > 15)', () => {
    const values = fromRuns([1, 1, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 1]);
    expect(values).toHaveLength(20);
    expect(runsAbout5(values)).toBe(16);
    const r = ihiRun(values);
    expectRule(r, 'ihi.runs', [values.map((_, i) => i + 1)], [20]);
    expect(r.patterns[0]?.description).toContain('too many');
    expect(rulesFound(r)).toEqual(['ihi.runs']);
  });

  it('ihi.runs near misses: 7 and 15 runs in 20 points are expected', () => {
    for (const lengths of [
      [1, 4, 3, 3, 3, 3, 3],
      [1, 1, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 2, 1, 2],
    ]) {
      const values = fromRuns(lengths);
      expect(values).toHaveLength(20);
      expect(runsAbout5(values)).toBe(lengths.length);
      const r = ihiRun(values);
      expect(r.patterns).toEqual([]);
    }
  });

  it('ihi.runs is not evaluated below 10 useful points (shift and trend still are)', () => {
    const r = ihiRun([4, 6, 4, 6, 4, 6, 4, 6, 4]);
    expect(r.parts[0]?.nUseful).toBe(9);
    expect(r.parts[0]?.notEvaluable).toEqual(['ihi.runs']);
  });

  it('ihi.astronomical: outside the I-chart limits of the same data, excluded points included', () => {
    // 11 > 10.319 signals, 10 does not; −1 < −0.319 signals although point 5 is excluded.
    const r = ihiRun([4, 6, 11, 10, -1, 0, 5], { excludePoints: [5] });
    expectRule(r, 'ihi.astronomical', [[3], [5]], [3, 5]);
    expect(r.points[4]?.excluded).toBe(true);
    // Fewer than 8 useful points: the run rules are not evaluated, the astronomical rule is.
    expect(r.parts[0]?.notEvaluable).toEqual(['ihi.shift', 'ihi.trend', 'ihi.runs']);
  });

  it('ihi.astronomical is not evaluable without I-chart limits (a one-point baseline)', () => {
    const r = analyzeSpc({
      chart: 'run',
      values: [5, 1, 9, 100],
      baselineLastPoint: 1,
      ruleSet: 'ihi',
    });
    expect(r.parts[0]?.notEvaluable).toContain('ihi.astronomical');
    expectNoRule(r, 'ihi.astronomical');
  });
});

// ────────────────────────────────── ihi: control chart ──────────────────────────────────

describe('ihi on a control chart', () => {
  it('sigma.outside_limits: the 3-sigma limits', () => {
    const r = cChart([25, 41, 9, 40, 10], 'ihi');
    expectRule(r, 'sigma.outside_limits', [[2], [3]], [2, 3]);
  });

  it('ihi.eight_one_side: 8 on one side, a point on the centre line skipped', () => {
    const values = [25, 24, 26, 27, 26, 25, 27, 26, 27, 26, 27, 24, 26, 24];
    const r = cChart(values, 'ihi');
    expectRule(r, 'ihi.eight_one_side', [[3, 4, 5, 7, 8, 9, 10, 11]], [11]);
    expect(rulesFound(r)).toEqual(['ihi.eight_one_side']);
    expect(r.parts[0]?.runsSignal).toBe(true);
  });

  it('ihi.eight_one_side near miss: 7 on one side', () => {
    const values = [25, 24, 26, 27, 26, 25, 27, 26, 27, 26, 24, 26, 24];
    const r = cChart(values, 'ihi');
    expectNoRule(r, 'ihi.eight_one_side');
    expect(r.patterns).toEqual([]);
  });

  it('ihi.six_trend: 6 going up, equal neighbours counting once', () => {
    const values = [25, 24, 20, 22, 24, 24, 26, 28, 30, 26, 24, 26];
    const r = cChart(values, 'ihi');
    expectRule(r, 'ihi.six_trend', [[3, 4, 5, 6, 7, 8, 9]], [9]);
    expect(rulesFound(r)).toEqual(['ihi.six_trend']);
  });

  it('ihi.six_trend near miss: six points going up but only five distinct values', () => {
    const values = [25, 24, 20, 22, 24, 24, 26, 28, 26, 24, 26, 24];
    const r = cChart(values, 'ihi');
    expectNoRule(r, 'ihi.six_trend');
    expect(r.patterns).toEqual([]);
  });

  it('ihi.two_of_three_2sigma: beyond 2 sigma includes beyond 3 sigma; same side only', () => {
    // (36, 26, 41): 36 and 41 are beyond +2σ (41 also beyond the UCL).
    // (14, 24, 16): only 14 is beyond −2σ (16 is not), so no signal below.
    const values = [25, 24, 36, 26, 41, 24, 26, 14, 24, 16];
    const r = cChart(values, 'ihi');
    expectRule(r, 'ihi.two_of_three_2sigma', [[3, 4, 5]], [5]);
    expectRule(r, 'sigma.outside_limits', [[5]], [5]);
    // One point beyond each 2σ line, on opposite sides: no signal.
    const opposite = cChart([25, 36, 14, 26, 24], 'ihi');
    expectNoRule(opposite, 'ihi.two_of_three_2sigma');
  });

  it('ihi.fifteen_within_1sigma: 15 in a row strictly within 1 sigma (points on the line count)', () => {
    const values = [25, 24, 26, 24, 26, 24, 26, 24, 26, 24, 26, 24, 26, 24, 26, 24, 30, 26];
    const r = cChart(values, 'ihi');
    const streak = Array.from({ length: 16 }, (_, i) => i + 1);
    expectRule(r, 'ihi.fifteen_within_1sigma', [streak], [15, 16]);
    expect(rulesFound(r)).toEqual(['ihi.fifteen_within_1sigma']);
  });

  it('ihi.fifteen_within_1sigma near miss: 14 within, then a point exactly at 1 sigma breaks the streak', () => {
    const values = [25, 24, 26, 24, 26, 24, 26, 24, 26, 24, 26, 24, 26, 24, 30, 26, 24, 26, 24];
    const r = cChart(values, 'ihi');
    expectNoRule(r, 'ihi.fifteen_within_1sigma');
    expect(r.patterns).toEqual([]);
  });
});

// ───────────────────────────────────── weco ─────────────────────────────────────

describe('weco', () => {
  it('weco.1: beyond 3 sigma (strictly outside the limits)', () => {
    const r = cChart([25, 41, 9, 40, 10], 'weco');
    expectRule(r, 'weco.1', [[2], [3]], [2, 3]);
    expect(r.sigmaSignalPoints).toEqual([2, 3]);
    expectNoRule(r, 'sigma.outside_limits');
  });

  it('weco.2: 2 of 3 beyond 2 sigma on one side, a point beyond 3 sigma counting', () => {
    const r = cChart([25, 24, 36, 26, 41, 24], 'weco');
    expectRule(r, 'weco.2', [[3, 4, 5]], [5]);
    expectRule(r, 'weco.1', [[5]], [5]);
    // Near miss: the second point is exactly on the 2σ line.
    expectNoRule(cChart([25, 24, 36, 26, 35, 24], 'weco'), 'weco.2');
  });

  it('weco.2 window convention: each qualifying window signals on its last point', () => {
    // Windows 2–4 (24, 36, 37) and 3–5 (36, 37, 24) both qualify: one occurrence, points 2–5,
    // signals on 4 and on 5 (a point within 1σ that completes a qualifying window).
    const r = cChart([25, 24, 36, 37, 24, 26], 'weco');
    expectRule(r, 'weco.2', [[2, 3, 4, 5]], [4, 5]);
  });

  it('weco.3: 4 of 5 beyond 1 sigma on one side, a point beyond 3 sigma counting', () => {
    const r = cChart([25, 24, 31, 32, 24, 33, 31, 24], 'weco');
    expectRule(r, 'weco.3', [[3, 4, 5, 6, 7]], [7]);
    const withOutlier = cChart([25, 24, 31, 41, 24, 33, 31, 24], 'weco');
    expectRule(withOutlier, 'weco.3', [[3, 4, 5, 6, 7]], [7]);
    expectRule(withOutlier, 'weco.1', [[4]], [4]);
  });

  it('weco.3 near miss: the fourth point is exactly at 1 sigma', () => {
    const r = cChart([25, 24, 31, 32, 24, 33, 30, 24], 'weco');
    expectNoRule(r, 'weco.3');
    expect(r.patterns).toEqual([]);
  });

  it('weco.4: 8 in a row on one side', () => {
    const r = cChart([25, 24, 26, 27, 26, 27, 26, 27, 26, 27, 24], 'weco');
    expectRule(r, 'weco.4', [[3, 4, 5, 6, 7, 8, 9, 10]], [10]);
    expect(r.parts[0]?.runsSignal).toBe(true);
    expect(rulesFound(r)).toEqual(['weco.4']);
  });

  it('weco.4 near miss: a point on the centre line breaks the run (IHI skips it instead)', () => {
    const values = [25, 24, 26, 27, 26, 25, 27, 26, 27, 26, 27, 24, 26, 24];
    expectNoRule(cChart(values, 'weco'), 'weco.4');
    expect(cChart(values, 'weco').parts[0]?.runsSignal).toBe(false);
    expect(patternsOf(cChart(values, 'ihi'), 'ihi.eight_one_side')).toHaveLength(1);
    const seven = cChart([25, 24, 26, 27, 26, 27, 26, 27, 26, 24, 26], 'weco');
    expectNoRule(seven, 'weco.4');
  });
});

// ───────────────────────────────────── mdc ─────────────────────────────────────

describe('mdc', () => {
  it('mdc.outside_limits, classed by side and improvement direction', () => {
    const values = [25, 41, 9, 40, 10];
    const up = cChart(values, 'mdc', { improvementDirection: 'increase' });
    expectRule(up, 'mdc.outside_limits', [[2], [3]], [2, 3]);
    expect(up.points.map((p) => p.mdcClass)).toEqual([
      'common_cause',
      'special_cause_improvement',
      'special_cause_concern',
      'common_cause',
      'common_cause',
    ]);
    const down = cChart(values, 'mdc', { improvementDirection: 'decrease' });
    expect(down.points.map((p) => p.mdcClass).slice(1, 3)).toEqual([
      'special_cause_concern',
      'special_cause_improvement',
    ]);
    const neutral = cChart(values, 'mdc', { improvementDirection: 'neutral' });
    expect(neutral.points.map((p) => p.mdcClass).slice(1, 3)).toEqual([
      'special_cause_neutral',
      'special_cause_neutral',
    ]);
  });

  it('mdc.trend: 7 points with 6 strict steps, classed by the direction of the trend', () => {
    // A decreasing trend above the mean, improvement "increase": the trend is a concern;
    // point 9 is only part of the shift (8 above the mean) and is an improvement.
    const r = cChart([25, 38, 37, 36, 35, 34, 33, 32, 34], 'mdc', {
      improvementDirection: 'increase',
    });
    expectRule(r, 'mdc.trend', [[2, 3, 4, 5, 6, 7, 8]], [8]);
    expectRule(r, 'mdc.shift', [[2, 3, 4, 5, 6, 7, 8, 9]], [8, 9]);
    expect(r.points.map((p) => p.mdcClass)).toEqual([
      'common_cause',
      ...Array(7).fill('special_cause_concern'),
      'special_cause_improvement',
    ]);
  });

  it('mdc.trend near miss: a tie breaks the trend (where IHI counts equal neighbours once)', () => {
    const values = [25, 38, 37, 36, 36, 35, 34, 33, 32, 34];
    const mdc = cChart(values, 'mdc', { improvementDirection: 'increase' });
    expectNoRule(mdc, 'mdc.trend');
    // Without the trend, every point above the mean is classed by its side: improvement.
    expect(mdc.points.slice(1).every((p) => p.mdcClass === 'special_cause_improvement')).toBe(true);
    const ihi = cChart(values, 'ihi');
    expect(patternsOf(ihi, 'ihi.six_trend')).toEqual([[2, 3, 4, 5, 6, 7, 8, 9]]);
    const six = cChart([25, 38, 37, 36, 35, 34, 33, 35, 36], 'mdc');
    expectNoRule(six, 'mdc.trend');
  });

  it('mdc.trend: a turning point shared by two trends takes the direction of the trend it starts', () => {
    const values = [25, 24, 26, 27, 28, 29, 30, 31, 30, 29, 28, 27, 26, 24];
    const r = cChart(values, 'mdc', { improvementDirection: 'increase' });
    expectRule(
      r,
      'mdc.trend',
      [
        [2, 3, 4, 5, 6, 7, 8],
        [8, 9, 10, 11, 12, 13, 14],
      ],
      [8, 14],
    );
    expect(r.points.map((p) => p.mdcClass)).toEqual([
      'common_cause',
      ...Array(6).fill('special_cause_improvement'),
      ...Array(7).fill('special_cause_concern'),
    ]);
  });

  it('mdc.two_of_three: 2 of 3 close to a limit, all 3 on one side of the mean', () => {
    // (36, 26, 38): both 36 and 38 lie between the 2σ line (35) and the limit (40).
    const r = cChart([25, 24, 36, 26, 38, 26, 24], 'mdc', { improvementDirection: 'increase' });
    expectRule(r, 'mdc.two_of_three', [[3, 4, 5]], [5]);
    // Only the points close to the limit are special cause; the middle one is common cause.
    expect(r.points.map((p) => p.mdcClass)).toEqual([
      'common_cause',
      'common_cause',
      'special_cause_improvement',
      'common_cause',
      'special_cause_improvement',
      'common_cause',
      'common_cause',
    ]);
  });

  it('mdc.two_of_three near misses: the three straddle the mean, or one is outside the limit', () => {
    // (36, 24, 38): two close points but the middle one is below the mean; weco.2 still fires.
    const straddle = [25, 26, 36, 24, 38, 26, 24];
    expectNoRule(cChart(straddle, 'mdc'), 'mdc.two_of_three');
    expect(patternsOf(cChart(straddle, 'weco'), 'weco.2')).toEqual([[3, 4, 5]]);
    // (36, 26, 41): 41 is outside the limit, not close to it.
    const outside = cChart([25, 26, 36, 26, 41, 26], 'mdc');
    expectNoRule(outside, 'mdc.two_of_three');
    expect(patternsOf(outside, 'mdc.outside_limits')).toEqual([[5]]);
    // A point on the mean is on neither side.
    expectNoRule(cChart([25, 36, 25, 38, 24], 'mdc'), 'mdc.two_of_three');
  });

  it('mdc.shift: 7 in a row on one side of the mean, classed by side', () => {
    const r = cChart([25, 24, 26, 27, 26, 27, 26, 27, 26, 24], 'mdc', {
      improvementDirection: 'decrease',
    });
    expectRule(r, 'mdc.shift', [[3, 4, 5, 6, 7, 8, 9]], [9]);
    expect(r.points.map((p) => p.mdcClass)).toEqual([
      'common_cause',
      'common_cause',
      ...Array(7).fill('special_cause_concern'),
      'common_cause',
    ]);
    expect(r.parts[0]?.runsSignal).toBe(true);
  });

  it('mdc.shift near miss: a point on the mean breaks the run', () => {
    const r = cChart([25, 24, 26, 27, 26, 25, 27, 26, 27, 24, 26], 'mdc');
    expectNoRule(r, 'mdc.shift');
    expect(r.points.every((p) => p.mdcClass === 'common_cause')).toBe(true);
  });

  it('classes every special cause as neutral when there is no improvement direction', () => {
    const r = cChart([25, 24, 26, 27, 26, 27, 26, 27, 26, 24], 'mdc');
    expect(r.engine.improvementDirection).toBe('neutral');
    expect(r.points.slice(2, 9).every((p) => p.mdcClass === 'special_cause_neutral')).toBe(true);
  });

  it('gives a missing point mdcClass null, and no mdcClass outside the mdc rule set', () => {
    const r = cChart([25, null, 26], 'mdc');
    expect(r.points.map((p) => p.mdcClass)).toEqual(['common_cause', null, 'common_cause']);
    const other = cChart([25, null, 26], 'weco');
    expect(other.points.every((p) => !('mdcClass' in p))).toBe(true);
  });
});

// ─────────────────────────────────── general ───────────────────────────────────

describe('fewer than 8 useful points', () => {
  const seven = [25, 30, 30, 30, 30, 30, 30, 30, 25];

  const cases: [RuleSet, RuleId[]][] = [
    ['anhoej', ['anhoej.longest_run', 'anhoej.crossings']],
    ['ihi', ['ihi.eight_one_side', 'ihi.six_trend', 'ihi.fifteen_within_1sigma']],
    ['weco', ['weco.4']],
    ['mdc', ['mdc.trend', 'mdc.shift']],
  ];
  for (const [ruleSet, runRules] of cases) {
    it(`${ruleSet}: runsSignal false and the run rules listed in notEvaluable`, () => {
      const r = cChart(seven, ruleSet);
      expect(r.parts[0]?.nUseful).toBe(7);
      expect(r.parts[0]?.notEvaluable).toEqual(runRules);
      expect(r.parts[0]?.runsSignal).toBe(false);
      expect(r.patterns.filter((p) => runRules.includes(p.rule))).toEqual([]);
    });
  }

  it('one more useful point makes them evaluable (a run of 8 above: anhoej, weco and mdc signal)', () => {
    const eight = [25, 30, 30, 30, 30, 30, 30, 30, 30];
    expect(cChart(eight, 'anhoej').parts[0]?.runsSignal).toBe(true);
    expect(cChart(eight, 'weco').parts[0]?.runsSignal).toBe(true);
    expect(cChart(eight, 'mdc').parts[0]?.runsSignal).toBe(true);
    expect(cChart(eight, 'mdc').parts[0]?.notEvaluable).toEqual([]);
  });
});

describe('excluded points', () => {
  it('still get sigma.outside_limits but are left out of the centre line and limits', () => {
    const values = [20, 22, 18, 21, 60, 19, 20, 22, 18, 20];
    const r = analyzeSpc({ chart: 'c', values, excludePoints: [5] });
    expect(r.parts[0]?.cl).toBe(20);
    expect(r.points[0]?.ucl).toBeCloseTo(20 + 3 * Math.sqrt(20), 12);
    expect(r.parts[0]?.nBaseline).toBe(9);
    expect(r.points[4]?.excluded).toBe(true);
    expectRule(r, 'sigma.outside_limits', [[5]], [5]);
    expect(r.sigmaSignalPoints).toEqual([5]);
  });

  it('are left out of the runs: a run bridges an excluded point on the other side', () => {
    const values = [
      25, 24, 26, 26, 26, 26, 5, 26, 26, 26, 26, 24, 26, 24, 26, 24, 26, 24, 26, 24, 26, 24,
    ];
    const r = cChart(values, 'anhoej', { excludePoints: [7] });
    expect(r.parts[0]?.nUseful).toBe(20);
    expectRule(r, 'anhoej.longest_run', [[3, 4, 5, 6, 8, 9, 10, 11]], [11]);
    expectRule(r, 'sigma.outside_limits', [[7]], [7]);
    // Included, the same point breaks the run.
    const included = cChart(values, 'anhoej');
    expectNoRule(included, 'anhoej.longest_run');
    expect(included.sigmaSignalPoints).toEqual([7]);
  });
});

describe('baselineLastPoint, partEnds, xmr and multiply', () => {
  it('baselineLastPoint freezes the centre line and limits on the first k points', () => {
    const values = [20, 22, 18, 20, 21, 19, 40, 45, 50, 20];
    const frozen = analyzeSpc({ chart: 'c', values, baselineLastPoint: 6 });
    for (const p of frozen.points) {
      expect(p.cl).toBe(20);
      expect(p.ucl).toBeCloseTo(20 + 3 * Math.sqrt(20), 12);
    }
    expect(frozen.parts[0]).toMatchObject({ nBaseline: 6, trialLimits: true, nUseful: 7 });
    expect(frozen.sigmaSignalPoints).toEqual([7, 8, 9]);
    const free = analyzeSpc({ chart: 'c', values });
    expect(free.parts[0]?.cl).toBe(27.5);
    expect(free.sigmaSignalPoints).toEqual([8, 9]);
  });

  it('baselineLastPoint only freezes the part that contains it', () => {
    const values = [9, 11, 10, 9, 11, 29, 31, 50, 50, 50];
    const r = analyzeSpc({ chart: 'c', values, partEnds: [5], baselineLastPoint: 7 });
    expect(r.parts.map((p) => [p.cl, p.nBaseline])).toEqual([
      [10, 5],
      [30, 2],
    ]);
  });

  it('partEnds give separate parts with their own lines and runs analysis', () => {
    const values = [9, 11, 10, 9, 11, 29, 31, 30, 29, 31];
    const r = analyzeSpc({ chart: 'c', values, partEnds: [5] });
    expect(r.parts.map((p) => [p.part, p.first, p.last, p.cl, p.nUseful])).toEqual([
      [1, 1, 5, 10, 4],
      [2, 6, 10, 30, 4],
    ]);
    expect(r.points.map((p) => p.part)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    expect(r.points[5]?.ucl).toBeCloseTo(30 + 3 * Math.sqrt(30), 12);
    expect(r.sigmaSignalPoints).toEqual([]);
    const together = analyzeSpc({ chart: 'c', values });
    expect(together.parts).toHaveLength(1);
    expect(together.parts[0]?.cl).toBe(20);
  });

  it('xmr returns the moving-range chart in `mr`, where only the limit rule applies', () => {
    const values = [10, 11, 10, 12, 11, 10, 11, 30, 11, 10, 12, 11];
    const r = analyzeSpc({ chart: 'xmr', values, ruleSet: 'weco' });
    expect(r.chart).toBe('xmr');
    expect(r.mr?.chart).toBe('mr');
    expect(r.mr?.points).toHaveLength(values.length);
    expect(r.mr?.points[0]?.y).toBeNull();
    expect(r.mr?.points[7]?.y).toBe(19);
    expect(r.mr?.sigmaSignalPoints).toEqual([8, 9]);
    expect(r.mr?.patterns.every((p) => p.rule === 'weco.1')).toBe(true);
    expect(r.mr?.parts[0]?.runsSignal).toBe(false);
    expect(r.mr?.parts[0]?.notEvaluable).toEqual([]);
  });

  it('multiply scales y, cl, lcl, ucl and sigma and leaves the signals unchanged', () => {
    const values = [5, 10, 8, 12, 7, 30, 9, 6, 11, 8];
    const denominators = values.map(() => 100);
    const one = analyzeSpc({ chart: 'p', values, denominators });
    const hundred = analyzeSpc({ chart: 'p', values, denominators, multiply: 100 });
    expect(hundred.engine.multiply).toBe(100);
    one.points.forEach((p, i) => {
      const q = hundred.points[i];
      for (const key of ['y', 'cl', 'lcl', 'ucl', 'sigma'] as const) {
        expect(q?.[key]).toBeCloseTo(100 * (p[key] as number), 10);
      }
      expect(q?.signals.map((s) => s.rule)).toEqual(p.signals.map((s) => s.rule));
    });
    expect(hundred.sigmaSignalPoints).toEqual(one.sigmaSignalPoints);
    expect(hundred.sigmaSignalPoints).toEqual([6]);
  });
});

describe('rule coverage', () => {
  afterAll(() => {
    // Every rule id has at least one test above in which it fires.
    const missing = RULE_IDS.filter((rule) => !covered.has(rule));
    expect(missing).toEqual([]);
  });

  it('lists each rule once', () => {
    expect(new Set(RULE_IDS).size).toBe(RULE_IDS.length);
  });
});
