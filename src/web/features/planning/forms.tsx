import { type FormEvent, type ReactNode, useRef, useState } from 'react';
import {
  Button,
  ErrorState,
  RadioGroup,
  Select,
  Textarea,
  TextField,
} from '../../components/index.ts';
import { formErrors, useFocusFirstInvalid } from '../coalition/forms.ts';
import { AimFields } from './Aim.tsx';
import {
  type AimFormValues,
  CHANGE_IDEA_VISIBILITY_OPTIONS,
  CHARTER_VISIBILITY_OPTIONS,
  type ChangeIdeaFormValues,
  CHART_TYPE_OPTIONS,
  type CharterFormValues,
  DIRECTION_OPTIONS,
  FREQUENCY_OPTIONS,
  MEASURE_KIND_OPTIONS,
  type MeasureFormValues,
  needsDenominator,
  PROJECT_VISIBILITY_OPTIONS,
  type ProjectFormValues,
  RULE_SET_OPTIONS,
  SOURCE_KIND_OPTIONS,
  TEXT_MAX,
  TITLE_MAX,
  validateChangeIdeaForm,
  validateCharterForm,
  validateMeasureForm,
  validateProjectForm,
} from './model.ts';

interface FormProps<V> {
  initial: V;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  /** The failed request: its `errors[]` show next to the fields. */
  error?: unknown;
  onSubmit: (values: V) => void;
  secondaryActions?: ReactNode;
  /** Above the buttons: a conflict, "Saved"… */
  status?: ReactNode;
  idPrefix?: string;
}

/** The state every form here shares: values, client errors, focus on the first invalid field. */
function useForm<V>(
  initial: V,
  validate: (v: V) => Record<string, string>,
  error: unknown,
  fields: readonly string[],
  onSubmit: (v: V) => void,
) {
  const [values, setValues] = useState(initial);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const { errors, unexplained } = formErrors(error, clientErrors, fields);
  useFocusFirstInvalid(formRef, attempt, error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate(values);
    setClientErrors(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length === 0) onSubmit(values);
  };
  return { values, setValues, errors, unexplained, formRef, submit };
}

const AIM_FIELDS = [
  'aim',
  'aim.what',
  'aim.for_whom',
  'aim.unit',
  'aim.baseline',
  'aim.target',
  'aim.by',
];

function Actions({
  unexplained,
  status,
  pending,
  pendingLabel,
  submitLabel,
  secondaryActions,
}: {
  unexplained: unknown;
  status?: ReactNode;
  pending: boolean;
  pendingLabel: string;
  submitLabel: string;
  secondaryActions?: ReactNode;
}) {
  return (
    <>
      {unexplained !== undefined && <ErrorState error={unexplained} headingLevel={3} />}
      {status}
      <div className="form-actions">
        <Button type="submit" variant="primary" loading={pending} loadingLabel={pendingLabel}>
          {submitLabel}
        </Button>
        {secondaryActions}
      </div>
    </>
  );
}

/** What differs between the charter and the project form; the rest is AimedRecordForm. */
interface AimedRecordKind<V> {
  idPrefix: string;
  problem: { name: 'problem_of_practice' | 'problem_statement'; label: string; hint: string };
  aimLegend: string;
  visibilityLabel: string;
  visibilityOptions: readonly { value: string; label: string; hint?: string }[];
  validate: (values: V) => Record<string, string>;
}

/** Title, a problem text, the structured aim and visibility: a charter's or a project's form. */
function AimedRecordForm<V extends { title: string; aim: AimFormValues; visibility: string }>({
  kind,
  ...props
}: FormProps<V> & { kind: AimedRecordKind<V> }) {
  const idPrefix = props.idPrefix ?? kind.idPrefix;
  const problem = kind.problem.name;
  const f = useForm(
    props.initial,
    kind.validate,
    props.error,
    ['title', problem, 'visibility', ...AIM_FIELDS],
    props.onSubmit,
  );
  const { values, setValues, errors } = f;
  return (
    <form ref={f.formRef} onSubmit={f.submit} noValidate aria-busy={props.pending || undefined}>
      <TextField
        id={`${idPrefix}-title`}
        label="Title"
        name="title"
        autoComplete="off"
        maxLength={TITLE_MAX}
        value={values.title}
        onChange={(e) => setValues((v) => ({ ...v, title: e.target.value }))}
        error={errors.title}
      />
      <Textarea
        id={`${idPrefix}-problem`}
        label={kind.problem.label}
        name={problem}
        optional
        hint={kind.problem.hint}
        maxLength={TEXT_MAX}
        rows={4}
        value={(values as unknown as Record<typeof problem, string>)[problem]}
        onChange={(e) => setValues((v) => ({ ...v, [problem]: e.target.value }))}
        error={errors[problem]}
      />
      <AimFields
        idPrefix={idPrefix}
        values={values.aim}
        onChange={(aim) => setValues((v) => ({ ...v, aim }))}
        errors={errors}
        legend={kind.aimLegend}
      />
      <RadioGroup
        label={kind.visibilityLabel}
        name={`${idPrefix}-visibility`}
        options={kind.visibilityOptions}
        value={values.visibility}
        onChange={(visibility) => setValues((v) => ({ ...v, visibility }))}
        error={errors.visibility}
      />
      <Actions {...props} unexplained={f.unexplained} />
    </form>
  );
}

