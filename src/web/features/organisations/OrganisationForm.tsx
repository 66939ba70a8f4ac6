import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { Button, ErrorState, RadioGroup, Select, TextField } from '../../components/index.ts';
import {
  isOrganisationType,
  ORGANISATION_TYPE_OPTIONS,
  ORGANISATION_VISIBILITY_OPTIONS,
  type OrganisationFormValues,
  validateOrganisationForm,
} from './model.ts';

const FIELDS = ['name', 'type', 'nces_id', 'visibility'] as const;

export interface OrganisationFormProps {
  initial: OrganisationFormValues;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  /** The failed request, if any: its `errors[]` are shown next to the fields by path. */
  error?: unknown;
  onSubmit: (values: OrganisationFormValues) => void;
  /** More buttons next to submit, e.g. Cancel. */
  secondaryActions?: ReactNode;
  /** Shown above the buttons, e.g. a conflict message or "Saved". */
  status?: ReactNode;
}

export function OrganisationForm({
  initial,
  submitLabel,
  pendingLabel,
  pending,
  error,
  onSubmit,
  secondaryActions,
  status,
}: OrganisationFormProps) {
  const [values, setValues] = useState(initial);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  const serverErrors =
    error instanceof ApiError && (error.status === 400 || error.status === 422)
      ? error.fieldErrors()
      : {};
  const errors = { ...serverErrors, ...clientErrors };
  const fieldErrorCount = FIELDS.filter((f) => errors[f]).length;
  // A failure that no field explains is shown above the buttons.
  const unexplained = error !== undefined && error !== null && fieldErrorCount === 0;

  // After a failed submit, take the keyboard to the first field that needs fixing.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when a submit's errors arrive
  useEffect(() => {
    if (attempt === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt, error]);

  const set = (field: 'name' | 'type' | 'nces_id') => (value: string) =>
    setValues((v) => ({ ...v, [field]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateOrganisationForm(values);
    setClientErrors(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length === 0) onSubmit(values);
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-busy={pending || undefined}>
      <TextField
        label="Name"
        name="name"
        autoComplete="organization"
        maxLength={200}
        value={values.name}
        onChange={(e) => set('name')(e.target.value)}
        error={errors.name}
      />
      <Select
        label="Type"
        name="type"
        placeholder="Choose a type"
        options={ORGANISATION_TYPE_OPTIONS}
        value={values.type}
        onChange={(e) => {
          const next = e.target.value;
          set('type')(next === '' || isOrganisationType(next) ? next : '');
        }}
        error={errors.type}
      />
      <TextField
        label="NCES id"
        name="nces_id"
        optional
        inputMode="numeric"
        hint="The National Center for Education Statistics id: 7 digits for a district, 12 for a school."
        value={values.nces_id}
        onChange={(e) => set('nces_id')(e.target.value)}
        error={errors.nces_id}
      />
      <RadioGroup
        label="Who can see it"
        name="visibility"
        options={ORGANISATION_VISIBILITY_OPTIONS}
        value={values.visibility}
        onChange={(visibility) => setValues((v) => ({ ...v, visibility }))}
        error={errors.visibility}
      />
      {unexplained && <ErrorState error={error} headingLevel={3} />}
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

/** The request body fields that differ from `before` (PATCH sends only what changed). */
export function changedFields(before: OrganisationFormValues, after: OrganisationFormValues) {
  const body: {
    name?: string;
    type?: Exclude<OrganisationFormValues['type'], ''>;
    nces_id?: string | null;
    visibility?: OrganisationFormValues['visibility'];
  } = {};
  if (after.name.trim() !== before.name) body.name = after.name.trim();
  if (after.type && after.type !== before.type) body.type = after.type;
  if (after.nces_id.trim() !== before.nces_id) body.nces_id = after.nces_id.trim() || null;
  if (after.visibility !== before.visibility) body.visibility = after.visibility;
  return body;
}
