/**
 * The small statistics behind the runs rules, each checked against a second implementation
 * written differently (plain double-precision loops or a dynamic programme instead of the
 * engine's closed forms in exact integers) and against printed table values.
 */
import { describe, expect, it } from 'vitest';
import { binomialHalfQuantile05, longestRunLimit, mean, median, runsLimits } from './stats.ts';

/** qbinom(0.05, trials, 0.5) by summing the probability mass function in doubles. */
function qbinom05(trials: number): number {
  let pmf = 0.5 ** trials; // P(X = 0)
  let cdf = 0;
  for (let x = 0; x <= trials; x += 1) {
    cdf += pmf;
    if (cdf >= 0.05) return x;
    pmf = (pmf * (trials - x)) / (x + 1);
  }
  return trials;
}

/**
 * round(log2(n) + 3) with integers only: round(log2 n) = k exactly when
 * 2^(2k−1) ≤ n² < 2^(2k+1) (log2 n is never exactly k + ½ for an integer n).
 */
function longestRunLimitByIntegers(n: number): number {
  let k = 0;
  while (n * n >= 2 ** (2 * k + 1)) k += 1;
  return k + 3;
}

/**
 * Distribution of the number of runs R in every arrangement of n1 symbols of one kind and n2 of
 * the other, by a dynamic programme over the arrangement (no closed formula): ways[a][b][s][r] is
 * the number of sequences with a of the first kind, b of the second, last symbol s and r runs.
 */
function runsDistribution(n1: number, n2: number): number[] {
  const n = n1 + n2;
  const size = n + 2;
  const index = (a: number, b: number, s: number) => ((a * (n2 + 1) + b) * 2 + s) * size;
  const ways = new Float64Array((n1 + 1) * (n2 + 1) * 2 * size);
  if (n1 > 0) ways[index(1, 0, 0) + 1] = 1;
  if (n2 > 0) ways[index(0, 1, 1) + 1] = 1;
  for (let a = 0; a <= n1; a += 1) {
    for (let b = 0; b <= n2; b += 1) {
      for (let s = 0; s < 2; s += 1) {
        const from = index(a, b, s);
        for (let r = 1; r <= a + b; r += 1) {
          const w = ways[from + r] as number;
          if (w === 0) continue;
          // Append a symbol of the first kind (s = 0) or of the second (s = 1).
          if (a < n1) {
            const to = index(a + 1, b, 0) + (s === 0 ? r : r + 1);
            ways[to] = (ways[to] as number) + w;
          }
          if (b < n2) {
            const to = index(a, b + 1, 1) + (s === 1 ? r : r + 1);
            ways[to] = (ways[to] as number) + w;
          }
        }
      }
    }
  }
  const counts: number[] = new Array(size).fill(0);
  let total = 0;
  for (let s = 0; s < 2; s += 1) {
    for (let r = 0; r < size; r += 1) {
      const w = ways[index(n1, n2, s) + r] as number;
      counts[r] = (counts[r] as number) + w;
      total += w;
    }
  }
  return counts.map((c) => c / total);
}

/** Swed–Eisenhart limits, 2.5 % in each tail, n1 = ⌊n/2⌋ (the engine's documented convention). */
function swedEisenhart(n: number): { lower: number; upper: number } {
  const p = runsDistribution(Math.floor(n / 2), n - Math.floor(n / 2));
  // lower: the smallest r with P(R ≤ r) > 0.025 (fewer runs than this is a signal).
  let cdf = 0;
  let lower = 0;
  for (let r = 0; r < p.length; r += 1) {
    cdf += p[r] as number;
    if (cdf > 0.025) {
      lower = r;
      break;
    }
  }
  // upper: the largest r with P(R ≥ r) > 0.025 (more runs than this is a signal).
  let tail = 0;
  let upper = 0;
  for (let r = p.length - 1; r >= 0; r -= 1) {
    tail += p[r] as number;
    if (tail > 0.025) {
      upper = r;
      break;
    }
  }
  return { lower, upper };
}

