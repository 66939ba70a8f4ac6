/**
 * The chart studio (public): paste or upload a series, choose the chart and the rule set, and see
 * the run or control chart with its signals in words. Signed in, the chart is computed by the API
 * (POST /api/v1/analysis/spc); signed out, by the same engine in the browser. Nothing is saved.
 * `?example=on-track` or `?example=schools` (6 sites × 60 weeks: the small-multiples benchmark)
 * opens with an example loaded.
 */
import {
  type ChangeEvent,
  type ReactNode,
  useDeferredValue,
  useId,
  useMemo,
  useState,
} from 'react';
import { Link, useSearchParams } from 'react-router';
import { parseSpcCsv } from '../../core/spc/index.ts';
import {
  CHART_TYPES,
  type ChartType,
  IMPROVEMENT_DIRECTIONS,
  type ImprovementDirection,
  RULE_SETS,
  type RuleSet,
  type SpcInputError,
  type SpcRequest,
  type SpcResponse,
} from '../../core/spc/types.ts';
import {
  Button,
  EmptyState,
  ErrorState,
  Loading,
  RadioGroup,
  Select,
  TextField,
} from '../components/index.ts';
import { ENGINE_VERSION, type SpcOutcome, useSpcAnalyses } from '../components/spc/engine.ts';
import { EXAMPLES, exampleByKey, type SpcExample } from '../components/spc/examples.ts';
import {
  CHART_TYPE_LABELS,
  CHARTS_WITH_DENOMINATORS,
  RULE_SET_INFO,
} from '../components/spc/explain.ts';
import { type SpcAnnotation, SpcChart } from '../components/spc/SpcChart.tsx';
import { SpcSmallMultiples } from '../components/spc/SpcSmallMultiples.tsx';
import { signInPath } from '../features/accounts/model.ts';
import { useMe } from '../features/accounts/queries.ts';
import { useDebouncedValue } from '../lib/hooks.ts';
import { Page } from '../layout/Page.tsx';

interface StudioForm {
  csv: string;
  title: string;
  chart: ChartType;
  ruleSet: RuleSet;
  direction: ImprovementDirection;
  multiply: string;
  unit: string;
  goal: string;
  baseline: string;
  phases: string;
  excluded: string;
  annotations: string;
  mrScreening: boolean;
  constant266: boolean;
  zones: boolean;
  /** The reader chose the zones or the constant: a new rule set no longer changes them. */
  zonesChosen: boolean;
  constantChosen: boolean;
}

const EMPTY_FORM: StudioForm = {
  csv: '',
  title: '',
  chart: 'run',
  ruleSet: 'anhoej',
  direction: 'neutral',
  multiply: '',
  unit: '',
  goal: '',
  baseline: '',
  phases: '',
  excluded: '',
  annotations: '',
  mrScreening: true,
  constant266: false,
  zones: false,
  zonesChosen: false,
  constantChosen: false,
};

function formOf(example: SpcExample): StudioForm {
  return {
    ...EMPTY_FORM,
    csv: example.csv,
    title: example.title,
    chart: example.chart,
    ruleSet: example.ruleSet,
    direction: example.improvementDirection,
    multiply: example.multiply === 1 ? '' : String(example.multiply),
    unit: example.unit,
    goal: example.goal,
    annotations: example.annotations,
    zones: RULE_SET_INFO[example.ruleSet].usesZones,
    constant266: example.ruleSet === 'mdc',
  };
}

type FieldKey =
  | 'data'
  | 'chart'
  | 'ruleSet'
  | 'direction'
  | 'multiply'
  | 'goal'
  | 'baseline'
  | 'phases'
  | 'excluded'
  | 'annotations'
  | 'options';

type FieldErrors = Partial<Record<FieldKey, string[]>>;

const FIELD_OF_PATH: Record<string, FieldKey> = {
  values: 'data',
  denominators: 'data',
  labels: 'data',
  chart: 'chart',
  ruleSet: 'ruleSet',
  improvementDirection: 'direction',
  multiply: 'multiply',
  baselineLastPoint: 'baseline',
  partEnds: 'phases',
  excludePoints: 'excluded',
  limitConstant: 'options',
  mrScreening: 'options',
};

