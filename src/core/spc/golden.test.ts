/**
 * Golden tests: published worked examples reproduced to full precision. Every expected number
 * is computed a second time inside this file by a plain, loop-by-loop implementation of the
 * textbook formula, and, where the source prints rounded numbers, also checked against those
 * printed numbers to the printed precision.
 *
 * Sources
 * - Montgomery, Introduction to Statistical Quality Control (ISQC): orange-juice p chart
 *   (Example 7.1, 30 samples of 50 cans), printed-circuit-board c chart (Example 7.3, 26 samples),
 *   dyed-cloth u chart (10 rolls, variable inspection units). The data are those of the R package
 *   qcc (`orangejuice`, `circuit`, `dyedcloth`), which cites Montgomery.
 * - Montgomery & Runger, Applied Statistics and Probability for Engineers, Example 16-2 (20
 *   concentration readings, an individuals chart). Used for the I/MR example because the ISQC
 *   mortgage-loan data could not be found through the search tools.
 * - NIST/SEMATECH e-Handbook of Statistical Methods §6.3.2.2 (flow-rate individuals chart).
 * - NHSRplotthedots tests/testthat/_snaps/ptd_spc_standard.md and ptd_spc.md (set.seed(123);
 *   rnorm(20)), tests/testthat/test-ptd_spc_standard.R and test-ptd_calculate_point_type.R.
 * - Anhøj & Olesen (2014), table 1 / qicharts2 runs.analysis: run-chart critical values.
 * - Laney (2002): no printed example was found; σz is recomputed here for an invented dataset.
 * - qicharts2 vignette: its examples use simulated data or print no numbers, so none is used.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSpc } from './analyze.ts';
import type { SpcResponse } from './types.ts';

// ───────────────────────── independent textbook implementations ─────────────────────────

const D2 = 1.128;
const D4 = 3.267;

function sumOf(xs: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < xs.length; i += 1) s += xs[i] as number;
  return s;
}

function averageOf(xs: readonly number[]): number {
  return sumOf(xs) / xs.length;
}

interface Lines {
  cl: number;
  sigma: number;
  lcl: number;
  ucl: number;
}

/** Montgomery (7.7)–(7.8): p̄ = Σd/Σn over the kept samples; limits p̄ ± 3√(p̄(1−p̄)/n_i) in [0, 1]. */
function textbookP(d: readonly number[], n: readonly number[], drop: number[] = []): Lines[] {
  let defectives = 0;
  let inspected = 0;
  for (let i = 0; i < d.length; i += 1) {
    if (drop.includes(i + 1)) continue;
    defectives += d[i] as number;
    inspected += n[i] as number;
  }
  const p = defectives / inspected;
  return n.map((ni) => {
    const sigma = Math.sqrt((p * (1 - p)) / ni);
    return { cl: p, sigma, lcl: Math.max(0, p - 3 * sigma), ucl: Math.min(1, p + 3 * sigma) };
  });
}

/** Montgomery (7.17): c̄ ± 3√c̄, LCL truncated at 0. */
function textbookC(c: readonly number[], drop: number[] = []): Lines {
  const kept: number[] = [];
  for (let i = 0; i < c.length; i += 1) if (!drop.includes(i + 1)) kept.push(c[i] as number);
  const cl = averageOf(kept);
  const sigma = Math.sqrt(cl);
  return { cl, sigma, lcl: Math.max(0, cl - 3 * sigma), ucl: cl + 3 * sigma };
}

/** Montgomery (7.19): ū = Σc/Σn; limits ū ± 3√(ū/n_i), LCL truncated at 0. */
function textbookU(c: readonly number[], n: readonly number[]): Lines[] {
  const u = sumOf(c) / sumOf(n);
  return n.map((ni) => {
    const sigma = Math.sqrt(u / ni);
    return { cl: u, sigma, lcl: Math.max(0, u - 3 * sigma), ucl: u + 3 * sigma };
  });
}

/**
 * Individuals chart (Montgomery 6.33): x̄ ± 3·MR̄/d2 with MR_i = |x_i − x_{i−1}|; with screening
 * (Nelson 1982) moving ranges ≥ 3.267·MR̄ are dropped once and MR̄ recomputed.
 */
