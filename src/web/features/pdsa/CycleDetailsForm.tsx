import { type FormEvent, useState } from 'react';
import { Button, ErrorState, SaveStatus, TextField } from '../../components/index.ts';
import { formErrors, isConflict } from '../coalition/forms.ts';
import type { PdsaCycle, UpdatePdsaCycleBody } from './model.ts';
import { useUpdatePdsaCycle } from './queries.ts';

/** Title, scale and planned start: editable until the cycle is completed. */
export function CycleDetailsForm({
  cycle,
  etag,
  onDone,
  onReload,
  reloading,
}: {
  cycle: PdsaCycle;
  etag: string;
  onDone: (message: string) => void;
  onReload: () => Promise<unknown>;
  reloading: boolean;
}) {
  const update = useUpdatePdsaCycle(cycle.id);
  const [values, setValues] = useState({
    title: cycle.title,
    scale: cycle.scale,
    planned_start: cycle.planned_start ?? '',
  });
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [nothingChanged, setNothingChanged] = useState(false);
  const { errors, unexplained } = formErrors(
    isConflict(update.error) ? null : update.error,
    clientErrors,
    ['title', 'scale', 'planned_start'],
  );

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!values.title.trim()) found.title = 'Name the cycle.';
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    const body: UpdatePdsaCycleBody = {};
    if (values.title.trim() !== cycle.title) body.title = values.title.trim();
    if (values.scale.trim() !== cycle.scale) body.scale = values.scale.trim();
    if ((values.planned_start || null) !== cycle.planned_start)
      body.planned_start = values.planned_start || null;
    if (Object.keys(body).length === 0) {
      setNothingChanged(true);
      return;
    }
    setNothingChanged(false);
    update.mutate({ body, etag }, { onSuccess: () => onDone('Saved the cycle’s details.') });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Edit the cycle’s details">
      <TextField
        label="Title"
        value={values.title}
        onChange={(e) => setValues((v) => ({ ...v, title: e.target.value }))}
        error={errors.title}
        maxLength={200}
        autoComplete="off"
      />
      <TextField
        label="Scale"
        optional
        value={values.scale}
        onChange={(e) => setValues((v) => ({ ...v, scale: e.target.value }))}
        error={errors.scale}
        maxLength={200}
        autoComplete="off"
      />
      <TextField
        label="Planned start"
        optional
        type="date"
        value={values.planned_start}
        onChange={(e) => setValues((v) => ({ ...v, planned_start: e.target.value }))}
        error={errors.planned_start}
      />
      {unexplained !== undefined && (
        <ErrorState headingLevel={3} title="Could not save" error={unexplained} />
      )}
      <SaveStatus
        conflict={
          isConflict(update.error) ? 'Someone else changed this cycle since you opened it.' : null
        }
        onReload={async () => {
          update.reset();
          await onReload();
          onDone('');
        }}
        reloading={reloading}
        saved={null}
        nothingChanged={nothingChanged}
      />
      <div className="form-actions">
        <Button type="submit" variant="primary" loading={update.isPending} loadingLabel="Saving…">
          Save details
        </Button>
        <Button onClick={() => onDone('')}>Cancel</Button>
      </div>
    </form>
  );
}