const DIRECTION_OPTIONS = IMPROVEMENT_DIRECTIONS.map((d) => ({
  value: d,
  label:
    d === 'increase'
      ? 'Higher is better (increase)'
      : d === 'decrease'
        ? 'Lower is better (decrease)'
        : 'Neither: no better direction (neutral)',
}));

const CHART_OPTIONS = CHART_TYPES.map((c) => ({ value: c, label: CHART_TYPE_LABELS[c] }));

const RULE_SET_OPTIONS = RULE_SETS.map((r) => ({
  value: r,
  label: RULE_SET_INFO[r].label,
  hint: RULE_SET_INFO[r].description,
}));

/** "3, 12" → [3, 12]; a word that is not a whole number is an error. */
function pointList(text: string): { points: number[]; error?: string } {
  const items = text
    .split(/[,;\s]+/)
    .map((t) => t.trim())
    .filter(Boolean);
  const points: number[] = [];
  for (const item of items) {
    if (!/^\d+$/.test(item))
      return {
        points,
        error: `“${item}” is not a point number: write whole numbers such as 12, 24`,
      };
    points.push(Number(item));
  }
  return { points: [...new Set(points)].sort((a, b) => a - b) };
}

function optionalNumber(text: string, what: string): { value?: number; error?: string } {
  const t = text.trim().replace(',', '.');
  if (!t) return {};
  const value = Number(t);
  if (!Number.isFinite(value)) return { error: `${what} “${text.trim()}” is not a number` };
  return { value };
}

/** "13: Advisory check-ins begin" per line. */
function annotationList(text: string): { annotations: SpcAnnotation[]; error?: string } {
  const annotations: SpcAnnotation[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] as string).trim();
    if (!line) continue;
    const match = /^(\d+)\s*[:\-–]\s*(.+)$/.exec(line);
    if (!match)
      return {
        annotations,
        error: `Line ${i + 1}: write the point number, a colon and the note, e.g. “13: New schedule”`,
      };
    annotations.push({ index: Number(match[1]), label: (match[2] as string).trim() });
  }
  return { annotations };
}

interface Prepared {
  /** One request per series (site). */
  requests: SpcRequest[];
  names: (string | null)[];
  labels: string[][];
  errors: FieldErrors;
  annotations: SpcAnnotation[];
  goal: number | undefined;
}

function add(errors: FieldErrors, field: FieldKey, message: string) {
  errors[field] = [...(errors[field] ?? []), message];
}

/** The fields of the form the engine reads. */
type EngineInput = Omit<StudioForm, 'title' | 'unit' | 'zones' | 'zonesChosen' | 'constantChosen'>;

function prepare(form: EngineInput): Prepared | null {
  if (!form.csv.trim()) return null;
  const errors: FieldErrors = {};
  const parsed = parseSpcCsv(form.csv);
  if (!parsed.ok)
    for (const e of parsed.errors) add(errors, 'data', `Line ${e.line}: ${e.message}`);

  const multiply = optionalNumber(form.multiply, 'Multiply by');
  if (multiply.error) add(errors, 'multiply', multiply.error);
  const goal = optionalNumber(form.goal, 'The goal');
  if (goal.error) add(errors, 'goal', goal.error);
  const baseline = form.baseline.trim();
  if (baseline && !/^\d+$/.test(baseline))
    add(errors, 'baseline', `“${baseline}” is not a point number: write a whole number such as 12`);
  const phases = pointList(form.phases);
  if (phases.error) add(errors, 'phases', phases.error);
  const excluded = pointList(form.excluded);
  if (excluded.error) add(errors, 'excluded', excluded.error);
  const notes = annotationList(form.annotations);
  if (notes.error) add(errors, 'annotations', notes.error);

  const series = parsed.ok ? parsed.series : [];
  const requests = series.map((s) => {
    const request: SpcRequest = {
      chart: form.chart,
      values: s.values,
      labels: s.labels,
      ruleSet: form.ruleSet,
      improvementDirection: form.direction,
      mrScreening: form.mrScreening,
      limitConstant: form.constant266 ? '2.66' : 'd2',
    };
    if (s.denominators) request.denominators = s.denominators;
    if (multiply.value !== undefined) request.multiply = multiply.value;
    if (baseline && /^\d+$/.test(baseline)) request.baselineLastPoint = Number(baseline);
    if (phases.points.length > 0) request.partEnds = phases.points;
    if (excluded.points.length > 0) request.excludePoints = excluded.points;
    return request;
  });
  return {
    requests: Object.keys(errors).length > 0 ? [] : requests,
    names: series.map((s) => s.site),
    labels: series.map((s) => s.labels),
    errors,
    annotations: notes.annotations,
    goal: goal.value,
  };
}