const CHARTER_KIND: AimedRecordKind<CharterFormValues> = {
  idPrefix: 'charter',
  problem: {
    name: 'problem_of_practice',
    label: 'Problem of practice',
    hint: 'The problem the network works on together, as the people closest to it see it.',
  },
  aimLegend: 'Network aim',
  visibilityLabel: 'Who can see this charter',
  visibilityOptions: CHARTER_VISIBILITY_OPTIONS,
  validate: validateCharterForm,
};

const PROJECT_KIND: AimedRecordKind<ProjectFormValues> = {
  idPrefix: 'project',
  problem: {
    name: 'problem_statement',
    label: 'Problem statement',
    hint: 'The problem as your team sees it in your school or district.',
  },
  aimLegend: 'Project aim',
  visibilityLabel: 'Who can see this project',
  visibilityOptions: PROJECT_VISIBILITY_OPTIONS,
  validate: validateProjectForm,
};

export const CharterForm = (props: FormProps<CharterFormValues>) => (
  <AimedRecordForm<CharterFormValues> {...props} kind={CHARTER_KIND} />
);

export const ProjectForm = (props: FormProps<ProjectFormValues>) => (
  <AimedRecordForm<ProjectFormValues> {...props} kind={PROJECT_KIND} />
);

const CHANGE_IDEA_FIELDS = [
  'title',
  'description',
  'tags',
  'visibility',
  'source',
  'source.kind',
  'source.citation',
  'source.url',
  'source.cycle_id',
];

export function ChangeIdeaForm(props: FormProps<ChangeIdeaFormValues>) {
  const idPrefix = props.idPrefix ?? 'change-idea';
  const f = useForm(
    props.initial,
    validateChangeIdeaForm,
    props.error,
    CHANGE_IDEA_FIELDS,
    props.onSubmit,
  );
  const { values, setValues, errors } = f;
  const tagError = errors.tags ?? Object.entries(errors).find(([k]) => k.startsWith('tags.'))?.[1];
  return (
    <form ref={f.formRef} onSubmit={f.submit} noValidate aria-busy={props.pending || undefined}>
      <TextField
        id={`${idPrefix}-title`}
        label="Title"
        name="title"
        autoComplete="off"
        maxLength={TITLE_MAX}
        value={values.title}
        onChange={(e) => setValues((v) => ({ ...v, title: e.target.value }))}
        error={errors.title}
      />
      <Textarea
        id={`${idPrefix}-description`}
        label="Description"
        name="description"
        optional
        hint="What the change is, concretely enough that another team could try it."
        maxLength={TEXT_MAX}
        rows={5}
        value={values.description}
        onChange={(e) => setValues((v) => ({ ...v, description: e.target.value }))}
        error={errors.description}
      />
      <TextField
        id={`${idPrefix}-tags`}
        label="Tags"
        name="tags"
        optional
        hint="Separated by commas, e.g. “phonics, small groups”."
        autoComplete="off"
        value={values.tags}
        onChange={(e) => setValues((v) => ({ ...v, tags: e.target.value }))}
        error={tagError}
      />
      <fieldset className="aim-fields">
        <legend className="field__label">Source</legend>
        <Select
          id={`${idPrefix}-source-kind`}
          label="Where the idea comes from"
          name="source.kind"
          options={SOURCE_KIND_OPTIONS}
          value={values.sourceKind}
          onChange={(e) =>
            setValues((v) => ({
              ...v,
              sourceKind: e.target.value as ChangeIdeaFormValues['sourceKind'],
            }))
          }
          error={errors['source.kind'] ?? errors.source}
        />
        <TextField
          id={`${idPrefix}-citation`}
          label="Citation"
          name="source.citation"
          optional
          maxLength={1000}
          value={values.citation}
          onChange={(e) => setValues((v) => ({ ...v, citation: e.target.value }))}
          error={errors['source.citation']}
        />
        <TextField
          id={`${idPrefix}-url`}
          label="Web address"
          name="source.url"
          type="url"
          optional
          inputMode="url"
          maxLength={2000}
          value={values.url}
          onChange={(e) => setValues((v) => ({ ...v, url: e.target.value }))}
          error={errors['source.url']}
        />
        {values.sourceKind === 'cycle' && (
          <TextField
            id={`${idPrefix}-cycle`}
            label="PDSA cycle"
            name="source.cycle_id"
            hint="The cycle’s id or address (…/cycles/<id>)."
            autoComplete="off"
            value={values.cycleId}
            onChange={(e) => setValues((v) => ({ ...v, cycleId: e.target.value }))}
            error={errors['source.cycle_id']}
          />
        )}
      </fieldset>
      <RadioGroup
        label="Who can see this change idea"
        name={`${idPrefix}-visibility`}
        options={CHANGE_IDEA_VISIBILITY_OPTIONS}
        value={values.visibility}
        onChange={(visibility) => setValues((v) => ({ ...v, visibility }))}
        error={errors.visibility}
      />
      <Actions {...props} unexplained={f.unexplained} />
    </form>
  );
}

