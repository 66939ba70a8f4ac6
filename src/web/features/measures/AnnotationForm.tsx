/**
 * Add an annotation to a team's chart, or change one: a date, a label, a kind and — for a phase
 * change — "start a new phase here" (the chart then computes new limits from that period on).
 * Accepting the engine's suggested phase fills the form in. Editing sends the changed fields with
 * the version read as If-Match; a 412 (someone else changed it) offers a reload.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Button, ErrorState, SaveStatus, Select, TextField } from '../../components/index.ts';
import { etagOf } from '../coalition/model.ts';
import { formErrors, isConflict } from '../coalition/forms.ts';
import { type AnnotationDraft, annotationPatch } from './annotations.ts';
import { ANNOTATION_KIND_LABELS, type Annotation, type AnnotationKind } from './model.ts';
import { useCreateAnnotation, useUpdateAnnotation } from './queries.ts';

export type { AnnotationDraft } from './annotations.ts';

const EMPTY: AnnotationDraft = { occurred_on: '', label: '', kind: 'note', phase_break: false };
const FIELDS = ['occurred_on', 'label', 'kind', 'phase_break'] as const;
const CONFLICT_MESSAGE = 'Someone else changed this annotation since you opened it.';

export interface AnnotationEdit {
  id: string;
  version: number;
  initial: AnnotationDraft;
  onSaved: (annotation: Annotation) => void;
  onCancel: () => void;
  /** Loads the annotation again (after a 412); the caller then refills the form. */
  onReload: () => Promise<unknown>;
  reloading: boolean;
}

export function AnnotationForm({
  teamId,
  measureId,
  suggestion,
  edit,
}: {
  teamId: string;
  measureId: string;
  /** A draft to start from (an accepted phase suggestion); a new object refills the form. */
  suggestion: AnnotationDraft | null;
  /** Change this annotation instead of adding one (the form sits in a dialog then). */
  edit?: AnnotationEdit;
}) {
  const id = useId();
  const [draft, setDraft] = useState<AnnotationDraft>(edit?.initial ?? suggestion ?? EMPTY);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [nothingChanged, setNothingChanged] = useState(false);
  const create = useCreateAnnotation();
  const update = useUpdateAnnotation();
  const mutation = edit ? update : create;
  const conflict = edit !== undefined && isConflict(update.error);
  const dateRef = useRef<HTMLInputElement>(null);
  const { errors, unexplained } = formErrors(
    conflict ? null : mutation.error,
    clientErrors,
    FIELDS,
  );

  useEffect(() => {
    if (!suggestion) return;
    setDraft(suggestion);
    setSaved(null);
    dateRef.current?.focus();
  }, [suggestion]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.occurred_on)) found.occurred_on = 'Give the date.';
    if (!draft.label.trim()) found.label = 'Say what happened, in a few words.';
    setClientErrors(found);
    setSaved(null);
    setNothingChanged(false);
    if (Object.keys(found).length > 0) return;
    if (edit) {
      const body = annotationPatch(edit.initial, draft);
      if (Object.keys(body).length === 0) {
        setNothingChanged(true);
        return;
      }
      update.mutate(
        { id: edit.id, body, etag: etagOf(edit.version) },
        { onSuccess: (a) => edit.onSaved(a) },
      );
      return;
    }
    create.mutate(
      {
        team_id: teamId,
        measure_id: measureId,
        occurred_on: draft.occurred_on,
        label: draft.label.trim(),
        kind: draft.kind,
        phase_break: draft.kind === 'phase_change' && draft.phase_break,
      },
      {
        onSuccess: (a) => {
          setSaved(
            a.phase_break
              ? `Added “${a.label}”: the chart starts a new phase on ${a.occurred_on}.`
              : `Added “${a.label}” to the chart.`,
          );
          setDraft(EMPTY);
        },
      },
    );
  };

  return (
    <form
      onSubmit={submit}
      noValidate
      className={edit ? 'annotation-form annotation-form--edit' : 'annotation-form'}
      aria-labelledby={edit ? undefined : `${id}-h`}
      aria-label={edit ? 'Edit the annotation' : undefined}
    >
      {!edit && (
        <>
          <h3 id={`${id}-h`}>Add an annotation</h3>
          <p className="card__meta">
            Mark what happened (a change introduced, a test, a snow week) so that the chart can be
            read against it. It shows as a flag on this team’s chart.
          </p>
        </>
      )}
      <div className="annotation-form__row">
        <TextField
          ref={dateRef}
          label="Date"
          type="date"
          id={`${id}-date`}
          value={draft.occurred_on}
          onChange={(e) => setDraft((d) => ({ ...d, occurred_on: e.target.value }))}
          error={errors.occurred_on}
        />
        <TextField
          label="Label"
          id={`${id}-label`}
          maxLength={200}
          value={draft.label}
          onChange={(e) => setDraft((d) => ({ ...d, label: e.target.value }))}
          error={errors.label}
        />
        <Select
          label="Kind"
          id={`${id}-kind`}
          options={(Object.keys(ANNOTATION_KIND_LABELS) as AnnotationKind[]).map((k) => ({
            value: k,
            label: ANNOTATION_KIND_LABELS[k],
          }))}
          value={draft.kind}
          onChange={(e) =>
            setDraft((d) => ({
              ...d,
              kind: e.target.value as AnnotationKind,
              phase_break: e.target.value === 'phase_change' ? d.phase_break : false,
            }))
          }
          error={errors.kind}
        />
      </div>
      {draft.kind === 'phase_change' && (
        <div className="checkbox">
          <input
            id={`${id}-phase`}
            type="checkbox"
            className="checkbox__input"
            checked={draft.phase_break}
            onChange={(e) => setDraft((d) => ({ ...d, phase_break: e.target.checked }))}
            aria-describedby={`${id}-phase-hint`}
          />
          <label htmlFor={`${id}-phase`} className="checkbox__label">
            Start a new phase here
          </label>
          <div className="field__hint" id={`${id}-phase-hint`}>
            The centre line and limits are computed again from the period containing this date: use
            it when the process really changed, not to hide a signal.
          </div>
          {errors.phase_break && <div className="field__error">{errors.phase_break}</div>}
        </div>
      )}
      {unexplained !== undefined && (
        <ErrorState
          error={unexplained}
          headingLevel={3}
          title={edit ? 'Could not save the annotation' : undefined}
        />
      )}
      {edit ? (
        <SaveStatus
          conflict={conflict ? CONFLICT_MESSAGE : null}
          onReload={async () => {
            update.reset();
            await edit.onReload();
          }}
          reloading={edit.reloading}
          saved={null}
          nothingChanged={nothingChanged}
        />
      ) : (
        <div role="status">{saved && <div className="alert alert--success">{saved}</div>}</div>
      )}
      <div className="form-actions">
        {edit ? (
          <>
            <Button
              type="submit"
              variant="primary"
              loading={update.isPending}
              loadingLabel="Saving…"
            >
              Save changes
            </Button>
            <Button onClick={edit.onCancel} disabled={update.isPending}>
              Cancel
            </Button>
          </>
        ) : (
          <Button type="submit" loading={create.isPending} loadingLabel="Adding…">
            Add annotation
          </Button>
        )}
      </div>
    </form>
  );
}