function textbookI(x: readonly number[], screen: boolean): Lines & { mrBar: number } {
  const cl = averageOf(x);
  const ranges: number[] = [];
  for (let i = 1; i < x.length; i += 1)
    ranges.push(Math.abs((x[i] as number) - (x[i - 1] as number)));
  let mrBar = averageOf(ranges);
  if (screen) {
    const kept: number[] = [];
    for (const r of ranges) if (r < D4 * mrBar) kept.push(r);
    mrBar = averageOf(kept);
  }
  const sigma = mrBar / D2;
  return { cl, sigma, mrBar, lcl: cl - 3 * sigma, ucl: cl + 3 * sigma };
}

/** qbinom(0.05, trials, 0.5) by accumulating the binomial probabilities in doubles. */
function qbinom05(trials: number): number {
  let pmf = 0.5 ** trials;
  let cdf = 0;
  for (let x = 0; x <= trials; x += 1) {
    cdf += pmf;
    if (cdf >= 0.05) return x;
    pmf = (pmf * (trials - x)) / (x + 1);
  }
  return trials;
}

/** |actual − printed| within the given tolerance (for printed numbers rounded by the book). */
function expectPrinted(actual: number | null | undefined, printed: number, tolerance: number) {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - printed)).toBeLessThanOrEqual(tolerance);
}

function expectLines(r: SpcResponse, expected: Lines[], digits = 12) {
  expect(r.points).toHaveLength(expected.length);
  r.points.forEach((p, i) => {
    const e = expected[i] as Lines;
    expect(p.cl).toBeCloseTo(e.cl, digits);
    expect(p.sigma).toBeCloseTo(e.sigma, digits);
    expect(p.lcl).toBeCloseTo(e.lcl, digits);
    expect(p.ucl).toBeCloseTo(e.ucl, digits);
  });
}

// ─────────────────────────────────────── data ───────────────────────────────────────

/** Montgomery ISQC Example 7.1 (qcc `orangejuice`, samples 1–30): nonconforming cans per 50. */
const ORANGE_JUICE = [
  12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7,
  13, 9, 6,
];

/** Montgomery ISQC Example 7.3 (qcc `circuit`, samples 1–26): nonconformities per 100 boards. */
const CIRCUIT_BOARDS = [
  21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39, 30, 24, 16, 19, 17,
  15,
];

/** Montgomery ISQC dyed cloth (qcc `dyedcloth`): nonconformities and inspection units per roll. */
const DYED_CLOTH = {
  nonconformities: [14, 12, 20, 11, 7, 10, 21, 16, 19, 23],
  units: [10, 8, 13, 10, 9.5, 10, 12, 10.5, 12, 12.5],
};

/** NIST/SEMATECH e-Handbook §6.3.2.2: flow rate of the first 10 batches. */
const NIST_FLOWRATE = [49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1];

/** Montgomery & Runger, Example 16-2 (Table 16-3): hourly concentration readings. */
const CONCENTRATION = [
  102.0, 94.8, 98.3, 98.4, 102.0, 98.5, 99.0, 97.7, 100.0, 98.1, 101.3, 98.7, 101.1, 98.4, 97.0,
  96.7, 100.3, 101.4, 97.2, 101.0,
];

/** R: set.seed(123); rnorm(20), as printed to 8 decimals. */
const RNORM_20 = [
  -0.56047565, -0.23017749, 1.5587083, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
  -0.68685285, -0.44566197, 1.2240818, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
  0.49785048, -1.96661716, 0.7013559, -0.47279141,
];

// ───────────────────────────────────── p chart ─────────────────────────────────────

