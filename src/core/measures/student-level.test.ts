import { describe, expect, it } from 'vitest';
import { studentLevelColumns } from './student-level.ts';

const allowed = new Set([
  'measure',
  'period',
  'numerator',
  'denominator',
  'note',
  'team',
  'team_id',
  'measure_id',
]);

describe('studentLevelColumns', () => {
  it('flags columns that identify a person', () => {
    const headers = ['Student ID', 'first_name', 'LastName', 'DOB', 'email', 'SSN', 'measure'];
    expect(studentLevelColumns(headers, allowed).map((c) => c.header)).toEqual(headers.slice(0, 6));
  });
  it('flags a grade level next to an id-like column, not alone', () => {
    expect(
      studentLevelColumns(['local_number', 'grade_level'], allowed).map((c) => c.header),
    ).toEqual(['grade_level']);
    expect(studentLevelColumns(['grade_level', 'measure'], allowed)).toEqual([]);
  });
  it('leaves the import columns and aggregate headers alone', () => {
    expect(
      studentLevelColumns(
        ['measure', 'period', 'numerator', 'denominator', 'note', 'team_id', 'measure_id'],
        allowed,
      ),
    ).toEqual([]);
  });
});
