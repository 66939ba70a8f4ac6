/**
 * The PDSA cycle state machine, as pure data and functions (no I/O), so that the rules can be read
 * in one table and property-tested.
 *
 * ```
 *   plan ──▶ do ──▶ study ──▶ act ──▶ completed
 *   plan ◀── do ◀── study ◀── act ◀── completed     (back one step / reopen: a reason is required)
 * ```
 *
 * Forward moves need the section just finished to be complete enough (readiness rules below);
 * backward moves and reopening need a non-empty reason, which is kept in the transition log.
 * Anything else (skipping a step, staying put, jumping back two) is refused.
 */
import type { PdsaDecision, PdsaState } from '../../db/database.ts';

export const PDSA_STATES = ['plan', 'do', 'study', 'act', 'completed'] as const;
export const PREDICTION_OUTCOMES = ['confirmed', 'partly', 'refuted'] as const;
export const PDSA_DECISIONS = ['adopt', 'adapt', 'abandon'] as const;

export type MoveKind = 'forward' | 'back' | 'reopen';

/** Every legal move: from → to → its kind. What is not in this table is refused. */
export const LEGAL_MOVES: Readonly<
  Record<PdsaState, Readonly<Partial<Record<PdsaState, MoveKind>>>>
> = {
  plan: { do: 'forward' },
  do: { study: 'forward', plan: 'back' },
  study: { act: 'forward', do: 'back' },
  act: { completed: 'forward', study: 'back' },
  completed: { act: 'reopen' },
};

/** Which section may be edited in which state (title, scale, dates, visibility: until completed). */
export const SECTION_STATE = {
  plan: 'plan',
  execution: 'do',
  study: 'study',
  act: 'act',
} as const satisfies Record<string, PdsaState>;
export type PdsaSection = keyof typeof SECTION_STATE;

export interface PlanDoc {
  questions: { id: string; text: string; predictions: { id: string; text: string }[] }[];
  who: string;
  what: string;
  when: string;
  where: string;
  data_to_collect: string;
}
export interface ExecutionDoc {
  what_happened: string;
  observations: string;
  deviations: string;
  started_on: string | null;
  ended_on: string | null;
}
export interface StudyDoc {
  results: {
    prediction_id: string;
    outcome: (typeof PREDICTION_OUTCOMES)[number];
    note: string;
  }[];
  summary: string;
  measure_links: { measure_id: string; team_id: string | null }[];
}
export interface ActDoc {
  decision: PdsaDecision | null;
  reason: string;
}
export interface CycleDocs {
  plan: PlanDoc;
  execution: ExecutionDoc;
  study: StudyDoc;
  act: ActDoc;
}

export const emptyPlan = (): PlanDoc => ({
  questions: [],
  who: '',
  what: '',
  when: '',
  where: '',
  data_to_collect: '',
});
export const emptyExecution = (): ExecutionDoc => ({
  what_happened: '',
  observations: '',
  deviations: '',
  started_on: null,
  ended_on: null,
});
export const emptyStudy = (): StudyDoc => ({ results: [], summary: '', measure_links: [] });
export const emptyAct = (): ActDoc => ({ decision: null, reason: '' });

export const legalMovesFrom = (state: PdsaState): PdsaState[] =>
  Object.keys(LEGAL_MOVES[state]) as PdsaState[];

export interface Problem {
  path: string;
  message: string;
}

/** The outcome of asking for a move: allowed, or why not. */
export type TransitionCheck =
  | { ok: true; kind: MoveKind }
  | { ok: false; illegal: true; legal: PdsaState[] }
  | { ok: false; illegal: false; problems: Problem[] };

const blank = (text: string | null | undefined) => !text || text.trim() === '';

/**
 * Whether `from → to` may happen for a cycle with these sections and this reason. Readiness
 * problems are reported with the JSON pointer of the field to fix (as a PATCH body would carry it,
 * `/body/plan/questions/0/predictions`), the missing reason as `/body/reason`.
 *
 * Example: `checkTransition('plan', 'do', docs-with-a-question-without-predictions, undefined)` →
 * `{ ok: false, illegal: false, problems: [{ path: '/body/plan/questions/0/predictions', … }] }`.
 */
export function checkTransition(
  from: PdsaState,
  to: PdsaState,
  docs: CycleDocs,
  reason: string | undefined,
): TransitionCheck {
  const kind = LEGAL_MOVES[from][to];
  if (!kind) return { ok: false, illegal: true, legal: legalMovesFrom(from) };
  const problems = kind === 'forward' ? readinessProblems(to, docs) : [];
  if (kind !== 'forward' && blank(reason)) {
    problems.push({
      path: '/body/reason',
      message:
        kind === 'reopen'
          ? 'say why the completed cycle is reopened'
          : `say why the cycle goes back to ${to}`,
    });
  }
  return problems.length > 0 ? { ok: false, illegal: false, problems } : { ok: true, kind };
}

/** What must be filled in before entering `to` (from the state before it). */
export function readinessProblems(to: PdsaState, docs: CycleDocs): Problem[] {
  const problems: Problem[] = [];
  switch (to) {
    case 'do': {
      if (docs.plan.questions.length === 0) {
        problems.push({
          path: '/body/plan/questions',
          message: 'the plan needs at least one question before the test starts',
        });
      }
      docs.plan.questions.forEach((question, i) => {
        if (question.predictions.length === 0) {
          problems.push({
            path: `/body/plan/questions/${i}/predictions`,
            message: 'each question needs at least one prediction',
          });
        }
      });
      break;
    }
    case 'study':
      if (blank(docs.execution.what_happened)) {
        problems.push({
          path: '/body/execution/what_happened',
          message: 'record what happened before studying the results',
        });
      }
      break;
    case 'act': {
      const answered = new Set(docs.study.results.map((result) => result.prediction_id));
      docs.plan.questions.forEach((question, i) => {
        question.predictions.forEach((prediction, j) => {
          if (!answered.has(prediction.id)) {
            problems.push({
              path: `/body/study/results`,
              message: `no outcome for prediction ${prediction.id} (plan/questions/${i}/predictions/${j})`,
            });
          }
        });
      });
      break;
    }
    case 'completed':
      if (docs.act.decision === null) {
        problems.push({
          path: '/body/act/decision',
          message: 'decide to adopt, adapt or abandon',
        });
      }
      if (blank(docs.act.reason)) {
        problems.push({ path: '/body/act/reason', message: 'give the reason for the decision' });
      }
      break;
    case 'plan':
      break;
  }
  return problems;
}

/** The state a section may be edited in, or a refusal message. */
export function sectionEditProblem(state: PdsaState, section: PdsaSection): string | undefined {
  if (state === 'completed') return completedMessage;
  const allowed = SECTION_STATE[section];
  if (state === allowed) return undefined;
  return `The ${section === 'execution' ? 'execution (Do)' : section} section can only be edited while the cycle is in '${allowed}'; it is in '${state}'.`;
}

export const completedMessage =
  'The cycle is completed and read-only; reopen it (transition to act, with a reason) to change it.';

/** The plan a follow-up (adapt) cycle starts from: a copy of this one's, to be edited. */
export function planForNextCycle(plan: PlanDoc): PlanDoc {
  return structuredClone(plan);
}
