/**
 * Import a team's values from a CSV or XLSX file: a dry run first (rows read, what would be
 * created, updated or left unchanged, errors with their line numbers, the first rows as read),
 * then "Import N rows" (all or nothing by default, or the good rows only), then the report.
 * A file that looks like student-level data is refused by the server: said plainly.
 */
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { Button, ErrorState, RadioGroup } from '../../components/index.ts';
import { formatNumber, type ImportReport, type Measure, periodName } from './model.ts';
import { useImportValues } from './queries.ts';

type Mode = 'all_or_nothing' | 'per_row';

const OUTCOME_LABELS: Record<ImportReport['preview'][number]['outcome'], string> = {
  create: 'New',
  update: 'Changes a value',
  unchanged: 'Unchanged',
  skip: 'Skipped (empty)',
  error: 'Error',
};

export function ImportPanel({
  measure,
  teamId,
  teamName,
}: {
  measure: Measure;
  teamId: string;
  teamName: string;
}) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>('all_or_nothing');
  const [preview, setPreview] = useState<ImportReport | null>(null);
  const [done, setDone] = useState<ImportReport | null>(null);
  const run = useImportValues();
  const templateHref = `/api/v1/measure-values/template.csv?${new URLSearchParams({
    team_id: teamId,
    measure_id: measure.id,
  })}`;

  const check = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    setPreview(null);
    if (!file) {
      setFileError('Choose a CSV or XLSX file to check.');
      return;
    }
    setFileError(null);
    run.mutate({ file, teamId, dryRun: true, mode }, { onSuccess: (r) => setPreview(r) });
  };

  const commit = () => {
    if (!file) return;
    run.mutate(
      { file, teamId, dryRun: false, mode },
      {
        onSuccess: (r) => {
          setDone(r);
          setPreview(null);
        },
      },
    );
  };

  const writable = preview ? preview.created + preview.updated : 0;
  const blocked = preview !== null && mode === 'all_or_nothing' && preview.errors.length > 0;
  const refused =
    run.error instanceof ApiError && run.error.code === 'student_level_data' ? run.error : null;

  return (
    <div className="measure-import">
      <p>
        Import {teamName}’s values from a spreadsheet saved as CSV or XLSX: one row per measure and
        period, with the columns <code>measure</code>, <code>period</code>, <code>numerator</code>{' '}
        and (for a proportion or rate) <code>denominator</code>, and optionally <code>note</code>.
        Only aggregate numbers: a file with a row per student is refused.{' '}
        <a href={templateHref} download>
          Download a template
        </a>{' '}
        for {measure.name} with the recent periods filled in.
      </p>
      <form onSubmit={check} noValidate className="measure-import__form">
        <div className="field">
          <label className="field__label" htmlFor={`${id}-file`}>
            CSV or XLSX file
          </label>
          <div className="field__hint" id={`${id}-file-hint`}>
            CSV (UTF-8) or Excel .xlsx, up to 20 MB.
          </div>
          <input
            id={`${id}-file`}
            type="file"
            className="input"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby={`${id}-file-hint${fileError ? ` ${id}-file-error` : ''}`}
            aria-invalid={fileError ? true : undefined}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setPreview(null);
              setDone(null);
              run.reset();
            }}
          />
          {fileError && (
            <div className="field__error" id={`${id}-file-error`}>
              {fileError}
            </div>
          )}
        </div>
        <RadioGroup<Mode>
          label="If some rows have errors"
          name={`${id}-mode`}
          value={mode}
          onChange={(m) => {
            setMode(m);
            setPreview(null);
          }}
          options={[
            {
              value: 'all_or_nothing',
              label: 'Import nothing until every row is right',
              hint: 'The safe default: fix the file and try again.',
            },
            {
              value: 'per_row',
              label: 'Import the good rows, skip the rows with errors',
            },
          ]}
        />
        <div className="form-actions">
          <Button
            type="submit"
            variant={preview ? 'secondary' : 'primary'}
            loading={run.isPending && run.variables?.dryRun === true}
            loadingLabel="Checking…"
          >
            Check the file
          </Button>
        </div>
      </form>

      {refused && (
        <div className="alert alert--error" role="alert" data-testid="import-refused">
          <p className="alert__title">This file was refused: it looks like student-level data</p>
          <p>{refused.problem.detail}</p>
          {refused.errors.length > 0 && (
            <ul>
              {refused.errors.slice(0, 10).map((e) => (
                <li key={e.path}>
                  <code>{e.path.replace(/^\/body\//, '')}</code>: {e.message}
                </li>
              ))}
            </ul>
          )}
          <p>Nothing was read or stored. Aggregate the numbers per period first, then import.</p>
        </div>
      )}
      {run.error && !refused && (
        <ErrorState title="Could not read the file" error={run.error} headingLevel={3} />
      )}

      {preview && (
        <section
          className="card measure-import__report"
          aria-labelledby={`${id}-preview`}
          data-testid="import-preview"
        >
          <h3 id={`${id}-preview`}>Check: nothing has been stored yet</h3>
          <ReportSummary report={preview} frequency={measure.frequency} />
          {blocked ? (
            <div className="alert alert--warning" role="alert">
              Fix the {preview.errors.length === 1 ? 'row' : `${preview.errors.length} rows`} with
              errors and check the file again, or choose to import only the good rows.
            </div>
          ) : writable === 0 ? (
            <p>Nothing to import: every row is already stored as it is in the file.</p>
          ) : (
            <div className="form-actions">
              <Button
                variant="primary"
                onClick={commit}
                loading={run.isPending && run.variables?.dryRun === false}
                loadingLabel="Importing…"
              >
                Import {writable} {writable === 1 ? 'row' : 'rows'}
              </Button>
            </div>
          )}
        </section>
      )}

      {done && (
        <section
          className="card measure-import__report"
          aria-labelledby={`${id}-done`}
          data-testid="import-done"
        >
          <h3 id={`${id}-done`}>{done.committed ? 'Imported' : 'Nothing was imported'}</h3>
          <div role="status">
            {done.committed ? (
              <div className="alert alert--success">
                {done.created} added, {done.updated} changed, {done.unchanged} unchanged
                {done.errors.length > 0 ? `, ${done.errors.length} rows skipped for errors` : ''}.
                The chart and the data grid show them now.
              </div>
            ) : (
              <div className="alert alert--warning">
                A row had an error, so nothing was stored (all or nothing).
              </div>
            )}
          </div>
          <ReportSummary report={done} frequency={measure.frequency} />
        </section>
      )}
    </div>
  );
}

