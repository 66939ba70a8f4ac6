/**
 * Checks an SPC request (from JSON, a CSV file or the chart studio) and returns either the
 * normalised request or every problem with its field path. Nothing is computed on bad input, so
 * no NaN can reach a response.
 */
import {
  CHART_TYPES,
  type ChartType,
  IMPROVEMENT_DIRECTIONS,
  type ImprovementDirection,
  LIMIT_CONSTANTS,
  type LimitConstant,
  RULE_SETS,
  type RuleSet,
  type SpcInputError,
} from './types.ts';

/** Longest series the engine accepts (ten years of weekly data is about 520 points). */
export const MAX_POINTS = 5000;

const RATE_CHARTS: ReadonlySet<ChartType> = new Set(['p', 'pp', 'u', 'up']);
const PROPORTION_CHARTS: ReadonlySet<ChartType> = new Set(['p', 'pp']);
const COUNT_CHARTS: ReadonlySet<ChartType> = new Set(['p', 'pp', 'u', 'up', 'c']);

/** A request with every option resolved to its value (defaults filled in). */
export interface NormalisedSpcRequest {
  chart: ChartType;
  values: (number | null)[];
  denominators: (number | null)[] | null;
  baselineLastPoint: number | null;
  partEnds: number[];
  excluded: boolean[];
  multiply: number;
  mrScreening: boolean;
  limitConstant: LimitConstant;
  ruleSet: RuleSet;
  improvementDirection: ImprovementDirection;
  labels: string[] | null;
}

export type SpcValidation =
  | { ok: true; request: NormalisedSpcRequest }
  | { ok: false; errors: SpcInputError[] };

