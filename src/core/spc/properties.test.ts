/**
 * Properties of the SPC engine that must hold for every valid request (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeSpc } from './analyze.ts';
import {
  CHART_TYPES,
  type ChartType,
  IMPROVEMENT_DIRECTIONS,
  LIMIT_CONSTANTS,
  RULE_SETS,
  type SpcChartResult,
  type SpcPoint,
  type SpcRequest,
  type SpcResponse,
} from './types.ts';

const RUNS = { numRuns: 150 };

// ─────────────────────────────────── generators ───────────────────────────────────

/** Sorted distinct 1-based point numbers in [min, max]. */
function pointList(min: number, max: number, maxLength = 6): fc.Arbitrary<number[]> {
  if (max < min) return fc.constant([]);
  return fc
    .uniqueArray(fc.integer({ min, max }), { maxLength: Math.min(maxLength, max - min + 1) })
    .map((xs) => xs.sort((a, b) => a - b));
}

/** A value of the kind the chart takes, or null (missing) now and then. */
function maybeMissing<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: 9, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(null) });
}

/**
 * A measurement: small integers (ties with the centre line are common) or doubles. Doubles are
 * kept away from the subnormal range, where multiplying by a power of two is no longer exact.
 */
const measurement = fc.oneof(
  fc.integer({ min: -20, max: 20 }),
  fc
    .double({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true })
    .filter((x) => x === 0 || Math.abs(x) > 1e-200),
);

/** values (and denominators) valid for the chart, with at least one value present. */
function seriesFor(
  chart: ChartType,
  n: number,
  magnitude: 'ordinary' | 'extreme' = 'ordinary',
): fc.Arbitrary<{ values: (number | null)[]; denominators?: (number | null)[] }> {
  const anyDouble = fc.double({ noNaN: true, noDefaultInfinity: true });
  const positiveDouble = fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true });
  const fix = (s: { values: (number | null)[]; denominators?: (number | null)[] }) => {
    if (!s.values.some((v) => v !== null)) {
      s.values[0] = 0;
      if (s.denominators) s.denominators[0] = s.denominators[0] ?? 1;
    }
    return s;
  };
  let pair: fc.Arbitrary<[number | null, number | null]>;
  switch (chart) {
    case 'p':
    case 'pp':
      pair =
        magnitude === 'extreme'
          ? positiveDouble.chain((d) =>
              fc.tuple(fc.constant(d), maybeMissing(fc.double({ min: 0, max: d, noNaN: true }))),
            )
          : fc
              .integer({ min: 1, max: 500 })
              .chain((d) => fc.tuple(fc.constant(d), maybeMissing(fc.integer({ min: 0, max: d }))));
      return fc
        .array(pair, { minLength: n, maxLength: n })
        .map((ps) => fix({ values: ps.map((p) => p[1]), denominators: ps.map((p) => p[0]) }));
    case 'u':
    case 'up': {
      const d =
        magnitude === 'extreme' ? positiveDouble : fc.double({ min: 0.5, max: 1000, noNaN: true });
      const x =
        magnitude === 'extreme'
          ? fc.double({ min: 0, noNaN: true, noDefaultInfinity: true })
          : fc.integer({ min: 0, max: 300 });
      return fc
        .array(fc.tuple(d, maybeMissing(x)), { minLength: n, maxLength: n })
        .map((ps) => fix({ values: ps.map((p) => p[1]), denominators: ps.map((p) => p[0]) }));
    }
    case 'c': {
      const x =
        magnitude === 'extreme'
          ? fc.double({ min: 0, noNaN: true, noDefaultInfinity: true })
          : fc.integer({ min: 0, max: 300 });
      return fc
        .array(maybeMissing(x), { minLength: n, maxLength: n })
        .map((values) => fix({ values }));
    }
    default: {
      const x = magnitude === 'extreme' ? anyDouble : measurement;
      return fc
        .record({
          values: fc.array(maybeMissing(x), { minLength: n, maxLength: n }),
          denominators: fc.option(
            fc.array(magnitude === 'extreme' ? positiveDouble : fc.integer({ min: 1, max: 100 }), {
              minLength: n,
              maxLength: n,
            }),
            { nil: undefined },
          ),
        })
        .map((s) => fix(s.denominators ? s : { values: s.values }));
    }
  }
}

