/**
 * The annotations on a team's chart of a measure, as a list under the chart. Each one the reader
 * may change (a team's → whoever works in the team; a network-wide one → the network's
 * facilitators) has "Edit" (the annotation form, prefilled, in a dialog) and "Delete" (a
 * confirmation naming it). Writes send the version read as If-Match; a 412 offers a reload, a
 * 403 or 404 says why. After a change the chart and this list are fetched again.
 */
import { useRef, useState } from 'react';
import { Badge, Button, ConfirmDialog, Dialog, ErrorState } from '../../components/index.ts';
import { useFocusAfterDialog } from '../../lib/hooks.ts';
import { etagOf } from '../coalition/model.ts';
import { isConflict } from '../coalition/forms.ts';
import { AnnotationForm } from './AnnotationForm.tsx';
import { annotationDraftOf, shortLabel } from './annotations.ts';
import type { Annotation, ChartAnnotation } from './model.ts';
import { useDeleteAnnotation, useTeamAnnotations } from './queries.ts';

export function AnnotationList({
  annotations,
  teamId,
  measureId,
  signedIn,
  canChange,
  reloadChart,
}: {
  /** The annotations the chart carries (its own list: dates, labels, points). */
  annotations: readonly ChartAnnotation[];
  teamId: string;
  measureId: string;
  signedIn: boolean;
  /** Whether the reader may change this annotation (the API decides in the end). */
  canChange: (annotation: Annotation) => boolean;
  reloadChart: () => Promise<unknown>;
}) {
  const records = useTeamAnnotations(teamId, measureId, signedIn);
  const byId = new Map((records.data ?? []).map((a) => [a.id, a]));
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deletingId, setDeletingId] = useState<string | null>(null);
  // The label of the one being deleted, kept while the list refreshes around it.
  const [deletingLabel, setDeletingLabel] = useState('');
  const [done, setDone] = useState<string | null>(null);
  // Bumped by "Reload" after a conflict: the form starts again from the fresh annotation. (Not
  // keyed by version: a successful save bumps it while the form still awaits its answer.)
  const [reloads, setReloads] = useState(0);
  const remove = useDeleteAnnotation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusHeading = useFocusAfterDialog(headingRef, deletingId !== null);

  const editing = editingId ? byId.get(editingId) : undefined;
  const deleting = deletingId ? byId.get(deletingId) : undefined;
  const reload = () => Promise.all([records.refetch(), reloadChart()]);

  const closeDelete = () => {
    remove.reset();
    setDeletingId(null);
  };

  return (
    <div className="measure-annotations">
      <h3 ref={headingRef} tabIndex={-1}>
        Annotations on this chart
      </h3>
      <div role="status">{done && <div className="alert alert--success">{done}</div>}</div>
      {annotations.length === 0 ? (
        <p className="card__meta">
          No annotations on this chart yet.
          {signedIn && ' Add one below to mark a change, a test or an event.'}
        </p>
      ) : (
        <ul className="measure-annotations__list">
          {annotations.map((a) => {
            const record = byId.get(a.id);
            const changeable = signedIn && record !== undefined && canChange(record);
            const name = `“${shortLabel(a.label)}” (${a.occurred_on})`;
            return (
              <li key={a.id} className="measure-annotations__item">
                <span className="measure-annotations__text">
                  <strong>{a.occurred_on}</strong> — {a.label}
                  {a.phase_break && <Badge>New phase</Badge>}
                  {a.point_index !== null && (
                    <span className="card__meta"> (at point {a.point_index})</span>
                  )}
                  {record?.team_id === null && (
                    <span className="card__meta"> — a network-wide event</span>
                  )}
                </span>
                {changeable && (
                  <span className="measure-annotations__actions">
                    <Button
                      variant="ghost"
                      className="measure-annotations__button"
                      aria-label={`Edit annotation ${name}`}
                      onClick={() => {
                        setDone(null);
                        setEditingId(a.id);
                      }}
                    >
                      Edit
                    </Button>
                    <Button
                      variant="ghost"
                      className="measure-annotations__button measure-annotations__button--danger"
                      aria-label={`Delete annotation ${name}`}
                      onClick={() => {
                        setDone(null);
                        remove.reset();
                        setDeletingLabel(a.label);
                        setDeletingId(a.id);
                      }}
                    >
                      Delete
                    </Button>
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}

      <Dialog
        open={editingId !== null}
        onClose={() => setEditingId(null)}
        title={editing ? `Edit annotation “${shortLabel(editing.label, 60)}”` : 'Edit annotation'}
        className="dialog--form"
      >
        {editing ? (
          <AnnotationForm
            key={`${editing.id}:${reloads}`}
            teamId={teamId}
            measureId={measureId}
            suggestion={null}
            edit={{
              id: editing.id,
              version: editing.version,
              initial: annotationDraftOf(editing),
              onSaved: (saved) => {
                setEditingId(null);
                setDone(
                  saved.phase_break
                    ? `Saved “${saved.label}”: the chart starts a new phase on ${saved.occurred_on}.`
                    : `Saved “${saved.label}”.`,
                );
              },
              onCancel: () => setEditingId(null),
              onReload: async () => {
                await reload();
                setReloads((n) => n + 1);
              },
              reloading: records.isFetching,
            }}
          />
        ) : (
          <>
            <p>
              {records.isFetching
                ? 'Loading the annotation…'
                : 'This annotation is no longer there: someone may have deleted it.'}
            </p>
            <div className="form-actions">
              <Button onClick={() => setEditingId(null)}>Close</Button>
            </div>
          </>
        )}
      </Dialog>

      <ConfirmDialog
        open={deletingId !== null}
        title={`Delete annotation “${shortLabel(deleting?.label ?? deletingLabel, 60)}”?`}
        confirmLabel="Delete annotation"
        busyLabel="Deleting…"
        busy={remove.isPending}
        error={
          isConflict(remove.error) ? (
            <>
              <p className="alert__title">
                Someone else changed this annotation since you loaded it.
              </p>
              <p>Reload to see their version, then decide again.</p>
              <div className="alert__actions">
                <Button
                  onClick={async () => {
                    remove.reset();
                    await reload();
                  }}
                  loading={records.isFetching}
                  loadingLabel="Reloading…"
                >
                  Reload
                </Button>
              </div>
            </>
          ) : remove.error ? (
            <ErrorState
              error={remove.error}
              headingLevel={3}
              title="Could not delete the annotation"
            />
          ) : !deleting && remove.isIdle && !records.isFetching ? (
            'This annotation is no longer there: someone may have deleted it.'
          ) : undefined
        }
        onCancel={closeDelete}
        onConfirm={() => {
          if (!deleting) return;
          const label = deleting.label;
          remove.mutate(
            { id: deleting.id, etag: etagOf(deleting.version) },
            {
              onSuccess: () => {
                setDeletingId(null);
                setDone(`Deleted “${label}”.`);
                focusHeading();
              },
            },
          );
        }}
      >
        <p>{deleteConsequence(deleting)}</p>
        <p>This cannot be undone.</p>
      </ConfirmDialog>
    </div>
  );
}

function deleteConsequence(a: Annotation | undefined): string {
  if (!a) return 'It disappears from the chart.';
  const where =
    a.team_id === null
      ? 'It is a network-wide event: it disappears from every team’s charts in the network.'
      : a.measure_id === null
        ? 'It disappears from every chart of this team.'
        : 'It disappears from this team’s chart of this measure.';
  return a.phase_break
    ? `${where} The chart no longer starts a new phase on ${a.occurred_on}: its centre line and limits are computed again.`
    : where;
}
