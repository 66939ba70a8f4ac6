/**
 * What one aggregate value must satisfy for its measure's chart type, so that every stored value
 * can be charted (the SPC engine's own checks, src/core/spc/validate.ts, applied at entry time).
 */
import type { ChartType } from '../spc/index.ts';

export type DenominatorNeed = 'required' | 'optional' | 'not_allowed';

const RATE: ReadonlySet<ChartType> = new Set(['p', 'pp', 'u', 'up']);
const PROPORTION: ReadonlySet<ChartType> = new Set(['p', 'pp']);
const COUNT: ReadonlySet<ChartType> = new Set(['p', 'pp', 'u', 'up', 'c']);

/** p, u, pp, up need one; run, i, mr, xmr may have one (the ratio is plotted); c must not. */
export function denominatorNeed(chart: ChartType): DenominatorNeed {
  if (RATE.has(chart)) return 'required';
  if (chart === 'c') return 'not_allowed';
  return 'optional';
}

export const isProportionChart = (chart: ChartType) => PROPORTION.has(chart);
export const isCountChart = (chart: ChartType) => COUNT.has(chart);

export interface ValueProblem {
  field: 'numerator' | 'denominator';
  message: string;
}

/**
 * The problems of one value for a chart type; empty when it can be stored.
 *
 * @example valueProblems('p', 12, 10) → [{ field: 'numerator', message: 'numerator 12 is larger than the denominator 10 …' }]
 */
export function valueProblems(
  chart: ChartType,
  numerator: number,
  denominator: number | null,
): ValueProblem[] {
  const problems: ValueProblem[] = [];
  if (!Number.isFinite(numerator)) {
    return [{ field: 'numerator', message: 'must be a finite number' }];
  }
  if (denominator !== null && !Number.isFinite(denominator)) {
    return [{ field: 'denominator', message: 'must be a finite number' }];
  }
  const need = denominatorNeed(chart);
  if (denominator === null && need === 'required') {
    problems.push({
      field: 'denominator',
      message: `is required for a ${chart} chart (the number of students or the exposure the numerator counts from)`,
    });
  }
  if (denominator !== null && need === 'not_allowed') {
    problems.push({
      field: 'denominator',
      message: 'a c chart plots counts without a denominator; leave it empty (or use a u chart)',
    });
  }
  if (denominator !== null && denominator <= 0) {
    problems.push({ field: 'denominator', message: 'must be greater than 0' });
  }
  if (COUNT.has(chart) && numerator < 0) {
    problems.push({ field: 'numerator', message: `a count cannot be negative (${chart} chart)` });
  }
  if (PROPORTION.has(chart) && denominator !== null && denominator > 0 && numerator > denominator) {
    problems.push({
      field: 'numerator',
      message: `numerator ${numerator} is larger than the denominator ${denominator}: a proportion cannot exceed the whole`,
    });
  }
  return problems;
}
