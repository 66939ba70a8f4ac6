import { describe, expect, it } from 'vitest';
import {
  applyPaste,
  baselineTexts,
  buildColumns,
  cellKey,
  cellLabel,
  collectChanges,
  differs,
  type GridColumn,
  type GridMeasure,
  type GridPeriod,
  type GridValue,
  moveFrom,
  placeSaveErrors,
  setCell,
  settleSaved,
  validatePair,
  versionsOf,
} from './grid-model.ts';
import { parseClipboard } from './paste.ts';

const onTrack: GridMeasure = {
  id: 'm1',
  name: 'On track',
  unit: '%',
  needsDenominator: true,
  numeratorLabel: 'Pupils on track',
};
const attendance: GridMeasure = {
  id: 'm2',
  name: 'Attendance',
  unit: 'days',
  needsDenominator: false,
};
const incidents: GridMeasure = {
  id: 'm3',
  name: 'Incidents',
  unit: 'per 100 days',
  needsDenominator: true,
  proportion: false,
};
const measures = [onTrack, attendance];
const periods: GridPeriod[] = [
  { key: '2026-09-01', label: 'Sep 2026' },
  { key: '2026-10-01', label: 'Oct 2026' },
  { key: '2026-11-01', label: 'Nov 2026' },
];
const values: GridValue[] = [
  { measureId: 'm1', periodStart: '2026-09-01', numerator: 12, denominator: 40, version: 3 },
  { measureId: 'm2', periodStart: '2026-09-01', numerator: 180, denominator: null, version: 1 },
];

describe('buildColumns', () => {
  it('gives a measure with a denominator two columns, labelled', () => {
    const columns = buildColumns([
      onTrack,
      attendance,
      { ...onTrack, id: 'm4', numeratorLabel: '' },
    ]);
    expect(columns.map((c) => [c.measure.id, c.part, c.subLabel, c.first])).toEqual([
      ['m1', 'numerator', 'Pupils on track', true],
      ['m1', 'denominator', 'Den.', false],
      ['m2', 'numerator', '', true],
      ['m4', 'numerator', 'Num.', true],
      ['m4', 'denominator', 'Den.', false],
    ]);
  });

  it('names each cell by measure, period and part', () => {
    const [num, den, single] = buildColumns(measures) as [GridColumn, GridColumn, GridColumn];
    const sep = periods[0] as GridPeriod;
    expect(cellLabel(num, sep)).toBe('On track, Sep 2026, numerator');
    expect(cellLabel(den, sep)).toBe('On track, Sep 2026, denominator');
    expect(cellLabel(single, sep)).toBe('Attendance, Sep 2026');
  });
});

describe('drafts', () => {
  const baseline = baselineTexts(values);
  it('reads saved values as texts', () => {
    expect(baseline.get(cellKey('m1', '2026-09-01', 'numerator'))).toBe('12');
    expect(baseline.get(cellKey('m1', '2026-09-01', 'denominator'))).toBe('40');
    expect(baseline.has(cellKey('m2', '2026-09-01', 'denominator'))).toBe(false);
  });

  it('compares cells as numbers', () => {
    expect(differs('12.0', '12')).toBe(false);
    expect(differs(' ', '')).toBe(false);
    expect(differs('13', '12')).toBe(true);
    expect(differs('', '12')).toBe(true);
    expect(differs('x', '')).toBe(true);
  });

  it('drops a draft set back to the saved text', () => {
    const key = cellKey('m1', '2026-09-01', 'numerator');
    const edited = setCell(new Map(), baseline, key, '13');
    expect(edited.get(key)).toBe('13');
    expect(setCell(edited, baseline, key, '12').has(key)).toBe(false);
  });
});

describe('applyPaste', () => {
  const columns = buildColumns(measures);
  const baseline = baselineTexts(values);

  it('fills rightwards across numerator and denominator and downwards', () => {
    const cells = parseClipboard('14\t41\t175\r\n15\t42\t1,234\r\n');
    const result = applyPaste(columns, periods, new Map(), baseline, { row: 0, col: 0 }, cells);
    expect(result.filled).toBe(6);
    expect(result.overflow).toBe(0);
    expect(result.last).toEqual({ row: 1, col: 2 });
    expect(Object.fromEntries(result.drafts)).toEqual({
      'm1|2026-09-01|numerator': '14',
      'm1|2026-09-01|denominator': '41',
      'm2|2026-09-01|numerator': '175',
      'm1|2026-10-01|numerator': '15',
      'm1|2026-10-01|denominator': '42',
      'm2|2026-10-01|numerator': '1234',
    });
  });

  it('counts non-empty cells past the grid as not fitting', () => {
    const cells = parseClipboard('1\t2\t\n3\t4\t5\n6\t7\t8\n');
    const result = applyPaste(columns, periods, new Map(), baseline, { row: 1, col: 1 }, cells);
    // Row 1 and 2 fit in columns 1–2; the third column and the third row fall off.
    expect(result.filled).toBe(4);
    expect(result.overflow).toBe(4); // 5, 6, 7, 8 (the empty third cell of row 1 is not counted)
    expect(result.last).toEqual({ row: 2, col: 2 });
  });

  it('clears cells for empty pasted cells and keeps text that is not a number', () => {
    const cells = parseClipboard('\tn/a\n');
    const result = applyPaste(columns, periods, new Map(), baseline, { row: 0, col: 0 }, cells);
    expect(result.drafts.get('m1|2026-09-01|numerator')).toBe('');
    expect(result.drafts.get('m1|2026-09-01|denominator')).toBe('n/a');
  });

  it('leaves cells unchanged when pasting the saved values', () => {
    const cells = parseClipboard('12\t40\t180');
    const result = applyPaste(columns, periods, new Map(), baseline, { row: 0, col: 0 }, cells);
    expect(result.drafts.size).toBe(0);
    expect(result.filled).toBe(3);
  });
});

