import { type FormEvent, type ReactNode, useRef, useState } from 'react';
import { Button, ErrorState, RadioGroup, Textarea, TextField } from '../../components/index.ts';
import { formErrors, useFocusFirstInvalid } from './forms.ts';
import {
  DESCRIPTION_MAX,
  NAME_MAX,
  NETWORK_VISIBILITY_OPTIONS,
  type NetworkFormValues,
  validateNetworkForm,
} from './model.ts';

const FIELDS = ['name', 'description', 'visibility'] as const;

export interface NetworkFormProps {
  initial: NetworkFormValues;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  /** The failed request, if any: its `errors[]` are shown next to the fields. */
  error?: unknown;
  onSubmit: (values: NetworkFormValues) => void;
  secondaryActions?: ReactNode;
  /** Shown above the buttons, e.g. a conflict message or "Saved". */
  status?: ReactNode;
}

export function NetworkForm({
  initial,
  submitLabel,
  pendingLabel,
  pending,
  error,
  onSubmit,
  secondaryActions,
  status,
}: NetworkFormProps) {
  const [values, setValues] = useState(initial);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const { errors, unexplained } = formErrors(error, clientErrors, FIELDS);
  useFocusFirstInvalid(formRef, attempt, error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateNetworkForm(values);
    setClientErrors(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length === 0) onSubmit(values);
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-busy={pending || undefined}>
      <TextField
        label="Name"
        name="name"
        autoComplete="off"
        maxLength={NAME_MAX}
        value={values.name}
        onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))}
        error={errors.name}
      />
      <Textarea
        label="Description"
        name="description"
        optional
        hint="The network’s shared aim and who is in it, in a sentence or two."
        maxLength={DESCRIPTION_MAX}
        rows={3}
        value={values.description}
        onChange={(e) => setValues((v) => ({ ...v, description: e.target.value }))}
        error={errors.description}
      />
      <RadioGroup
        label="Who can see this network"
        name="visibility"
        options={NETWORK_VISIBILITY_OPTIONS}
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
