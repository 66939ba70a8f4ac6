import type { BadgeTone } from '../../components/index.ts';
import type { BodyOf, ResponseOf } from '../../api/client.ts';

export type PdsaCycle = ResponseOf<'get', '/api/v1/pdsa-cycles/{id}'>;
export type PdsaState = PdsaCycle['state'];
export type PdsaDecision = NonNullable<PdsaCycle['decision']>;
export type PdsaPlan = PdsaCycle['plan'];
export type PdsaExecution = PdsaCycle['execution'];
export type PdsaStudy = PdsaCycle['study'];
export type PdsaAct = PdsaCycle['act'];
export type PredictionOutcome = PdsaStudy['results'][number]['outcome'];
export type CreatePdsaCycleBody = BodyOf<'post', '/api/v1/pdsa-cycles'>;
export type UpdatePdsaCycleBody = NonNullable<BodyOf<'patch', '/api/v1/pdsa-cycles/{id}'>>;
export type TransitionBody = BodyOf<'post', '/api/v1/pdsa-cycles/{id}/transitions'>;
export type PdsaTransition = ResponseOf<
  'get',
  '/api/v1/pdsa-cycles/{id}/transitions'
>['items'][number];
export type PdsaRamp = ResponseOf<'get', '/api/v1/pdsa-cycles/{id}/ramp'>;
export type RampItem = PdsaRamp['items'][number];
export type Attachment = ResponseOf<'get', '/api/v1/pdsa-cycles/{id}/attachments'>['items'][number];
export type ChangeIdea = ResponseOf<'get', '/api/v1/change-ideas/{id}'>;
export type Measure = ResponseOf<'get', '/api/v1/measures/{id}'>;

/** The steps in order; `completed` follows `act`. */
export const STEPS = ['plan', 'do', 'study', 'act'] as const satisfies readonly PdsaState[];
export type Step = (typeof STEPS)[number];

export const STATE_LABELS: Record<PdsaState, string> = {
  plan: 'Plan',
  do: 'Do',
  study: 'Study',
  act: 'Act',
  completed: 'Completed',
};

/** What each step is for, in a sentence (the stepper's and the empty states' words). */
export const STEP_HINTS: Record<Step, string> = {
  plan: 'The questions this test should answer, what you predict, and who does what, when and where.',
  do: 'Carry out the test on a small scale and write down what happened and what you noticed.',
  study: 'Compare the results with your predictions and summarise what you learned.',
  act: 'Adopt the change, adapt it for another cycle, or abandon it, and say why.',
};

export const STATE_TONES: Record<PdsaState, BadgeTone> = {
  plan: 'neutral',
  do: 'accent',
  study: 'warning',
  act: 'warning',
  completed: 'success',
};
export const STATE_ICONS: Record<PdsaState, string> = {
  plan: '✎',
  do: '▶',
  study: '◔',
  act: '◆',
  completed: '✓',
};

export const DECISION_LABELS: Record<PdsaDecision, string> = {
  adopt: 'Adopt',
  adapt: 'Adapt',
  abandon: 'Abandon',
};
export const DECISION_TONES: Record<PdsaDecision, BadgeTone> = {
  adopt: 'success',
  adapt: 'accent',
  abandon: 'danger',
};
export const DECISION_ICONS: Record<PdsaDecision, string> = {
  adopt: '✓',
  adapt: '↻',
  abandon: '✕',
};
export const DECISION_HINTS: Record<PdsaDecision, string> = {
  adopt:
    'The change worked as hoped: make it part of how the work is done (and test it at a larger scale).',
  adapt: 'Keep the idea but change it, and test it again in a next cycle.',
  abandon: 'The change did not help: stop testing it and try another idea.',
};

export const OUTCOME_LABELS: Record<PredictionOutcome, string> = {
  confirmed: 'Confirmed',
  partly: 'Partly',
  refuted: 'Refuted',
};
export const OUTCOME_ICONS: Record<PredictionOutcome, string> = {
  confirmed: '✓',
  partly: '≈',
  refuted: '✕',
};
export const OUTCOME_TONES: Record<PredictionOutcome, BadgeTone> = {
  confirmed: 'success',
  partly: 'warning',
  refuted: 'danger',
};
export const OUTCOMES = ['confirmed', 'partly', 'refuted'] as const satisfies PredictionOutcome[];
export const DECISIONS = ['adopt', 'adapt', 'abandon'] as const satisfies PdsaDecision[];
export const STATES = ['plan', 'do', 'study', 'act', 'completed'] as const satisfies PdsaState[];