/** Any valid request: every chart type and option. */
function requestArb(
  charts: readonly ChartType[] = CHART_TYPES,
  magnitude: 'ordinary' | 'extreme' = 'ordinary',
): fc.Arbitrary<SpcRequest> {
  return fc
    .record({ chart: fc.constantFrom(...charts), n: fc.integer({ min: 1, max: 40 }) })
    .chain(({ chart, n }) =>
      fc.record({
        chart: fc.constant(chart),
        series: seriesFor(chart, n, magnitude),
        partEnds: pointList(1, n - 1, 3),
        excludePoints: pointList(1, n, 4),
        baselineLastPoint: fc.option(fc.integer({ min: 1, max: n }), { nil: undefined }),
        multiply: fc.option(
          fc.oneof(
            fc.constantFrom(1, 100, 1000),
            fc.double({ min: 0.001, max: 1000, noNaN: true }),
          ),
          { nil: undefined },
        ),
        mrScreening: fc.option(fc.boolean(), { nil: undefined }),
        limitConstant: fc.option(fc.constantFrom(...LIMIT_CONSTANTS), { nil: undefined }),
        ruleSet: fc.option(fc.constantFrom(...RULE_SETS), { nil: undefined }),
        improvementDirection: fc.option(fc.constantFrom(...IMPROVEMENT_DIRECTIONS), {
          nil: undefined,
        }),
        labels: fc.option(fc.array(fc.string({ maxLength: 4 }), { minLength: n, maxLength: n }), {
          nil: undefined,
        }),
      }),
    )
    .map(({ series, ...options }) => {
      const request: Record<string, unknown> = { ...options, ...series };
      for (const key of Object.keys(request)) if (request[key] === undefined) delete request[key];
      return request as unknown as SpcRequest;
    });
}

// ──────────────────────────────────── helpers ────────────────────────────────────

/** JSON-pointer paths of every number in `x` that is NaN or ±Infinity. */
function nonFinitePaths(x: unknown, path = ''): string[] {
  if (typeof x === 'number') return Number.isFinite(x) ? [] : [path || '/'];
  if (Array.isArray(x)) return x.flatMap((v, i) => nonFinitePaths(v, `${path}/${i}`));
  if (x !== null && typeof x === 'object') {
    return Object.entries(x).flatMap(([k, v]) => nonFinitePaths(v, `${path}/${k}`));
  }
  return [];
}

/** JSON-pointer paths of every null in `x`. */
function nullPaths(x: unknown, path = ''): string[] {
  if (x === null) return [path || '/'];
  if (Array.isArray(x)) return x.flatMap((v, i) => nullPaths(v, `${path}/${i}`));
  if (typeof x === 'object' && x !== undefined) {
    return Object.entries(x as object).flatMap(([k, v]) => nullPaths(v, `${path}/${k}`));
  }
  return [];
}

function charts(r: SpcResponse): SpcChartResult[] {
  return r.mr ? [r, r.mr] : [r];
}

function closeTo(a: number | null, b: number | null, relative = 1e-9): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= relative * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Equal numbers (0 and −0 alike) or both null. */
function sameNumber(a: number | null | undefined, b: number | null): boolean {
  return (a ?? null) === b;
}

const LINE_KEYS = ['cl', 'lcl', 'ucl', 'sigma'] as const;

function lineOf(p: SpcPoint | undefined) {
  return p ? { cl: p.cl, lcl: p.lcl, ucl: p.ucl, sigma: p.sigma } : undefined;
}

/** What the rules concluded, without the numbers: to compare signals between two requests. */
function verdicts(r: SpcChartResult) {
  return {
    patterns: r.patterns.map((p) => ({ rule: p.rule, part: p.part, points: p.points })),
    signals: r.points.map((p) => p.signals.map((s) => s.rule)),
    sigmaSignalPoints: r.sigmaSignalPoints,
    mdc: r.points.map((p) => p.mdcClass),
    parts: r.parts.map((p) => ({
      nUseful: p.nUseful,
      longestRun: p.longestRun,
      crossings: p.crossings,
      runsSignal: p.runsSignal,
      notEvaluable: p.notEvaluable,
    })),
    suggestedPhases: r.suggestedPhases.map((s) => [s.after, s.rule]),
  };
}

/**
 * True when no plotted point lies within rounding distance of a zone line (CL ± 1, 2, 3 σ) or a
 * limit, so that recomputing the lines in another order or after a shift cannot move a point
 * across one. A point exactly on the centre line is fine: these generators keep that exact.
 */