describe('binomialHalfQuantile05', () => {
  it('agrees with a double-precision binomial CDF loop for 0 to 300 trials', () => {
    for (let trials = 0; trials <= 300; trials += 1) {
      expect(binomialHalfQuantile05(trials), `trials = ${trials}`).toBe(qbinom05(trials));
    }
  });

  it("matches Anhøj's crossings table (qbinom(0.05, n − 1, 0.5))", () => {
    // n useful points → minimum number of crossings (Anhøj & Olesen 2014, table 1; qicharts2).
    const table: [number, number][] = [
      [10, 2],
      [11, 2],
      [12, 3],
      [20, 6],
      [24, 8],
      [30, 10],
      [50, 19],
      [100, 41],
    ];
    for (const [n, crossings] of table) expect(binomialHalfQuantile05(n - 1)).toBe(crossings);
  });

  it('is at least the probability bound it promises (P(X ≤ x) ≥ 0.05 > P(X ≤ x − 1))', () => {
    for (const trials of [1, 9, 23, 57, 99]) {
      const x = binomialHalfQuantile05(trials);
      let pmf = 0.5 ** trials;
      let below = 0;
      for (let k = 0; k < x; k += 1) {
        below += pmf;
        pmf = (pmf * (trials - k)) / (k + 1);
      }
      expect(below).toBeLessThan(0.05);
      expect(below + pmf).toBeGreaterThanOrEqual(0.05);
    }
  });
});

describe('longestRunLimit', () => {
  it('is round(log2(n) + 3), checked with integer arithmetic for n = 1 to 10 000', () => {
    for (let n = 1; n <= 10_000; n += 1) {
      expect(longestRunLimit(n), `n = ${n}`).toBe(longestRunLimitByIntegers(n));
      expect(longestRunLimit(n)).toBe(Math.round(Math.log2(n) + 3));
    }
  });

  it("matches Anhøj's longest-run table at its steps", () => {
    // Anhøj & Olesen (2014) table 1 / qicharts2: the limit steps up at n = 12, 23, 46 and 91.
    const table: [number, number][] = [
      [10, 6],
      [11, 6],
      [12, 7],
      [20, 7],
      [22, 7],
      [23, 8],
      [24, 8],
      [30, 8],
      [45, 8],
      [46, 9],
      [50, 9],
      [90, 9],
      [91, 10],
      [100, 10],
    ];
    for (const [n, limit] of table) expect(longestRunLimit(n), `n = ${n}`).toBe(limit);
  });
});

describe('runsLimits (Swed–Eisenhart, 2.5 % per tail, n1 = ⌊n/2⌋)', () => {
  it('agrees with an independent dynamic-programme distribution for n = 10 to 100', () => {
    for (let n = 10; n <= 100; n += 1) {
      expect(runsLimits(n), `n = ${n}`).toEqual(swedEisenhart(n));
    }
  });

  it('has the documented spot values', () => {
    expect(runsLimits(10)).toEqual({ lower: 3, upper: 9 });
    expect(runsLimits(16)).toEqual({ lower: 5, upper: 13 });
    expect(runsLimits(20)).toEqual({ lower: 7, upper: 15 });
  });

  it('keeps each tail at or below 2.5 % and each limit as tight as that allows', () => {
    for (const n of [10, 11, 16, 20, 25, 37, 60, 100]) {
      const p = runsDistribution(Math.floor(n / 2), n - Math.floor(n / 2));
      const { lower, upper } = runsLimits(n);
      let below = 0;
      for (let r = 0; r < lower; r += 1) below += p[r] as number;
      let above = 0;
      for (let r = upper + 1; r < p.length; r += 1) above += p[r] as number;
      expect(below).toBeLessThanOrEqual(0.025);
      expect(below + (p[lower] as number)).toBeGreaterThan(0.025);
      expect(above).toBeLessThanOrEqual(0.025);
      expect(above + (p[upper] as number)).toBeGreaterThan(0.025);
    }
  });

  it('gives a distribution that sums to 1 and matches the textbook mean 1 + 2·n1·n2/n', () => {
    for (const [n1, n2] of [
      [5, 5],
      [5, 6],
      [10, 10],
      [50, 50],
    ] as const) {
      const p = runsDistribution(n1, n2);
      let total = 0;
      let expected = 0;
      p.forEach((q, r) => {
        total += q;
        expected += q * r;
      });
      expect(total).toBeCloseTo(1, 12);
      expect(expected).toBeCloseTo(1 + (2 * n1 * n2) / (n1 + n2), 10);
    }
  });
});

describe('mean and median', () => {
  it('skip missing values and return NaN when nothing is left', () => {
    expect(mean([1, null, 2, 6])).toBe(3);
    expect(mean([null, null])).toBeNaN();
    expect(mean([])).toBeNaN();
    expect(median([])).toBeNaN();
    expect(median([null])).toBeNaN();
  });

  it('take the middle value, or the mean of the two middle values, as R does', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7, null, 1])).toBe(4);
    expect(median([-2, -2, 10])).toBe(-2);
  });
});
