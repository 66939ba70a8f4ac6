/**
 * A measure's definition as a form: name, kind, operational definition, frequency, unit,
 * direction, chart type, rule set, scale and goal. Used to add a project's measure and to edit
 * one; the server's field errors (`/body/<field>`) show next to the fields.
 */
import { type FormEvent, type ReactNode, useId, useRef, useState } from 'react';
import { Button, ErrorState, Select, TextField, Textarea } from '../../components/index.ts';
import { CHART_TYPE_LABELS, RULE_SET_INFO } from '../../components/spc/explain.ts';
import { CHART_TYPES, RULE_SETS } from '../../../core/spc/types.ts';
import { formErrors, useFocusFirstInvalid } from '../coalition/forms.ts';
import {
  DIRECTION_LABELS,
  FREQUENCY_LABELS,
  KIND_HINTS,
  KIND_LABELS,
  type Measure,
  OPERATIONAL_FIELDS,
} from './model.ts';

export interface MeasureFormValues {
  name: string;
  kind: Measure['kind'];
  description: string;
  numerator_definition: string;
  denominator_definition: string;
  inclusion: string;
  exclusion: string;
  data_source: string;
  frequency: Measure['frequency'];
  unit: string;
  improvement_direction: Measure['improvement_direction'];
  chart_type: Measure['chart_type'];
  rule_set: Measure['rule_set'];
  multiply: string;
  goal: string;
}

export const NEW_MEASURE: MeasureFormValues = {
  name: '',
  kind: 'outcome',
  description: '',
  numerator_definition: '',
  denominator_definition: '',
  inclusion: '',
  exclusion: '',
  data_source: '',
  frequency: 'monthly',
  unit: '%',
  improvement_direction: 'increase',
  chart_type: 'p',
  rule_set: 'anhoej',
  multiply: '100',
  goal: '',
};

export function measureFormValuesOf(m: Measure): MeasureFormValues {
  return {
    name: m.name,
    kind: m.kind,
    description: m.description,
    ...m.operational_definition,
    frequency: m.frequency,
    unit: m.unit,
    improvement_direction: m.improvement_direction,
    chart_type: m.chart_type,
    rule_set: m.rule_set,
    multiply: String(m.multiply),
    goal: m.goal === null ? '' : String(m.goal),
  };
}

export type MeasureBody = {
  name: string;
  kind: Measure['kind'];
  description: string;
  operational_definition: Measure['operational_definition'];
  frequency: Measure['frequency'];
  unit: string;
  improvement_direction: Measure['improvement_direction'];
  chart_type: Measure['chart_type'];
  rule_set: Measure['rule_set'];
  multiply: number;
  goal: number | null;
};

export function bodyOf(v: MeasureFormValues): MeasureBody {
  return {
    name: v.name.trim(),
    kind: v.kind,
    description: v.description,
    operational_definition: {
      numerator_definition: v.numerator_definition,
      denominator_definition: v.denominator_definition,
      inclusion: v.inclusion,
      exclusion: v.exclusion,
      data_source: v.data_source,
    },
    frequency: v.frequency,
    unit: v.unit.trim(),
    improvement_direction: v.improvement_direction,
    chart_type: v.chart_type,
    rule_set: v.rule_set,
    multiply: Number(v.multiply),
    goal: v.goal.trim() === '' ? null : Number(v.goal),
  };
}

/** The fields that differ from `before` (a PATCH body); empty when nothing changed. */
export function changedMeasureFields(
  before: MeasureFormValues,
  after: MeasureFormValues,
): Partial<MeasureBody> {
  const a = bodyOf(before);
  const b = bodyOf(after);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(b) as (keyof MeasureBody)[]) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) out[key] = b[key];
  }
  return out as Partial<MeasureBody>;
}

function validate(v: MeasureFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!v.name.trim()) errors.name = 'Give the measure a name.';
  const multiply = Number(v.multiply);
  if (v.multiply.trim() === '' || !Number.isFinite(multiply) || multiply <= 0)
    errors.multiply = 'A number above 0, e.g. 100 to show a proportion as a percentage.';
  if (v.goal.trim() !== '' && !Number.isFinite(Number(v.goal)))
    errors.goal = 'A number, or leave it empty for no goal line.';
  return errors;
}

const FIELDS = [
  'name',
  'kind',
  'description',
  'operational_definition',
  'operational_definition.numerator_definition',
  'operational_definition.denominator_definition',
  'operational_definition.inclusion',
  'operational_definition.exclusion',
  'operational_definition.data_source',
  'frequency',
  'unit',
  'improvement_direction',
  'chart_type',
  'rule_set',
  'multiply',
  'goal',
] as const;