describe('Montgomery, orange-juice cans: p chart (Example 7.1)', () => {
  const n = ORANGE_JUICE.map(() => 50);
  const trial = analyzeSpc({ chart: 'p', values: ORANGE_JUICE, denominators: n });

  it('reproduces the trial limits to full precision', () => {
    expectLines(trial, textbookP(ORANGE_JUICE, n));
    // 347 nonconforming cans in 1,500.
    expect(trial.parts[0]?.cl).toBeCloseTo(347 / 1500, 15);
  });

  it('matches the printed p̄ = 0.2313, UCL = 0.4102, LCL = 0.0524', () => {
    expect(trial.parts[0]?.cl).toBeCloseTo(0.2313, 4);
    expect(trial.parts[0]?.ucl).toBeCloseTo(0.4102, 4);
    expect(trial.parts[0]?.lcl).toBeCloseTo(0.0524, 4);
  });

  it('finds samples 15 and 23 out of control, as the book does', () => {
    expect(trial.sigmaSignalPoints).toEqual([15, 23]);
    expect(trial.points[14]?.signals.map((s) => s.rule)).toContain('sigma.outside_limits');
  });

  it('reproduces the revised limits with samples 15 and 23 excluded (p̄ = 0.2150, UCL = 0.3893, LCL = 0.0407)', () => {
    const revised = analyzeSpc({
      chart: 'p',
      values: ORANGE_JUICE,
      denominators: n,
      excludePoints: [15, 23],
    });
    expectLines(revised, textbookP(ORANGE_JUICE, n, [15, 23]));
    expect(revised.parts[0]?.cl).toBeCloseTo(301 / 1400, 15);
    expect(revised.parts[0]?.cl).toBeCloseTo(0.215, 4);
    expect(revised.parts[0]?.ucl).toBeCloseTo(0.3893, 4);
    expect(revised.parts[0]?.lcl).toBeCloseTo(0.0407, 4);
    expect(revised.parts[0]?.nBaseline).toBe(28);
    // The excluded samples are still tested against the limits; sample 21 (p = 0.40) now lies
    // above the revised UCL, as Montgomery notes.
    expect(revised.sigmaSignalPoints).toEqual([15, 21, 23]);
  });

  it('reports the same chart in percent with multiply = 100', () => {
    const percent = analyzeSpc({
      chart: 'p',
      values: ORANGE_JUICE,
      denominators: n,
      multiply: 100,
    });
    expect(percent.parts[0]?.cl).toBeCloseTo(23.1333333333, 8);
    expect(percent.parts[0]?.ucl).toBeCloseTo(41.02, 2);
    expect(percent.points[14]?.y).toBeCloseTo(44, 12);
  });
});

// ───────────────────────────────────── c chart ─────────────────────────────────────

describe('Montgomery, printed-circuit boards: c chart (Example 7.3)', () => {
  const trial = analyzeSpc({ chart: 'c', values: CIRCUIT_BOARDS });

  it('reproduces c̄ = 516/26 and its limits to full precision', () => {
    const expected = textbookC(CIRCUIT_BOARDS);
    expectLines(
      trial,
      CIRCUIT_BOARDS.map(() => expected),
    );
    expect(trial.parts[0]?.cl).toBeCloseTo(516 / 26, 14);
  });

  it('matches the printed c̄ = 19.85, UCL = 33.22, LCL = 6.48', () => {
    expect(trial.parts[0]?.cl).toBeCloseTo(19.85, 2);
    // The book computes its limits from c̄ rounded to 19.85 (19.85 + 3√19.85 = 33.22); from the
    // unrounded c̄ the UCL is 33.2109, so the printed value is matched to within 0.01.
    expectPrinted(trial.parts[0]?.ucl, 33.22, 0.01);
    expectPrinted(trial.parts[0]?.lcl, 6.48, 0.005);
    expect(19.85 + 3 * Math.sqrt(19.85)).toBeCloseTo(33.22, 2);
  });

  it('flags samples 6 and 20, as the book does', () => {
    expect(trial.sigmaSignalPoints).toEqual([6, 20]);
  });

  it('reproduces the revised chart without samples 6 and 20 (c̄ = 19.67, UCL = 32.97, LCL = 6.36)', () => {
    const revised = analyzeSpc({ chart: 'c', values: CIRCUIT_BOARDS, excludePoints: [6, 20] });
    const expected = textbookC(CIRCUIT_BOARDS, [6, 20]);
    expectLines(
      revised,
      CIRCUIT_BOARDS.map(() => expected),
    );
    expect(revised.parts[0]?.cl).toBeCloseTo(472 / 24, 14);
    expect(revised.parts[0]?.cl).toBeCloseTo(19.67, 2);
    expect(revised.parts[0]?.ucl).toBeCloseTo(32.97, 2);
    expect(revised.parts[0]?.lcl).toBeCloseTo(6.36, 2);
    expect(revised.sigmaSignalPoints).toEqual([6, 20]);
  });
});

// ───────────────────────────────────── u chart ─────────────────────────────────────

describe('Montgomery, dyed cloth: u chart with variable inspection units', () => {
  const { nonconformities, units } = DYED_CLOTH;
  const r = analyzeSpc({ chart: 'u', values: nonconformities, denominators: units });

  it('reproduces ū = 153/107.5 and the per-roll limits to full precision', () => {
    expectLines(r, textbookU(nonconformities, units));
    expect(r.parts[0]?.cl).toBeCloseTo(153 / 107.5, 15);
    r.points.forEach((p, i) => {
      expect(p.y).toBeCloseTo((nonconformities[i] as number) / (units[i] as number), 15);
    });
  });

  it('matches the printed ū = 1.42 and finds no roll out of control', () => {
    expect(r.parts[0]?.cl).toBeCloseTo(1.42, 2);
    expect(r.sigmaSignalPoints).toEqual([]);
    // The limits widen as the inspection units shrink: roll 2 (8 units) has the widest.
    const widths = r.points.map((p) => (p.ucl as number) - (p.lcl as number));
    expect(Math.max(...widths)).toBe(widths[1]);
  });
});

