/**
 * The measure grid's pure model: columns from measures, cell texts, pastes, validation and the
 * changes to send. No React here, so the rules are unit-tested on their own.
 *
 * A cell is addressed by (period row, column); a column is one measure's numerator or, for a
 * measure that needs one, its denominator. Cell contents are kept as the text in the input;
 * `baseline` is the saved text of every cell, `drafts` only the cells edited since.
 */
import { normalizeCellText, parseNumber } from './paste.ts';

export interface GridMeasure {
  id: string;
  name: string;
  unit: string;
  needsDenominator: boolean;
  numeratorLabel?: string;
  denominatorLabel?: string;
  /**
   * The numerator counts part of the denominator (a p chart), so it cannot exceed it: a cell
   * with numerator > denominator is flagged. Defaults to `needsDenominator`; pass false for a
   * rate (u chart: incidents per 100 pupil-days) where it can.
   */
  proportion?: boolean;
}

export interface GridPeriod {
  /** 'YYYY-MM-DD', the period's start. */
  key: string;
  /** e.g. 'Sep 2026'. */
  label: string;
}

export interface GridValue {
  measureId: string;
  periodStart: string;
  numerator: number | null;
  denominator: number | null;
  version?: number;
  /** The stored value's id: with `onShowHistory`, the grid offers this value's history. */
  id?: string;
}

export interface GridChange {
  measure_id: string;
  period_start: string;
  /** null clears the value (the denominator with it). */
  numerator: number | null;
  denominator?: number | null;
  /** The version read, for the server's lost-update check; absent for a new value. */
  version?: number;
}

export interface GridSaveError {
  /** Index into the changes array passed to onSave. */
  index: number;
  /** A JSON pointer or field name; one containing "denominator" is shown on that cell. */
  path: string;
  message: string;
}

export type Part = 'numerator' | 'denominator';

export interface GridColumn {
  measure: GridMeasure;
  part: Part;
  /** The sub-column header: "Num."/"Den." or the measure's own labels; '' for a single value. */
  subLabel: string;
  /** True for the first column of a measure (where its group border starts). */
  first: boolean;
}

export interface CellPos {
  row: number;
  col: number;
}

export type CellTexts = ReadonlyMap<string, string>;

export function buildColumns(measures: readonly GridMeasure[]): GridColumn[] {
  const columns: GridColumn[] = [];
  for (const measure of measures) {
    if (measure.needsDenominator) {
      columns.push({
        measure,
        part: 'numerator',
        subLabel: measure.numeratorLabel || 'Num.',
        first: true,
      });
      columns.push({
        measure,
        part: 'denominator',
        subLabel: measure.denominatorLabel || 'Den.',
        first: false,
      });
    } else {
      columns.push({ measure, part: 'numerator', subLabel: '', first: true });
    }
  }
  return columns;
}

export function cellKey(measureId: string, periodKey: string, part: Part): string {
  return `${measureId}|${periodKey}|${part}`;
}

/** The accessible name of a cell's input: "On track, Sep 2026, numerator". */
export function cellLabel(column: GridColumn, period: GridPeriod): string {
  const base = `${column.measure.name}, ${period.label}`;
  return column.measure.needsDenominator ? `${base}, ${column.part}` : base;
}

/** A number as a cell shows it: plain JavaScript notation, '' for none. */
export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/** The saved text of every cell that has a value. */
export function baselineTexts(values: readonly GridValue[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const v of values) {
    if (v.numerator !== null) {
      map.set(cellKey(v.measureId, v.periodStart, 'numerator'), formatNumber(v.numerator));
    }
    if (v.denominator !== null) {
      map.set(cellKey(v.measureId, v.periodStart, 'denominator'), formatNumber(v.denominator));
    }
  }
  return map;
}

export function versionsOf(values: readonly GridValue[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const v of values) {
    if (v.version !== undefined) map.set(`${v.measureId}|${v.periodStart}`, v.version);
  }
  return map;
}

/** The text a cell shows: its draft, else its saved text, else ''. */
export function textOf(key: string, drafts: CellTexts, baseline: CellTexts): string {
  return drafts.get(key) ?? baseline.get(key) ?? '';
}

/** Whether `text` says something else than `saved`: compared as numbers, so "1.0" = "1". */
export function differs(text: string, saved: string): boolean {
  const a = parseNumber(text);
  const b = parseNumber(saved);
  if (a.kind === 'number' && b.kind === 'number') return a.value !== b.value;
  if (a.kind === 'empty' && b.kind === 'empty') return false;
  return a.kind !== b.kind || text.trim() !== saved.trim();
}