export function isPdsaState(value: string): value is PdsaState {
  return (STATES as readonly string[]).includes(value);
}
export function isPdsaDecision(value: string): value is PdsaDecision {
  return (DECISIONS as readonly string[]).includes(value);
}

/** The move forward from a state, and what its button says. */
export const FORWARD: Partial<Record<PdsaState, { to: PdsaState; label: string; busy: string }>> = {
  plan: { to: 'do', label: 'Start doing', busy: 'Starting…' },
  do: { to: 'study', label: 'Study the results', busy: 'Moving to Study…' },
  study: { to: 'act', label: 'Decide', busy: 'Moving to Act…' },
  act: { to: 'completed', label: 'Complete the cycle', busy: 'Completing…' },
};

/** The step back (a reason is required), or reopening a completed cycle. */
export const BACKWARD: Partial<Record<PdsaState, PdsaState>> = {
  do: 'plan',
  study: 'do',
  act: 'study',
  completed: 'act',
};

/** The section of the cycle document edited in each state. */
export const SECTION_OF: Record<Step, 'plan' | 'execution' | 'study' | 'act'> = {
  plan: 'plan',
  do: 'execution',
  study: 'study',
  act: 'act',
};

export const stepIndex = (state: PdsaState): number =>
  state === 'completed' ? STEPS.length : STEPS.indexOf(state);