// ───────────────────────────────── individuals charts ─────────────────────────────────

describe('NIST e-Handbook §6.3.2.2, flow rate: individuals and moving-range charts', () => {
  for (const mrScreening of [false, true]) {
    it(`reproduces x̄ = 50.81, MR̄ = 1.8778, UCL = 55.8041, LCL = 45.8159 (mrScreening ${mrScreening})`, () => {
      const r = analyzeSpc({ chart: 'i', values: NIST_FLOWRATE, mrScreening });
      const e = textbookI(NIST_FLOWRATE, mrScreening);
      expectLines(
        r,
        NIST_FLOWRATE.map(() => e),
        10,
      );
      // No moving range reaches 3.267·MR̄, so screening changes nothing here.
      expect(e.mrBar).toBeCloseTo(16.9 / 9, 12);
      expect(r.parts[0]?.cl).toBeCloseTo(50.81, 2);
      expect(r.points[0]?.sigma).toBeCloseTo(1.8778 / 1.128, 4);
      expect(r.parts[0]?.ucl).toBeCloseTo(55.8041, 4);
      expect(r.parts[0]?.lcl).toBeCloseTo(45.8159, 4);
      expect(r.sigmaSignalPoints).toEqual([]);
    });
  }

  it('gives the moving-range chart: no value at point 1, CL = MR̄, LCL = 0, UCL = 3.267·MR̄', () => {
    const mr = analyzeSpc({ chart: 'mr', values: NIST_FLOWRATE });
    const mrBar = textbookI(NIST_FLOWRATE, false).mrBar;
    expect(mr.points[0]?.y).toBeNull();
    expect(mr.points[0]?.cl).toBeCloseTo(mrBar, 12);
    expect(mr.points[0]?.lcl).toBe(0);
    expect(mr.points[0]?.ucl).toBeCloseTo(D4 * mrBar, 12);
    expect(mr.parts[0]?.cl).toBeCloseTo(1.8778, 4);
    expect(mr.parts[0]?.ucl).toBeCloseTo(3.267 * 1.8778, 3);
    const ranges = [2.0, 2.3, 1.4, 3.5, 3.4, 1.4, 0.2, 1.2, 1.5];
    ranges.forEach((range, i) => {
      expect(mr.points[i + 1]?.y).toBeCloseTo(range, 12);
    });
    expect(mr.points.every((p) => p.sigma === null)).toBe(true);
    expect(mr.parts[0]?.runsSignal).toBe(false);
  });

  it('returns the same two charts from one xmr request', () => {
    const xmr = analyzeSpc({ chart: 'xmr', values: NIST_FLOWRATE });
    const i = analyzeSpc({ chart: 'i', values: NIST_FLOWRATE });
    const mr = analyzeSpc({ chart: 'mr', values: NIST_FLOWRATE });
    expect(xmr.chart).toBe('xmr');
    expect(xmr.points).toEqual(i.points);
    expect(xmr.parts).toEqual(i.parts);
    expect(xmr.mr?.chart).toBe('mr');
    expect(xmr.mr?.points).toEqual(mr.points);
    expect(xmr.mr?.parts).toEqual(mr.parts);
  });
});

