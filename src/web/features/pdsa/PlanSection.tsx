import { type KeyboardEvent, useEffect, useState } from 'react';
import { Button, Textarea, TextField } from '../../components/index.ts';
import { newShortId, type PdsaPlan, type PlanDraft } from './model.ts';

const PLAN_FIELDS = [
  { key: 'who', label: 'Who', hint: 'Who carries out the test, and with whom.' },
  { key: 'what', label: 'What', hint: 'What exactly is tried.' },
  { key: 'when', label: 'When', hint: 'When, and for how long.' },
  { key: 'where', label: 'Where', hint: 'In which class, school or setting.' },
] as const;

/** The plan as read (every state but Plan, or without the right to edit). */
export function PlanView({ plan }: { plan: PdsaPlan }) {
  return (
    <>
      {plan.questions.length === 0 ? (
        <p className="card__meta">No questions were written.</p>
      ) : (
        <ol className="pdsa-questions">
          {plan.questions.map((q) => (
            <li key={q.id}>
              <p className="pdsa-questions__text">{q.text}</p>
              <p className="pdsa-label">Predictions</p>
              <ul className="pdsa-predictions">
                {q.predictions.map((p) => (
                  <li key={p.id}>{p.text}</li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
      <dl className="details pdsa-details">
        {PLAN_FIELDS.map((f) => (
          <Detail key={f.key} term={f.label} value={plan[f.key]} />
        ))}
        <Detail term="Data to collect" value={plan.data_to_collect} />
      </dl>
    </>
  );
}

export function Detail({ term, value }: { term: string; value: string }) {
  return (
    <>
      <dt>{term}</dt>
      <dd className="pdsa-text">{value.trim() ? value : <span className="card__meta">—</span>}</dd>
    </>
  );
}

/**
 * The plan as edited: questions, each with one or more predictions (Enter in a prediction adds
 * the next one), then who, what, when, where and the data to collect.
 */
export function PlanForm({
  draft,
  onChange,
  errors,
}: {
  draft: PlanDraft;
  onChange: (draft: PlanDraft) => void;
  errors: Record<string, string>;
}) {
  const [focusId, setFocusId] = useState<string | null>(null);
  useEffect(() => {
    if (!focusId) return;
    document.getElementById(focusId)?.focus();
    setFocusId(null);
  }, [focusId]);

  const questions = draft.questions;
  const setQuestions = (next: PlanDraft['questions']) => onChange({ ...draft, questions: next });
  const updateQuestion = (i: number, change: Partial<PlanDraft['questions'][number]>) =>
    setQuestions(questions.map((q, j) => (j === i ? { ...q, ...change } : q)));

  const addQuestion = () => {
    const id = newShortId('q');
    setQuestions([
      ...questions,
      { id, text: '', predictions: [{ id: newShortId('p'), text: '' }] },
    ]);
    setFocusId(`pdsa-question-${id}`);
  };
  const removeQuestion = (i: number) => {
    setQuestions(questions.filter((_, j) => j !== i));
    setFocusId(i > 0 ? `pdsa-question-${questions[i - 1]?.id}` : 'pdsa-add-question');
  };
  const addPrediction = (i: number, after?: number) => {
    const q = questions[i];
    if (!q) return;
    const id = newShortId('p');
    const predictions = [...q.predictions];
    predictions.splice(after === undefined ? predictions.length : after + 1, 0, { id, text: '' });
    updateQuestion(i, { predictions });
    setFocusId(`pdsa-prediction-${id}`);
  };
  const removePrediction = (i: number, k: number) => {
    const q = questions[i];
    if (!q) return;
    const predictions = q.predictions.filter((_, j) => j !== k);
    updateQuestion(i, { predictions });
    const neighbour = predictions[k - 1] ?? predictions[k];
    setFocusId(neighbour ? `pdsa-prediction-${neighbour.id}` : `pdsa-add-prediction-${q.id}`);
  };
  const onPredictionKey = (i: number, k: number) => (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    addPrediction(i, k);
  };

  return (
    <>
      <div id="pdsa-plan-questions" tabIndex={-1} className="pdsa-anchor">
        <h4 className="pdsa-label">Questions and predictions</h4>
        <p className="field__hint">
          What do you want to learn from this test? For each question, predict what will happen
          before you try it: the Study compares the results with these predictions.
        </p>
        {errors['plan.questions'] && <p className="field__error">{errors['plan.questions']}</p>}
      </div>
      <ol className="pdsa-questions pdsa-questions--edit">
        {questions.map((q, i) => {
          const predictionsError = errors[`plan.questions.${i}.predictions`];
          return (
            <li key={q.id} className="pdsa-question">
              <fieldset className="pdsa-question__fieldset">
                <legend className="visually-hidden">Question {i + 1}</legend>
                <TextField
                  id={`pdsa-question-${q.id}`}
                  label={`Question ${i + 1}`}
                  value={q.text}
                  onChange={(e) => updateQuestion(i, { text: e.target.value })}
                  error={errors[`plan.questions.${i}.text`]}
                  maxLength={2000}
                  autoComplete="off"
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      const first = q.predictions[0];
                      if (first) setFocusId(`pdsa-prediction-${first.id}`);
                      else addPrediction(i);
                    }
                  }}
                />
                <div
                  id={`pdsa-q-${i}-predictions`}
                  tabIndex={-1}
                  className="pdsa-anchor pdsa-predictions-edit"
                >
                  {predictionsError && <p className="field__error">{predictionsError}</p>}
                  <ul className="pdsa-predictions pdsa-predictions--edit">
                    {q.predictions.map((p, k) => (
                      <li key={p.id} className="pdsa-prediction-row">
                        <TextField
                          id={`pdsa-prediction-${p.id}`}
                          label={`Prediction ${i + 1}.${k + 1}`}
                          hint={k === 0 ? 'Enter adds another prediction.' : undefined}
                          value={p.text}
                          onChange={(e) =>
                            updateQuestion(i, {
                              predictions: q.predictions.map((x, j) =>
                                j === k ? { ...x, text: e.target.value } : x,
                              ),
                            })
                          }
                          onKeyDown={onPredictionKey(i, k)}
                          maxLength={2000}
                          autoComplete="off"
                        />
                        <Button
                          variant="ghost"
                          className="pdsa-row-remove"
                          onClick={() => removePrediction(i, k)}
                        >
                          Remove
                          <span className="visually-hidden">
                            {' '}
                            prediction {i + 1}.{k + 1}
                          </span>
                        </Button>
                      </li>
                    ))}
                  </ul>
                </div>
                <div className="form-actions">
                  <Button id={`pdsa-add-prediction-${q.id}`} onClick={() => addPrediction(i)}>
                    + Add a prediction<span className="visually-hidden"> to question {i + 1}</span>
                  </Button>
                  <Button variant="ghost" onClick={() => removeQuestion(i)}>
                    Remove question {i + 1}
                  </Button>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <Button id="pdsa-add-question" onClick={addQuestion}>
        + Add a question
      </Button>

      <div className="form-grid">
        {PLAN_FIELDS.map((f) => (
          <Textarea
            key={f.key}
            label={f.label}
            optional
            hint={f.hint}
            rows={2}
            value={draft[f.key]}
            onChange={(e) => onChange({ ...draft, [f.key]: e.target.value })}
            error={errors[`plan.${f.key}`]}
            maxLength={5000}
          />
        ))}
        <Textarea
          label="Data to collect"
          optional
          hint="What you will count, observe or ask, to answer the questions."
          rows={3}
          value={draft.data_to_collect}
          onChange={(e) => onChange({ ...draft, data_to_collect: e.target.value })}
          error={errors['plan.data_to_collect']}
          maxLength={5000}
        />
      </div>
    </>
  );
}