/** The engine's (or the API's) `errors[]`, as words next to the fields they are about. */
function engineErrors(
  outcomes: (SpcOutcome | undefined)[],
  prepared: Prepared,
): { byField: FieldErrors; other: string[] } {
  const byField: FieldErrors = {};
  const other: string[] = [];
  const seen = new Set<string>();
  outcomes.forEach((outcome, k) => {
    if (!outcome || outcome.ok) return;
    const site = prepared.names[k];
    const request = prepared.requests[k];
    for (const error of outcome.errors as SpcInputError[]) {
      const [, name = '', item] = error.path.split('/');
      const field = FIELD_OF_PATH[name];
      const i = item === undefined ? undefined : Number(item);
      let said = error.message;
      if (field === 'data' && i !== undefined) {
        // "point 4: …" → "Point 4 (Dec 2023): …", naming the point as the CSV does.
        const label = prepared.labels[k]?.[i];
        const point = `Point ${i + 1}${label ? ` (${label})` : ''}`;
        const own = new RegExp(`^point ${i + 1}\\b`, 'i');
        said = own.test(said) ? said.replace(own, point) : `${point}: ${said}`;
      } else if ((name === 'partEnds' || name === 'excludePoints') && i !== undefined) {
        said = `${(request?.[name] as number[] | undefined)?.[i] ?? ''}: ${said}`;
      }
      const message = `${site && field === 'data' ? `${site}, ` : ''}${said}`;
      // The same problem with an option shows once, not once per site.
      const key = `${field ?? 'other'}|${field === 'data' ? message : error.path + error.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const text = `${message} (${error.path || 'request'})`;
      if (field) add(byField, field, text);
      else other.push(text);
    }
  });
  return { byField, other };
}

function merge(a: FieldErrors, b: FieldErrors): FieldErrors {
  const out: FieldErrors = { ...a };
  for (const [k, v] of Object.entries(b) as [FieldKey, string[]][])
    out[k] = [...(out[k] ?? []), ...v];
  return out;
}

function joined(errors: string[] | undefined): string | undefined {
  return errors && errors.length > 0 ? errors.join('; ') : undefined;
}

function Checkbox({
  label,
  hint,
  checked,
  onChange,
}: {
  label: ReactNode;
  hint?: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="checkbox">
      <input
        id={id}
        type="checkbox"
        className="checkbox__input"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <label htmlFor={id} className="checkbox__label">
        {label}
      </label>
      {hint && (
        <div className="checkbox__hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
    </div>
  );
}

export default function ChartStudioPage() {
  const [searchParams] = useSearchParams();
  const [form, setForm] = useState<StudioForm>(() => {
    const example = exampleByKey(searchParams.get('example'));
    return example ? formOf(example) : EMPTY_FORM;
  });
  const [fileStatus, setFileStatus] = useState('');
  const dataId = useId();
  const me = useMe();
  const useApi = Boolean(me.data);

  const set = <K extends keyof StudioForm>(key: K, value: StudioForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  // The chart follows the form once typing pauses; choices (selects, boxes) apply at once.
  const debouncedCsv = useDebouncedValue(form.csv, 300);
  // Only what the engine reads: a new title, unit or zones choice does not recompute.
  const { chart, ruleSet, direction, multiply, goal, baseline, phases, excluded } = form;
  const { annotations, mrScreening, constant266 } = form;
  const prepared = useMemo(
    () =>
      prepare({
        csv: debouncedCsv,
        chart,
        ruleSet,
        direction,
        multiply,
        goal,
        baseline,
        phases,
        excluded,
        annotations,
        mrScreening,
        constant266,
      }),
    [
      debouncedCsv,
      chart,
      ruleSet,
      direction,
      multiply,
      goal,
      baseline,
      phases,
      excluded,
      annotations,
      mrScreening,
      constant266,
    ],
  );
  const requests = useMemo(() => prepared?.requests ?? [], [prepared]);
  const analyses = useSpcAnalyses(requests, useApi);
  const fromEngine = prepared
    ? engineErrors(analyses.outcomes, prepared)
    : { byField: {}, other: [] as string[] };
  const errors = merge(prepared?.errors ?? {}, fromEngine.byField);
  const responses = analyses.outcomes.map((o) => (o?.ok ? o.response : undefined));
  const allOk =
    requests.length > 0 && responses.length === requests.length && responses.every(Boolean);
  const [detailSite, setDetailSite] = useState(0);

  const loadExample = (example: SpcExample) => {
    setForm(formOf(example));
    setFileStatus('');
    setDetailSite(0);
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    const text = await file.text();
    setForm((f) => ({
      ...f,
      csv: text,
      title: f.title || file.name.replace(/\.[^.]+$/, ''),
    }));
    setFileStatus(
      `Loaded ${file.name} (${text.split(/\r?\n/).filter((l) => l.trim()).length} lines).`,
    );
  };

  const setRuleSet = (ruleSet: RuleSet) =>
    setForm((f) => ({
      ...f,
      ruleSet,
      zones: f.zonesChosen ? f.zones : RULE_SET_INFO[ruleSet].usesZones,
      constant266: f.constantChosen ? f.constant266 : ruleSet === 'mdc',
    }));

  const acceptPhase = (after: number) =>
    setForm((f) => {
      const list = pointList(f.phases).points;
      return { ...f, phases: [...new Set([...list, after])].sort((a, b) => a - b).join(', ') };
    });

  const title = form.title.trim() || 'Your chart';
  const unit = form.unit.trim() || undefined;
  const multiple = requests.length > 1;
  const needsDenominator = CHARTS_WITH_DENOMINATORS.has(form.chart);
  const engineVersion =
    responses.find((r): r is SpcResponse => Boolean(r))?.engine.version ?? ENGINE_VERSION;

  const note =
    analyses.source === 'api' ? (
      <p data-testid="spc-computed">
        Computed by the Tandem API (<code>POST /api/v1/analysis/spc</code>), SPC engine v
        {engineVersion}.
      </p>
    ) : (
      <p data-testid="spc-computed">
        Computed in your browser by Tandem SPC engine v{engineVersion};{' '}
        <Link to={signInPath('/chart-studio')}>sign in</Link> to use the API.
      </p>
    );

  const dataErrors = errors.data;
  const hasErrors = Object.keys(errors).length > 0 || fromEngine.other.length > 0;

  return (
    <Page
      heading="Chart studio"
      lead={
        <>
          Draw a run chart or a control chart from your own numbers and see, in words, whether
          anything has changed beyond everyday variation. Nothing you paste is saved, and you do not
          need to sign in. <a href="#how-to-read">How to read an SPC chart</a>.
        </>
      }
    >
      <div className="studio">
        {/* Data, then the chart, then the options that refine it: on a phone the chart comes
            right after the data. On a laptop the data and the options share the left column. */}
        <div className="studio__panel studio__panel--data">
          <fieldset className="studio__group">
            <legend>Your data</legend>
            <div className="field studio__data-field">
              <label className="field__label" htmlFor={dataId}>
                Data (CSV)
              </label>
              <div className="field__hint" id={`${dataId}-hint`}>
                One row per point: <code>label,value</code>, or{' '}
                <code>label,numerator,denominator</code>
                {needsDenominator ? ' (needed for this chart)' : ' for p and u charts'}. A header
                row is optional; start it with <code>site</code> to chart several sites side by
                side.
              </div>
              <textarea
                id={dataId}
                className="input mono studio__csv"
                value={form.csv}
                onChange={(e) => set('csv', e.target.value)}
                rows={10}
                spellCheck={false}
                placeholder={'month,value\nSep 2024,61\nOct 2024,58\n…'}
                aria-invalid={dataErrors ? true : undefined}
                aria-describedby={`${dataId}-hint${dataErrors ? ` ${dataId}-error` : ''}`}
              />
              {dataErrors && (
                <div className="field__error" id={`${dataId}-error`} data-testid="data-errors">
                  {dataErrors.length === 1 ? (
                    dataErrors[0]
                  ) : (
                    <ul className="studio__errors">
                      {dataErrors.slice(0, 12).map((e) => (
                        <li key={e}>{e}</li>
                      ))}
                      {dataErrors.length > 12 && <li>…and {dataErrors.length - 12} more</li>}
                    </ul>
                  )}
                </div>
              )}
            </div>
            <div className="field">
              <label className="field__label" htmlFor={`${dataId}-file`}>
                Or upload a .csv file
              </label>
              <input
                id={`${dataId}-file`}
                type="file"
                accept=".csv,.txt,text/csv,text/plain"
                className="studio__file"
                onChange={onFile}
              />
              <div className="field__hint" role="status">
                {fileStatus}
              </div>
            </div>
            <div className="studio__examples">
              {EXAMPLES.map((example) => (
                <Button key={example.key} onClick={() => loadExample(example)}>
                  {example.name}
                </Button>
              ))}
              {form.csv && (
                <Button variant="ghost" onClick={() => setForm(EMPTY_FORM)}>
                  Clear
                </Button>
              )}
            </div>
          </fieldset>
        </div>

        <section className="studio__result" aria-labelledby="studio-result-heading">
          <h2 id="studio-result-heading" className="visually-hidden">
            Chart
          </h2>
          {!prepared && (
            <EmptyState
              title="Paste your numbers to draw a chart"
              icon="↗"
              action={EXAMPLES.map((example) => (
                <Button
                  key={example.key}
                  variant={example.key === 'on-track' ? 'primary' : 'secondary'}
                  onClick={() => loadExample(example)}
                >
                  {example.name}
                </Button>
              ))}
            >
              <p>
                Paste one row per point — a label and a value, such as <code>Sep 2024,61</code> —
                into <strong>Data</strong>, or upload a .csv file. For a share of a group (a p
                chart), give the count and the group size: <code>Sep 2024,194,318</code>. Twelve or
                more points give firm limits; eight are enough for the run rules.
              </p>
            </EmptyState>
          )}
          {prepared && hasErrors && (
            <div className="alert alert--error" role="alert" data-testid="studio-problems">
              <p className="alert__title">The chart cannot be drawn yet</p>
              <p>Fix the problems marked next to the fields.</p>
              {fromEngine.other.length > 0 && (
                <ul>
                  {fromEngine.other.map((e) => (
                    <li key={e}>{e}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
          {prepared && !hasErrors && analyses.failure !== null && (
            <ErrorState
              title="Could not compute the chart"
              error={analyses.failure}
              onRetry={analyses.retry}
              retrying={analyses.pending}
            />
          )}
          {prepared && !hasErrors && !allOk && analyses.failure === null && (
            <Loading label="Computing the chart…" />
          )}
          {prepared && !hasErrors && allOk && !multiple && responses[0] && (
            <SpcChart
              result={responses[0]}
              title={title}
              unit={unit}
              goal={prepared.goal}
              annotations={prepared.annotations}
              showZones={form.zones}
              helpHref="#how-to-read"
              headingLevel={3}
              onAcceptPhase={acceptPhase}
              note={note}
            />
          )}
          {prepared && !hasErrors && allOk && multiple && (
            <>
              <SpcSmallMultiples
                series={responses.map((r, k) => ({
                  title: prepared.names[k] ?? `Series ${k + 1}`,
                  result: r as SpcResponse,
                }))}
                unit={unit}
                goal={prepared.goal}
                showZones={form.zones}
                headingLevel={3}
              />
              <AfterFirstCommit>
                <div className="studio__detail">
                  <Select
                    label="Site shown in full"
                    options={prepared.names.map((name, k) => ({
                      value: String(k),
                      label: name ?? `Series ${k + 1}`,
                    }))}
                    value={String(Math.min(detailSite, requests.length - 1))}
                    onChange={(e) => setDetailSite(Number(e.target.value))}
                  />
                  {(() => {
                    const k = Math.min(detailSite, requests.length - 1);
                    const r = responses[k];
                    return r ? (
                      <SpcChart
                        key={k}
                        result={r}
                        title={`${title}: ${prepared.names[k] ?? `Series ${k + 1}`}`}
                        unit={unit}
                        goal={prepared.goal}
                        annotations={prepared.annotations}
                        showZones={form.zones}
                        helpHref="#how-to-read"
                        headingLevel={3}
                        note={note}
                      />
                    ) : null;
                  })()}
                </div>
              </AfterFirstCommit>
            </>
          )}
        </section>

        <div className="studio__panel studio__panel--options">
          <fieldset className="studio__group">
            <legend>Chart</legend>
            <TextField
              label="Title"
              optional
              value={form.title}
              onChange={(e) => set('title', e.target.value)}
              placeholder="e.g. 9th graders on track"
            />
            <Select
              label="Chart type"
              options={CHART_OPTIONS}
              value={form.chart}
              onChange={(e) => set('chart', e.target.value as ChartType)}
              error={joined(errors.chart)}
              hint="Run charts need no assumptions; p for a share of a group, u for events per exposure, c for counts, i for any measurement."
            />
            <RadioGroup<RuleSet>
              label="Rule set"
              name="ruleSet"
              options={RULE_SET_OPTIONS}
              value={form.ruleSet}
              onChange={setRuleSet}
              error={joined(errors.ruleSet)}
            />
            <Select
              label="Improvement direction"
              options={DIRECTION_OPTIONS}
              value={form.direction}
              onChange={(e) => set('direction', e.target.value as ImprovementDirection)}
              error={joined(errors.direction)}
              hint="Colours signals blue for improvement and orange for concern."
            />
            <div className="studio__pair">
              <TextField
                label="Unit"
                optional
                value={form.unit}
                onChange={(e) => set('unit', e.target.value)}
                placeholder="% or days"
              />
              <TextField
                label="Goal"
                optional
                inputMode="decimal"
                value={form.goal}
                onChange={(e) => set('goal', e.target.value)}
                error={joined(errors.goal)}
              />
            </div>
            <Checkbox
              label="Show the 1σ and 2σ zones"
              hint="Light bands the IHI, Western Electric and Making Data Count rules use."
              checked={form.zones}
              onChange={(checked) => setForm((f) => ({ ...f, zones: checked, zonesChosen: true }))}
            />
          </fieldset>

          <fieldset className="studio__group">
            <legend>Limits, phases and notes</legend>
            <TextField
              label="Multiply by"
              optional
              inputMode="decimal"
              hint="100 shows a proportion as a percentage; 1000 a rate per 1,000."
              value={form.multiply}
              onChange={(e) => set('multiply', e.target.value)}
              error={joined(errors.multiply)}
            />
            <TextField
              label="Freeze the limits after point"
              optional
              inputMode="numeric"
              hint="Baseline: the centre line and limits come from the points up to this one and extend forward."
              value={form.baseline}
              onChange={(e) => set('baseline', e.target.value)}
              error={joined(errors.baseline)}
            />
            <TextField
              label="Start a new phase after points"
              optional
              hint="Comma list, e.g. 12, 30: each phase gets its own centre line and limits."
              value={form.phases}
              onChange={(e) => set('phases', e.target.value)}
              error={joined(errors.phases)}
            />
            <TextField
              label="Exclude points"
              optional
              hint="Comma list: left out of the calculations, still drawn (hollow)."
              value={form.excluded}
              onChange={(e) => set('excluded', e.target.value)}
              error={joined(errors.excluded)}
            />
            <div className="field">
              <label className="field__label" htmlFor={`${dataId}-notes`}>
                Notes on the time axis <span className="field__optional">(optional)</span>
              </label>
              <div className="field__hint" id={`${dataId}-notes-hint`}>
                One per line: point number, colon, note — e.g.{' '}
                <code>13: Advisory check-ins begin</code>
              </div>
              <textarea
                id={`${dataId}-notes`}
                className="input"
                rows={2}
                value={form.annotations}
                onChange={(e) => set('annotations', e.target.value)}
                aria-invalid={errors.annotations ? true : undefined}
                aria-describedby={`${dataId}-notes-hint${errors.annotations ? ` ${dataId}-notes-error` : ''}`}
              />
              {errors.annotations && (
                <div className="field__error" id={`${dataId}-notes-error`}>
                  {joined(errors.annotations)}
                </div>
              )}
            </div>
            <Checkbox
              label="Screen moving ranges"
              hint="I charts: drop moving ranges over 3.267 × MR̄ before computing the limits, so one big jump does not widen them."
              checked={form.mrScreening}
              onChange={(checked) => set('mrScreening', checked)}
            />
            <Checkbox
              label="Use the 2.66 constant"
              hint="I charts: limits at the centre line ± 2.66 × MR̄ (Making Data Count’s habit) instead of ± 3σ with σ = MR̄ / 1.128."
              checked={form.constant266}
              onChange={(checked) =>
                setForm((f) => ({ ...f, constant266: checked, constantChosen: true }))
              }
            />
            {errors.options && <div className="field__error">{joined(errors.options)}</div>}
          </fieldset>
        </div>
      </div>

      <HowToRead />
    </Page>
  );
}

/**
 * Renders its children one commit later, at a lower priority: the small multiples show first
 * (and their render time is theirs alone), the site's full chart right after.
 */
function AfterFirstCommit({ children }: { children: ReactNode }) {
  const ready = useDeferredValue(true, false);
  return ready ? children : null;
}

/** The short guide the charts' "How to read this chart" links open. */
function HowToRead() {
  return (
    <section id="how-to-read" className="section studio__guide" aria-labelledby="how-to-read-h">
      <h2 id="how-to-read-h">How to read an SPC chart</h2>
      <div className="studio__guide-grid">
        <div>
          <h3>What the lines mean</h3>
          <ul>
            <li>
              <strong>Centre line</strong> (solid): the median on a run chart, the mean on a control
              chart.
            </li>
            <li>
              <strong>Limits</strong> (dashed): where everyday, common-cause variation usually stays
              — about three sigma either side. They are not targets.
            </li>
            <li>
              <strong>Trial limits</strong> (dotted, labelled): computed from fewer than 12 points;
              treat them as provisional.
            </li>
            <li>
              <strong>Phases</strong>: after a deliberate change, a new phase gets its own centre
              line and limits, with a gap and a label at the break.
            </li>
            <li>
              <strong>Goal</strong> (green, dash-dot): where you want to be. A goal outside the
              limits will not be reached without changing the process.
            </li>
          </ul>
        </div>
        <div>
          <h3>What the points mean</h3>
          <ul className="studio__guide-points">
            <li>
              <span aria-hidden="true" className="studio__glyph studio__glyph--common">
                ●
              </span>{' '}
              Grey circle: common cause — nothing unusual.
            </li>
            <li>
              <span aria-hidden="true" className="studio__glyph studio__glyph--improvement">
                ▲
              </span>{' '}
              Blue triangle: a signal in the better direction.
            </li>
            <li>
              <span aria-hidden="true" className="studio__glyph studio__glyph--concern">
                ◆
              </span>{' '}
              Orange diamond: a signal in the worse direction.
            </li>
            <li>
              <span aria-hidden="true" className="studio__glyph studio__glyph--neutral">
                ■
              </span>{' '}
              Purple square: a signal, when neither direction is better.
            </li>
            <li>Hollow: excluded from the calculations (still drawn). A gap: a missing value.</li>
          </ul>
        </div>
        <div>
          <h3>What to do with a signal</h3>
          <p>
            A signal says the process probably changed: look for what changed around those points
            (the sentence under the chart names them). If it is the change you made, start a new
            phase there and note it on the time axis. No signal means the ups and downs are everyday
            noise: do not explain each one — change the process to move the centre line.
          </p>
          <p>
            The rule sets differ in how quickly they call a signal. Anhøj&rsquo;s runs analysis
            gives few false alarms; IHI and Western Electric add zone rules; Making Data Count
            colours each point improvement or concern.
          </p>
        </div>
      </div>
    </section>
  );
}