describe('Montgomery & Runger Example 16-2, concentration: individuals chart', () => {
  it('reproduces x̄ = 99.1, MR̄ = 2.59, UCL = 105.99, LCL = 92.21 and the MR chart UCL = 8.46', () => {
    const r = analyzeSpc({ chart: 'xmr', values: CONCENTRATION, mrScreening: false });
    const e = textbookI(CONCENTRATION, false);
    expectLines(
      r,
      CONCENTRATION.map(() => e),
      10,
    );
    expect(e.mrBar).toBeCloseTo(49.2 / 19, 12);
    expect(r.parts[0]?.cl).toBeCloseTo(99.1, 1);
    // The book rounds x̄ to 99.1 and MR̄ to 2.59 before computing 99.1 + 3·2.59/1.128 = 105.99;
    // the unrounded UCL is 105.982, within 0.01 of the printed value.
    expectPrinted(r.parts[0]?.ucl, 105.99, 0.01);
    expectPrinted(r.parts[0]?.lcl, 92.21, 0.005);
    expect(r.mr?.parts[0]?.cl).toBeCloseTo(2.59, 2);
    expect(r.mr?.parts[0]?.ucl).toBeCloseTo(8.46, 2);
    expect(r.sigmaSignalPoints).toEqual([]);
    expect(r.mr?.sigmaSignalPoints).toEqual([]);
  });

  it('is unchanged by moving-range screening (no range reaches 3.267·MR̄)', () => {
    const screened = analyzeSpc({ chart: 'i', values: CONCENTRATION });
    expect(screened.engine.mrScreening).toBe(true);
    const e = textbookI(CONCENTRATION, true);
    expect(screened.parts[0]?.ucl).toBeCloseTo(e.ucl, 10);
    expect(e.ucl).toBeCloseTo(textbookI(CONCENTRATION, false).ucl, 12);
  });
});

// ─────────────────────────────── Making Data Count ───────────────────────────────

/** NHSRplotthedots ptd_spc_standard: mean ± 2.66·MR̄, MR screened when screen_outliers. */
function plotTheDots(y: readonly number[], screenOutliers: boolean) {
  const mean = averageOf(y);
  let mr: number[] = [];
  for (let i = 1; i < y.length; i += 1) mr.push(Math.abs((y[i] as number) - (y[i - 1] as number)));
  let amr = averageOf(mr);
  if (screenOutliers) {
    mr = mr.filter((r) => r < 3.267 * amr);
    amr = averageOf(mr);
  }
  return { mean, lpl: mean - 2.66 * amr, upl: mean + 2.66 * amr, amr };
}

describe('NHSRplotthedots, set.seed(123); rnorm(20)', () => {
  it('reproduces the snapshot mean 0.1416238, lpl −3.01138, upl 3.294627 (screen_outliers TRUE)', () => {
    const r = analyzeSpc({
      chart: 'i',
      values: RNORM_20,
      ruleSet: 'mdc',
      improvementDirection: 'increase',
    });
    expect(r.engine.limitConstant).toBe('2.66');
    const e = plotTheDots(RNORM_20, true);
    expect(r.parts[0]?.cl).toBeCloseTo(e.mean, 12);
    expect(r.parts[0]?.lcl).toBeCloseTo(e.lpl, 12);
    expect(r.parts[0]?.ucl).toBeCloseTo(e.upl, 12);
    expect(r.points[0]?.sigma).toBeCloseTo((2.66 / 3) * e.amr, 12);
    // Printed in the snapshots (mean_col 0.1416238, summary mean 0.141624).
    expect(r.parts[0]?.cl).toBeCloseTo(0.1416238, 7);
    expect(r.parts[0]?.lcl).toBeCloseTo(-3.01138, 5);
    expect(r.parts[0]?.ucl).toBeCloseTo(3.294627, 6);
  });

  it('classes all 20 points common cause, as the snapshot summary says', () => {
    const r = analyzeSpc({
      chart: 'i',
      values: RNORM_20,
      ruleSet: 'mdc',
      improvementDirection: 'increase',
    });
    expect(r.points.map((p) => p.mdcClass)).toEqual(RNORM_20.map(() => 'common_cause'));
    expect(r.patterns).toEqual([]);
    expect(r.parts[0]?.runsSignal).toBe(false);
  });

  it('reproduces the outlier snapshots: y[15] = 10, screened and unscreened', () => {
    const y = RNORM_20.slice();
    y[14] = 10;
    const screened = analyzeSpc({ chart: 'i', values: y, ruleSet: 'mdc' });
    const unscreened = analyzeSpc({ chart: 'i', values: y, ruleSet: 'mdc', mrScreening: false });
    const es = plotTheDots(y, true);
    const eu = plotTheDots(y, false);
    expect(screened.parts[0]?.lcl).toBeCloseTo(es.lpl, 12);
    expect(screened.parts[0]?.ucl).toBeCloseTo(es.upl, 12);
    expect(unscreened.parts[0]?.lcl).toBeCloseTo(eu.lpl, 12);
    expect(unscreened.parts[0]?.ucl).toBeCloseTo(eu.upl, 12);
    // Printed: mean_col 0.6694159; lpl −2.383666 / upl 3.722497 (r2), −4.596625 / 5.935457 (r3).
    expect(screened.parts[0]?.cl).toBeCloseTo(0.6694159, 7);
    expect(screened.parts[0]?.lcl).toBeCloseTo(-2.383666, 6);
    expect(screened.parts[0]?.ucl).toBeCloseTo(3.722497, 6);
    expect(unscreened.parts[0]?.lcl).toBeCloseTo(-4.596625, 6);
    expect(unscreened.parts[0]?.ucl).toBeCloseTo(5.935457, 6);
    expect(screened.sigmaSignalPoints).toEqual([15]);
  });

  it('only reports 2 of 3 close to the limits when all three are on one side (test-ptd_spc_standard.R)', () => {
    // rep(c(1, -1), times = 8) with points 15 and 16 set to 5.5 and −5.5.
    const y: number[] = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    y[14] = 5.5;
    y[15] = -5.5;
    const r = analyzeSpc({
      chart: 'i',
      values: y,
      ruleSet: 'mdc',
      improvementDirection: 'increase',
    });
    expect(r.points.slice(-2).map((p) => p.mdcClass)).toEqual(['common_cause', 'common_cause']);
    expect(r.patterns.filter((p) => p.rule === 'mdc.two_of_three')).toEqual([]);
    // Both points are close to a limit: beyond the 2σ line but inside the process limits.
    for (const p of r.points.slice(-2)) {
      const distance = Math.abs((p.y as number) - (p.cl as number));
      expect(distance).toBeGreaterThan(2 * (p.sigma as number));
      expect(distance).toBeLessThan((p.ucl as number) - (p.cl as number));
    }
  });

  it('flags trends and shifts where the helper tests of test-ptd_calculate_point_type.R do', () => {
    const signalsOf = (values: number[], rule: string) =>
      analyzeSpc({ chart: 'i', values, ruleSet: 'mdc' })
        .points.filter((p) => p.signals.some((s) => s.rule === rule))
        .map((p) => p.index);
    // ptd_seven_point_trend(c(2, 1:7, 3)) = c(0,0,0,0,0,0,0,1,0) and c(2, 7:1, 3) → −1 at 8.
    expect(signalsOf([2, 1, 2, 3, 4, 5, 6, 7, 3], 'mdc.trend')).toEqual([8]);
    expect(signalsOf([2, 7, 6, 5, 4, 3, 2, 1, 3], 'mdc.trend')).toEqual([8]);
    // ptd_seven_point_one_side_mean(c(rep(1, 8), -1)) = c(0,0,0,0,0,0,1,1,0).
    expect(signalsOf([1, 1, 1, 1, 1, 1, 1, 1, -1], 'mdc.shift')).toEqual([7, 8]);
  });
});

