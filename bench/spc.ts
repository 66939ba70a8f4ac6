/**
 * SPC engine throughput: 10,000 charts of 36 points with all the rules of a rule set, timed for
 * each of the four sets (anhoej, ihi, weco, mdc) in one process. Target ≤ 1 s per 10,000 charts. The ratio is against a naive baseline kept here: a direct
 * implementation that, like a spreadsheet, re-evaluates every rule for every point by slicing
 * the series again (O(n²) per rule) and recomputes the binomial quantile from scratch.
 *
 * Run alone with `npx tsx bench/spc.ts`; `npm run bench` includes it.
 */
import { analyzeSpc, type RuleSet } from '../src/core/spc/index.ts';
import { createRng } from '../src/core/random/prng.ts';

const CHARTS = 10_000;
const POINTS = 36;
const RULE_SETS: RuleSet[] = ['anhoej', 'ihi', 'weco', 'mdc'];

function makeSeries(count: number): number[][] {
  const rng = createRng(20261123);
  const random = () => rng.next();
  return Array.from({ length: count }, (_, c) => {
    const shiftAt = c % 3 === 0 ? 20 : POINTS + 1;
    return Array.from({ length: POINTS }, (_, i) => {
      // Sum of uniforms ≈ normal; a shift of 2 in a third of the charts so that rules fire.
      const noise = random() + random() + random() + random() - 2;
      return 50 + noise * 3 + (i >= shiftAt ? 2 : 0);
    });
  });
}

/** The naive baseline: I-chart limits plus every rule recomputed per point from slices. */
function naiveAnalysis(values: number[]): number {
  let signals = 0;
  const cl = values.reduce((a, b) => a + b, 0) / values.length;
  const ranges = values.slice(1).map((v, i) => Math.abs(v - (values[i] as number)));
  const sigma = ranges.reduce((a, b) => a + b, 0) / ranges.length / 1.128;
  const side = (v: number) => Math.sign(v - cl);
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  for (let i = 0; i < values.length; i += 1) {
    const upTo = values.slice(0, i + 1);
    const y = values[i] as number;
    if (Math.abs(y - cl) > 3 * sigma) signals += 1;
    for (const [size, need, k] of [
      [3, 2, 2],
      [5, 4, 1],
    ] as const) {
      const window = upTo.slice(-size);
      for (const s of [1, -1]) {
        if (
          window.length === size &&
          window.filter((v) => side(v) === s && Math.abs(v - cl) > k * sigma).length >= need
        )
          signals += 1;
      }
    }
    for (const length of [6, 7, 8, 15]) {
      const window = upTo.slice(-length);
      if (window.length === length && window.every((v) => side(v) === side(y) && side(y) !== 0))
        signals += 1;
      const steps = window.slice(1).map((v, j) => Math.sign(v - (window[j] as number)));
      if (window.length === length && steps.every((s) => s === steps[0] && s !== 0)) signals += 1;
    }
    // Crossings minimum from the binomial distribution, recomputed per point (float factorials).
    const n = upTo.length - 1;
    let cumulative = 0;
    let x = 0;
    for (; x <= n; x += 1) {
      cumulative += factorial(n) / (factorial(x) * factorial(n - x)) / 2 ** n;
      if (cumulative >= 0.05) break;
    }
    signals += x;
  }
  return signals;
}

function time(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

export function spcBenchmarks(): string[] {
  const series = makeSeries(CHARTS);
  // Warm up the JIT on a slice, as a long-running server would be.
  for (const values of series.slice(0, 500)) {
    for (const ruleSet of RULE_SETS) analyzeSpc({ chart: 'i', values, ruleSet });
  }
  let sink = 0;
  const perSet = RULE_SETS.map((ruleSet) => ({
    ruleSet,
    ms: time(() => {
      for (const values of series)
        sink += analyzeSpc({ chart: 'i', values, ruleSet }).patterns.length;
    }),
  }));
  const naiveMs = time(() => {
    for (const values of series) sink += naiveAnalysis(values);
  });
  if (sink < 0) console.log(sink);
  const slowest = perSet.reduce((a, b) => (b.ms > a.ms ? b : a));
  const total = perSet.reduce((sum, s) => sum + s.ms, 0);
  return [
    `SPC engine   ${CHARTS.toLocaleString('en')} I charts × ${POINTS} points, all rules of a set: ${perSet
      .map((s) => `${s.ruleSet} ${(s.ms / 1000).toFixed(2)} s`)
      .join(', ')} (target ≤ 1 s each; all four sets together ${(total / 1000).toFixed(2)} s)`,
    `             naive baseline (per-point slicing, O(n²) rules): ${(naiveMs / 1000).toFixed(2)} s; ratio naive / engine (${slowest.ruleSet}) ×${(naiveMs / slowest.ms).toFixed(1)}`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of spcBenchmarks()) console.log(line);
}