const MEASURE_FIELDS = [
  'name',
  'kind',
  'frequency',
  'chart_type',
  'unit',
  'improvement_direction',
  'rule_set',
  'multiply',
  'goal',
  'operational_definition',
  'operational_definition.numerator_definition',
  'operational_definition.denominator_definition',
  'charter_id',
];

/** A common measure of a charter: every linked team reports it. */
export function CommonMeasureForm(props: FormProps<MeasureFormValues>) {
  const idPrefix = props.idPrefix ?? 'measure';
  const f = useForm(
    props.initial,
    validateMeasureForm,
    props.error,
    MEASURE_FIELDS,
    props.onSubmit,
  );
  const { values, setValues, errors } = f;
  const set =
    <K extends keyof MeasureFormValues>(key: K) =>
    (e: { target: { value: string } }) =>
      setValues((v) => ({ ...v, [key]: e.target.value as MeasureFormValues[K] }));
  return (
    <form ref={f.formRef} onSubmit={f.submit} noValidate aria-busy={props.pending || undefined}>
      <TextField
        id={`${idPrefix}-name`}
        label="Name"
        name="name"
        autoComplete="off"
        hint="e.g. “Students reading at grade level”"
        maxLength={TITLE_MAX}
        value={values.name}
        onChange={set('name')}
        error={errors.name}
      />
      <div className="planning-form-row">
        <Select
          id={`${idPrefix}-kind`}
          label="Kind"
          name="kind"
          options={MEASURE_KIND_OPTIONS}
          value={values.kind}
          onChange={set('kind')}
          error={errors.kind}
        />
        <Select
          id={`${idPrefix}-frequency`}
          label="Frequency"
          name="frequency"
          options={FREQUENCY_OPTIONS}
          value={values.frequency}
          onChange={set('frequency')}
          error={errors.frequency}
        />
        <Select
          id={`${idPrefix}-chart-type`}
          label="Chart type"
          name="chart_type"
          options={CHART_TYPE_OPTIONS}
          value={values.chart_type}
          onChange={set('chart_type')}
          error={errors.chart_type}
        />
        <Select
          id={`${idPrefix}-direction`}
          label="Improvement is"
          name="improvement_direction"
          options={DIRECTION_OPTIONS}
          value={values.improvement_direction}
          onChange={set('improvement_direction')}
          error={errors.improvement_direction}
        />
        <Select
          id={`${idPrefix}-rule-set`}
          label="Rules for signals"
          name="rule_set"
          options={RULE_SET_OPTIONS}
          value={values.rule_set}
          onChange={set('rule_set')}
          error={errors.rule_set}
        />
        <TextField
          id={`${idPrefix}-unit`}
          label="Unit"
          name="unit"
          optional
          maxLength={50}
          value={values.unit}
          onChange={set('unit')}
          error={errors.unit}
        />
        <TextField
          id={`${idPrefix}-multiply`}
          label="Multiply by"
          name="multiply"
          hint="100 shows a proportion as a percentage."
          inputMode="decimal"
          value={values.multiply}
          onChange={set('multiply')}
          error={errors.multiply}
        />
        <TextField
          id={`${idPrefix}-goal`}
          label="Goal"
          name="goal"
          optional
          inputMode="decimal"
          value={values.goal}
          onChange={set('goal')}
          error={errors.goal}
        />
      </div>
      <Textarea
        id={`${idPrefix}-numerator`}
        label="Numerator: what is counted"
        name="operational_definition.numerator_definition"
        optional
        rows={2}
        maxLength={5000}
        value={values.numerator_definition}
        onChange={set('numerator_definition')}
        error={errors['operational_definition.numerator_definition']}
      />
      <Textarea
        id={`${idPrefix}-denominator`}
        label="Denominator: out of what"
        name="operational_definition.denominator_definition"
        optional
        hint={
          needsDenominator(values.chart_type)
            ? 'This chart type plots a ratio: say what each value is out of.'
            : undefined
        }
        rows={2}
        maxLength={5000}
        value={values.denominator_definition}
        onChange={set('denominator_definition')}
        error={errors['operational_definition.denominator_definition']}
      />
      <Actions {...props} unexplained={f.unexplained} />
    </form>
  );
}
