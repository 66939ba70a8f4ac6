/**
 * Small exact statistics the SPC engine needs: mean, median, the binomial quantile of the Anhøj
 * crossings rule and the Swed–Eisenhart runs limits. Exact integer arithmetic (BigInt) where a
 * floating-point rounding could move a critical value; results are cached per n.
 */

/** Arithmetic mean of the finite values; NaN when there are none. */
export function mean(values: readonly (number | null)[]): number {
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    sum += v;
    count += 1;
  }
  return count === 0 ? Number.NaN : sum / count;
}

/** Median (mean of the two middle values for an even count), as R's `median`; NaN when empty. */
export function median(values: readonly (number | null)[]): number {
  const sorted = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (sorted.length === 0) return Number.NaN;
  sorted.sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const binomialQuantileCache = new Map<number, number>();

/**
 * The 5th percentile of Binomial(trials, 0.5): the smallest x with P(X ≤ x) ≥ 0.05, as R's
 * `qbinom(0.05, trials, 0.5)` (Anhøj & Olesen 2014; Chen 2010). Computed exactly:
 * P(X ≤ x) ≥ 0.05  ⇔  20 · Σ_{k≤x} C(trials, k) ≥ 2^trials.
 * Example: trials = 23 (24 useful points) → 8.
 */
export function binomialHalfQuantile05(trials: number): number {
  const cached = binomialQuantileCache.get(trials);
  if (cached !== undefined) return cached;
  const total = 1n << BigInt(trials);
  let coefficient = 1n;
  let cumulative = 0n;
  let x = 0;
  for (; x <= trials; x += 1) {
    cumulative += coefficient;
    if (20n * cumulative >= total) break;
    coefficient = (coefficient * BigInt(trials - x)) / BigInt(x + 1);
  }
  binomialQuantileCache.set(trials, x);
  return x;
}

/** Anhøj's upper limit for the longest run: round(log2(n) + 3) (Schilling 2012; qicharts2). */
export function longestRunLimit(nUseful: number): number {
  return Math.round(Math.log2(nUseful)) + 3;
}

export interface RunsLimits {
  /** Fewer runs than this is a signal. */
  lower: number;
  /** More runs than this is a signal. */
  upper: number;
}

const runsLimitsCache = new Map<number, RunsLimits>();

function binomial(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let result = 1n;
  for (let i = 0; i < k; i += 1) result = (result * BigInt(n - i)) / BigInt(i + 1);
  return result;
}

/**
 * Limits for the number of runs about the median (Swed & Eisenhart 1943), as the run-chart
 * table of Provost & Murray (2011) uses them: n useful points split as evenly as possible
 * (n1 = ⌊n/2⌋ above, n2 = ⌈n/2⌉ below), a 2.5 % risk in each tail. `lower` is the largest r
 * with P(R < r) ≤ 0.025 and `upper` the smallest r with P(R > r) ≤ 0.025, from the exact
 * distribution of the number of runs R:
 *   P(R = 2k)   = 2·C(n1−1, k−1)·C(n2−1, k−1) / C(n, n1)
 *   P(R = 2k+1) = [C(n1−1, k−1)·C(n2−1, k) + C(n1−1, k)·C(n2−1, k−1)] / C(n, n1).
 * Example: n = 20 → lower 7, upper 15 (7 to 15 runs expected from random variation).
 */
export function runsLimits(nUseful: number): RunsLimits {
  const cached = runsLimitsCache.get(nUseful);
  if (cached) return cached;
  const n1 = Math.floor(nUseful / 2);
  const n2 = nUseful - n1;
  const total = binomial(nUseful, n1);
  const ways = (r: number): bigint => {
    if (r % 2 === 0) {
      const k = r / 2;
      return 2n * binomial(n1 - 1, k - 1) * binomial(n2 - 1, k - 1);
    }
    const k = (r - 1) / 2;
    return (
      binomial(n1 - 1, k - 1) * binomial(n2 - 1, k) + binomial(n1 - 1, k) * binomial(n2 - 1, k - 1)
    );
  };
  // P(tail) ≤ 0.025  ⇔  40 · ways(tail) ≤ total
  let lower = 2;
  let tail = 0n;
  for (let r = 2; r <= nUseful; r += 1) {
    const next = tail + ways(r);
    if (40n * next > total) break;
    tail = next;
    lower = r + 1;
  }
  let upper = nUseful;
  tail = 0n;
  for (let r = nUseful; r >= 2; r -= 1) {
    const next = tail + ways(r);
    if (40n * next > total) break;
    tail = next;
    upper = r - 1;
  }
  const limits = { lower, upper };
  runsLimitsCache.set(nUseful, limits);
  return limits;
}
