import { TextField } from '../../components/index.ts';
import {
  type Aim,
  AIM_TEXT_MAX,
  type AimFormValues,
  formatDay,
  UNIT_MAX,
  withUnit,
} from './model.ts';
import '../../styles/planning.css';

/** The structured aim as one fieldset: what, for whom, unit, baseline → target, by when. */
export function AimFields({
  values,
  onChange,
  errors,
  idPrefix,
  legend = 'Aim',
}: {
  values: AimFormValues;
  onChange: (next: AimFormValues) => void;
  errors: Record<string, string>;
  idPrefix: string;
  legend?: string;
}) {
  const set = (key: keyof AimFormValues) => (e: { target: { value: string } }) =>
    onChange({ ...values, [key]: e.target.value });
  return (
    <fieldset className="aim-fields">
      <legend className="field__label">{legend}</legend>
      <p className="field__hint">
        A measurable aim: how much, by when, for whom. The sentence is written from these parts,
        e.g. “Increase the share of students reading at grade level from 62% to 80% by 30 June 2027
        for K–2 students”.
      </p>
      <TextField
        id={`${idPrefix}-aim-what`}
        label="What improves"
        name="aim.what"
        optional
        hint="e.g. “the share of students reading at grade level”"
        maxLength={AIM_TEXT_MAX}
        value={values.what}
        onChange={set('what')}
        error={errors['aim.what']}
      />
      <TextField
        id={`${idPrefix}-aim-for-whom`}
        label="For whom"
        name="aim.for_whom"
        optional
        hint="e.g. “K–2 students in network schools”"
        maxLength={AIM_TEXT_MAX}
        value={values.for_whom}
        onChange={set('for_whom')}
        error={errors['aim.for_whom']}
      />
      <div className="aim-fields__numbers">
        <TextField
          id={`${idPrefix}-aim-baseline`}
          label="Baseline"
          name="aim.baseline"
          optional
          inputMode="decimal"
          value={values.baseline}
          onChange={set('baseline')}
          error={errors['aim.baseline']}
        />
        <TextField
          id={`${idPrefix}-aim-target`}
          label="Target"
          name="aim.target"
          optional
          inputMode="decimal"
          value={values.target}
          onChange={set('target')}
          error={errors['aim.target']}
        />
        <TextField
          id={`${idPrefix}-aim-unit`}
          label="Unit"
          name="aim.unit"
          optional
          hint="%, days, students…"
          maxLength={UNIT_MAX}
          value={values.unit}
          onChange={set('unit')}
          error={errors['aim.unit']}
        />
        <TextField
          id={`${idPrefix}-aim-by`}
          label="By"
          name="aim.by"
          type="date"
          optional
          value={values.by}
          onChange={set('by')}
          error={errors['aim.by']}
        />
      </div>
    </fieldset>
  );
}

/** The aim sentence, and its baseline → target as numbers. */
export function AimSummary({
  aim,
  statement,
  emptyText,
}: {
  aim: Aim;
  statement: string;
  emptyText: string;
}) {
  if (!statement) return <p className="aim-summary__empty">{emptyText}</p>;
  const hasNumbers = aim.baseline !== null || aim.target !== null;
  return (
    <div className="aim-summary">
      <p className="aim-summary__statement">{statement}</p>
      {hasNumbers && (
        <dl className="aim-summary__numbers">
          <div>
            <dt>Baseline</dt>
            <dd>{withUnit(aim.baseline, aim.unit)}</dd>
          </div>
          <div className="aim-summary__target">
            <dt>Target</dt>
            <dd>{withUnit(aim.target, aim.unit)}</dd>
          </div>
          {aim.by && (
            <div>
              <dt>By</dt>
              <dd>{formatDay(aim.by)}</dd>
            </div>
          )}
        </dl>
      )}
    </div>
  );
}
