import { describe, expect, it } from 'vitest';
import { denominatorNeed, valueProblems } from './value-rules.ts';

describe('valueProblems', () => {
  it('requires denominators on rate charts and refuses them on c charts', () => {
    expect(denominatorNeed('p')).toBe('required');
    expect(denominatorNeed('i')).toBe('optional');
    expect(valueProblems('p', 3, null).map((p) => p.field)).toEqual(['denominator']);
    expect(valueProblems('c', 3, 10).map((p) => p.field)).toEqual(['denominator']);
    expect(valueProblems('i', -3, null)).toEqual([]);
  });
  it('keeps proportions within the whole and counts non-negative', () => {
    expect(valueProblems('p', 12, 10)[0]?.message).toContain('larger than the denominator');
    expect(valueProblems('u', -1, 10).map((p) => p.field)).toEqual(['numerator']);
    expect(valueProblems('p', 1, 0).map((p) => p.message)).toEqual(['must be greater than 0']);
  });
});