export function isDirty(key: string, drafts: CellTexts, baseline: CellTexts): boolean {
  const draft = drafts.get(key);
  return draft !== undefined && differs(draft, baseline.get(key) ?? '');
}

/** Drafts with one cell set; a cell set back to its saved text leaves the drafts. */
export function setCell(
  drafts: CellTexts,
  baseline: CellTexts,
  key: string,
  text: string,
): Map<string, string> {
  const next = new Map(drafts);
  if (text === (baseline.get(key) ?? '')) next.delete(key);
  else next.set(key, text);
  return next;
}

export interface PasteResult {
  drafts: Map<string, string>;
  /** Cells written. */
  filled: number;
  /** Non-empty pasted cells that fell outside the grid (or on a read-only spot). */
  overflow: number;
  /** The bottom-right cell written, to select after the paste. */
  last: CellPos | null;
}

/**
 * Writes pasted rows into the grid from `start`, rightwards across the columns (numerator and
 * denominator sub-columns alike) and downwards across the periods. An empty pasted cell clears
 * its target, as in a spreadsheet; a row shorter than the others leaves the rest alone; cells
 * past the last column or period are counted in `overflow` when they hold something.
 */
export function applyPaste(
  columns: readonly GridColumn[],
  periods: readonly GridPeriod[],
  drafts: CellTexts,
  baseline: CellTexts,
  start: CellPos,
  cells: readonly (readonly string[])[],
): PasteResult {
  let next = new Map(drafts);
  let filled = 0;
  let overflow = 0;
  let last: CellPos | null = null;
  cells.forEach((rowCells, dr) => {
    rowCells.forEach((raw, dc) => {
      const row = start.row + dr;
      const col = start.col + dc;
      const column = columns[col];
      const period = periods[row];
      const text = normalizeCellText(raw);
      if (!column || !period || row < 0 || col < 0) {
        if (text !== '') overflow++;
        return;
      }
      next = setCell(next, baseline, cellKey(column.measure.id, period.key, column.part), text);
      filled++;
      last = {
        row: Math.max(last?.row ?? row, row),
        col: Math.max(last?.col ?? col, col),
      };
    });
  });
  return { drafts: next, filled, overflow, last };
}

export type Severity = 'error' | 'warning';

export interface CellIssue {
  severity: Severity;
  message: string;
}

export interface RowIssues {
  numerator?: CellIssue;
  denominator?: CellIssue;
}

/**
 * Client checks for one measure and period. Errors block saving (the value cannot be sent as
 * typed); warnings only flag a value to check — the server has the last word.
 */
export function validatePair(measure: GridMeasure, numText: string, denText: string): RowIssues {
  const issues: RowIssues = {};
  const num = parseNumber(numText);
  const den = measure.needsDenominator ? parseNumber(denText) : ({ kind: 'empty' } as const);

  if (num.kind === 'invalid') issues.numerator = { severity: 'error', message: 'Not a number' };
  else if (num.kind === 'number' && num.value < 0)
    issues.numerator = { severity: 'warning', message: 'Negative: check it' };

  if (den.kind === 'invalid') issues.denominator = { severity: 'error', message: 'Not a number' };
  else if (den.kind === 'number' && den.value <= 0)
    issues.denominator = { severity: 'error', message: 'Must be more than 0' };

  if (measure.needsDenominator) {
    if (num.kind === 'number' && den.kind === 'empty') {
      issues.denominator ??= { severity: 'error', message: 'Enter the denominator' };
    } else if (num.kind === 'empty' && den.kind === 'number') {
      issues.numerator ??= {
        severity: 'error',
        message: 'Enter the numerator, or clear the denominator',
      };
    } else if (
      num.kind === 'number' &&
      den.kind === 'number' &&
      den.value > 0 &&
      (measure.proportion ?? true) &&
      num.value > den.value
    ) {
      issues.numerator ??= { severity: 'warning', message: 'More than the denominator' };
    }
  }
  return issues;
}

/** Where a change came from: its measure, period and the grid row. */
export interface ChangeRef {
  measureId: string;
  periodKey: string;
  row: number;
}

