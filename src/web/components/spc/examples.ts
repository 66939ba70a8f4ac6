/**
 * Example data for the chart studio: realistic school improvement series, as the CSV a user
 * would paste. The six-school example is also the small-multiples benchmark's data
 * (6 series × 60 points): `/chart-studio?example=schools`.
 */
import type { ChartType, ImprovementDirection, RuleSet } from '../../../core/spc/types.ts';

export interface SpcExample {
  key: string;
  /** The button's words. */
  name: string;
  title: string;
  csv: string;
  chart: ChartType;
  ruleSet: RuleSet;
  improvementDirection: ImprovementDirection;
  multiply: number;
  unit: string;
  goal: string;
  annotations: string;
}

const MONTHS = ['Sep', 'Oct', 'Nov', 'Dec', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun'];

/** 24 school months from September 2023: Sep–Jun each school year. */
function schoolMonths(count: number): string[] {
  const labels: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const year = 2023 + Math.floor(i / MONTHS.length);
    const m = i % MONTHS.length;
    labels.push(`${MONTHS[m]} ${m >= 4 ? year + 1 : year}`);
  }
  return labels;
}

// 9th graders on track (passing all core courses, ≤ 1 F), checked monthly. Advisory check-ins
// started in month 13 (Sep 2024 + 2 = Nov 2024).
const STUDENTS = [
  318, 321, 320, 322, 319, 317, 316, 318, 320, 321, 319, 318, 322, 324, 323, 321, 320, 322, 325,
  324, 323, 322, 321, 320,
];
const ON_TRACK = [
  194, 186, 198, 193, 182, 200, 186, 194, 192, 186, 198, 188, 213, 224, 229, 218, 230, 225, 224,
  237, 229, 225, 231, 237,
];

const ON_TRACK_CSV = [
  'month,on track,9th graders',
  ...schoolMonths(24).map((label, i) => `${label},${ON_TRACK[i]},${STUDENTS[i]}`),
].join('\n');

/** A small deterministic generator (so the example is the same on every visit). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function normal(next: () => number): number {
  const u = Math.max(next(), 1e-9);
  const v = next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const SCHOOLS: { name: string; base: number; sd: number; change?: [number, number] }[] = [
  { name: 'Adams Middle', base: 92.1, sd: 1.1 },
  { name: 'Brook Elementary', base: 94.3, sd: 0.9, change: [31, 1.6] },
  { name: 'Cedar High', base: 88.4, sd: 1.6 },
  { name: 'Delta Academy', base: 90.2, sd: 1.3, change: [41, -2.2] },
  { name: 'Elm Street K-8', base: 93.0, sd: 1.0 },
  { name: 'Fairview High', base: 89.5, sd: 1.4, change: [25, 1.8] },
];

function schoolsCsv(weeks: number): string {
  const next = random(20260914);
  const rows = ['site,week,attendance'];
  for (const school of SCHOOLS) {
    for (let w = 1; w <= weeks; w += 1) {
      const shift = school.change && w >= school.change[0] ? school.change[1] : 0;
      const value = Math.min(99.9, school.base + shift + school.sd * normal(next));
      rows.push(`${school.name},Week ${w},${value.toFixed(1)}`);
    }
  }
  return rows.join('\n');
}

export const EXAMPLES: readonly SpcExample[] = [
  {
    key: 'on-track',
    name: 'Load example',
    title: '9th graders on track',
    csv: ON_TRACK_CSV,
    chart: 'p',
    ruleSet: 'anhoej',
    improvementDirection: 'increase',
    multiply: 100,
    unit: '%',
    goal: '75',
    annotations: '13: Advisory check-ins begin',
  },
  {
    key: 'schools',
    name: 'Load example: 6 schools',
    title: 'Weekly attendance rate',
    csv: schoolsCsv(60),
    chart: 'i',
    ruleSet: 'anhoej',
    improvementDirection: 'increase',
    multiply: 1,
    unit: '%',
    goal: '',
    annotations: '',
  },
];

export function exampleByKey(key: string | null): SpcExample | undefined {
  return EXAMPLES.find((e) => e.key === key);
}
