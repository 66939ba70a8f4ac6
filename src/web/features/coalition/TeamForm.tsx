import { type FormEvent, type ReactNode, useRef, useState } from 'react';
import { Button, ErrorState, RadioGroup, TextField } from '../../components/index.ts';
import { formErrors, useFocusFirstInvalid } from './forms.ts';
import {
  NAME_MAX,
  TEAM_VISIBILITY_OPTIONS,
  type TeamFormValues,
  validateTeamForm,
} from './model.ts';
import { OrganisationPicker } from './OrganisationPicker.tsx';

const FIELDS = ['name', 'organisation_id', 'visibility'] as const;

export interface TeamFormProps {
  initial: TeamFormValues;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  error?: unknown;
  onSubmit: (values: TeamFormValues) => void;
  secondaryActions?: ReactNode;
  status?: ReactNode;
  /** A name for the form's fields in the page, e.g. "new-team". */
  idPrefix?: string;
}

export function TeamForm({
  initial,
  submitLabel,
  pendingLabel,
  pending,
  error,
  onSubmit,
  secondaryActions,
  status,
  idPrefix,
}: TeamFormProps) {
  const [values, setValues] = useState(initial);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const { errors, unexplained } = formErrors(error, clientErrors, FIELDS);
  useFocusFirstInvalid(formRef, attempt, error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateTeamForm(values);
    setClientErrors(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length === 0) onSubmit(values);
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-busy={pending || undefined}>
      <TextField
        label="Team name"
        name="name"
        id={idPrefix ? `${idPrefix}-name` : undefined}
        autoComplete="off"
        maxLength={NAME_MAX}
        hint="Usually the school or site and what the team works on: “Oak Hill Elementary K–2 team”."
        value={values.name}
        onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))}
        error={errors.name}
      />
      <OrganisationPicker
        value={values.organisation}
        onChange={(organisation) => setValues((v) => ({ ...v, organisation }))}
        error={errors.organisation_id}
      />
      <RadioGroup
        label="Who can see this team"
        name={idPrefix ? `${idPrefix}-visibility` : 'visibility'}
        options={TEAM_VISIBILITY_OPTIONS}
        value={values.visibility}
        onChange={(visibility) => setValues((v) => ({ ...v, visibility }))}
        error={errors.visibility}
      />
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