/** Thrown by analyzeSpc() on a bad request; carries every problem found. */
export class SpcInputInvalid extends Error {
  constructor(readonly errors: SpcInputError[]) {
    super(errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    this.name = 'SpcInputInvalid';
  }
}

const KNOWN_FIELDS = new Set([
  'chart',
  'values',
  'denominators',
  'baselineLastPoint',
  'partEnds',
  'excludePoints',
  'multiply',
  'mrScreening',
  'limitConstant',
  'ruleSet',
  'improvementDirection',
  'labels',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  path: string,
  errors: SpcInputError[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  errors.push({ path, message: `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}` });
  return undefined;
}

function numberSeries(
  value: unknown,
  path: string,
  errors: SpcInputError[],
): (number | null)[] | undefined {
  if (!Array.isArray(value)) {
    errors.push({ path, message: 'must be an array of numbers (null for a missing value)' });
    return undefined;
  }
  const series: (number | null)[] = [];
  value.forEach((item, i) => {
    if (item === null) series.push(null);
    else if (typeof item === 'number' && Number.isFinite(item)) series.push(item);
    else {
      errors.push({
        path: `${path}/${i}`,
        message: `point ${i + 1}: must be a finite number or null`,
      });
      series.push(null);
    }
  });
  return series;
}

/** 1-based point indices, strictly increasing, each within [min, max]. */
function indexList(
  value: unknown,
  path: string,
  min: number,
  max: number,
  errors: SpcInputError[],
): number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.push({ path, message: 'must be an array of 1-based point numbers' });
    return [];
  }
  const list: number[] = [];
  value.forEach((item, i) => {
    const itemPath = `${path}/${i}`;
    if (typeof item !== 'number' || !Number.isInteger(item)) {
      errors.push({ path: itemPath, message: 'must be a whole point number (1-based)' });
    } else if (item < min || item > max) {
      errors.push({ path: itemPath, message: `must be between ${min} and ${max}` });
    } else if (list.length > 0 && item <= (list[list.length - 1] as number)) {
      errors.push({ path: itemPath, message: 'point numbers must be strictly increasing' });
    } else list.push(item);
  });
  return list;
}

function checkDenominators(
  chart: ChartType,
  values: (number | null)[],
  denominators: (number | null)[],
  errors: SpcInputError[],
): void {
  values.forEach((value, i) => {
    const denominator = denominators[i] ?? null;
    if (value === null) return;
    if (denominator === null) {
      errors.push({
        path: `/denominators/${i}`,
        message: `point ${i + 1} has a value but no denominator`,
      });
    } else if (denominator <= 0) {
      errors.push({
        path: `/denominators/${i}`,
        message: `point ${i + 1}: a denominator must be greater than 0`,
      });
    } else if (PROPORTION_CHARTS.has(chart) && value > denominator) {
      errors.push({
        path: `/values/${i}`,
        message: `point ${i + 1}: numerator ${value} is larger than its denominator ${denominator}`,
      });
    }
  });
}

/** Validates and normalises a raw request. */
export function validateSpcRequest(raw: unknown): SpcValidation {
  const errors: SpcInputError[] = [];
  if (!isRecord(raw)) {
    return { ok: false, errors: [{ path: '', message: 'must be a JSON object' }] };
  }
  for (const key of Object.keys(raw)) {
    if (!KNOWN_FIELDS.has(key)) errors.push({ path: `/${key}`, message: 'is not a known field' });
  }
  const chart = oneOf(raw.chart, CHART_TYPES, '/chart', errors);
  if (raw.chart === undefined) errors.push({ path: '/chart', message: 'is required' });
  const ruleSet = oneOf(raw.ruleSet, RULE_SETS, '/ruleSet', errors) ?? 'anhoej';
  const limitConstant =
    oneOf(raw.limitConstant, LIMIT_CONSTANTS, '/limitConstant', errors) ??
    (ruleSet === 'mdc' ? '2.66' : 'd2');
  const improvementDirection =
    oneOf(raw.improvementDirection, IMPROVEMENT_DIRECTIONS, '/improvementDirection', errors) ??
    'neutral';

  const values = raw.values === undefined ? undefined : numberSeries(raw.values, '/values', errors);
  if (raw.values === undefined) errors.push({ path: '/values', message: 'is required' });
  const n = values?.length ?? 0;
  if (values) {
    if (n === 0) errors.push({ path: '/values', message: 'must contain at least one point' });
    else if (n > MAX_POINTS)
      errors.push({ path: '/values', message: `must have at most ${MAX_POINTS} points` });
    else if (values.every((v) => v === null))
      errors.push({
        path: '/values',
        message: 'every value is missing: there is nothing to chart',
      });
  }

  let denominators: (number | null)[] | null = null;
  if (raw.denominators !== undefined) {
    denominators = numberSeries(raw.denominators, '/denominators', errors) ?? null;
    if (denominators && values && denominators.length !== n) {
      errors.push({
        path: '/denominators',
        message: `must have one entry per value (${n}), not ${denominators.length}`,
      });
      denominators = null;
    }
  }
  if (chart && RATE_CHARTS.has(chart) && raw.denominators === undefined) {
    errors.push({
      path: '/denominators',
      message: `a ${chart} chart needs a denominator for every value (subgroup size or exposure)`,
    });
  }
  if (chart === 'c' && raw.denominators !== undefined) {
    errors.push({
      path: '/denominators',
      message: 'a c chart plots counts; use a u chart for counts with a varying exposure',
    });
  }
  if (chart && values && COUNT_CHARTS.has(chart)) {
    values.forEach((v, i) => {
      if (v !== null && v < 0)
        errors.push({
          path: `/values/${i}`,
          message: `point ${i + 1}: a count cannot be negative`,
        });
    });
  }
  if (chart && values && denominators && chart !== 'c') {
    checkDenominators(chart, values, denominators, errors);
  }

  let baselineLastPoint: number | null = null;
  if (raw.baselineLastPoint !== undefined && raw.baselineLastPoint !== null) {
    const k = raw.baselineLastPoint;
    if (typeof k !== 'number' || !Number.isInteger(k)) {
      errors.push({
        path: '/baselineLastPoint',
        message: 'must be a whole point number (1-based)',
      });
    } else if (values && (k < 1 || k > n)) {
      errors.push({ path: '/baselineLastPoint', message: `must be between 1 and ${n}` });
    } else baselineLastPoint = k;
  }
  const partEnds = indexList(raw.partEnds, '/partEnds', 1, Math.max(n - 1, 0), errors);
  const excludePoints = indexList(raw.excludePoints, '/excludePoints', 1, n, errors);

  let multiply = 1;
  if (raw.multiply !== undefined) {
    if (typeof raw.multiply !== 'number' || !Number.isFinite(raw.multiply) || raw.multiply <= 0) {
      errors.push({ path: '/multiply', message: 'must be a number greater than 0' });
    } else multiply = raw.multiply;
  }
  let mrScreening = true;
  if (raw.mrScreening !== undefined) {
    if (typeof raw.mrScreening !== 'boolean') {
      errors.push({ path: '/mrScreening', message: 'must be true or false' });
    } else mrScreening = raw.mrScreening;
  }
  let labels: string[] | null = null;
  if (raw.labels !== undefined) {
    if (!Array.isArray(raw.labels) || raw.labels.some((l) => typeof l !== 'string')) {
      errors.push({ path: '/labels', message: 'must be an array of strings' });
    } else if (values && raw.labels.length !== n) {
      errors.push({
        path: '/labels',
        message: `must have one label per value (${n}), not ${raw.labels.length}`,
      });
    } else labels = raw.labels as string[];
  }

  if (errors.length > 0 || !chart || !values) return { ok: false, errors };
  const excluded = values.map(() => false);
  for (const point of excludePoints) excluded[point - 1] = true;
  return {
    ok: true,
    request: {
      chart,
      values,
      denominators,
      baselineLastPoint,
      partEnds,
      excluded,
      multiply,
      mrScreening,
      limitConstant,
      ruleSet,
      improvementDirection,
      labels,
    },
  };
}
