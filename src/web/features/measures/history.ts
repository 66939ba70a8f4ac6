/**
 * A stored value's history (GET /measure-values/{id}/history) as the states it went through,
 * newest first, each with who stored it, when and how.
 *
 * The API keeps, for each correction, the state *before* it together with who made the
 * correction, when and how (`changed_by`, `changed_at`, `source`). So the state a correction
 * produced is the next newer one: the current value was stored by the newest revision's
 * correction, and so on down; the oldest state is the first entry, stored by `created_by` at the
 * value's `created_at` (its channel is not recorded).
 */
import type { ValueHistory } from './model.ts';

export type ValueSource = ValueHistory['revisions'][number]['source'];

/** How a state was stored, as the history says it ("Avery Admin, file import"). */
export const SOURCE_LABELS: Record<ValueSource, string> = {
  grid: 'data grid',
  import: 'file import',
  api: 'API',
};

export interface ValueState {
  key: string;
  /** The value as stored now (the first state). */
  current: boolean;
  numerator: number;
  denominator: number | null;
  excluded: boolean;
  note: string;
  /** When this state was stored. */
  storedAt: string;
  /** Who stored it: a name, or null when the history does not say. */
  storedBy: string | null;
  /** The account that stored it, when known (to say "You"). */
  storedById: string | null;
  /** How it was stored; null for the first entry (not recorded). */
  source: ValueSource | null;
  /** The value as first entered (not a correction). */
  firstEntry: boolean;
}

export function valueStates(history: ValueHistory): ValueState[] {
  const { value, revisions } = history;
  const states = [
    { key: value.id, ...pick(value) },
    ...revisions.map((r) => ({ key: r.id, ...pick(r) })),
  ];
  return states.map((state, i) => {
    // The correction that produced state i is recorded with state i + 1, the one it replaced.
    const made = revisions[i];
    return {
      ...state,
      current: i === 0,
      storedAt: made ? made.changed_at : value.created_at,
      storedBy: made ? made.changed_by_name : history.created_by_name,
      storedById: made ? made.changed_by : history.created_by,
      source: made ? made.source : null,
      firstEntry: made === undefined,
    };
  });
}

function pick(s: {
  numerator: number;
  denominator: number | null;
  excluded: boolean;
  note: string;
}) {
  return {
    numerator: s.numerator,
    denominator: s.denominator,
    excluded: s.excluded,
    note: s.note,
  };
}
