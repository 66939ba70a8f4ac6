import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeSpc } from '../spc/index.ts';
import { pointOfDate, type SeriesMeasure, seriesAxis, seriesRequest } from './series.ts';

const pChart: SeriesMeasure = {
  chart_type: 'p',
  frequency: 'monthly',
  rule_set: 'anhoej',
  improvement_direction: 'increase',
  multiply: 100,
  denominator_definition: 'enrolled',
};
const value = (period_start: string, numerator: number, denominator: number | null = 20) => ({
  period_start,
  numerator,
  denominator,
  excluded: false,
});

describe('seriesAxis', () => {
  it('fills every month between the first and the last, across a year end', () => {
    const axis = seriesAxis('monthly', ['2026-02-01', '2025-11-01']);
    expect(axis.periods).toEqual(['2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01']);
    expect(axis.indexOf('2026-01-01')).toBe(2);
    expect(axis.indexOf('2026-01-15')).toBe(-1);
    expect(axis.containing('2026-01-31')).toBe(2);
    expect(axis.containing('2025-10-31')).toBe(-1);
    expect(axis.containing('2026-03-01')).toBe(-1);
  });

  it('fills weeks from Monday to Monday', () => {
    const axis = seriesAxis('weekly', ['2026-09-07', '2026-09-21']);
    expect(axis.periods).toEqual(['2026-09-07', '2026-09-14', '2026-09-21']);
    // Sunday 2026-09-20 belongs to the week of Monday 2026-09-14.
    expect(axis.containing('2026-09-20')).toBe(1);
  });

  it('keeps only recorded terms, and places a date in the latest term started by then', () => {
    const axis = seriesAxis('term', ['2026-09-01', '2026-01-05', '2026-09-01']);
    expect(axis.periods).toEqual(['2026-01-05', '2026-09-01']);
    expect(axis.containing('2026-06-30')).toBe(0);
    expect(axis.containing('2025-12-31')).toBe(-1);
  });

  it('puts every period start of a monthly axis back at its own index (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000 * 12, max: 2100 * 12 }),
        fc.integer({ min: 0, max: 60 }),
        (k, span) => {
          const month = (key: number) =>
            `${Math.floor(key / 12)}-${String((key % 12) + 1).padStart(2, '0')}-01`;
          const axis = seriesAxis('monthly', [month(k), month(k + span)]);
          expect(axis.periods).toHaveLength(span + 1);
          expect(axis.periods.map((p) => axis.indexOf(p))).toEqual(axis.periods.map((_, i) => i));
        },
      ),
    );
  });
});

describe('seriesRequest', () => {
  it('charts a gap as a missing point, not a zero', () => {
    const axis = seriesAxis('monthly', ['2026-01-01', '2026-03-01']);
    const { request } = seriesRequest(pChart, axis, [
      value('2026-03-01', 12),
      value('2026-01-01', 10),
    ]);
    expect(request.values).toEqual([10, null, 12]);
    expect(request.denominators).toEqual([20, null, 20]);
    expect(request.labels).toEqual(['2026-01', '2026-02', '2026-03']);
  });

  it('starts a phase with the period that contains the phase-break date', () => {
    const months = Array.from({ length: 6 }, (_, i) => `2026-0${i + 1}-01`);
    const axis = seriesAxis('monthly', months);
    const values = months.map((m) => value(m, 10));
    expect(seriesRequest(pChart, axis, values, ['2026-03-15']).request.partEnds).toEqual([2]);
    // On the axis' first period or outside it: no break.
    expect(seriesRequest(pChart, axis, values, ['2026-01-10', '2027-01-01']).request.partEnds).toBe(
      undefined,
    );
  });

  it('plots the ratio on an I chart only when the measure defines a denominator', () => {
    const axis = seriesAxis('monthly', ['2026-01-01', '2026-02-01']);
    const values = [value('2026-01-01', 5, 10), value('2026-02-01', 6, null)];
    const ratio = seriesRequest({ ...pChart, chart_type: 'i' }, axis, values);
    expect(ratio.request.values).toEqual([5, null]);
    expect(ratio.request.denominators).toEqual([10, null]);
    expect(ratio.notes[0]).toMatch(/^1 value has no denominator/);
    const counts = seriesRequest(
      { ...pChart, chart_type: 'i', denominator_definition: ' ' },
      axis,
      values,
    );
    expect(counts.request.values).toEqual([5, 6]);
    expect(counts.request.denominators).toBeUndefined();
    expect(counts.notes).toEqual([]);
  });

  it('gives the engine a request it accepts, with excluded points in order', () => {
    const months = Array.from(
      { length: 12 },
      (_, i) => `2026-${String(i + 1).padStart(2, '0')}-01`,
    );
    const axis = seriesAxis('monthly', months);
    const values = months.map((m, i) => ({
      ...value(m, 8 + (i % 3)),
      excluded: i === 9 || i === 4,
    }));
    const { request } = seriesRequest(pChart, axis, values);
    expect(request.excludePoints).toEqual([5, 10]);
    expect(analyzeSpc(request).points).toHaveLength(12);
  });

  it('places an annotation on the point of its period', () => {
    const axis = seriesAxis('monthly', ['2026-01-01', '2026-04-01']);
    expect(pointOfDate(axis, '2026-02-28')).toBe(2);
    expect(pointOfDate(axis, '2025-12-31')).toBe(null);
  });
});
