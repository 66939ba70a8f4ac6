import { describe, expect, it } from 'vitest';
import { lastPeriods, normalisePeriod, periodLabel, periodsBetween } from './periods.ts';

describe('normalisePeriod', () => {
  it('accepts month starts and YYYY-MM for monthly measures, refuses mid-month dates', () => {
    expect(normalisePeriod('monthly', '2026-09')).toEqual({ ok: true, period: '2026-09-01' });
    expect(normalisePeriod('monthly', ' 2026-09-01 ')).toEqual({ ok: true, period: '2026-09-01' });
    const mid = normalisePeriod('monthly', '2026-09-15');
    expect(mid.ok).toBe(false);
    expect(!mid.ok && mid.message).toContain('first of the month');
    expect(normalisePeriod('monthly', '2026-13').ok).toBe(false);
  });
  it('accepts Mondays for weekly measures and names the Monday otherwise', () => {
    expect(normalisePeriod('weekly', '2026-09-07')).toEqual({ ok: true, period: '2026-09-07' });
    const wed = normalisePeriod('weekly', '2026-09-09');
    expect(!wed.ok && wed.message).toContain('2026-09-07');
    expect(normalisePeriod('weekly', '2026-09').ok).toBe(false);
  });
  it('accepts any real date for terms and refuses impossible dates', () => {
    expect(normalisePeriod('term', '2026-08-27')).toEqual({ ok: true, period: '2026-08-27' });
    expect(normalisePeriod('term', '2026-02-30').ok).toBe(false);
    expect(normalisePeriod('term', 'autumn').ok).toBe(false);
  });
});

describe('period sequences', () => {
  it('lists every period between two starts', () => {
    expect(periodsBetween('monthly', '2025-11-01', '2026-02-01')).toEqual([
      '2025-11-01',
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
    ]);
    expect(periodsBetween('weekly', '2026-09-07', '2026-09-21')).toHaveLength(3);
  });
  it('lists the last periods up to today', () => {
    expect(lastPeriods('monthly', '2026-03-15', 3)).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
    ]);
    expect(lastPeriods('weekly', '2026-09-09', 2)).toEqual(['2026-08-31', '2026-09-07']);
  });
  it('labels monthly points by month', () => {
    expect(periodLabel('monthly', '2026-09-01')).toBe('2026-09');
    expect(periodLabel('weekly', '2026-09-07')).toBe('2026-09-07');
  });
});