describe('validatePair', () => {
  it('accepts a full pair and empty cells', () => {
    expect(validatePair(onTrack, '12', '40')).toEqual({});
    expect(validatePair(onTrack, '', '')).toEqual({});
    expect(validatePair(attendance, '180', '')).toEqual({});
  });

  it('flags text, negatives and non-positive denominators', () => {
    expect(validatePair(attendance, 'abc', '')).toEqual({
      numerator: { severity: 'error', message: 'Not a number' },
    });
    expect(validatePair(attendance, '-3', '').numerator?.severity).toBe('warning');
    expect(validatePair(onTrack, '3', '0').denominator).toEqual({
      severity: 'error',
      message: 'Must be more than 0',
    });
    expect(validatePair(onTrack, '3', 'x').denominator?.message).toBe('Not a number');
  });

  it('asks for both parts of a proportion', () => {
    expect(validatePair(onTrack, '12', '').denominator?.message).toBe('Enter the denominator');
    expect(validatePair(onTrack, '', '40').numerator?.severity).toBe('error');
  });

  it('warns when a proportion numerator exceeds its denominator, not for a rate', () => {
    expect(validatePair(onTrack, '41', '40')).toEqual({
      numerator: { severity: 'warning', message: 'More than the denominator' },
    });
    expect(validatePair(incidents, '41', '40')).toEqual({});
  });
});

describe('collectChanges', () => {
  const columns = buildColumns(measures);
  const baseline = baselineTexts(values);
  const versions = versionsOf(values);

  it('sends one change per changed value with both parts and the version read', () => {
    let drafts = setCell(new Map(), baseline, 'm1|2026-09-01|denominator', '41');
    drafts = setCell(drafts, baseline, 'm2|2026-10-01|numerator', '1,234');
    drafts = setCell(drafts, baseline, 'm2|2026-09-01|numerator', '180.0'); // same number
    const collected = collectChanges(columns, periods, drafts, baseline, versions);
    expect(collected.changes).toEqual([
      {
        measure_id: 'm1',
        period_start: '2026-09-01',
        numerator: 12,
        denominator: 41,
        version: 3,
      },
      { measure_id: 'm2', period_start: '2026-10-01', numerator: 1234 },
    ]);
    expect(collected.refs.map((r) => r.row)).toEqual([0, 1]);
    expect(collected.blocking).toEqual([]);
    expect([...collected.sent.keys()]).toEqual([
      'm1|2026-09-01|denominator',
      'm2|2026-10-01|numerator',
    ]);
  });

  it('clears a value with a null numerator and denominator', () => {
    let drafts = setCell(new Map(), baseline, 'm1|2026-09-01|numerator', '');
    drafts = setCell(drafts, baseline, 'm1|2026-09-01|denominator', '');
    const { changes, blocking } = collectChanges(columns, periods, drafts, baseline, versions);
    expect(changes).toEqual([
      {
        measure_id: 'm1',
        period_start: '2026-09-01',
        numerator: null,
        denominator: null,
        version: 3,
      },
    ]);
    expect(blocking).toEqual([]);
  });

  it('lists errors in changed values as blocking, with their positions', () => {
    let drafts = setCell(new Map(), baseline, 'm1|2026-10-01|numerator', '5');
    drafts = setCell(drafts, baseline, 'm2|2026-11-01|numerator', 'lots');
    const { blocking } = collectChanges(columns, periods, drafts, baseline, versions);
    expect(blocking).toEqual([
      {
        key: 'm1|2026-10-01|denominator',
        pos: { row: 1, col: 1 },
        message: 'Enter the denominator',
      },
      { key: 'm2|2026-11-01|numerator', pos: { row: 2, col: 2 }, message: 'Not a number' },
    ]);
  });
});

describe('after saving', () => {
  const columns = buildColumns(measures);

  it('places server errors on the denominator or numerator cell of the change', () => {
    const refs = [
      { measureId: 'm1', periodKey: '2026-10-01', row: 1 },
      { measureId: 'm2', periodKey: '2026-11-01', row: 2 },
    ];
    const placed = placeSaveErrors(
      [
        { index: 0, path: '/changes/0/denominator', message: 'must be > 0' },
        { index: 1, path: '', message: 'period is locked' },
        { index: 7, path: '', message: 'dropped' },
      ],
      refs,
      columns,
    );
    expect(placed).toEqual([
      { key: 'm1|2026-10-01|denominator', pos: { row: 1, col: 1 }, message: 'must be > 0' },
      { key: 'm2|2026-11-01|numerator', pos: { row: 2, col: 2 }, message: 'period is locked' },
    ]);
  });

  it('keeps drafts edited again while the save ran', () => {
    const sent = new Map([
      ['a', '1,5'],
      ['b', '2'],
    ]);
    const drafts = new Map([
      ['a', '1,5'],
      ['b', '3'],
      ['c', '4'],
    ]);
    const settled = settleSaved(drafts, sent);
    expect(Object.fromEntries(settled.drafts)).toEqual({ b: '3', c: '4' });
    expect(Object.fromEntries(settled.saved)).toEqual({ a: '1.5', b: '2' });
  });

  it('moves within the grid only', () => {
    expect(moveFrom({ row: 0, col: 0 }, { row: 1, col: 0 }, 3, 3)).toEqual({ row: 1, col: 0 });
    expect(moveFrom({ row: 0, col: 0 }, { row: 0, col: -1 }, 3, 3)).toBeNull();
    expect(moveFrom({ row: 2, col: 2 }, { row: 1, col: 0 }, 3, 3)).toBeNull();
  });
});