// ───────────────────────────────────── Laney ─────────────────────────────────────

/**
 * Laney (2002) p′ / u′ written out plainly: z_i = (y_i − CL)/σ_i, σz = MR̄(z)/1.128 (moving ranges
 * ≥ 3.267·MR̄ dropped once when screening), limits CL ± 3·σ_i·σz.
 */
function textbookLaney(
  x: readonly number[],
  n: readonly number[],
  proportion: boolean,
  screen: boolean,
): Lines[] & { sigmaZ?: number } {
  const cl = sumOf(x) / sumOf(n);
  const sigmas = n.map((ni) => Math.sqrt((proportion ? cl * (1 - cl) : cl) / ni));
  const z = x.map((xi, i) => (xi / (n[i] as number) - cl) / (sigmas[i] as number));
  const ranges: number[] = [];
  for (let i = 1; i < z.length; i += 1)
    ranges.push(Math.abs((z[i] as number) - (z[i - 1] as number)));
  let mrBar = averageOf(ranges);
  if (screen) mrBar = averageOf(ranges.filter((r) => r < D4 * mrBar));
  const sigmaZ = mrBar / D2;
  const lines: Lines[] & { sigmaZ?: number } = sigmas.map((s) => {
    const sigma = s * sigmaZ;
    let lcl = cl - 3 * sigma;
    let ucl = cl + 3 * sigma;
    if (lcl < 0) lcl = 0;
    if (proportion && ucl > 1) ucl = 1;
    return { cl, sigma, lcl, ucl };
  });
  lines.sigmaZ = sigmaZ;
  return lines;
}

