import { describe, expect, it } from 'vitest';
import { valueStates } from './history.ts';
import type { ValueHistory } from './model.ts';

const value: ValueHistory['value'] = {
  id: 'v1',
  measure_id: 'm1',
  team_id: 't1',
  period_start: '2026-03-01',
  numerator: 30,
  denominator: 100,
  excluded: true,
  note: 'recounted',
  created_at: '2026-03-02T09:00:00.000Z',
  updated_at: '2026-03-20T09:00:00.000Z',
  updated_by: 'u2',
  version: 3,
};

describe('valueStates', () => {
  it('dates each state by the correction that made it, newest first', () => {
    const states = valueStates({
      value,
      created_by: 'u0',
      created_by_name: 'Cleo',
      revisions: [
        {
          id: 'r2',
          numerator: 25,
          denominator: 100,
          excluded: false,
          note: '',
          changed_by: 'u2',
          changed_by_name: 'Bea',
          changed_at: '2026-03-20T09:00:00.000Z',
          source: 'import',
        },
        {
          id: 'r1',
          numerator: 20,
          denominator: null,
          excluded: false,
          note: 'first try',
          changed_by: 'u1',
          changed_by_name: 'Ana',
          changed_at: '2026-03-10T09:00:00.000Z',
          source: 'grid',
        },
      ],
    });
    expect(
      states.map((s) => [s.key, s.current, s.numerator, s.storedAt, s.storedBy, s.source]),
    ).toEqual([
      ['v1', true, 30, '2026-03-20T09:00:00.000Z', 'Bea', 'import'],
      ['r2', false, 25, '2026-03-10T09:00:00.000Z', 'Ana', 'grid'],
      ['r1', false, 20, '2026-03-02T09:00:00.000Z', 'Cleo', null],
    ]);
    expect(states.map((s) => s.firstEntry)).toEqual([false, false, true]);
    expect(states[0]).toMatchObject({ excluded: true, note: 'recounted', denominator: 100 });
    expect(states[2]).toMatchObject({ note: 'first try', denominator: null, storedById: 'u0' });
  });

  it('gives a never-corrected value as its first entry, by whoever entered it', () => {
    const states = valueStates({ value, created_by: 'u2', created_by_name: 'Bea', revisions: [] });
    expect(states).toHaveLength(1);
    expect(states[0]).toMatchObject({
      current: true,
      firstEntry: true,
      storedAt: value.created_at,
      storedBy: 'Bea',
      storedById: 'u2',
      source: null,
    });
  });
});