function ReportSummary({ report, frequency }: { report: ImportReport; frequency: string }) {
  return (
    <>
      <dl className="measure-import__counts">
        <div>
          <dt>Rows read</dt>
          <dd>{report.rows}</dd>
        </div>
        <div>
          <dt>New</dt>
          <dd>{report.created}</dd>
        </div>
        <div>
          <dt>Changed</dt>
          <dd>{report.updated}</dd>
        </div>
        <div>
          <dt>Unchanged</dt>
          <dd>{report.unchanged}</dd>
        </div>
        <div>
          <dt>Skipped (empty)</dt>
          <dd>{report.skipped}</dd>
        </div>
        <div>
          <dt>Errors</dt>
          <dd>{report.errors.length}</dd>
        </div>
      </dl>
      {report.ignored_columns.length > 0 && (
        <p className="card__meta">
          Columns ignored: {report.ignored_columns.map((c) => `“${c}”`).join(', ')}.
        </p>
      )}
      {report.errors.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="import-errors">
            <caption>Rows with errors</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((e) => (
                <tr key={`${e.line}-${e.column ?? ''}-${e.message}`}>
                  <th scope="row">Line {e.line}</th>
                  <td>{e.column ?? '—'}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report.preview.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>
              The first {report.preview.length} {report.preview.length === 1 ? 'row' : 'rows'} as
              read
            </caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Measure</th>
                <th scope="col">Period</th>
                <th scope="col">Numerator</th>
                <th scope="col">Denominator</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {report.preview.map((row) => (
                <tr key={row.line}>
                  <th scope="row">{row.line}</th>
                  <td>{row.measure_name ?? '—'}</td>
                  <td>{row.period_start ? periodName(frequency, row.period_start) : '—'}</td>
                  <td>{formatNumber(row.numerator)}</td>
                  <td>{formatNumber(row.denominator)}</td>
                  <td>{OUTCOME_LABELS[row.outcome]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