/** A short id for a new question or prediction, as the server would make one (`q` + 8 hex). */
export function newShortId(prefix: 'q' | 'p'): string {
  const bytes = new Uint8Array(4);
  crypto.getRandomValues(bytes);
  return prefix + [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// ---- the plan form

export interface PlanDraft {
  questions: { id: string; text: string; predictions: { id: string; text: string }[] }[];
  who: string;
  what: string;
  when: string;
  where: string;
  data_to_collect: string;
}

export const planDraftOf = (plan: PdsaPlan): PlanDraft => structuredClone(plan);

/** The plan as written: blank predictions and blank questions without predictions are dropped. */
export function planBodyOf(draft: PlanDraft): NonNullable<UpdatePdsaCycleBody['plan']> {
  return {
    questions: draft.questions
      .map((q) => ({
        id: q.id,
        text: q.text.trim(),
        predictions: q.predictions
          .filter((p) => p.text.trim() !== '')
          .map((p) => ({ id: p.id, text: p.text.trim() })),
      }))
      .filter((q) => q.text !== '' || q.predictions.length > 0),
    who: draft.who,
    what: draft.what,
    when: draft.when,
    where: draft.where,
    data_to_collect: draft.data_to_collect,
  };
}

/** Client checks of the plan: a question with predictions needs words. */
export function validatePlan(draft: PlanDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  const body = planBodyOf(draft);
  body.questions?.forEach((q, i) => {
    if (q.text === '') errors[`plan.questions.${i}.text`] = 'Write the question, or remove it.';
  });
  return errors;
}

// ---- the Do form

export type ExecutionDraft = {
  what_happened: string;
  observations: string;
  deviations: string;
  started_on: string;
  ended_on: string;
};
export const executionDraftOf = (e: PdsaExecution): ExecutionDraft => ({
  what_happened: e.what_happened,
  observations: e.observations,
  deviations: e.deviations,
  started_on: e.started_on ?? '',
  ended_on: e.ended_on ?? '',
});
export const executionBodyOf = (
  d: ExecutionDraft,
): NonNullable<UpdatePdsaCycleBody['execution']> => ({
  what_happened: d.what_happened,
  observations: d.observations,
  deviations: d.deviations,
  started_on: d.started_on || null,
  ended_on: d.ended_on || null,
});
export function validateExecution(d: ExecutionDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (d.started_on && d.ended_on && d.ended_on < d.started_on)
    errors['execution.ended_on'] = 'The test cannot end before it started.';
  return errors;
}

// ---- the Study form

export interface StudyDraft {
  /** By prediction id; an empty outcome means "not studied yet". */
  results: Record<string, { outcome: PredictionOutcome | ''; note: string }>;
  summary: string;
  measure_links: { measure_id: string; team_id: string | null }[];
}
export function studyDraftOf(study: PdsaStudy): StudyDraft {
  const results: StudyDraft['results'] = {};
  for (const r of study.results) results[r.prediction_id] = { outcome: r.outcome, note: r.note };
  return { results, summary: study.summary, measure_links: structuredClone(study.measure_links) };
}
export function studyBodyOf(
  d: StudyDraft,
  plan: PdsaPlan,
): NonNullable<UpdatePdsaCycleBody['study']> {
  const known = new Set(plan.questions.flatMap((q) => q.predictions.map((p) => p.id)));
  const results: NonNullable<NonNullable<UpdatePdsaCycleBody['study']>['results']> = [];
  for (const [prediction_id, r] of Object.entries(d.results)) {
    if (!known.has(prediction_id) || r.outcome === '') continue;
    results.push({ prediction_id, outcome: r.outcome, note: r.note });
  }
  return { results, summary: d.summary, measure_links: d.measure_links };
}
export function validateStudy(d: StudyDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [id, r] of Object.entries(d.results)) {
    if (r.outcome === '' && r.note.trim() !== '')
      errors[`study.result.${id}`] =
        'Choose whether the prediction was confirmed, partly or refuted.';
  }
  return errors;
}

// ---- the Act form

export interface ActDraft {
  decision: PdsaDecision | '';
  reason: string;
  /** Only when adapting: the next cycle to create on completion (not stored until then). */
  planNext: boolean;
  nextTitle: string;
  nextScale: string;
  nextStart: string;
}
export const actDraftOf = (act: PdsaAct): ActDraft => ({
  decision: act.decision ?? '',
  reason: act.reason,
  planNext: true,
  nextTitle: '',
  nextScale: '',
  nextStart: '',
});
export const actBodyOf = (d: ActDraft): NonNullable<UpdatePdsaCycleBody['act']> => ({
  decision: d.decision === '' ? null : d.decision,
  reason: d.reason,
});

/** The next cycle to create when completing an adapt cycle, or undefined. */
export function nextCycleOf(d: ActDraft): TransitionBody['next_cycle'] {
  if (d.decision !== 'adapt' || !d.planNext) return undefined;
  return {
    title: d.nextTitle.trim(),
    ...(d.nextScale.trim() ? { scale: d.nextScale.trim() } : {}),
    ...(d.nextStart ? { planned_start: d.nextStart } : {}),
  };
}
export function validateNextCycle(d: ActDraft): Record<string, string> {
  if (d.decision !== 'adapt' || !d.planNext) return {};
  if (!d.nextTitle.trim())
    return { 'next_cycle.title': 'Name the next cycle, or untick “Plan the next cycle now”.' };
  return {};
}

// ---- errors from the server, in plain words

/**
 * Where a server field error belongs and how to say it: `/body/plan/questions/0/predictions`
 * → "Question 1, predictions" with the anchor of that field.
 */
export function describeErrorPath(path: string): { label: string; anchor: string } {
  const p = path.replace(/^\/body\//, '');
  let m = /^plan\/questions\/(\d+)\/predictions(?:\/(\d+))?/.exec(p);
  if (m) {
    const q = Number(m[1]);
    return {
      label:
        m[2] === undefined
          ? `Plan, question ${q + 1}, predictions`
          : `Plan, question ${q + 1}, prediction ${Number(m[2]) + 1}`,
      anchor: `pdsa-q-${q}-predictions`,
    };
  }
  m = /^plan\/questions\/(\d+)/.exec(p);
  if (m) return { label: `Plan, question ${Number(m[1]) + 1}`, anchor: 'pdsa-plan-questions' };
  const fixed: Record<string, { label: string; anchor: string }> = {
    'plan/questions': { label: 'Plan, questions', anchor: 'pdsa-plan-questions' },
    'execution/what_happened': { label: 'Do, what happened', anchor: 'pdsa-what-happened' },
    'study/results': { label: 'Study, results', anchor: 'pdsa-study-results' },
    'act/decision': { label: 'Act, decision', anchor: 'pdsa-act-decision' },
    'act/reason': { label: 'Act, reason', anchor: 'pdsa-act-reason' },
    'next_cycle/title': { label: 'Next cycle, title', anchor: 'pdsa-next-title' },
    reason: { label: 'Reason', anchor: 'pdsa-move-reason' },
  };
  const known = fixed[p];
  if (known) return known;
  const section = p.split('/')[0] ?? '';
  return { label: p.split('/').join(', '), anchor: `pdsa-${section}` };
}

/** "1.2 KB", "3.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toLocaleString('en', { maximumFractionDigits: value < 10 ? 1 : 0 })} ${units[unit]}`;
}

/** "12 Mar 2026" from a YYYY-MM-DD day, without moving it across time zones. */
export function formatDay(day: string | null): string {
  if (!day) return '—';
  const [y, mo, d] = day.split('-').map(Number);
  if (!y || !mo || !d) return day;
  return new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, mo - 1, d)),
  );
}

// ---- ramps