describe('Laney p′ and u′ charts (σz recomputed independently)', () => {
  // Monthly events among 18,700–25,300 patients: the binomial limits are far too narrow.
  const events = [2410, 2198, 2730, 2045, 2590, 3105, 2250, 2480, 2620, 2300, 2875, 2150];
  const patients = [
    21500, 19800, 24100, 18700, 22900, 25300, 20100, 22000, 23500, 20900, 24800, 19500,
  ];

  for (const mrScreening of [true, false]) {
    it(`p′: limits = p̄ ± 3·√(p̄(1−p̄)/n_i)·σz (mrScreening ${mrScreening})`, () => {
      const r = analyzeSpc({ chart: 'pp', values: events, denominators: patients, mrScreening });
      const e = textbookLaney(events, patients, true, mrScreening);
      expectLines(r, e, 12);
      // Overdispersed data: σz well above 1, so p′ limits are wider than the p chart's.
      expect(e.sigmaZ).toBeGreaterThan(1.5);
      const p = analyzeSpc({ chart: 'p', values: events, denominators: patients });
      r.points.forEach((point, i) => {
        expect(point.sigma).toBeCloseTo((p.points[i]?.sigma as number) * (e.sigmaZ as number), 12);
      });
    });

    it(`u′: limits = ū ± 3·√(ū/n_i)·σz (mrScreening ${mrScreening})`, () => {
      const r = analyzeSpc({ chart: 'up', values: events, denominators: patients, mrScreening });
      expectLines(r, textbookLaney(events, patients, false, mrScreening), 12);
    });
  }

  it('screening drops the extreme moving ranges of z around an outlying month', () => {
    const withOutlier = events.map((e, i) => (i === 8 ? 4200 : e));
    const screened = textbookLaney(withOutlier, patients, true, true);
    const unscreened = textbookLaney(withOutlier, patients, true, false);
    expect(screened.sigmaZ as number).toBeLessThan((unscreened.sigmaZ as number) / 2);
    const request = { chart: 'pp', values: withOutlier, denominators: patients } as const;
    expectLines(analyzeSpc(request), screened, 12);
    expectLines(analyzeSpc({ ...request, mrScreening: false }), unscreened, 12);
  });

  it('truncates p′ limits at 0 and at 1', () => {
    const n = [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000];
    const rare = [1, 30, 2, 25, 0, 40, 3, 35, 1, 28];
    const common = rare.map((x) => 1000 - x);
    for (const x of [rare, common]) {
      const r = analyzeSpc({ chart: 'pp', values: x, denominators: n, mrScreening: false });
      expectLines(r, textbookLaney(x, n, true, false), 12);
    }
    const low = analyzeSpc({ chart: 'pp', values: rare, denominators: n });
    const high = analyzeSpc({ chart: 'pp', values: common, denominators: n });
    expect(low.points.every((p) => p.lcl === 0 && (p.ucl as number) < 1)).toBe(true);
    expect(high.points.every((p) => p.ucl === 1 && (p.lcl as number) > 0)).toBe(true);
  });
});

// ─────────────────────────────────── MR chart ───────────────────────────────────

describe('Moving-range chart conventions (qicharts2 qic.mr)', () => {
  it('never signals a run, however long', () => {
    // Ten ranges of 10 then ten ranges of 1: a run of 10 above the centre line.
    const values = [0, 10, 0, 10, 0, 10, 0, 10, 0, 10, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0];
    const r = analyzeSpc({ chart: 'mr', values });
    const part = r.parts[0];
    expect(part?.cl).toBeCloseTo(110 / 20, 12);
    expect(part?.ucl).toBeCloseTo(3.267 * 5.5, 12);
    expect(part?.longestRun).toBe(10);
    expect(part?.longestRun).toBeGreaterThan(part?.longestRunMax as number);
    expect(part?.runsSignal).toBe(false);
    expect(r.patterns).toEqual([]);
  });

  it('starts each part without a value but with its lines', () => {
    const values = [1, 3, 2, 4, 10, 14, 11, 13];
    const r = analyzeSpc({ chart: 'mr', values, partEnds: [4] });
    expect(r.points.map((p) => p.y)).toEqual([null, 2, 1, 2, null, 4, 3, 2]);
    expect(r.points[0]?.cl).toBeCloseTo(5 / 3, 12);
    expect(r.points[4]?.cl).toBeCloseTo(3, 12);
    expect(r.points[4]?.ucl).toBeCloseTo(3.267 * 3, 12);
    expect(r.points[4]?.lcl).toBe(0);
  });
});

