import {
  type ChangeEvent,
  type ClipboardEvent,
  type FocusEvent,
  type KeyboardEvent,
  memo,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import { Button } from '../Button.tsx';
import { ConfirmDialog } from '../Dialog.tsx';
import { EmptyState } from '../EmptyState.tsx';
import { useUnsavedChangesGuard } from '../useUnsavedChangesGuard.ts';
import {
  applyPaste,
  baselineTexts,
  buildColumns,
  type CellIssue,
  type CellPos,
  cellKey,
  cellLabel,
  collectChanges,
  type GridChange,
  type GridMeasure,
  type GridPeriod,
  type GridSaveError,
  type GridValue,
  isDirty,
  moveFrom,
  type Part,
  type PlacedError,
  placeSaveErrors,
  setCell,
  settleSaved,
  textOf,
  validatePair,
  versionsOf,
} from './grid-model.ts';
import { isMultiCell, parseNumber, splitClipboard } from './paste.ts';
import '../../styles/measure-grid.css';

export type {
  GridChange,
  GridMeasure,
  GridPeriod,
  GridSaveError,
  GridValue,
} from './grid-model.ts';

// biome-ignore lint/suspicious/noConfusingVoidType: an async onSave that returns nothing resolves to void
export type GridSaveResult = void | { errors: GridSaveError[] };

export interface MeasureGridProps {
  measures: readonly GridMeasure[];
  /** The rows, in the order shown (usually oldest first, like a spreadsheet). */
  periods: readonly GridPeriod[];
  values: readonly GridValue[];
  /**
   * Saves the changed values. Resolve with `{ errors }` (index into `changes`) to show them on
   * the cells; the grid keeps every change unsaved then (it assumes the save was all or
   * nothing). Reject to show the error's message. Pass fresh `values` once saved.
   */
  onSave: (changes: GridChange[]) => Promise<GridSaveResult>;
  /** Saving outside the grid's own call (e.g. a mutation's isPending). */
  saving?: boolean;
  readOnly?: boolean;
  /** The table's caption for screen readers (the page's heading usually shows it). */
  caption?: string;
  /**
   * Offers a "History" button on each row for every saved value (one with an `id`), in a last
   * column; called with the value and the row's label (e.g. "Sep 2026", or "Attendance, Sep
   * 2026" in a grid of several measures).
   */
  onShowHistory?: (value: HistoryRequest) => void;
}

export interface HistoryRequest {
  id: string;
  measureId: string;
  periodKey: string;
  label: string;
}

const EMPTY = new Map<string, string>();

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A spreadsheet-like grid to enter a team's measure values: rows are periods, columns are
 * measures (a numerator and a denominator column for a measure that needs one). Arrows, Enter
 * and Tab move between cells, Escape reverts, a range pasted from a spreadsheet fills the cells
 * from the focused one, and Save (Ctrl+S) sends the changed values.
 */
export function MeasureGrid({
  measures,
  periods,
  values,
  onSave,
  saving = false,
  readOnly = false,
  caption = 'Measure values by period',
  onShowHistory,
}: MeasureGridProps) {
  const gridId = useId();
  const columns = useMemo(() => buildColumns(measures), [measures]);
  const twoRowHeader = measures.some((m) => m.needsDenominator);

  const [drafts, setDrafts] = useState<Map<string, string>>(() => new Map());
  // What the last successful save stored, shown until fresh `values` arrive.
  const [savedOverlay, setSavedOverlay] = useState<{
    forValues: readonly GridValue[];
    saved: Map<string, string>;
  }>({ forValues: values, saved: new Map() });
  const overlay = savedOverlay.forValues === values ? savedOverlay.saved : EMPTY;
  const baseline = useMemo(() => {
    const map = baselineTexts(values);
    for (const [key, text] of overlay) map.set(key, text);
    return map;
  }, [values, overlay]);
  const versions = useMemo(() => versionsOf(values), [values]);
  const valueIds = useMemo(() => {
    const ids = new Map<string, string>();
    for (const v of values) if (v.id) ids.set(`${v.measureId}|${v.periodStart}`, v.id);
    return ids;
  }, [values]);

  const [serverErrors, setServerErrors] = useState<PlacedError[]>([]);
  const [summary, setSummary] = useState<'client' | 'server' | null>(null);
  const [notice, setNotice] = useState<{ text: string; tone: 'info' | 'warning' } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const busy = saving || pending;

  const collected = useMemo(
    () => collectChanges(columns, periods, drafts, baseline, versions),
    [columns, periods, drafts, baseline, versions],
  );
  const unsaved = collected.changes.length;

  // Client issues of every cell (saved values too: a saved proportion above 1 is worth a look).
  const issues = useMemo(() => {
    const map = new Map<string, CellIssue>();
    for (const period of periods) {
      for (const measure of measures) {
        const numKey = cellKey(measure.id, period.key, 'numerator');
        const denKey = cellKey(measure.id, period.key, 'denominator');
        const found = validatePair(
          measure,
          textOf(numKey, drafts, baseline),
          textOf(denKey, drafts, baseline),
        );
        if (found.numerator) map.set(numKey, found.numerator);
        if (found.denominator) map.set(denKey, found.denominator);
      }
    }
    return map;
  }, [periods, measures, drafts, baseline]);

  const serverErrorByKey = useMemo(
    () => new Map(serverErrors.map((e) => [e.key, e.message])),
    [serverErrors],
  );

  // Latest state for the stable handlers below.
  const latest = useRef({ drafts, baseline, columns, periods, readOnly });
  latest.current = { drafts, baseline, columns, periods, readOnly };
  const focusText = useRef('');
  const summaryRef = useRef<HTMLDivElement>(null);

  const cellId = useCallback((pos: CellPos) => `${gridId}-r${pos.row}-c${pos.col}`, [gridId]);

  const focusCell = useCallback(
    (pos: CellPos) => {
      const input = document.getElementById(cellId(pos));
      if (input instanceof HTMLInputElement) {
        input.focus();
        input.select();
      }
    },
    [cellId],
  );

  const forgetServerErrors = useCallback((keys: Iterable<string>) => {
    const drop = new Set(keys);
    setServerErrors((errors) =>
      errors.some((e) => drop.has(e.key)) ? errors.filter((e) => !drop.has(e.key)) : errors,
    );
  }, []);

  const setText = useCallback(
    (key: string, text: string) => {
      setDrafts((d) => setCell(d, latest.current.baseline, key, text));
      forgetServerErrors([key]);
    },
    [forgetServerErrors],
  );

  const onChange = useCallback(
    (event: ChangeEvent<HTMLInputElement>) => {
      const key = event.currentTarget.dataset.key;
      if (key) setText(key, event.currentTarget.value);
    },
    [setText],
  );

  const onFocus = useCallback((event: FocusEvent<HTMLInputElement>) => {
    focusText.current = event.currentTarget.value;
    // Typing replaces the value, as in a spreadsheet; click again or use the arrows to edit.
    event.currentTarget.select();
  }, []);

  // On leaving a cell, a number is shown as it was read ("1,234" → "1234"), so a misread shows.
  const onBlur = useCallback(
    (event: FocusEvent<HTMLInputElement>) => {
      const { value, dataset } = event.currentTarget;
      const parsed = parseNumber(value);
      if (!dataset.key || latest.current.readOnly || parsed.kind !== 'number') return;
      const shown = String(parsed.value);
      if (shown !== value) setText(dataset.key, shown);
    },
    [setText],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLInputElement>) => {
      const input = event.currentTarget;
      const pos = { row: Number(input.dataset.row), col: Number(input.dataset.col) };
      const { columns: cols, periods: rows } = latest.current;
      const move = (dRow: number, dCol: number) => {
        const next = moveFrom(pos, { row: dRow, col: dCol }, rows.length, cols.length);
        event.preventDefault();
        if (next) focusCell(next);
        else input.select();
      };
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const start = input.selectionStart ?? 0;
      const end = input.selectionEnd ?? 0;
      const length = input.value.length;
      const all = start === 0 && end === length;
      switch (event.key) {
        case 'ArrowUp':
          move(-1, 0);
          break;
        case 'ArrowDown':
          move(1, 0);
          break;
        case 'ArrowLeft':
          if (!event.shiftKey && (all || (start === 0 && end === 0))) move(0, -1);
          break;
        case 'ArrowRight':
          if (!event.shiftKey && (all || (start === length && end === length))) move(0, 1);
          break;
        case 'Enter':
          move(event.shiftKey ? -1 : 1, 0);
          break;
        case 'Escape': {
          const key = input.dataset.key;
          if (!key || latest.current.readOnly) return;
          event.preventDefault();
          // First Escape: back to the text the cell had when it got focus; then to the saved one.
          const saved = latest.current.baseline.get(key) ?? '';
          const target = input.value !== focusText.current ? focusText.current : saved;
          focusText.current = target;
          setText(key, target);
          requestAnimationFrame(() => input.select());
          break;
        }
      }
    },
    [focusCell, setText],
  );

  const [pastedAt, setPastedAt] = useState<CellPos | null>(null);
  useEffect(() => {
    if (pastedAt) focusCell(pastedAt);
  }, [pastedAt, focusCell]);

  const onPaste = (event: ClipboardEvent<HTMLTableElement>) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.dataset.row === undefined) return;
    const text = event.clipboardData.getData('text/plain');
    if (!isMultiCell(text)) return; // one value: the input takes it as typed text
    event.preventDefault();
    if (readOnly) return;
    const start = { row: Number(input.dataset.row), col: Number(input.dataset.col) };
    const result = applyPaste(columns, periods, drafts, baseline, start, splitClipboard(text));
    const written: string[] = [];
    for (const [key, value] of result.drafts) if (drafts.get(key) !== value) written.push(key);
    for (const key of drafts.keys()) if (!result.drafts.has(key)) written.push(key);
    setDrafts(result.drafts);
    forgetServerErrors(written);
    const fitted = `Pasted ${plural(result.filled, 'value', 'values')}.`;
    setNotice(
      result.overflow > 0
        ? {
            text: `${fitted} ${plural(result.overflow, 'value', 'values')} did not fit in the grid and ${result.overflow === 1 ? 'was' : 'were'} left out.`,
            tone: 'warning',
          }
        : { text: fitted, tone: 'info' },
    );
    // Keep focus on the pasted cell, with its new text selected.
    setPastedAt({ ...start });
  };

  const latestValues = useRef(values);
  latestValues.current = values;
  const save = async () => {
    if (readOnly || busy) return;
    setFailure(null);
    if (collected.changes.length === 0) {
      setSummary(null);
      setNotice({ text: 'Nothing to save: no value has changed.', tone: 'info' });
      return;
    }
    if (collected.blocking.length > 0) {
      setNotice(null);
      setSummary('client');
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    const { changes, refs, sent } = collected;
    setPending(true);
    setNotice(null);
    try {
      const result = await onSave(changes);
      if (result && result.errors.length > 0) {
        setServerErrors(placeSaveErrors(result.errors, refs, columns));
        setSummary('server');
        requestAnimationFrame(() => summaryRef.current?.focus());
        return;
      }
      const settled = settleSaved(latest.current.drafts, sent);
      setDrafts(settled.drafts);
      setSavedOverlay((prev) => ({
        forValues: latestValues.current,
        saved: new Map([
          ...(prev.forValues === latestValues.current ? prev.saved : EMPTY),
          ...settled.saved,
        ]),
      }));
      setServerErrors([]);
      setSummary(null);
      setNotice({ text: `Saved ${plural(changes.length, 'change', 'changes')}.`, tone: 'info' });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setPending(false);
    }
  };
  const saveRef = useRef(save);
  saveRef.current = save;

  // Ctrl+S / ⌘S saves while the grid is on the page (instead of saving the web page).
  useEffect(() => {
    if (readOnly) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
        event.preventDefault();
        void saveRef.current();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [readOnly]);

  // Leaving the page with unsaved changes asks first: reload, close, another site, an in-app
  // link or Back.
  useUnsavedChangesGuard(
    unsaved > 0,
    `The data grid has ${plural(unsaved, 'unsaved change', 'unsaved changes')}. Leave this page and lose ${unsaved === 1 ? 'it' : 'them'}?`,
  );

  const discard = () => {
    setDrafts(new Map());
    setServerErrors([]);
    setSummary(null);
    setFailure(null);
    setConfirmDiscard(false);
    setNotice({ text: 'Discarded the unsaved changes.', tone: 'info' });
  };

  if (measures.length === 0 || periods.length === 0) {
    return (
      <div data-testid="measure-grid">
        <EmptyState title={measures.length === 0 ? 'No measures to enter' : 'No periods to enter'}>
          {measures.length === 0
            ? 'Values are entered for the measures of a project or a charter: add a measure first.'
            : 'Choose the periods to enter values for.'}
        </EmptyState>
      </div>
    );
  }

  const summaryItems: PlacedError[] =
    summary === 'client' ? collected.blocking : summary === 'server' ? serverErrors : [];
  const labelAt = (pos: CellPos) => {
    const column = columns[pos.col];
    const period = periods[pos.row];
    return column && period ? cellLabel(column, period) : '';
  };

  return (
    <div className="measure-grid" data-testid="measure-grid">
      {!readOnly && (
        <div className="measure-grid__toolbar">
          <p className="measure-grid__count">
            {unsaved === 0
              ? 'No unsaved changes'
              : plural(unsaved, 'unsaved change', 'unsaved changes')}
          </p>
          <Button
            variant="primary"
            onClick={() => void save()}
            loading={busy}
            loadingLabel="Saving…"
            aria-keyshortcuts="Control+S"
          >
            Save changes
          </Button>
          <Button onClick={() => setConfirmDiscard(true)} disabled={unsaved === 0 || busy}>
            Discard
          </Button>
          <p className="measure-grid__hint">
            Arrows, Enter and Tab move; Esc undoes a cell; paste a range from a spreadsheet; Ctrl+S
            saves.
          </p>
        </div>
      )}

      {summaryItems.length > 0 && (
        <div
          className="alert alert--error measure-grid__summary"
          role="alert"
          tabIndex={-1}
          ref={summaryRef}
        >
          <p className="alert__title">
            {summary === 'client'
              ? `Fix ${plural(summaryItems.length, 'cell', 'cells')} before saving`
              : `Nothing was saved: ${plural(summaryItems.length, 'value needs', 'values need')} fixing`}
          </p>
          <ul>
            {summaryItems.map((item) => (
              <li key={`${item.key}-${item.message}`}>
                <a
                  href={`#${cellId(item.pos)}`}
                  onClick={(event) => {
                    event.preventDefault();
                    focusCell(item.pos);
                  }}
                >
                  {labelAt(item.pos)}: {item.message}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {failure && (
        <div className="alert alert--error" role="alert">
          <p className="alert__title">Could not save: {failure}</p>
          <p>Your changes are still here. Try again, or copy them before leaving the page.</p>
        </div>
      )}
      <div role="status" className="measure-grid__status">
        {notice && (
          <div className={notice.tone === 'warning' ? 'alert alert--warning' : 'alert'}>
            {notice.text}
          </div>
        )}
      </div>

      <section className="table-wrap measure-grid__scroll" aria-label={caption}>
        <table className="measure-grid__table" onPaste={onPaste}>
          <caption className="visually-hidden">{caption}</caption>
          <colgroup>
            <col />
          </colgroup>
          {measures.map((m) => (
            <colgroup key={m.id} span={m.needsDenominator ? 2 : 1} />
          ))}
          <thead>
            <tr>
              <th scope="col" rowSpan={twoRowHeader ? 2 : 1} className="measure-grid__corner">
                Period
              </th>
              {measures.map((m) => (
                <th
                  key={m.id}
                  scope={m.needsDenominator ? 'colgroup' : 'col'}
                  colSpan={m.needsDenominator ? 2 : 1}
                  rowSpan={twoRowHeader && !m.needsDenominator ? 2 : 1}
                  className="measure-grid__measure"
                >
                  <span className="measure-grid__name">{m.name}</span>
                  {m.unit && <span className="measure-grid__unit"> ({m.unit})</span>}
                </th>
              ))}
              {onShowHistory && (
                <th
                  scope="col"
                  rowSpan={twoRowHeader ? 2 : 1}
                  className="measure-grid__history-head"
                >
                  <span className="visually-hidden">History of the stored value</span>
                </th>
              )}
            </tr>
            {twoRowHeader && (
              <tr>
                {columns
                  .filter((c) => c.measure.needsDenominator)
                  .map((c) => (
                    <th
                      key={`${c.measure.id}-${c.part}`}
                      scope="col"
                      className={
                        c.first
                          ? 'measure-grid__part measure-grid__part--first'
                          : 'measure-grid__part'
                      }
                    >
                      {c.subLabel}
                    </th>
                  ))}
              </tr>
            )}
          </thead>
          <tbody>
            {periods.map((period, row) => (
              <tr key={period.key}>
                <th scope="row" className="measure-grid__period">
                  {period.label}
                </th>
                {columns.map((column, col) => {
                  const key = cellKey(column.measure.id, period.key, column.part);
                  const issue = issues.get(key);
                  const serverError = serverErrorByKey.get(key);
                  return (
                    <GridCell
                      key={key}
                      id={cellId({ row, col })}
                      cellKey={key}
                      row={row}
                      col={col}
                      measureId={column.measure.id}
                      periodKey={period.key}
                      part={column.part}
                      first={column.first}
                      label={cellLabel(column, period)}
                      text={textOf(key, drafts, baseline)}
                      dirty={isDirty(key, drafts, baseline)}
                      message={serverError ?? issue?.message}
                      severity={serverError ? 'error' : issue?.severity}
                      readOnly={readOnly}
                      onChange={onChange}
                      onFocus={onFocus}
                      onBlur={onBlur}
                      onKeyDown={onKeyDown}
                    />
                  );
                })}
                {onShowHistory && (
                  <td className="measure-grid__history">
                    {measures.map((m) => {
                      const id = valueIds.get(`${m.id}|${period.key}`);
                      if (!id) return null;
                      const label =
                        measures.length > 1 ? `${m.name}, ${period.label}` : period.label;
                      return (
                        <button
                          key={m.id}
                          type="button"
                          className="measure-grid__history-button"
                          aria-label={`History of ${label}`}
                          title={`History of ${label}: earlier values and who changed them`}
                          onClick={() =>
                            onShowHistory({ id, measureId: m.id, periodKey: period.key, label })
                          }
                        >
                          History
                        </button>
                      );
                    })}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <ConfirmDialog
        open={confirmDiscard}
        title={`Discard ${plural(unsaved, 'unsaved change', 'unsaved changes')}?`}
        confirmLabel="Discard changes"
        onConfirm={discard}
        onCancel={() => setConfirmDiscard(false)}
      >
        <p>The cells go back to their saved values. This cannot be undone.</p>
      </ConfirmDialog>
    </div>
  );
}

interface GridCellProps {
  id: string;
  cellKey: string;
  row: number;
  col: number;
  measureId: string;
  periodKey: string;
  part: Part;
  first: boolean;
  label: string;
  text: string;
  dirty: boolean;
  message: string | undefined;
  severity: 'error' | 'warning' | undefined;
  readOnly: boolean;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  onFocus: (event: FocusEvent<HTMLInputElement>) => void;
  onBlur: (event: FocusEvent<HTMLInputElement>) => void;
  onKeyDown: (event: KeyboardEvent<HTMLInputElement>) => void;
}

const GridCell = memo(function GridCell({
  id,
  cellKey: key,
  row,
  col,
  measureId,
  periodKey,
  part,
  first,
  label,
  text,
  dirty,
  message,
  severity,
  readOnly,
  onChange,
  onFocus,
  onBlur,
  onKeyDown,
}: GridCellProps) {
  const describedId = `${id}-note`;
  const classes = ['measure-grid__cell'];
  if (first) classes.push('measure-grid__cell--first');
  if (dirty) classes.push('measure-grid__cell--dirty');
  if (severity) classes.push(`measure-grid__cell--${severity}`);
  let note: ReactNode = null;
  if (message || dirty) {
    note = (
      <span id={describedId} className="measure-grid__note">
        {message && (
          <>
            <span aria-hidden="true">{severity === 'error' ? '⚠ ' : '! '}</span>
            {message}
          </>
        )}
        {dirty && <span className="visually-hidden"> (unsaved)</span>}
      </span>
    );
  }
  return (
    <td className={classes.join(' ')}>
      <input
        id={id}
        className="measure-grid__input"
        type="text"
        inputMode="decimal"
        // A narrow intrinsic width: the column's min-width sets the floor, a long header widens it.
        size={4}
        autoComplete="off"
        spellCheck={false}
        aria-label={label}
        aria-invalid={severity === 'error' || undefined}
        aria-describedby={note ? describedId : undefined}
        value={text}
        readOnly={readOnly}
        data-key={key}
        data-row={row}
        data-col={col}
        data-measure={measureId}
        data-period={periodKey}
        data-part={part}
        data-dirty={dirty || undefined}
        onChange={onChange}
        onFocus={onFocus}
        onBlur={onBlur}
        onKeyDown={onKeyDown}
      />
      {note}
    </td>
  );
});