export interface RampNode {
  key: string;
  /** Null for a cycle of the ramp the reader may not see. */
  cycle: {
    id: string;
    title: string;
    scale: string;
    state: PdsaState;
    decision: PdsaDecision | null;
    planned_start: string | null;
  } | null;
  children: RampNode[];
}

/** The server's depth-first ramp items as a tree (roots first). */
export function rampTreeOf(items: readonly RampItem[]): RampNode[] {
  const nodes = items.map<RampNode>((item) => ({
    key: item.cycle?.id ?? `hidden-${item.index}`,
    cycle: item.cycle,
    children: [],
  }));
  const roots: RampNode[] = [];
  items.forEach((item, i) => {
    const node = nodes[i] as RampNode;
    const parent = item.parent_index === null ? undefined : nodes[item.parent_index];
    if (parent) parent.children.push(node);
    else roots.push(node);
  });
  return roots;
}

/** A project's cycles grouped into ramps by `previous_cycle_id` (oldest first in each). */
export function rampsOfCycles(cycles: readonly PdsaCycle[]): RampNode[] {
  const byId = new Map(cycles.map((c) => [c.id, c]));
  const sorted = [...cycles].sort((a, b) =>
    a.created_at === b.created_at
      ? a.id.localeCompare(b.id)
      : a.created_at.localeCompare(b.created_at),
  );
  const nodes = new Map<string, RampNode>(
    sorted.map((c) => [c.id, { key: c.id, cycle: c, children: [] }]),
  );
  const roots: RampNode[] = [];
  for (const c of sorted) {
    const node = nodes.get(c.id) as RampNode;
    const parent =
      c.previous_cycle_id && byId.has(c.previous_cycle_id)
        ? nodes.get(c.previous_cycle_id)
        : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** How many cycles a ramp holds. */
export const rampSize = (node: RampNode): number =>
  1 + node.children.reduce((sum, child) => sum + rampSize(child), 0);

// ---- the log's filters (in the URL)

export interface LogFilters {
  network_id: string;
  team_id: string;
  project_id: string;
  change_idea_id: string;
  decision: string;
  state: string;
  from: string;
  to: string;
  q: string;
}
export const EMPTY_LOG_FILTERS: LogFilters = {
  network_id: '',
  team_id: '',
  project_id: '',
  change_idea_id: '',
  decision: '',
  state: '',
  from: '',
  to: '',
  q: '',
};
const LOG_KEYS = Object.keys(EMPTY_LOG_FILTERS) as (keyof LogFilters)[];

export function logFiltersOf(params: URLSearchParams): LogFilters {
  const filters = { ...EMPTY_LOG_FILTERS };
  for (const key of LOG_KEYS) filters[key] = params.get(key)?.trim() ?? '';
  if (filters.state && !isPdsaState(filters.state)) filters.state = '';
  if (filters.decision && !isPdsaDecision(filters.decision)) filters.decision = '';
  return filters;
}
export function logSearchParamsOf(filters: LogFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of LOG_KEYS) if (filters[key]) params.set(key, filters[key]);
  return params;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The API query of the filters; values the API would refuse are left out. */
export function logQueryOf(filters: LogFilters) {
  const id = (v: string) => (UUID.test(v) ? v : undefined);
  const day = (v: string) => (DAY.test(v) ? v : undefined);
  return {
    network_id: id(filters.network_id),
    team_id: id(filters.team_id),
    project_id: id(filters.project_id),
    change_idea_id: id(filters.change_idea_id),
    state: isPdsaState(filters.state) ? filters.state : undefined,
    decision: isPdsaDecision(filters.decision) ? filters.decision : undefined,
    from: day(filters.from),
    to: day(filters.to),
    q: filters.q.trim().slice(0, 200) || undefined,
  };
}
export function validateLogFilters(f: LogFilters): Record<string, string> {
  const errors: Record<string, string> = {};
  if (f.from && !DAY.test(f.from)) errors.from = 'Enter a date like 2026-09-01.';
  if (f.to && !DAY.test(f.to)) errors.to = 'Enter a date like 2026-09-30.';
  if (!errors.from && !errors.to && f.from && f.to && f.to < f.from)
    errors.to = 'The last day cannot come before the first.';
  return errors;
}

/** A server message in the page's words: prediction ids become their numbers ("1.2"). */
export function describeErrorMessage(message: string): string {
  const m = /^no outcome for prediction \S+ \(plan\/questions\/(\d+)\/predictions\/(\d+)\)$/.exec(
    message,
  );
  if (m) return `prediction ${Number(m[1]) + 1}.${Number(m[2]) + 1} has no result yet`;
  return message;
}
