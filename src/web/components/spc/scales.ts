/**
 * Scales, ticks and number formatting for the SPC charts. Pure functions: the chart draws only
 * what the engine returned, and these map those numbers to pixels and words.
 */
import type { SpcChartResult } from '../../../core/spc/types.ts';

export interface LinearScale {
  (value: number): number;
  domain: [number, number];
  range: [number, number];
}

export function linearScale(domain: [number, number], range: [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const scale = ((value: number) => r0 + ((value - d0) / span) * (r1 - r0)) as LinearScale;
  scale.domain = domain;
  scale.range = range;
  return scale;
}

/** A "nice" step (1, 2, 2.5 or 5 × 10^k) giving about `count` ticks over [min, max]. */
function niceStep(min: number, max: number, count: number): number {
  const raw = (max - min) / Math.max(count, 1);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice =
    fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Tick values covering [min, max], about `count` of them, on nice round numbers. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const step = niceStep(min, max, count);
  const first = Math.ceil(min / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= max + step * 1e-9; v += step) {
    // Round away floating-point dust (0.30000000000000004).
    ticks.push(Number.parseFloat(v.toPrecision(12)));
    if (ticks.length > 50) break;
  }
  return ticks;
}

/** Widens [min, max] to nice round numbers with a little air above and below. */
export function niceDomain(min: number, max: number, count = 5): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    return niceDomain(min - pad, max + pad, count);
  }
  const pad = (max - min) * 0.04;
  const lo = min - pad;
  const hi = max + pad;
  const step = niceStep(lo, hi, count);
  const niceLo = Math.floor(lo / step) * step;
  const niceHi = Math.ceil(hi / step) * step;
  // Do not invent negative values for data that cannot be negative.
  return [min >= 0 && niceLo < 0 ? 0 : niceLo, niceHi];
}

export interface ExtentOptions {
  goal?: number | undefined;
  /** Include the ±2σ band edges (when zones are drawn). */
  zones?: boolean;
}

/** Smallest and largest number drawn: values, centre lines, limits, zone edges and the goal. */
export function valueExtent(
  results: readonly SpcChartResult[],
  options: ExtentOptions = {},
): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const add = (v: number | null | undefined) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return;
    if (v < min) min = v;
    if (v > max) max = v;
  };
  for (const result of results) {
    for (const p of result.points) {
      add(p.y);
      add(p.cl);
      add(p.lcl);
      add(p.ucl);
      if (options.zones && p.cl !== null && p.sigma !== null) {
        add(p.cl + 2 * p.sigma);
        add(p.cl - 2 * p.sigma);
      }
    }
  }
  add(options.goal);
  if (min > max) return [0, 1];
  return [min, max];
}

/** Decimal places that show the differences between numbers of this size. */
export function decimalsFor(extent: [number, number]): number {
  const span = Math.abs(extent[1] - extent[0]) || Math.abs(extent[1]) || 1;
  if (span >= 100) return 0;
  if (span >= 10) return 1;
  if (span >= 1) return 2;
  return Math.min(6, Math.max(3, 2 - Math.floor(Math.log10(span)) + 1));
}

const formatters = new Map<number, Intl.NumberFormat>();

/** "61.2", "1,204", "0.034"; `unit` is appended ("%" without a space, words with one). */
export function formatValue(value: number | null, decimals: number, unit?: string): string {
  if (value === null || !Number.isFinite(value)) return '—';
  let formatter = formatters.get(decimals);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en', {
      minimumFractionDigits: 0,
      maximumFractionDigits: decimals,
    });
    formatters.set(decimals, formatter);
  }
  const text = formatter.format(value);
  if (!unit) return text;
  return unit === '%' || unit.startsWith('‰') ? `${text}${unit}` : `${text} ${unit}`;
}

/** The point's name for people: its label, or its number. */
export function pointName(index: number, label: string | null): string {
  return label ? `point ${index} (${label})` : `point ${index}`;
}

/** Shows every k-th x label so that labels of `labelChars` characters do not overlap. */
export function labelStep(count: number, plotWidth: number, labelChars: number): number {
  const labelWidth = Math.max(labelChars, 2) * 6.6 + 10;
  const fit = Math.max(1, Math.floor(plotWidth / labelWidth));
  return Math.max(1, Math.ceil(count / fit));
}
