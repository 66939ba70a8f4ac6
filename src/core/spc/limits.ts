/**
 * Centre line, sigma and control limits of one part (phase) of a chart, before `multiply`.
 * Formulas follow qicharts2 (Anhøj, helper.functions.R, version 0.8) and Montgomery,
 * Introduction to Statistical Quality Control (7th ed.), chapters 6–7; Laney (2002) for p′ and u′;
 * Making Data Count / NHSRplotthedots for the 2.66 constant.
 */
import { mean, median } from './stats.ts';
import type { ChartType, LimitConstant } from './types.ts';

/** d2 for subgroups of 2: E(MR)/σ = 2/√π ≈ 1.128 (Montgomery, table VI), as qicharts2 rounds it. */
export const D2 = 1.128;
/** D4 for subgroups of 2: the moving-range limit 3.267·MR̄ (Montgomery; Nelson 1982 screening). */
export const D4 = 3.267;
/** Making Data Count's natural process limits: mean ± 2.66·MR̄. */
export const MDC_CONSTANT = 2.66;

export interface PartInput {
  chart: Exclude<ChartType, 'xmr'>;
  /** The plotted statistic per point of the part (ratio when there are denominators). */
  y: (number | null)[];
  numerators: (number | null)[];
  denominators: (number | null)[] | null;
  /** Point counts toward centre line and limits: in the baseline and not excluded. */
  base: boolean[];
  mrScreening: boolean;
  limitConstant: LimitConstant;
}

