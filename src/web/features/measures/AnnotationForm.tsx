/**
 * Add an annotation to a team's chart: a date, a label, a kind and — for a phase change — "start
 * a new phase here" (the chart then computes new limits from that period on). Accepting the
 * engine's suggested phase fills the form in.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Button, ErrorState, Select, TextField } from '../../components/index.ts';
import { formErrors } from '../coalition/forms.ts';
import { ANNOTATION_KIND_LABELS, type AnnotationKind } from './model.ts';
import { useCreateAnnotation } from './queries.ts';

export interface AnnotationDraft {
  occurred_on: string;
  label: string;
  kind: AnnotationKind;
  phase_break: boolean;
}

const EMPTY: AnnotationDraft = { occurred_on: '', label: '', kind: 'note', phase_break: false };
const FIELDS = ['occurred_on', 'label', 'kind', 'phase_break'] as const;

export function AnnotationForm({
  teamId,
  measureId,
  suggestion,
}: {
  teamId: string;
  measureId: string;
  /** A draft to start from (an accepted phase suggestion); a new object refills the form. */
  suggestion: AnnotationDraft | null;
}) {
  const id = useId();
  const [draft, setDraft] = useState<AnnotationDraft>(suggestion ?? EMPTY);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const create = useCreateAnnotation();
  const dateRef = useRef<HTMLInputElement>(null);
  const { errors, unexplained } = formErrors(create.error, clientErrors, FIELDS);

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
    if (Object.keys(found).length > 0) return;
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
    <form onSubmit={submit} noValidate className="annotation-form" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Add an annotation</h3>
      <p className="card__meta">
        Mark what happened (a change introduced, a test, a snow week) so that the chart can be read
        against it. It shows as a flag on this team’s chart.
      </p>
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
      {unexplained !== undefined && <ErrorState error={unexplained} headingLevel={3} />}
      <div role="status">{saved && <div className="alert alert--success">{saved}</div>}</div>
      <div className="form-actions">
        <Button type="submit" loading={create.isPending} loadingLabel="Adding…">
          Add annotation
        </Button>
      </div>
    </form>
  );
}