export function MeasureForm({
  initial,
  submitLabel,
  pendingLabel,
  pending,
  error,
  onSubmit,
  status,
  secondaryActions,
  lockedHint,
}: {
  initial: MeasureFormValues;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  error?: unknown;
  onSubmit: (values: MeasureFormValues) => void;
  status?: ReactNode;
  secondaryActions?: ReactNode;
  /** Said under frequency and chart type (e.g. why they may be refused once data exist). */
  lockedHint?: string;
}) {
  const [values, setValues] = useState(initial);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const { errors, unexplained } = formErrors(error, clientErrors, FIELDS);
  useFocusFirstInvalid(formRef, attempt, error);
  const id = useId();
  const set = <K extends keyof MeasureFormValues>(key: K, value: MeasureFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate(values);
    setClientErrors(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length === 0) onSubmit(values);
  };

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      aria-busy={pending || undefined}
      className="measure-form"
    >
      <TextField
        label="Name"
        id={`${id}-name`}
        autoComplete="off"
        maxLength={200}
        hint="What is measured, e.g. “Students reading on grade level”."
        value={values.name}
        onChange={(e) => set('name', e.target.value)}
        error={errors.name}
      />
      <Select
        label="Kind"
        id={`${id}-kind`}
        options={(Object.keys(KIND_LABELS) as Measure['kind'][]).map((k) => ({
          value: k,
          label: `${KIND_LABELS[k]}: ${KIND_HINTS[k]}`,
        }))}
        value={values.kind}
        onChange={(e) => set('kind', e.target.value as Measure['kind'])}
        error={errors.kind}
      />
      <Textarea
        label="Description"
        optional
        id={`${id}-description`}
        rows={2}
        value={values.description}
        onChange={(e) => set('description', e.target.value)}
        error={errors.description}
      />
      <fieldset className="measure-form__group">
        <legend>Operational definition</legend>
        <p className="field__hint">
          Exactly what is counted, so that every team counts the same way.
        </p>
        {OPERATIONAL_FIELDS.map((f) => (
          <Textarea
            key={f.key}
            label={f.label}
            optional
            id={`${id}-${f.key}`}
            rows={2}
            value={values[f.key]}
            onChange={(e) => set(f.key, e.target.value)}
            error={errors[`operational_definition.${f.key}`]}
          />
        ))}
      </fieldset>
      <div className="measure-form__pair">
        <Select
          label="Frequency"
          id={`${id}-frequency`}
          options={(Object.keys(FREQUENCY_LABELS) as Measure['frequency'][]).map((f) => ({
            value: f,
            label: FREQUENCY_LABELS[f],
          }))}
          value={values.frequency}
          onChange={(e) => set('frequency', e.target.value as Measure['frequency'])}
          error={errors.frequency}
          hint={lockedHint}
        />
        <TextField
          label="Unit"
          optional
          id={`${id}-unit`}
          maxLength={50}
          hint="“%”, “days”, “per 100 pupil-days”."
          value={values.unit}
          onChange={(e) => set('unit', e.target.value)}
          error={errors.unit}
        />
      </div>
      <div className="measure-form__pair">
        <Select
          label="Chart type"
          id={`${id}-chart`}
          options={CHART_TYPES.map((c) => ({ value: c, label: CHART_TYPE_LABELS[c] }))}
          value={values.chart_type}
          onChange={(e) => set('chart_type', e.target.value as Measure['chart_type'])}
          error={errors.chart_type}
        />
        <Select
          label="Rule set"
          id={`${id}-rules`}
          options={RULE_SETS.map((r) => ({ value: r, label: RULE_SET_INFO[r].label }))}
          value={values.rule_set}
          onChange={(e) => set('rule_set', e.target.value as Measure['rule_set'])}
          error={errors.rule_set}
          hint={RULE_SET_INFO[values.rule_set].description}
        />
      </div>
      <div className="measure-form__pair">
        <Select
          label="Improvement direction"
          id={`${id}-direction`}
          options={(Object.keys(DIRECTION_LABELS) as Measure['improvement_direction'][]).map(
            (d) => ({ value: d, label: DIRECTION_LABELS[d] }),
          )}
          value={values.improvement_direction}
          onChange={(e) =>
            set('improvement_direction', e.target.value as Measure['improvement_direction'])
          }
          error={errors.improvement_direction}
        />
        <TextField
          label="Multiply by"
          id={`${id}-multiply`}
          inputMode="decimal"
          hint="100 shows a proportion as a percentage."
          value={values.multiply}
          onChange={(e) => set('multiply', e.target.value)}
          error={errors.multiply}
        />
        <TextField
          label="Goal"
          optional
          id={`${id}-goal`}
          inputMode="decimal"
          hint="Drawn as a line on the chart, in the plotted unit."
          value={values.goal}
          onChange={(e) => set('goal', e.target.value)}
          error={errors.goal}
        />
      </div>
      {unexplained !== undefined && <ErrorState error={unexplained} headingLevel={3} />}
      {status}
      <div className="form-actions">
        <Button type="submit" variant="primary" loading={pending} loadingLabel={pendingLabel}>
          {submitLabel}
        </Button>
        {secondaryActions}
      </div>
    </form>
  );
}
