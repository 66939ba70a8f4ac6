import { type FormEvent, type ReactNode, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/client.ts';
import {
  Button,
  ButtonLink,
  ConfirmDialog,
  Dialog,
  ErrorState,
  SaveStatus,
  Skeleton,
  Textarea,
  VisibilityBadge,
} from '../components/index.ts';
import { HistorySection } from '../features/audit/HistorySection.tsx';
import { isConflict, isStatus } from '../features/coalition/forms.ts';
import { CycleDetailsForm } from '../features/pdsa/CycleDetailsForm.tsx';
import { AttachmentsSection, TransitionLog } from '../features/pdsa/CycleExtras.tsx';
import {
  ActForm,
  ActView,
  DoForm,
  DoView,
  StudyForm,
  StudyView,
} from '../features/pdsa/DoStudyActSections.tsx';
import {
  type ActDraft,
  actBodyOf,
  actDraftOf,
  BACKWARD,
  describeErrorMessage,
  describeErrorPath,
  type ExecutionDraft,
  executionBodyOf,
  executionDraftOf,
  FORWARD,
  formatDay,
  nextCycleOf,
  type PdsaCycle,
  type PlanDraft,
  planBodyOf,
  planDraftOf,
  rampTreeOf,
  STATE_LABELS,
  STEP_HINTS,
  STEPS,
  type Step,
  type StudyDraft,
  stepIndex,
  studyBodyOf,
  studyDraftOf,
  type UpdatePdsaCycleBody,
  validateExecution,
  validateNextCycle,
  validatePlan,
  validateStudy,
} from '../features/pdsa/model.ts';
import { PlanForm, PlanView } from '../features/pdsa/PlanSection.tsx';
import { DecisionBadge, RampView, StateBadge } from '../features/pdsa/parts.tsx';
import {
  useDeletePdsaCycle,
  usePdsaCycle,
  usePdsaRamp,
  useTransitionPdsaCycle,
  useUpdatePdsaCycle,
  useWorksInTeam,
} from '../features/pdsa/queries.ts';
import { formatDateTime } from '../lib/format.ts';
import { Page } from '../layout/Page.tsx';
import NotFoundPage from './NotFoundPage.tsx';

const CONFLICT_MESSAGE = 'Someone else changed this cycle since you opened it.';
const LOG_CRUMB = { to: '/pdsa', label: 'PDSA log' };

export default function PdsaCyclePage() {
  const { id = '' } = useParams();
  const cycle = usePdsaCycle(id);
  const data = cycle.data?.data;
  if (!data) {
    if (isStatus(cycle.error, 404)) {
      return (
        <NotFoundPage
          record="PDSA cycle"
          actions={<ButtonLink to="/pdsa">See the PDSA log</ButtonLink>}
        />
      );
    }
    return (
      <Page heading="PDSA cycle" breadcrumbs={[LOG_CRUMB]}>
        {cycle.isPending && <Skeleton lines={6} label="Loading the cycle…" />}
        {cycle.isError && (
          <ErrorState
            title="Could not load this cycle"
            error={cycle.error}
            onRetry={() => cycle.refetch()}
            retrying={cycle.isFetching}
          />
        )}
      </Page>
    );
  }
  return (
    <CycleRecord
      key={data.id}
      cycle={data}
      etag={cycle.data?.etag ?? ''}
      reload={cycle.refetch}
      reloading={cycle.isFetching}
    />
  );
}

interface Drafts {
  plan: PlanDraft;
  execution: ExecutionDraft;
  study: StudyDraft;
  act: ActDraft;
}
const draftsOf = (c: PdsaCycle): Drafts => ({
  plan: planDraftOf(c.plan),
  execution: executionDraftOf(c.execution),
  study: studyDraftOf(c.study),
  act: actDraftOf(c.act),
});

/** The PATCH body of the section edited in `step`. */
function sectionBody(step: Step, drafts: Drafts, cycle: PdsaCycle): UpdatePdsaCycleBody {
  switch (step) {
    case 'plan':
      return { plan: planBodyOf(drafts.plan) };
    case 'do':
      return { execution: executionBodyOf(drafts.execution) };
    case 'study':
      return { study: studyBodyOf(drafts.study, cycle.plan) };
    case 'act':
      return { act: actBodyOf(drafts.act) };
  }
}

function clientErrorsOf(step: Step, drafts: Drafts): Record<string, string> {
  switch (step) {
    case 'plan':
      return validatePlan(drafts.plan);
    case 'do':
      return validateExecution(drafts.execution);
    case 'study':
      return validateStudy(drafts.study);
    case 'act':
      return {};
  }
}

const SECTION_NAMES: Record<Step, string> = {
  plan: 'plan',
  do: 'record of the Do',
  study: 'study',
  act: 'decision',
};

function CycleRecord({
  cycle,
  etag,
  reload,
  reloading,
}: {
  cycle: PdsaCycle;
  etag: string;
  reload: () => Promise<unknown>;
  reloading: boolean;
}) {
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const canEdit = useWorksInTeam(cycle.team_id, cycle.network_id);
  const update = useUpdatePdsaCycle(cycle.id);
  const move = useTransitionPdsaCycle(cycle.id);
  const ramp = usePdsaRamp(cycle.id);

  const [drafts, setDrafts] = useState(() => draftsOf(cycle));
  const [version, setVersion] = useState(cycle.version);
  if (version !== cycle.version) {
    // A save, a move or a reload: the forms start again from what the server holds.
    setVersion(cycle.version);
    setDrafts(draftsOf(cycle));
  }
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [nothingChanged, setNothingChanged] = useState(false);
  const [moveDialog, setMoveDialog] = useState(false);
  const [editingDetails, setEditingDetails] = useState(false);
  const [detailsNotice, setDetailsNotice] = useState<string | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const remove = useDeletePdsaCycle(cycle.id);
  const navigate = useNavigate();
  const headings = useRef<Partial<Record<Step | 'completed', HTMLHeadingElement | null>>>({});

  const step: Step | null = cycle.state === 'completed' ? null : cycle.state;
  const editing = canEdit && step !== null;
  const body = step ? sectionBody(step, drafts, cycle) : {};
  const dirty =
    step !== null &&
    JSON.stringify(body) !== JSON.stringify(sectionBody(step, draftsOf(cycle), cycle));
  const forward = FORWARD[cycle.state];
  const back = BACKWARD[cycle.state];

  // The error of the last action (a save or a forward move) and the fields it names.
  const lastError = update.error ?? (moveDialog ? null : move.error);
  const serverErrors =
    lastError instanceof ApiError && [400, 409, 422].includes(lastError.status)
      ? lastError.fieldErrors()
      : {};
  const errors = { ...serverErrors, ...clientErrors };
  const conflict = isConflict(update.error) || (!moveDialog && isConflict(move.error));

  const setDraft =
    <K extends keyof Drafts>(key: K) =>
    (value: Drafts[K]) =>
      setDrafts((d) => ({ ...d, [key]: value }));

  const focusHeading = (s: Step | 'completed') =>
    requestAnimationFrame(() => headings.current[s]?.focus());

  const save = () => {
    if (!step) return;
    setSaved(null);
    move.reset();
    const found = clientErrorsOf(step, drafts);
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    if (!dirty) {
      setNothingChanged(true);
      return;
    }
    setNothingChanged(false);
    update.mutate(
      { body, etag },
      {
        onSuccess: (result) =>
          setSaved(`Saved the ${SECTION_NAMES[step]} (version ${result.data.version}).`),
      },
    );
  };

  const moveOn = () => {
    if (!step || !forward) return;
    setSaved(null);
    setNothingChanged(false);
    update.reset();
    const found = {
      ...clientErrorsOf(step, drafts),
      ...(step === 'act' ? validateNextCycle(drafts.act) : {}),
    };
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    const next = step === 'act' ? nextCycleOf(drafts.act) : undefined;
    move.mutate(
      {
        body: { to: forward.to, ...(next ? { next_cycle: next } : {}) },
        etag,
        ...(dirty ? { save: body } : {}),
      },
      {
        onSuccess: (result) => {
          setSaved(
            result.data.state === 'completed'
              ? next
                ? `Completed the cycle, and planned the next one: “${next.title}”.`
                : 'Completed the cycle.'
              : `Moved on to ${STATE_LABELS[result.data.state]}.`,
          );
          focusHeading(
            result.data.state === 'completed' ? 'completed' : (result.data.state as Step),
          );
        },
      },
    );
  };

  const reloadAfterConflict = async () => {
    update.reset();
    move.reset();
    setSaved(null);
    await reload();
    setDrafts(draftsOf(cycle));
  };

  const moveErrors = !moveDialog && lastError instanceof ApiError ? lastError.errors : [];
  const nextIds = cycle.next_cycle_ids;

  const stepContent = (s: Step): ReactNode => {
    const reached = stepIndex(s) <= stepIndex(cycle.state);
    if (s === step && canEdit) {
      switch (s) {
        case 'plan':
          return <PlanForm draft={drafts.plan} onChange={setDraft('plan')} errors={errors} />;
        case 'do':
          return (
            <DoForm draft={drafts.execution} onChange={setDraft('execution')} errors={errors} />
          );
        case 'study':
          return (
            <StudyForm
              cycle={cycle}
              draft={drafts.study}
              onChange={setDraft('study')}
              errors={errors}
            />
          );
        case 'act':
          return <ActForm draft={drafts.act} onChange={setDraft('act')} errors={errors} />;
      }
    }
    if (!reached)
      return (
        <p className="card__meta">Comes after {STATE_LABELS[STEPS[stepIndex(s) - 1] ?? 'plan']}.</p>
      );
    switch (s) {
      case 'plan':
        return <PlanView plan={cycle.plan} />;
      case 'do':
        return <DoView execution={cycle.execution} />;
      case 'study':
        return <StudyView cycle={cycle} />;
      case 'act':
        return <ActView act={cycle.act} />;
    }
  };

  return (
    <Page
      heading={cycle.title}
      title={`${cycle.title} (PDSA cycle)`}
      breadcrumbs={[
        LOG_CRUMB,
        ...(cycle.project_title
          ? [{ to: `/projects/${cycle.project_id}`, label: cycle.project_title }]
          : []),
      ]}
      lead={
        <span className="pdsa-lead">
          <span className="badge-row">
            <StateBadge state={cycle.state} />
            {cycle.decision && <DecisionBadge decision={cycle.decision} />}
            <VisibilityBadge visibility={cycle.visibility} />
          </span>{' '}
          A test of{' '}
          {cycle.change_idea_title ? (
            <Link to={`/change-ideas/${cycle.change_idea_id}`}>{cycle.change_idea_title}</Link>
          ) : (
            'a change idea not shared with you'
          )}
          {cycle.team_name && (
            <>
              {' '}
              by <Link to={`/teams/${cycle.team_id}`}>{cycle.team_name}</Link>
            </>
          )}
          {cycle.scale && <>, at the scale of {cycle.scale}</>}.
        </span>
      }
      actions={
        <ButtonLink to={`/pdsa?change_idea_id=${cycle.change_idea_id}`}>
          Other teams’ cycles on this change idea
        </ButtonLink>
      }
    >
      {notice && (
        <div className="alert alert--success" role="status">
          {notice}
        </div>
      )}

      <nav className="pdsa-stepper" aria-label="PDSA steps">
        <ol>
          {STEPS.map((s, i) => {
            const at = stepIndex(cycle.state);
            const status = i < at ? 'done' : i === at ? 'current' : 'todo';
            return (
              <li key={s} className={`pdsa-stepper__step pdsa-stepper__step--${status}`}>
                <a href={`#pdsa-${s}`} aria-current={status === 'current' ? 'step' : undefined}>
                  <span className="pdsa-stepper__num" aria-hidden="true">
                    {status === 'done' ? '✓' : i + 1}
                  </span>
                  <span className="pdsa-stepper__label">{STATE_LABELS[s]}</span>
                  <span className="visually-hidden">
                    {status === 'done'
                      ? ' (done)'
                      : status === 'current'
                        ? ' (current step)'
                        : ' (to come)'}
                  </span>
                </a>
              </li>
            );
          })}
          <li
            className={`pdsa-stepper__step pdsa-stepper__step--${cycle.state === 'completed' ? 'current' : 'todo'}`}
          >
            <a
              href="#pdsa-completed"
              aria-current={cycle.state === 'completed' ? 'step' : undefined}
            >
              <span className="pdsa-stepper__num" aria-hidden="true">
                ★
              </span>
              <span className="pdsa-stepper__label">Completed</span>
            </a>
          </li>
        </ol>
      </nav>

      <div className="pdsa-layout">
        <div className="pdsa-layout__main">
          {STEPS.map((s, i) => {
            const current = s === cycle.state;
            return (
              <section
                key={s}
                id={`pdsa-${s}`}
                className={current ? 'card pdsa-step pdsa-step--current' : 'card pdsa-step'}
                aria-labelledby={`pdsa-${s}-heading`}
              >
                <div className="pdsa-step__head">
                  <h2
                    id={`pdsa-${s}-heading`}
                    tabIndex={-1}
                    ref={(el) => {
                      headings.current[s] = el;
                    }}
                  >
                    <span aria-hidden="true" className="pdsa-step__num">
                      {i + 1}
                    </span>{' '}
                    {STATE_LABELS[s]}
                  </h2>
                  {current && <span className="badge badge--accent">Current step</span>}
                  {current && !canEdit && <span className="card__meta">Read only</span>}
                </div>
                <p className="card__meta pdsa-step__hint">{STEP_HINTS[s]}</p>
                {stepContent(s)}
                {current && editing && (
                  <div className="pdsa-step__footer">
                    {moveErrors.length > 0 && (
                      <div className="alert alert--error" role="alert">
                        <p className="alert__title">
                          {forward && move.error
                            ? `Not ready for ${STATE_LABELS[forward.to]} yet`
                            : 'Some fields need fixing'}
                          :
                        </p>
                        <ul>
                          {moveErrors.map((e) => {
                            const where = describeErrorPath(e.path);
                            return (
                              <li key={`${e.path}:${e.message}`}>
                                <a
                                  href={`#${where.anchor}`}
                                  onClick={(event) => {
                                    const target = document.getElementById(where.anchor);
                                    if (!target) return;
                                    event.preventDefault();
                                    target.focus();
                                    target.scrollIntoView({ block: 'center' });
                                  }}
                                >
                                  {where.label}
                                </a>
                                : {describeErrorMessage(e.message)}
                              </li>
                            );
                          })}
                        </ul>
                      </div>
                    )}
                    {lastError && moveErrors.length === 0 && !conflict && (
                      <ErrorState
                        headingLevel={3}
                        title={move.error ? 'Could not move the cycle on' : 'Could not save'}
                        error={lastError}
                      />
                    )}
                    <SaveStatus
                      conflict={conflict ? CONFLICT_MESSAGE : null}
                      onReload={reloadAfterConflict}
                      reloading={reloading}
                      saved={saved}
                      nothingChanged={nothingChanged}
                    />
                    <div className="form-actions">
                      <Button onClick={save} loading={update.isPending} loadingLabel="Saving…">
                        Save {SECTION_NAMES[s]}
                      </Button>
                      {forward && (
                        <Button
                          variant="primary"
                          onClick={moveOn}
                          loading={move.isPending && !moveDialog}
                          loadingLabel={forward.busy}
                        >
                          {forward.label} <span aria-hidden="true">→</span>
                        </Button>
                      )}
                      {back && (
                        <Button
                          variant="ghost"
                          onClick={() => {
                            move.reset();
                            setMoveDialog(true);
                          }}
                        >
                          <span aria-hidden="true">←</span> Go back a step…
                        </Button>
                      )}
                      {dirty && <span className="card__meta">Unsaved changes</span>}
                    </div>
                    {forward && (
                      <p className="card__meta">“{forward.label}” saves your changes first.</p>
                    )}
                  </div>
                )}
              </section>
            );
          })}

          <section
            id="pdsa-completed"
            className={
              cycle.state === 'completed' ? 'card pdsa-step pdsa-step--current' : 'card pdsa-step'
            }
            aria-labelledby="pdsa-completed-heading"
          >
            <div className="pdsa-step__head">
              <h2
                id="pdsa-completed-heading"
                tabIndex={-1}
                ref={(el) => {
                  headings.current.completed = el;
                }}
              >
                <span aria-hidden="true" className="pdsa-step__num">
                  ★
                </span>{' '}
                Completed
              </h2>
            </div>
            {cycle.state === 'completed' ? (
              <>
                <p>
                  Completed {cycle.completed_at ? formatDateTime(cycle.completed_at) : ''}
                  {cycle.decision && (
                    <>
                      {' '}
                      with the decision <DecisionBadge decision={cycle.decision} />
                    </>
                  )}
                  .
                </p>
                {nextIds.length > 0 && (
                  <p>
                    Next:{' '}
                    {nextIds.map((nid, i) => (
                      <span key={nid}>
                        {i > 0 && ', '}
                        <Link to={`/cycles/${nid}`}>
                          {ramp.data?.items.find((it) => it.cycle?.id === nid)?.cycle?.title ??
                            'the next cycle'}
                        </Link>
                      </span>
                    ))}
                  </p>
                )}
                {saved && (
                  <div className="alert alert--success" role="status">
                    {saved}
                  </div>
                )}
                {canEdit && (
                  <Button
                    onClick={() => {
                      move.reset();
                      setSaved(null);
                      setMoveDialog(true);
                    }}
                  >
                    Reopen…
                  </Button>
                )}
              </>
            ) : (
              <p className="card__meta">
                A cycle is completed once its decision is made. Completed cycles are read-only (they
                can be reopened with a reason).
              </p>
            )}
          </section>
        </div>

        <aside className="pdsa-layout__side" aria-label="About this cycle">
          <section className="card" aria-labelledby="pdsa-about-heading">
            <h2 id="pdsa-about-heading">About this cycle</h2>
            <dl className="details">
              <dt>Change idea</dt>
              <dd>
                {cycle.change_idea_title ? (
                  <Link to={`/change-ideas/${cycle.change_idea_id}`}>
                    {cycle.change_idea_title}
                  </Link>
                ) : (
                  'Not shared with you'
                )}
              </dd>
              <dt>Project</dt>
              <dd>
                {cycle.project_title ? (
                  <Link to={`/projects/${cycle.project_id}`}>{cycle.project_title}</Link>
                ) : (
                  'Not shared with you'
                )}
              </dd>
              <dt>Team</dt>
              <dd>
                {cycle.team_name ? (
                  <Link to={`/teams/${cycle.team_id}`}>{cycle.team_name}</Link>
                ) : (
                  'Not shared with you'
                )}
              </dd>
              <dt>Scale</dt>
              <dd>{cycle.scale || '—'}</dd>
              <dt>Planned start</dt>
              <dd>{formatDay(cycle.planned_start)}</dd>
              <dt>Who can see it</dt>
              <dd>
                <VisibilityBadge visibility={cycle.visibility} />
              </dd>
              <dt>Created</dt>
              <dd>{formatDateTime(cycle.created_at)}</dd>
              <dt>Last changed</dt>
              <dd>{formatDateTime(cycle.updated_at)}</dd>
            </dl>
            <p>
              <Link to={`/pdsa?change_idea_id=${cycle.change_idea_id}`}>
                Other teams’ cycles on this change idea
              </Link>
            </p>
            {detailsNotice && (
              <div className="alert alert--success" role="status">
                {detailsNotice}
              </div>
            )}
            {canEdit && cycle.state !== 'completed' && !editingDetails && (
              <div className="form-actions">
                <Button
                  onClick={() => {
                    setDetailsNotice(null);
                    setEditingDetails(true);
                  }}
                >
                  Edit title, scale or start…
                </Button>
                {cycle.state === 'plan' && (
                  <Button
                    variant="ghost"
                    className="pdsa-danger-text"
                    onClick={() => {
                      remove.reset();
                      setConfirmingDelete(true);
                    }}
                  >
                    Delete this cycle…
                  </Button>
                )}
              </div>
            )}
            {editingDetails && (
              <CycleDetailsForm
                cycle={cycle}
                etag={etag}
                reloading={reloading}
                onReload={reload}
                onDone={(message) => {
                  setEditingDetails(false);
                  setDetailsNotice(message || null);
                }}
              />
            )}
          </section>

          <section className="card" aria-labelledby="pdsa-ramp-heading">
            <h2 id="pdsa-ramp-heading">Ramp</h2>
            {ramp.isPending && <Skeleton lines={2} label="Loading the ramp…" />}
            {ramp.isError && (
              <ErrorState
                headingLevel={3}
                title="Could not load the ramp"
                error={ramp.error}
                onRetry={() => ramp.refetch()}
              />
            )}
            {ramp.data && ramp.data.items.length <= 1 && (
              <p className="card__meta">
                This cycle stands alone for now. When it is adapted, plan the next cycle at a larger
                scale (“1 student → 1 class → 1 grade”): together they make a ramp.
              </p>
            )}
            {ramp.data && ramp.data.items.length > 1 && (
              <RampView
                roots={rampTreeOf(ramp.data.items)}
                currentId={cycle.id}
                label="The ramp of this cycle"
              />
            )}
          </section>
        </aside>
      </div>

      <TransitionLog cycleId={cycle.id} />
      <AttachmentsSection
        cycleId={cycle.id}
        canEdit={canEdit}
        completed={cycle.state === 'completed'}
      />
      <HistorySection entityType="pdsa_cycle" id={cycle.id} what="PDSA cycle" />

      <ConfirmDialog
        open={confirmingDelete}
        title={`Delete “${cycle.title}”?`}
        confirmLabel="Delete cycle"
        busyLabel="Deleting…"
        busy={remove.isPending}
        error={
          remove.error ? (
            isConflict(remove.error) ? (
              CONFLICT_MESSAGE
            ) : (
              <ErrorState
                error={remove.error}
                headingLevel={3}
                title="Could not delete the cycle"
              />
            )
          ) : undefined
        }
        onCancel={() => {
          setConfirmingDelete(false);
          if (isConflict(remove.error)) reload();
          remove.reset();
        }}
        onConfirm={() =>
          remove.mutate(
            { etag },
            {
              onSuccess: () =>
                navigate(`/projects/${cycle.project_id}`, {
                  replace: true,
                  state: { notice: `Deleted the planned cycle “${cycle.title}”.` },
                }),
            },
          )
        }
      >
        <p>
          The cycle has not been tested yet, so nothing is lost but its plan. Cycles that have
          started are kept as history: abandon them in Act instead.
        </p>
      </ConfirmDialog>

      {back && (
        <MoveBackDialog
          open={moveDialog}
          reopen={cycle.state === 'completed'}
          from={cycle.state}
          to={back}
          dirty={dirty}
          pending={move.isPending}
          error={moveDialog ? move.error : null}
          onCancel={() => {
            setMoveDialog(false);
            move.reset();
          }}
          onConfirm={(reason) =>
            move.mutate(
              { body: { to: back, reason }, etag },
              {
                onSuccess: (result) => {
                  setMoveDialog(false);
                  setSaved(
                    cycle.state === 'completed'
                      ? 'Reopened the cycle: it is back at Act.'
                      : `Went back to ${STATE_LABELS[result.data.state]}.`,
                  );
                  focusHeading(result.data.state as Step);
                },
              },
            )
          }
          onReload={async () => {
            setMoveDialog(false);
            move.reset();
            await reload();
          }}
        />
      )}
    </Page>
  );
}

/** Asks why the cycle goes back a step (or is reopened): the reason goes into the log. */
function MoveBackDialog({
  open,
  reopen,
  from,
  to,
  dirty,
  pending,
  error,
  onCancel,
  onConfirm,
  onReload,
}: {
  open: boolean;
  reopen: boolean;
  from: PdsaCycle['state'];
  to: PdsaCycle['state'];
  dirty: boolean;
  pending: boolean;
  error: unknown;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
  onReload: () => void;
}) {
  const [reason, setReason] = useState('');
  const [clientError, setClientError] = useState<string | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const serverError =
    error instanceof ApiError && error.status === 400 ? error.fieldErrors().reason : undefined;
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!reason.trim()) {
      setClientError(reopen ? 'Say why the cycle is reopened.' : 'Say why the cycle goes back.');
      reasonRef.current?.focus();
      return;
    }
    setClientError(null);
    onConfirm(reason.trim());
  };
  return (
    <Dialog
      open={open}
      onClose={() => {
        if (!pending) onCancel();
      }}
      title={
        reopen ? 'Reopen the cycle?' : `Go back from ${STATE_LABELS[from]} to ${STATE_LABELS[to]}?`
      }
      initialFocusRef={reasonRef}
      actions={
        <>
          <Button onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
          <Button
            variant="primary"
            onClick={() => submit()}
            loading={pending}
            loadingLabel="Moving…"
          >
            {reopen ? 'Reopen the cycle' : `Go back to ${STATE_LABELS[to]}`}
          </Button>
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        <p>
          {reopen
            ? 'The cycle goes back to Act, where its decision can be changed. The reason is kept in the transition log.'
            : `The ${STATE_LABELS[to]} step becomes editable again. The reason is kept in the transition log.`}
        </p>
        {dirty && (
          <p className="alert alert--warning">Your unsaved changes on this step will be lost.</p>
        )}
        <Textarea
          ref={reasonRef}
          id="pdsa-move-reason"
          label="Reason"
          hint="What was missed, or what changed?"
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={clientError ?? serverError}
          maxLength={2000}
        />
        {isConflict(error) && (
          <div className="alert alert--warning" role="alert">
            <p>{CONFLICT_MESSAGE}</p>
            <Button onClick={onReload}>Reload</Button>
          </div>
        )}
        {error !== null && error !== undefined && !serverError && !isConflict(error) && (
          <ErrorState headingLevel={3} title="Could not move the cycle" error={error} />
        )}
      </form>
    </Dialog>
  );
}