export interface CollectedChanges {
  changes: GridChange[];
  refs: ChangeRef[];
  /** The draft text of every cell sent, to tell after the save which drafts it covered. */
  sent: Map<string, string>;
  /** Cells of changed values with an error: saving waits until they are fixed. */
  blocking: { key: string; pos: CellPos; message: string }[];
}

/**
 * One change per measure and period whose numerator or denominator differs from the saved
 * value: both parts are sent as they now stand (null numerator = clear the value).
 */
export function collectChanges(
  columns: readonly GridColumn[],
  periods: readonly GridPeriod[],
  drafts: CellTexts,
  baseline: CellTexts,
  versions: ReadonlyMap<string, number>,
): CollectedChanges {
  const result: CollectedChanges = { changes: [], refs: [], sent: new Map(), blocking: [] };
  periods.forEach((period, row) => {
    columns.forEach((column, col) => {
      if (column.part !== 'numerator') return;
      const { measure } = column;
      const numKey = cellKey(measure.id, period.key, 'numerator');
      const denKey = cellKey(measure.id, period.key, 'denominator');
      const dirty =
        isDirty(numKey, drafts, baseline) ||
        (measure.needsDenominator && isDirty(denKey, drafts, baseline));
      if (!dirty) return;
      const numText = textOf(numKey, drafts, baseline);
      const denText = textOf(denKey, drafts, baseline);
      const issues = validatePair(measure, numText, denText);
      if (issues.numerator?.severity === 'error') {
        result.blocking.push({ key: numKey, pos: { row, col }, message: issues.numerator.message });
      }
      if (issues.denominator?.severity === 'error') {
        result.blocking.push({
          key: denKey,
          pos: { row, col: col + 1 },
          message: issues.denominator.message,
        });
      }
      const num = parseNumber(numText);
      const den = parseNumber(denText);
      const change: GridChange = {
        measure_id: measure.id,
        period_start: period.key,
        numerator: num.kind === 'number' ? num.value : null,
      };
      if (measure.needsDenominator) {
        change.denominator = num.kind === 'number' && den.kind === 'number' ? den.value : null;
      }
      const version = versions.get(`${measure.id}|${period.key}`);
      if (version !== undefined) change.version = version;
      result.changes.push(change);
      result.refs.push({ measureId: measure.id, periodKey: period.key, row });
      if (drafts.has(numKey)) result.sent.set(numKey, numText);
      if (drafts.has(denKey)) result.sent.set(denKey, denText);
    });
  });
  return result;
}

/** A save error placed on its cell. */
export interface PlacedError {
  key: string;
  pos: CellPos;
  message: string;
}

/**
 * Puts the server's errors on cells: the change's denominator cell when the path names the
 * denominator, else its numerator cell. Errors whose index is out of range are dropped.
 */
export function placeSaveErrors(
  errors: readonly GridSaveError[],
  refs: readonly ChangeRef[],
  columns: readonly GridColumn[],
): PlacedError[] {
  const placed: PlacedError[] = [];
  for (const error of errors) {
    const ref = refs[error.index];
    if (!ref) continue;
    const wantDen = /denominator/i.test(error.path);
    let col = columns.findIndex(
      (c) => c.measure.id === ref.measureId && c.part === (wantDen ? 'denominator' : 'numerator'),
    );
    if (col < 0) col = columns.findIndex((c) => c.measure.id === ref.measureId);
    const column = columns[col];
    if (!column) continue;
    placed.push({
      key: cellKey(ref.measureId, ref.periodKey, column.part),
      pos: { row: ref.row, col },
      message: error.message,
    });
  }
  return placed;
}

/**
 * The drafts left after a save of `sent` succeeded: a cell edited again while the save ran keeps
 * its newer text. `saved` is the baseline overlay: the texts now stored, until fresh values come.
 */
export function settleSaved(
  drafts: CellTexts,
  sent: ReadonlyMap<string, string>,
): { drafts: Map<string, string>; saved: Map<string, string> } {
  const next = new Map(drafts);
  const saved = new Map<string, string>();
  for (const [key, text] of sent) {
    saved.set(key, normalizeCellText(text));
    if (next.get(key) === text) next.delete(key);
  }
  return { drafts: next, saved };
}

/** The cell `delta` rows and columns away, or null past the grid's edge. */
export function moveFrom(pos: CellPos, delta: CellPos, rows: number, cols: number): CellPos | null {
  const row = pos.row + delta.row;
  const col = pos.col + delta.col;
  if (row < 0 || col < 0 || row >= rows || col >= cols) return null;
  return { row, col };
}
