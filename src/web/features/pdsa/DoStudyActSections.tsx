import { useId, useState } from 'react';
import { Link } from 'react-router';
import { Button, RadioGroup, Select, Textarea, TextField } from '../../components/index.ts';
import {
  type ActDraft,
  DECISION_HINTS,
  DECISION_LABELS,
  DECISIONS,
  type ExecutionDraft,
  formatDay,
  type Measure,
  OUTCOME_LABELS,
  OUTCOMES,
  type PdsaAct,
  type PdsaCycle,
  type PdsaExecution,
  type PdsaPlan,
  type PdsaStudy,
  type PredictionOutcome,
  type StudyDraft,
} from './model.ts';
import { DecisionBadge, OutcomeBadge } from './parts.tsx';
import { Detail } from './PlanSection.tsx';
import { useTeamMeasures } from './queries.ts';

// ---- Do

export function DoView({ execution }: { execution: PdsaExecution }) {
  return (
    <dl className="details pdsa-details">
      <Detail term="What happened" value={execution.what_happened} />
      <Detail term="Observations" value={execution.observations} />
      <Detail term="Deviations from the plan" value={execution.deviations} />
      <dt>Started</dt>
      <dd>{formatDay(execution.started_on)}</dd>
      <dt>Ended</dt>
      <dd>{formatDay(execution.ended_on)}</dd>
    </dl>
  );
}

export function DoForm({
  draft,
  onChange,
  errors,
}: {
  draft: ExecutionDraft;
  onChange: (draft: ExecutionDraft) => void;
  errors: Record<string, string>;
}) {
  const set = (key: keyof ExecutionDraft) => (value: string) =>
    onChange({ ...draft, [key]: value });
  return (
    <div className="form-grid">
      <Textarea
        id="pdsa-what-happened"
        label="What happened"
        hint="Carry out the test and describe it: what was done, with whom, what you saw."
        rows={4}
        value={draft.what_happened}
        onChange={(e) => set('what_happened')(e.target.value)}
        error={errors['execution.what_happened']}
        maxLength={20000}
      />
      <Textarea
        label="Observations"
        optional
        hint="What you noticed that the plan did not ask about: reactions, surprises, problems."
        rows={4}
        value={draft.observations}
        onChange={(e) => set('observations')(e.target.value)}
        error={errors['execution.observations']}
        maxLength={20000}
      />
      <Textarea
        label="Deviations from the plan"
        optional
        hint="What was done differently from the plan, and why."
        rows={3}
        value={draft.deviations}
        onChange={(e) => set('deviations')(e.target.value)}
        error={errors['execution.deviations']}
        maxLength={20000}
      />
      <div className="pdsa-dates">
        <TextField
          label="Started on"
          optional
          type="date"
          value={draft.started_on}
          onChange={(e) => set('started_on')(e.target.value)}
          error={errors['execution.started_on']}
        />
        <TextField
          label="Ended on"
          optional
          type="date"
          value={draft.ended_on}
          onChange={(e) => set('ended_on')(e.target.value)}
          error={errors['execution.ended_on']}
        />
      </div>
    </div>
  );
}

// ---- Study

/**
 * Predictions vs results, side by side: each prediction of the plan next to what was found
 * (confirmed, partly, refuted) and a note. Editable in Study; read-only otherwise.
 */