function clearOfBoundaries(...results: SpcChartResult[]): boolean {
  for (const r of results) {
    for (const p of r.points) {
      if (p.y === null || p.cl === null) continue;
      const lines: (number | null)[] = [p.lcl, p.ucl];
      if (p.sigma !== null)
        for (const k of [1, 2, 3]) lines.push(p.cl + k * p.sigma, p.cl - k * p.sigma);
      for (const line of lines) {
        if (line === null) continue;
        if (Math.abs(p.y - line) <= 1e-7 * (1 + Math.abs(p.y) + Math.abs(line))) return false;
      }
    }
  }
  return true;
}

// ──────────────────────────────────── properties ────────────────────────────────────

describe('every valid request', () => {
  it('gets a response without NaN or Infinity anywhere, and survives a JSON round trip', () => {
    fc.assert(
      fc.property(requestArb(), (request) => {
        const r = analyzeSpc(request);
        expect(nonFinitePaths(r)).toEqual([]);
        // Serialised, nothing turns into null (as NaN, Infinity or undefined in an array would).
        expect(nullPaths(JSON.parse(JSON.stringify(r)))).toEqual(nullPaths(r));
      }),
      { numRuns: 400 },
    );
  });

  it('gets a response without NaN or Infinity even for extreme magnitudes', () => {
    fc.assert(
      fc.property(requestArb(CHART_TYPES, 'extreme'), (request) => {
        expect(nonFinitePaths(analyzeSpc(request))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('has one point per value, 1-based indices and parts that tile the series', () => {
    fc.assert(
      fc.property(requestArb(), (request) => {
        const r = analyzeSpc(request);
        const n = request.values.length;
        for (const chart of charts(r)) {
          expect(chart.points).toHaveLength(n);
          chart.points.forEach((p, i) => {
            expect(p.index).toBe(i + 1);
            expect(p.label).toBe(request.labels?.[i] ?? null);
            expect(p.excluded).toBe(request.excludePoints?.includes(i + 1) ?? false);
          });
          // Parts: consecutive, 1-based, covering 1..n, split after each partEnd.
          const ends = request.partEnds ?? [];
          expect(chart.parts.map((p) => p.last)).toEqual([...ends, n]);
          expect(chart.parts.map((p) => p.first)).toEqual([1, ...ends.map((e) => e + 1)]);
          chart.parts.forEach((part, k) => {
            expect(part.part).toBe(k + 1);
            for (let i = part.first; i <= part.last; i += 1) {
              expect(chart.points[i - 1]?.part).toBe(k + 1);
              expect(chart.points[i - 1]?.cl).toBe(part.cl);
            }
          });
          for (const pattern of chart.patterns) {
            const part = chart.parts[pattern.part - 1];
            expect(pattern.points.length).toBeGreaterThan(0);
            expect(pattern.points).toEqual([...pattern.points].sort((a, b) => a - b));
            for (const i of pattern.points) {
              expect(i).toBeGreaterThanOrEqual(part?.first ?? Number.NaN);
              expect(i).toBeLessThanOrEqual(part?.last ?? Number.NaN);
              expect(chart.points[i - 1]?.y).not.toBeNull();
            }
          }
          // A signal on a point belongs to a pattern of the same rule that contains the point.
          for (const p of chart.points) {
            for (const s of p.signals) {
              const owner = chart.patterns.some(
                (q) => q.rule === s.rule && q.points.includes(p.index),
              );
              expect(owner, `point ${p.index} ${s.rule}`).toBe(true);
            }
          }
          for (const i of chart.sigmaSignalPoints) {
            expect(Number.isInteger(i) && i >= 1 && i <= n).toBe(true);
          }
          for (const s of chart.suggestedPhases) {
            expect(s.after).toBeGreaterThanOrEqual(1);
            expect(s.after).toBeLessThanOrEqual(n - 1);
          }
        }
        // The plotted statistic is the value (or ratio) times multiply; missing stays missing.
        if (request.chart !== 'mr') {
          const m = request.multiply ?? 1;
          request.values.forEach((v, i) => {
            const y = r.points[i]?.y ?? null;
            if (v === null) expect(y).toBeNull();
            else {
              const d = request.chart === 'c' ? 1 : (request.denominators?.[i] ?? 1);
              expect(closeTo(y, (v / (d as number)) * m, 1e-12)).toBe(true);
            }
          });
        }
      }),
      RUNS,
    );
  });

  it('never puts an excluded or missing point into a run, trend or zone pattern', () => {
    const limitRules = new Set([
      'sigma.outside_limits',
      'weco.1',
      'mdc.outside_limits',
      'ihi.astronomical',
    ]);
    fc.assert(
      fc.property(requestArb(), (request) => {
        const r = analyzeSpc(request);
        const excluded = new Set(request.excludePoints ?? []);
        for (const chart of charts(r)) {
          for (const pattern of chart.patterns) {
            if (limitRules.has(pattern.rule)) continue;
            for (const i of pattern.points) expect(excluded.has(i)).toBe(false);
          }
        }
      }),
      RUNS,
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(requestArb(), (request) => {
        expect(analyzeSpc(request)).toEqual(analyzeSpc(structuredClone(request)));
      }),
      { numRuns: 50 },
    );
  });
});

describe('p, u and c charts', () => {
  it('keep their centre lines and limits when points are reordered within a phase (limits follow their point)', () => {
    const arb = fc
      .record({
        chart: fc.constantFrom<ChartType>('p', 'u', 'c'),
        n: fc.integer({ min: 2, max: 30 }),
      })
      .chain(({ chart, n }) =>
        fc.record({
          chart: fc.constant(chart),
          series: seriesFor(chart, n),
          partEnds: pointList(1, n - 1, 2),
          excludePoints: pointList(1, n, 3),
          keys: fc.array(fc.double({ noNaN: true }), { minLength: n, maxLength: n }),
        }),
      );
    fc.assert(
      fc.property(arb, ({ chart, series: generated, partEnds, excludePoints, keys }) => {
        // Whole exposures keep every sum exact, whatever the order of the points.
        const series = {
          ...generated,
          ...(generated.denominators
            ? {
                denominators: generated.denominators.map((d) =>
                  d === null ? null : Math.max(1, Math.round(d)),
                ),
              }
            : {}),
        };
        const n = series.values.length;
        // perm[j] = the original point now at position j; points only move within their phase.
        const perm: number[] = [];
        let first = 0;
        for (const end of [...partEnds, n]) {
          const phase = Array.from({ length: end - first }, (_, k) => first + k);
          perm.push(...phase.sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b));
          first = end;
        }
        const pick = <T>(xs: T[] | undefined) => (xs ? perm.map((i) => xs[i] as T) : undefined);
        const base = { chart, partEnds, ...series, excludePoints } as SpcRequest;
        const moved = {
          chart,
          partEnds,
          values: pick(series.values),
          ...(series.denominators ? { denominators: pick(series.denominators) } : {}),
          excludePoints: perm
            .map((i, j) => (excludePoints.includes(i + 1) ? j + 1 : 0))
            .filter((j) => j > 0),
        } as SpcRequest;
        const a = analyzeSpc(base);
        const b = analyzeSpc(moved);
        perm.forEach((i, j) => {
          expect(lineOf(b.points[j])).toEqual(lineOf(a.points[i]));
          expect(b.points[j]?.y).toBe(a.points[i]?.y);
        });
        expect(
          b.sigmaSignalPoints.map((j) => (perm[j - 1] as number) + 1).sort((x, y) => x - y),
        ).toEqual(a.sigmaSignalPoints);
      }),
      { numRuns: 200 },
    );
  });
});

describe('individuals charts', () => {
  const iArb = fc.integer({ min: 2, max: 40 }).chain((n) =>
    fc.record({
      values: fc.array(maybeMissing(measurement), { minLength: n, maxLength: n }),
      excludePoints: pointList(1, n, 3),
      mrScreening: fc.boolean(),
      limitConstant: fc.constantFrom(...LIMIT_CONSTANTS),
    }),
  );

  it('have the same centre line and limits when the series is reversed (with and without screening)', () => {
    fc.assert(
      fc.property(iArb, ({ values, excludePoints, mrScreening, limitConstant }) => {
        fc.pre(values.some((v) => v !== null));
        const n = values.length;
        const forward = analyzeSpc({
          chart: 'i',
          values,
          excludePoints,
          mrScreening,
          limitConstant,
        });
        const backward = analyzeSpc({
          chart: 'i',
          values: [...values].reverse(),
          excludePoints: excludePoints.map((i) => n + 1 - i).reverse(),
          mrScreening,
          limitConstant,
        });
        const f = forward.points[0];
        const b = backward.points[0];
        for (const key of LINE_KEYS) {
          expect(
            closeTo(f?.[key] ?? null, b?.[key] ?? null),
            `${key}: ${f?.[key]} vs ${b?.[key]}`,
          ).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('scale and shift', () => {
  const scalable: ChartType[] = ['i', 'run', 'mr', 'xmr'];
  const arb = fc
    .record({ chart: fc.constantFrom(...scalable), n: fc.integer({ min: 1, max: 40 }) })
    .chain(({ chart, n }) =>
      fc.record({
        chart: fc.constant(chart),
        values: fc.array(maybeMissing(measurement), { minLength: n, maxLength: n }),
        partEnds: pointList(1, n - 1, 2),
        excludePoints: pointList(1, n, 3),
        baselineLastPoint: fc.option(fc.integer({ min: 1, max: n }), { nil: undefined }),
        mrScreening: fc.boolean(),
        limitConstant: fc.constantFrom(...LIMIT_CONSTANTS),
        ruleSet: fc.constantFrom(...RULE_SETS),
      }),
    )
    .filter((r) => r.values.some((v) => v !== null));

  const clean = (r: Record<string, unknown>) => {
    const out = { ...r };
    for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
    return out as unknown as SpcRequest;
  };

  it('multiplying the series by 2^k multiplies y, cl, limits and sigma exactly, signals unchanged', () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: -12, max: 12 }), (request, k) => {
        const a = 2 ** k;
        const base = analyzeSpc(clean(request));
        const scaled = analyzeSpc(
          clean({ ...request, values: request.values.map((v) => (v === null ? null : v * a)) }),
        );
        charts(base).forEach((chart, c) => {
          const other = charts(scaled)[c] as SpcChartResult;
          chart.points.forEach((p, i) => {
            const q = other.points[i] as SpcPoint;
            for (const key of ['y', ...LINE_KEYS] as const) {
              expect(sameNumber(q[key], p[key] === null ? null : (p[key] as number) * a)).toBe(
                true,
              );
            }
          });
          expect(verdicts(other)).toEqual(verdicts(chart));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('multiplying the series by any a > 0 multiplies cl, limits and sigma by a', () => {
    fc.assert(
      fc.property(arb, fc.double({ min: 0.001, max: 1000, noNaN: true }), (request, a) => {
        const base = analyzeSpc(clean(request));
        const scaled = analyzeSpc(
          clean({ ...request, values: request.values.map((v) => (v === null ? null : v * a)) }),
        );
        charts(base).forEach((chart, c) => {
          const other = charts(scaled)[c] as SpcChartResult;
          chart.points.forEach((p, i) => {
            const q = other.points[i] as SpcPoint;
            for (const key of LINE_KEYS) {
              const expected = p[key] === null ? null : (p[key] as number) * a;
              expect(closeTo(q[key], expected, 1e-8), `${key}: ${q[key]} vs ${expected}`).toBe(
                true,
              );
            }
          });
        });
      }),
      { numRuns: 200 },
    );
  });

  it('shifting the series by b shifts cl and limits by b and keeps sigma and the signals (I and run charts)', () => {
    const intArb = fc
      .record({ chart: fc.constantFrom<ChartType>('i', 'run'), n: fc.integer({ min: 1, max: 40 }) })
      .chain(({ chart, n }) =>
        fc.record({
          chart: fc.constant(chart),
          values: fc.array(maybeMissing(fc.integer({ min: -30, max: 30 })), {
            minLength: n,
            maxLength: n,
          }),
          partEnds: pointList(1, n - 1, 2),
          excludePoints: pointList(1, n, 3),
          baselineLastPoint: fc.option(fc.integer({ min: 1, max: n }), { nil: undefined }),
          mrScreening: fc.boolean(),
          limitConstant: fc.constantFrom(...LIMIT_CONSTANTS),
          ruleSet: fc.constantFrom(...RULE_SETS),
        }),
      )
      .filter((r) => r.values.some((v) => v !== null));
    fc.assert(
      fc.property(intArb, fc.integer({ min: -1000, max: 1000 }), (request, b) => {
        const shiftedRequest = clean({
          ...request,
          values: request.values.map((v) => (v === null ? null : v + b)),
        });
        const base = analyzeSpc(clean(request));
        const shifted = analyzeSpc(shiftedRequest);
        base.points.forEach((p, i) => {
          const q = shifted.points[i] as SpcPoint;
          expect(q.y).toBe(p.y === null ? null : p.y + b);
          for (const key of ['cl', 'lcl', 'ucl'] as const) {
            expect(closeTo(q[key], p[key] === null ? null : (p[key] as number) + b, 1e-9)).toBe(
              true,
            );
          }
          expect(closeTo(q.sigma, p.sigma, 1e-9)).toBe(true);
        });
        // The I-chart limits of the same data decide IHI's astronomical points on a run chart.
        const iLimits = (r: SpcRequest) =>
          analyzeSpc({ ...r, chart: 'i', limitConstant: 'd2', ruleSet: 'anhoej' });
        fc.pre(
          clearOfBoundaries(base, shifted) &&
            (request.chart !== 'run' ||
              clearOfBoundaries(iLimits(clean(request)), iLimits(shiftedRequest))),
        );
        expect(verdicts(shifted)).toEqual(verdicts(base));
      }),
      { numRuns: 200 },
    );
  });

  it('the moving ranges do not change when the series is shifted', () => {
    fc.assert(
      fc.property(
        fc.array(maybeMissing(fc.integer({ min: -30, max: 30 })), { minLength: 2, maxLength: 40 }),
        fc.integer({ min: -1000, max: 1000 }),
        (values, b) => {
          fc.pre(values.some((v) => v !== null));
          const base = analyzeSpc({ chart: 'mr', values });
          const shifted = analyzeSpc({
            chart: 'mr',
            values: values.map((v) => (v === null ? null : v + b)),
          });
          expect(shifted.points).toEqual(base.points);
          expect(shifted.parts).toEqual(base.parts);
        },
      ),
      RUNS,
    );
  });

  it('the multiply option scales y, cl, limits and sigma on every chart type', () => {
    fc.assert(
      fc.property(requestArb(), fc.integer({ min: -10, max: 10 }), (request, k) => {
        const one = analyzeSpc({ ...request, multiply: 1 });
        const m = 2 ** k;
        const many = analyzeSpc({ ...request, multiply: m });
        charts(one).forEach((chart, c) => {
          const other = charts(many)[c] as SpcChartResult;
          chart.points.forEach((p, i) => {
            const q = other.points[i] as SpcPoint;
            for (const key of ['y', ...LINE_KEYS] as const) {
              expect(sameNumber(q[key], p[key] === null ? null : (p[key] as number) * m)).toBe(
                true,
              );
            }
          });
          expect(verdicts(other)).toEqual(verdicts(chart));
        });
      }),
      RUNS,
    );
  });
});

describe('phases', () => {
  it('excluding points in one phase never changes the lines, runs or patterns of the others', () => {
    const arb = requestArb()
      .filter((r) => (r.partEnds?.length ?? 0) > 0)
      .chain((request) => {
        const n = request.values.length;
        const ends = [0, ...(request.partEnds ?? []), n];
        return fc.integer({ min: 0, max: ends.length - 2 }).chain((phase) =>
          fc.record({
            request: fc.constant(request),
            phase: fc.constant(phase + 1),
            extra: pointList((ends[phase] as number) + 1, ends[phase + 1] as number, 5),
          }),
        );
      });
    fc.assert(
      fc.property(arb, ({ request, phase, extra }) => {
        const excluded = [...new Set([...(request.excludePoints ?? []), ...extra])].sort(
          (a, b) => a - b,
        );
        const a = analyzeSpc(request);
        const b = analyzeSpc({ ...request, excludePoints: excluded });
        charts(a).forEach((chart, c) => {
          const other = charts(b)[c] as SpcChartResult;
          chart.points.forEach((p, i) => {
            if (p.part === phase) return;
            expect(lineOf(other.points[i])).toEqual(lineOf(p));
            expect(other.points[i]?.signals).toEqual(p.signals);
          });
          chart.parts.forEach((part, k) => {
            if (part.part !== phase) expect(other.parts[k]).toEqual(part);
          });
          const elsewhere = (r: SpcChartResult) => r.patterns.filter((q) => q.part !== phase);
          expect(elsewhere(other)).toEqual(elsewhere(chart));
        });
      }),
      { numRuns: 200 },
    );
  });
});
