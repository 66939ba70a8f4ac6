/**
 * A team's values of one measure in the data grid (GET/PUT /teams/{team}/measure-values), the
 * periods from the first value (or 12 periods back) to now, terms added by date; the server's
 * per-row errors on their cells; and the history of one value.
 */
import { useMemo, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { Button, Dialog, ErrorState, Select, Skeleton, TextField } from '../../components/index.ts';
import {
  type GridChange,
  type GridSaveResult,
  type HistoryRequest,
  MeasureGrid,
} from '../../components/measure-grid/MeasureGrid.tsx';
import { lastPeriods, periodContaining } from '../../../core/measures/periods.ts';
import { gridPeriods, type Measure, periodName, todayIso } from './model.ts';
import { useSaveValues, useTeamValues } from './queries.ts';
import { ValueHistory } from './ValueHistory.tsx';

/** Server errors `/body/values/<i>/<field>` as the grid's per-change errors. */
export function saveErrorsOf(error: ApiError): { index: number; path: string; message: string }[] {
  return error.errors.flatMap((e) => {
    const match = /^\/body\/values\/(\d+)(?:\/(.*))?$/.exec(e.path);
    if (!match) return [];
    const message =
      error.status === 412
        ? 'Someone else changed this value since you loaded it. The grid now shows the stored values: check, then save again.'
        : e.message;
    return [{ index: Number(match[1]), path: match[2] ?? 'numerator', message }];
  });
}

export function DataPanel({
  measure,
  teamId,
  teamName,
  readOnly,
}: {
  measure: Measure;
  teamId: string;
  teamName: string;
  readOnly: boolean;
}) {
  const values = useTeamValues(teamId, measure.id);
  const save = useSaveValues(teamId);
  const [addedTerms, setAddedTerms] = useState<string[]>([]);
  const [newTerm, setNewTerm] = useState('');
  const [termError, setTermError] = useState<string | null>(null);
  const [earlier, setEarlier] = useState(0);
  const [historyOf, setHistoryOf] = useState('');
  // The value whose history the grid's History button opened, in a dialog.
  const [historyDialog, setHistoryDialog] = useState<HistoryRequest | null>(null);

  const items = values.data?.items ?? [];
  const stored = useMemo(() => items.map((v) => v.period_start), [items]);
  const periods = useMemo(() => {
    const list = gridPeriods(measure.frequency, stored, addedTerms);
    if (earlier > 0 && measure.frequency !== 'term' && list[0]) {
      const back = lastPeriods(measure.frequency, list[0], earlier + 1).slice(0, -1);
      return [...back, ...list];
    }
    return list;
  }, [measure.frequency, stored, addedTerms, earlier]);

  const needsDenominator =
    measure.needs_denominator === 'required' ||
    (measure.needs_denominator === 'optional' &&
      measure.operational_definition.denominator_definition.trim() !== '');
  const gridMeasures = useMemo(
    () => [
      {
        id: measure.id,
        name: measure.name,
        unit: measure.unit,
        needsDenominator,
        numeratorLabel: 'Numerator',
        denominatorLabel: 'Denominator',
        proportion: measure.chart_type === 'p' || measure.chart_type === 'pp',
      },
    ],
    [measure, needsDenominator],
  );
  const gridPeriodsList = useMemo(
    () => periods.map((p) => ({ key: p, label: periodName(measure.frequency, p) })),
    [periods, measure.frequency],
  );
  const gridValues = useMemo(
    () =>
      items.map((v) => ({
        measureId: v.measure_id,
        periodStart: v.period_start,
        numerator: v.numerator,
        denominator: v.denominator,
        version: v.version,
        id: v.id,
      })),
    [items],
  );

  const onSave = async (changes: GridChange[]): Promise<GridSaveResult> => {
    try {
      // The grid says "Saved"; the refetch (onSettled) brings the new versions.
      await save.mutateAsync({ values: changes });
      return undefined;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 400 || error.status === 412)) {
        const errors = saveErrorsOf(error);
        if (errors.length > 0) return { errors };
      }
      throw error;
    }
  };

  const addTerm = () => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(newTerm)) {
      setTermError('Give the term’s first day as a date.');
      return;
    }
    setTermError(null);
    setAddedTerms((t) => [...new Set([...t, newTerm])]);
    setNewTerm('');
  };

  if (values.isPending) return <Skeleton lines={8} label="Loading the values…" />;
  if (values.isError)
    return (
      <ErrorState
        title="Could not load the values"
        error={values.error}
        onRetry={() => values.refetch()}
        retrying={values.isFetching}
      />
    );

  const current =
    measure.frequency === 'term' ? null : periodContaining(measure.frequency, todayIso());
  return (
    <div className="measure-data">
      <p className="measure-data__intro">
        {teamName}’s values of {measure.name},{' '}
        {measure.frequency === 'term'
          ? 'one row per term'
          : `one row per ${measure.frequency === 'weekly' ? 'week (under its Monday)' : 'month'}, up to the current one (${periodName(measure.frequency, current ?? '')})`}
        . Type or paste from a spreadsheet (a column of numbers, or numerator and denominator side
        by side), then save (Ctrl+S).
        {measure.multiply !== 1 &&
          ` Enter the counts: the chart multiplies the ratio by ${measure.multiply}.`}
      </p>
      {readOnly && (
        <div className="alert" role="note">
          You can read these values but not change them: only the team’s members and the network’s
          facilitators enter data.
        </div>
      )}
      <div className="measure-data__tools">
        {measure.frequency === 'term' ? (
          <div className="measure-data__term">
            <TextField
              label="Add a term"
              hint="The term’s first day."
              type="date"
              value={newTerm}
              onChange={(e) => setNewTerm(e.target.value)}
              error={termError ?? undefined}
            />
            <Button onClick={addTerm}>Add term</Button>
          </div>
        ) : (
          <Button onClick={() => setEarlier((n) => n + 12)}>
            Show 12 earlier {measure.frequency === 'weekly' ? 'weeks' : 'months'}
          </Button>
        )}
      </div>
      <MeasureGrid
        measures={gridMeasures}
        periods={gridPeriodsList}
        values={gridValues}
        onSave={onSave}
        saving={save.isPending}
        readOnly={readOnly}
        caption={`${measure.name}: ${teamName}`}
        onShowHistory={setHistoryDialog}
      />
      <Dialog
        open={historyDialog !== null}
        onClose={() => setHistoryDialog(null)}
        title={`History of ${historyDialog?.label ?? 'the value'}`}
        className="dialog--wide"
        actions={<Button onClick={() => setHistoryDialog(null)}>Close</Button>}
      >
        <p className="card__meta">
          {measure.name}, {teamName}. Every correction keeps the value it replaced: the value as
          stored now is on top, earlier ones below, newest first.
        </p>
        {historyDialog && <ValueHistory valueId={historyDialog.id} unit={measure.unit} />}
      </Dialog>

      <section className="measure-history" aria-labelledby="value-history-heading">
        <h3 id="value-history-heading">History of a value</h3>
        <p className="card__meta">
          Every correction keeps the earlier value, with who changed it, when and how (grid, import
          or API).
        </p>
        {items.length === 0 ? (
          <p>No values stored yet.</p>
        ) : (
          <Select
            label="Period"
            placeholder="Choose a period"
            options={[...items]
              .sort((a, b) => b.period_start.localeCompare(a.period_start))
              .map((v) => ({ value: v.id, label: periodName(measure.frequency, v.period_start) }))}
            value={historyOf}
            onChange={(e) => setHistoryOf(e.target.value)}
          />
        )}
        {historyOf && <ValueHistory valueId={historyOf} unit={measure.unit} />}
      </section>
    </div>
  );
}