export function PredictionsVsResults({
  plan,
  study,
  draft,
  onChange,
  errors,
}: {
  plan: PdsaPlan;
  study: PdsaStudy;
  draft?: StudyDraft;
  onChange?: (draft: StudyDraft) => void;
  errors?: Record<string, string>;
}) {
  const stored = new Map(study.results.map((r) => [r.prediction_id, r]));
  const missingError = errors?.['study.results'];
  if (plan.questions.length === 0)
    return <p className="card__meta">The plan has no predictions to compare with.</p>;
  return (
    <div id="pdsa-study-results" tabIndex={-1} className="pdsa-anchor pvr">
      {missingError && <p className="field__error">{missingError}</p>}
      <div className="pvr__head" aria-hidden="true">
        <span>Prediction</span>
        <span>Result</span>
      </div>
      {plan.questions.map((q, i) => (
        <div key={q.id} className="pvr__question">
          <p className="pvr__question-text">
            <span className="pdsa-label">Question {i + 1}:</span> {q.text}
          </p>
          {q.predictions.map((p, k) => {
            const label = `Prediction ${i + 1}.${k + 1}`;
            const result = draft?.results[p.id];
            const saved = stored.get(p.id);
            return (
              <div key={p.id} className="pvr__row">
                <div className="pvr__prediction">
                  <span className="pdsa-label">{label}</span>
                  <p className="pdsa-text">{p.text}</p>
                </div>
                <div className="pvr__result">
                  {draft && onChange ? (
                    <ResultEditor
                      label={label}
                      prediction={p.text}
                      outcome={result?.outcome ?? ''}
                      note={result?.note ?? ''}
                      error={
                        errors?.[`study.result.${p.id}`] ??
                        (missingError && !result?.outcome
                          ? 'Choose a result for this prediction.'
                          : undefined)
                      }
                      onChange={(next) =>
                        onChange({ ...draft, results: { ...draft.results, [p.id]: next } })
                      }
                    />
                  ) : saved ? (
                    <>
                      <OutcomeBadge outcome={saved.outcome} />
                      {saved.note && <p className="pdsa-text">{saved.note}</p>}
                    </>
                  ) : (
                    <span className="card__meta">Not studied yet</span>
                  )}
                </div>
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
}

function ResultEditor({
  label,
  prediction,
  outcome,
  note,
  error,
  onChange,
}: {
  label: string;
  prediction: string;
  outcome: PredictionOutcome | '';
  note: string;
  error: string | undefined;
  onChange: (next: { outcome: PredictionOutcome | ''; note: string }) => void;
}) {
  const name = useId();
  return (
    <>
      <RadioGroup
        label={
          <>
            Result of {label.toLowerCase()}
            <span className="visually-hidden">: {prediction}</span>
          </>
        }
        name={name}
        options={OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))}
        value={outcome as PredictionOutcome}
        onChange={(value) => onChange({ outcome: value, note })}
        error={error}
      />
      <Textarea
        label={`Note on ${label.toLowerCase()}`}
        optional
        rows={2}
        value={note}
        onChange={(e) => onChange({ outcome, note: e.target.value })}
        maxLength={5000}
      />
    </>
  );
}

/** Links to the measures' charts, for the team whose data they show. */
export function MeasureLinks({
  links,
  teamId,
  measures,
  onRemove,
}: {
  links: PdsaStudy['measure_links'];
  teamId: string;
  measures: readonly Measure[] | undefined;
  onRemove?: (index: number) => void;
}) {
  if (links.length === 0) return <p className="card__meta">No measure charts linked.</p>;
  return (
    <ul className="pdsa-measures">
      {links.map((link, i) => {
        const measure = measures?.find((m) => m.id === link.measure_id);
        const team = link.team_id ?? teamId;
        const name = measure?.name ?? 'Measure chart';
        return (
          <li key={`${link.measure_id}:${link.team_id ?? ''}`} className="pdsa-measures__item">
            <Link to={`/measures/${link.measure_id}?team=${team}`}>{name}</Link>
            {onRemove && (
              <Button variant="ghost" onClick={() => onRemove(i)}>
                Remove<span className="visually-hidden"> the link to {name}</span>
              </Button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export function StudyForm({
  cycle,
  draft,
  onChange,
  errors,
}: {
  cycle: PdsaCycle;
  draft: StudyDraft;
  onChange: (draft: StudyDraft) => void;
  errors: Record<string, string>;
}) {
  const measures = useTeamMeasures(cycle.team_id);
  const [picked, setPicked] = useState('');
  const available = (measures.data ?? []).filter(
    (m) => !draft.measure_links.some((l) => l.measure_id === m.id),
  );
  return (
    <>
      <PredictionsVsResults
        plan={cycle.plan}
        study={cycle.study}
        draft={draft}
        onChange={onChange}
        errors={errors}
      />
      <Textarea
        label="Summary"
        optional
        hint="What did you learn? How do the results compare with the predictions?"
        rows={4}
        value={draft.summary}
        onChange={(e) => onChange({ ...draft, summary: e.target.value })}
        error={errors['study.summary']}
        maxLength={20000}
      />
      <h4 className="pdsa-label">Measure charts</h4>
      <MeasureLinks
        links={draft.measure_links}
        teamId={cycle.team_id}
        measures={measures.data}
        onRemove={(i) =>
          onChange({ ...draft, measure_links: draft.measure_links.filter((_, j) => j !== i) })
        }
      />
      {errors['study.measure_links'] && (
        <p className="field__error">{errors['study.measure_links']}</p>
      )}
      <div className="toolbar pdsa-measure-pick">
        <Select
          label="Link a measure’s chart"
          hint="A measure of the team, to look at its run or control chart while studying."
          placeholder={
            measures.isPending
              ? 'Loading the measures…'
              : available.length === 0
                ? 'No other measures'
                : 'Choose a measure'
          }
          options={available.map((m) => ({ value: m.id, label: `${m.name} (${m.kind})` }))}
          value={picked}
          onChange={(e) => setPicked(e.target.value)}
        />
        <Button
          className="pdsa-measure-pick__button"
          onClick={() => {
            if (!picked) return;
            onChange({
              ...draft,
              measure_links: [...draft.measure_links, { measure_id: picked, team_id: null }],
            });
            setPicked('');
          }}
        >
          Link the chart
        </Button>
      </div>
    </>
  );
}

export function StudyView({ cycle }: { cycle: PdsaCycle }) {
  const measures = useTeamMeasures(cycle.team_id, cycle.study.measure_links.length > 0);
  return (
    <>
      <PredictionsVsResults plan={cycle.plan} study={cycle.study} />
      <dl className="details pdsa-details">
        <Detail term="Summary" value={cycle.study.summary} />
        <dt>Measure charts</dt>
        <dd>
          <MeasureLinks
            links={cycle.study.measure_links}
            teamId={cycle.team_id}
            measures={measures.data}
          />
        </dd>
      </dl>
    </>
  );
}

// ---- Act

export function ActView({ act }: { act: PdsaAct }) {
  return (
    <dl className="details pdsa-details">
      <dt>Decision</dt>
      <dd>
        {act.decision ? (
          <DecisionBadge decision={act.decision} />
        ) : (
          <span className="card__meta">Not decided yet</span>
        )}
      </dd>
      <Detail term="Reason" value={act.reason} />
    </dl>
  );
}

export function ActForm({
  draft,
  onChange,
  errors,
}: {
  draft: ActDraft;
  onChange: (draft: ActDraft) => void;
  errors: Record<string, string>;
}) {
  const set = <K extends keyof ActDraft>(key: K, value: ActDraft[K]) =>
    onChange({ ...draft, [key]: value });
  return (
    <>
      <div id="pdsa-act-decision" tabIndex={-1} className="pdsa-anchor">
        <RadioGroup
          label="Decision"
          hint="What happens to the change idea after this test?"
          name="pdsa-decision"
          options={DECISIONS.map((d) => ({
            value: d,
            label: DECISION_LABELS[d],
            hint: DECISION_HINTS[d],
          }))}
          value={draft.decision as never}
          onChange={(value) => set('decision', value)}
          error={errors['act.decision']}
        />
      </div>
      <Textarea
        id="pdsa-act-reason"
        label="Reason"
        hint="Why this decision: what in the results supports it."
        rows={3}
        value={draft.reason}
        onChange={(e) => set('reason', e.target.value)}
        error={errors['act.reason']}
        maxLength={5000}
      />
      {draft.decision === 'adapt' && (
        <fieldset className="card pdsa-next">
          <legend className="pdsa-next__legend">Plan the next cycle</legend>
          <div className="checkbox">
            <input
              type="checkbox"
              id="pdsa-plan-next"
              checked={draft.planNext}
              onChange={(e) => set('planNext', e.target.checked)}
            />
            <label htmlFor="pdsa-plan-next">
              Plan the next cycle now: it is created, with a copy of this plan, when this cycle is
              completed
            </label>
          </div>
          {draft.planNext && (
            <div className="form-grid">
              <TextField
                id="pdsa-next-title"
                label="Next cycle’s title"
                value={draft.nextTitle}
                onChange={(e) => set('nextTitle', e.target.value)}
                error={errors['next_cycle.title']}
                maxLength={200}
                autoComplete="off"
              />
              <TextField
                label="Next cycle’s scale"
                optional
                hint="Usually larger: “1 class” after “1 student”."
                value={draft.nextScale}
                onChange={(e) => set('nextScale', e.target.value)}
                error={errors['next_cycle.scale']}
                maxLength={200}
                autoComplete="off"
              />
              <TextField
                label="Next cycle’s planned start"
                optional
                type="date"
                value={draft.nextStart}
                onChange={(e) => set('nextStart', e.target.value)}
                error={errors['next_cycle.planned_start']}
              />
            </div>
          )}
        </fieldset>
      )}
    </>
  );
}