describe('qicharts2 conventions on the moving ranges and the attribute limits', () => {
  it('a missing value breaks the moving ranges next to it (R NA semantics, not bridged)', () => {
    const values = [10, 12, null, 11, 15, 13];
    const r = analyzeSpc({ chart: 'xmr', values, mrScreening: false });
    // Moving ranges |12 − 10| = 2, |15 − 11| = 4, |13 − 15| = 2; none across the gap.
    expect(r.points[0]?.cl).toBeCloseTo(61 / 5, 12);
    expect(r.points[0]?.sigma).toBeCloseTo(8 / 3 / D2, 12);
    expect(r.points[2]?.y).toBeNull();
    expect(r.mr?.points.map((p) => p.y)).toEqual([null, 2, null, null, 4, 2]);
    expect(r.mr?.parts[0]?.cl).toBeCloseTo(8 / 3, 12);
  });

  it('an excluded point is bridged on the I chart (its neighbours form one moving range)', () => {
    const values = [10, 12, 50, 11, 15, 13];
    const r = analyzeSpc({ chart: 'i', values, excludePoints: [3], mrScreening: false });
    // Over 10, 12, 11, 15, 13: ranges 2, 1, 4, 2.
    expect(r.points[0]?.cl).toBeCloseTo(61 / 5, 12);
    expect(r.points[0]?.sigma).toBeCloseTo(9 / 4 / D2, 12);
    expect(r.sigmaSignalPoints).toEqual([3]);
  });

  it('the MR chart centre line is the unscreened MR̄ while the I chart of the same xmr is screened', () => {
    const y = RNORM_20.slice();
    y[14] = 10;
    const r = analyzeSpc({ chart: 'xmr', values: y });
    const screened = textbookI(y, true);
    const unscreened = textbookI(y, false);
    expect(screened.mrBar).toBeLessThan(unscreened.mrBar);
    expect(r.points[0]?.sigma).toBeCloseTo(screened.sigma, 12);
    expect(r.mr?.parts[0]?.cl).toBeCloseTo(unscreened.mrBar, 12);
    expect(r.mr?.parts[0]?.ucl).toBeCloseTo(D4 * unscreened.mrBar, 12);
    expect(r.mr?.sigmaSignalPoints).toEqual([15, 16]);
  });

  it('truncates c and u chart lower limits at 0', () => {
    const counts = [1, 0, 2, 1, 3, 0, 1, 2];
    const c = analyzeSpc({ chart: 'c', values: counts });
    const e = textbookC(counts);
    expect(e.cl - 3 * e.sigma).toBeLessThan(0);
    expectLines(
      c,
      counts.map(() => e),
    );
    expect(c.points.every((p) => p.lcl === 0)).toBe(true);
    const exposure = [2, 1, 3, 2, 4, 1, 2, 3];
    const u = analyzeSpc({ chart: 'u', values: counts, denominators: exposure });
    expectLines(u, textbookU(counts, exposure));
    expect(u.points.every((p) => p.lcl === 0)).toBe(true);
  });
});

// ─────────────────────────────── Anhøj runs analysis ───────────────────────────────

describe('Anhøj runs analysis: critical values for n = 10 to 100 useful points', () => {
  // A series alternating about its mean: every point is useful (none lies on the centre line).
  const alternating = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -1));

  it('longestRunMax = round(log2(n) + 3) and crossingsMin = qbinom(0.05, n − 1, 0.5)', () => {
    for (let n = 10; n <= 100; n += 1) {
      const part = analyzeSpc({ chart: 'i', values: alternating(n) }).parts[0];
      expect(part?.nUseful).toBe(n);
      expect(part?.longestRunMax, `n = ${n}`).toBe(Math.round(Math.log(n) / Math.LN2 + 3));
      expect(part?.crossingsMin, `n = ${n}`).toBe(qbinom05(n - 1));
      expect(part?.crossings).toBe(n - 1);
      expect(part?.longestRun).toBe(1);
    }
  });

  it("matches Anhøj's table: n = 10: 6/2, 20: 7/6, 24: 8/8, 30: 8/10, 50: 9/19, 100: 10/41", () => {
    const table: [number, number, number][] = [
      [10, 6, 2],
      [20, 7, 6],
      [24, 8, 8],
      [30, 8, 10],
      [50, 9, 19],
      [100, 10, 41],
    ];
    for (const [n, longest, crossings] of table) {
      const part = analyzeSpc({ chart: 'run', values: alternating(n) }).parts[0];
      expect(part?.nUseful).toBe(n);
      expect([part?.longestRunMax, part?.crossingsMin], `n = ${n}`).toEqual([longest, crossings]);
    }
  });
});