export interface PartLines {
  y: (number | null)[];
  cl: number;
  lcl: (number | null)[];
  ucl: (number | null)[];
  /** One sigma per point; null where the chart has none (run, mr) or it cannot be computed. */
  sigma: (number | null)[];
  /** Points the centre line and limits were computed from (baseline, not excluded, not missing). */
  nBaseline: number;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/**
 * Average moving range of a sequence in which null breaks a range (R's NA), optionally screened:
 * ranges ≥ 3.267·MR̄ are dropped and MR̄ recomputed once (Nelson 1982; qicharts2 ≥ 0.8).
 */
export function averageMovingRange(sequence: (number | null)[], screening: boolean): number {
  const ranges: number[] = [];
  for (let i = 1; i < sequence.length; i += 1) {
    const a = sequence[i - 1] ?? null;
    const b = sequence[i] ?? null;
    if (a !== null && b !== null) ranges.push(Math.abs(b - a));
  }
  let average = mean(ranges);
  if (screening && ranges.length > 0) {
    const limit = D4 * average;
    average = mean(ranges.filter((r) => r < limit));
  }
  return average;
}

function baseValues<T>(values: T[], base: boolean[]): T[] {
  return values.filter((_, i) => base[i]);
}

function countBase(y: (number | null)[], base: boolean[]): number {
  let count = 0;
  for (let i = 0; i < y.length; i += 1) if (base[i] && y[i] !== null) count += 1;
  return count;
}

function symmetricLimits(
  cl: number,
  sigma: (number | null)[],
  lower: number | null,
  upper: number | null,
): { lcl: (number | null)[]; ucl: (number | null)[] } {
  const clamp = (x: number) => {
    let v = x;
    if (lower !== null && v < lower) v = lower;
    if (upper !== null && v > upper) v = upper;
    return v;
  };
  return {
    lcl: sigma.map((s) => (s === null ? null : finiteOrNull(clamp(cl - 3 * s)))),
    ucl: sigma.map((s) => (s === null ? null : finiteOrNull(clamp(cl + 3 * s)))),
  };
}

/** Pooled proportion or rate over the baseline: Σ numerators / Σ denominators. */
function pooled(input: PartInput): number {
  let numerator = 0;
  let denominator = 0;
  input.numerators.forEach((v, i) => {
    const d = input.denominators?.[i] ?? null;
    if (!input.base[i] || v === null || d === null) return;
    numerator += v;
    denominator += d;
  });
  return denominator > 0 ? numerator / denominator : Number.NaN;
}

/** Binomial (p) or Poisson (u) sigma of each point around the pooled centre line. */
function attributeSigma(input: PartInput, cl: number, proportion: boolean): (number | null)[] {
  return input.y.map((_, i) => {
    const n = input.denominators?.[i] ?? null;
    if (n === null || !Number.isFinite(cl)) return null;
    return finiteOrNull(Math.sqrt((proportion ? cl * (1 - cl) : cl) / n));
  });
}

/**
 * Laney's σ_z (2002): z_i = (y_i − CL)/σ_i over the baseline points, σ_z = MR̄(z)/1.128, with the
 * same moving-range screening as the I chart. A point with σ_i = 0 (CL of 0 or 1) has z = 0.
 */
function laneySigmaZ(input: PartInput, cl: number, sigma: (number | null)[]): number {
  const z: (number | null)[] = [];
  input.y.forEach((y, i) => {
    if (!input.base[i]) return;
    const s = sigma[i] ?? null;
    if (y === null || s === null) z.push(null);
    else z.push(s === 0 ? 0 : (y - cl) / s);
  });
  return averageMovingRange(z, input.mrScreening) / D2;
}

/** Computes the lines of one part. */
export function partLines(input: PartInput): PartLines {
  const { chart, base } = input;
  const nBaseline = countBase(input.y, base);
  const n = input.y.length;
  const none = (): (number | null)[] => new Array<number | null>(n).fill(null);

  switch (chart) {
    case 'run': {
      const cl = median(baseValues(input.y, base));
      return { y: input.y, cl, lcl: none(), ucl: none(), sigma: none(), nBaseline };
    }
    case 'i': {
      const cl = mean(baseValues(input.y, base));
      // qicharts2 differences the deviations from the centre line; kept for bit-for-bit agreement.
      const deviations = baseValues(input.y, base).map((y) => (y === null ? null : y - cl));
      const amr = averageMovingRange(deviations, input.mrScreening);
      if (input.limitConstant === '2.66') {
        // Making Data Count: limits are exactly mean ± 2.66·MR̄; one sigma is 2.66·MR̄/3.
        const sigma = finiteOrNull((MDC_CONSTANT / 3) * amr);
        const lcl = finiteOrNull(cl - MDC_CONSTANT * amr);
        const ucl = finiteOrNull(cl + MDC_CONSTANT * amr);
        return {
          y: input.y,
          cl,
          lcl: new Array(n).fill(lcl),
          ucl: new Array(n).fill(ucl),
          sigma: new Array(n).fill(sigma),
          nBaseline,
        };
      }
      const sigma = finiteOrNull(amr / D2);
      const sigmas = new Array<number | null>(n).fill(sigma);
      return {
        y: input.y,
        cl,
        ...symmetricLimits(cl, sigmas, null, null),
        sigma: sigmas,
        nBaseline,
      };
    }
    case 'mr': {
      // Moving ranges of consecutive points in the part (qicharts2 qic.mr): the first has none.
      const ranges = input.y.map((y, i) => {
        const previous = i === 0 ? null : (input.y[i - 1] ?? null);
        return y === null || previous === null ? null : Math.abs(y - previous);
      });
      const cl = mean(baseValues(ranges, base));
      const ucl = finiteOrNull(D4 * cl);
      return {
        y: ranges,
        cl,
        lcl: new Array(n).fill(Number.isFinite(cl) ? 0 : null),
        ucl: new Array(n).fill(ucl),
        sigma: none(),
        nBaseline: countBase(ranges, base),
      };
    }
    case 'c': {
      const cl = mean(baseValues(input.y, base));
      const sigmas = new Array<number | null>(n).fill(finiteOrNull(Math.sqrt(cl)));
      return { y: input.y, cl, ...symmetricLimits(cl, sigmas, 0, null), sigma: sigmas, nBaseline };
    }
    case 'p':
    case 'pp':
    case 'u':
    case 'up': {
      const proportion = chart === 'p' || chart === 'pp';
      const cl = pooled(input);
      let sigmas = attributeSigma(input, cl, proportion);
      if (chart === 'pp' || chart === 'up') {
        const sigmaZ = laneySigmaZ(input, cl, sigmas);
        sigmas = sigmas.map((s) => (s === null ? null : finiteOrNull(s * sigmaZ)));
      }
      const limits = symmetricLimits(cl, sigmas, 0, proportion ? 1 : null);
      return { y: input.y, cl, ...limits, sigma: sigmas, nBaseline };
    }
  }
}
