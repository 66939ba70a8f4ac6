import type { BodyOf, ResponseOf } from '../../api/client.ts';
import type { DiagramContent } from '../../components/driver-diagram/model.ts';

export type Charter = ResponseOf<'get', '/api/v1/charters/{id}'>;
export type Aim = Charter['aim'];
export type CharterVisibility = Charter['visibility'];
export type CreateCharterBody = BodyOf<'post', '/api/v1/charters'>;
export type UpdateCharterBody = NonNullable<BodyOf<'patch', '/api/v1/charters/{id}'>>;

export type Project = ResponseOf<'get', '/api/v1/projects/{id}'>;
export type ProjectStatus = Project['status'];
export type ProjectVisibility = Project['visibility'];
export type CreateProjectBody = BodyOf<'post', '/api/v1/projects'>;
export type UpdateProjectBody = NonNullable<BodyOf<'patch', '/api/v1/projects/{id}'>>;

export type DriverDiagram = ResponseOf<'get', '/api/v1/projects/{id}/driver-diagram'>;
export type DiagramComparison = ResponseOf<'get', '/api/v1/projects/{id}/driver-diagram/compare'>;
export type DiagramRevisionSummary = ResponseOf<
  'get',
  '/api/v1/projects/{id}/driver-diagram/revisions'
>['items'][number];

export type ChangeIdea = ResponseOf<'get', '/api/v1/change-ideas/{id}'>;
export type ChangeIdeaVisibility = ChangeIdea['visibility'];
export type SourceKind = ChangeIdea['source']['kind'];
export type UpdateChangeIdeaBody = NonNullable<BodyOf<'patch', '/api/v1/change-ideas/{id}'>>;

export type Measure = ResponseOf<'get', '/api/v1/measures/{id}'>;
export type CreateMeasureBody = BodyOf<'post', '/api/v1/measures'>;
export type PdsaCycle = ResponseOf<'get', '/api/v1/pdsa-cycles/{id}'>;

/** The owner of a driver diagram: a network's charter or a team's project. */
export interface DiagramOwner {
  kind: 'charter' | 'project';
  id: string;
}

/** The diagram content as the editor takes it (change_idea_id kept). */
export function contentOf(diagram: { content: DriverDiagram['content'] }): DiagramContent {
  return {
    aim: diagram.content.aim,
    nodes: diagram.content.nodes.map((n) => ({ ...n })),
    edges: diagram.content.edges.map((e) => ({ ...e })),
  };
}

/** Same content (what a save would change): compared as the server stores it. */
export function sameContent(a: DiagramContent, b: DiagramContent): boolean {
  const norm = (c: DiagramContent) =>
    JSON.stringify({
      aim: c.aim.trim(),
      nodes: c.nodes.map((n) => ({
        id: n.id,
        kind: n.kind,
        label: n.label.trim(),
        change_idea_id: n.kind === 'change_idea' ? (n.change_idea_id ?? null) : null,
      })),
      edges: c.edges.map((e) => ({ from: e.from, to: e.to })),
    });
  return norm(a) === norm(b);
}

// ---- Status and visibility ---------------------------------------------------------------------

export const PROJECT_STATUS_OPTIONS: readonly {
  value: ProjectStatus;
  label: string;
  hint: string;
}[] = [
  { value: 'planning', label: 'Planning', hint: 'Agreeing the aim, the measures and the drivers.' },
  { value: 'testing', label: 'Testing', hint: 'Testing change ideas in small PDSA cycles.' },
  {
    value: 'implementing',
    label: 'Implementing',
    hint: 'Making a tested change part of everyday work.',
  },
  { value: 'spreading', label: 'Spreading', hint: 'Taking the change to other places.' },
  { value: 'sustaining', label: 'Sustaining', hint: 'Holding the gains over time.' },
  { value: 'closed', label: 'Closed', hint: 'The work has ended; its record stays.' },
];

export function statusLabel(status: ProjectStatus): string {
  return PROJECT_STATUS_OPTIONS.find((o) => o.value === status)?.label ?? status;
}

export const CHARTER_VISIBILITY_OPTIONS: readonly {
  value: CharterVisibility;
  label: string;
  hint: string;
}[] = [
  { value: 'public', label: 'Public', hint: 'Anyone, including people who are not signed in.' },
  { value: 'coalition', label: 'Coalition', hint: 'Everyone with an account in this coalition.' },
  {
    value: 'network',
    label: 'Network',
    hint: 'The network’s facilitators and the members of all its teams. Most charters use this.',
  },
  {
    value: 'private',
    label: 'Private draft',
    hint: 'Only you and instance admins, while you draft it.',
  },
];

export const PROJECT_VISIBILITY_OPTIONS: readonly {
  value: ProjectVisibility;
  label: string;
  hint: string;
}[] = [
  { value: 'public', label: 'Public', hint: 'Anyone, including people who are not signed in.' },
  { value: 'coalition', label: 'Coalition', hint: 'Everyone with an account in this coalition.' },
  {
    value: 'network',
    label: 'Network',
    hint: 'Every team in the network can learn from it.',
  },
  {
    value: 'team',
    label: 'Team only',
    hint: 'This team’s members and the network’s facilitators. New projects start here.',
  },
  { value: 'private', label: 'Private draft', hint: 'Only you and instance admins.' },
];

export const CHANGE_IDEA_VISIBILITY_OPTIONS: readonly {
  value: ChangeIdeaVisibility;
  label: string;
  hint: string;
}[] = PROJECT_VISIBILITY_OPTIONS;

export const SOURCE_KIND_OPTIONS: readonly { value: SourceKind; label: string }[] = [
  { value: 'none', label: 'Not recorded' },
  { value: 'research', label: 'Research' },
  { value: 'cycle', label: 'An earlier PDSA cycle' },
  { value: 'document', label: 'A document' },
  { value: 'other', label: 'Other' },
];

// ---- The structured aim ------------------------------------------------------------------------

export const TITLE_MAX = 200;
export const TEXT_MAX = 10000;
export const AIM_TEXT_MAX = 500;
export const UNIT_MAX = 40;

/** The aim's parts as typed (numbers as text, the date as yyyy-mm-dd or empty). */
export interface AimFormValues {
  what: string;
  for_whom: string;
  unit: string;
  baseline: string;
  target: string;
  by: string;
}

export function aimFormValuesOf(aim?: Aim): AimFormValues {
  return {
    what: aim?.what ?? '',
    for_whom: aim?.for_whom ?? '',
    unit: aim?.unit ?? '',
    baseline: aim?.baseline == null ? '' : String(aim.baseline),
    target: aim?.target == null ? '' : String(aim.target),
    by: aim?.by ?? '',
  };
}

function parseNumber(text: string): number | null | undefined {
  const t = text.trim().replace(/,/g, '');
  if (!t) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

export function validateAim(values: AimFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (values.what.length > AIM_TEXT_MAX)
    errors['aim.what'] = `Use at most ${AIM_TEXT_MAX} characters.`;
  if (values.for_whom.length > AIM_TEXT_MAX)
    errors['aim.for_whom'] = `Use at most ${AIM_TEXT_MAX} characters.`;
  if (values.unit.length > UNIT_MAX) errors['aim.unit'] = `Use at most ${UNIT_MAX} characters.`;
  if (parseNumber(values.baseline) === undefined)
    errors['aim.baseline'] = 'Enter a number, e.g. 62 or 4.5, or leave it empty.';
  if (parseNumber(values.target) === undefined)
    errors['aim.target'] = 'Enter a number, e.g. 80, or leave it empty.';
  if (values.by && !/^\d{4}-\d{2}-\d{2}$/.test(values.by)) errors['aim.by'] = 'Enter a date.';
  return errors;
}

export function aimBodyOf(values: AimFormValues): Aim {
  return {
    what: values.what.trim(),
    for_whom: values.for_whom.trim(),
    unit: values.unit.trim(),
    baseline: parseNumber(values.baseline) ?? null,
    target: parseNumber(values.target) ?? null,
    by: values.by || null,
  };
}

function sameAim(a: Aim, b: Aim): boolean {
  return (
    a.what === b.what &&
    a.for_whom === b.for_whom &&
    a.unit === b.unit &&
    a.baseline === b.baseline &&
    a.target === b.target &&
    a.by === b.by
  );
}

/** "62%" or "5 days": a number in the aim's unit, as the aim statement writes it. */
export function withUnit(value: number | null, unit: string): string {
  if (value === null) return '—';
  const n = value.toLocaleString('en');
  if (!unit) return n;
  return unit === '%' ? `${n}%` : `${n} ${unit}`;
}

const longDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });
/** "30 June 2028" for a yyyy-mm-dd date. */
export function formatDay(day: string | null): string {
  if (!day) return '';
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : longDate.format(d);
}

// ---- Charter form ------------------------------------------------------------------------------

export interface CharterFormValues {
  title: string;
  problem_of_practice: string;
  aim: AimFormValues;
  visibility: CharterVisibility;
}

export function charterFormValuesOf(charter?: Charter): CharterFormValues {
  return {
    title: charter?.title ?? '',
    problem_of_practice: charter?.problem_of_practice ?? '',
    aim: aimFormValuesOf(charter?.aim),
    visibility: charter?.visibility ?? 'network',
  };
}

export const validateCharterForm = (values: CharterFormValues) =>
  validateAimedForm(values, 'problem_of_practice', 'charter');

export const changedCharterFields = (
  before: CharterFormValues,
  after: CharterFormValues,
): UpdateCharterBody => changedAimedFields(before, after, 'problem_of_practice');

// ---- Project form ------------------------------------------------------------------------------

export interface ProjectFormValues {
  title: string;
  problem_statement: string;
  aim: AimFormValues;
  visibility: ProjectVisibility;
}

export function projectFormValuesOf(project?: Project): ProjectFormValues {
  return {
    title: project?.title ?? '',
    problem_statement: project?.problem_statement ?? '',
    aim: aimFormValuesOf(project?.aim),
    visibility: project?.visibility ?? 'team',
  };
}

export const validateProjectForm = (values: ProjectFormValues) =>
  validateAimedForm(values, 'problem_statement', 'project');

export const changedProjectFields = (
  before: ProjectFormValues,
  after: ProjectFormValues,
): UpdateProjectBody => changedAimedFields(before, after, 'problem_statement');

// ---- What the charter and project forms share: title, a problem text, the aim, visibility ----

type AimedFormValues<Problem extends string, V extends string> = {
  title: string;
  aim: AimFormValues;
  visibility: V;
} & Record<Problem, string>;

function validateAimedForm<Problem extends string, V extends string>(
  values: AimedFormValues<Problem, V>,
  problem: Problem,
  noun: string,
): Record<string, string> {
  const errors: Record<string, string> = validateAim(values.aim);
  if (!values.title.trim()) errors.title = `Enter the ${noun}’s title.`;
  else if (values.title.trim().length > TITLE_MAX)
    errors.title = `Use at most ${TITLE_MAX} characters.`;
  if (values[problem].length > TEXT_MAX) errors[problem] = `Use at most ${TEXT_MAX} characters.`;
  return errors;
}

/** The fields that changed, as a PATCH body (the aim is sent whole when any part changed). */
function changedAimedFields<Problem extends string, V extends string>(
  before: AimedFormValues<Problem, V>,
  after: AimedFormValues<Problem, V>,
  problem: Problem,
): { title?: string; aim?: ReturnType<typeof aimBodyOf>; visibility?: V } & Partial<
  Record<Problem, string>
> {
  const body: Record<string, unknown> = {};
  if (after.title.trim() !== before.title) body.title = after.title.trim();
  if (after[problem] !== before[problem]) body[problem] = after[problem];
  const aimAfter = aimBodyOf(after.aim);
  if (!sameAim(aimBodyOf(before.aim), aimAfter)) body.aim = aimAfter;
  if (after.visibility !== before.visibility) body.visibility = after.visibility;
  return body as { title?: string; aim?: ReturnType<typeof aimBodyOf>; visibility?: V } & Partial<
    Record<Problem, string>
  >;
}

// ---- Change idea form --------------------------------------------------------------------------

export interface ChangeIdeaFormValues {
  title: string;
  description: string;
  /** Comma-separated. */
  tags: string;
  sourceKind: SourceKind;
  citation: string;
  url: string;
  cycleId: string;
  visibility: ChangeIdeaVisibility;
}

export function changeIdeaFormValuesOf(idea?: ChangeIdea): ChangeIdeaFormValues {
  return {
    title: idea?.title ?? '',
    description: idea?.description ?? '',
    tags: (idea?.tags ?? []).join(', '),
    sourceKind: idea?.source.kind ?? 'none',
    citation: idea?.source.citation ?? '',
    url: idea?.source.url ?? '',
    cycleId: idea?.source.cycle_id ?? '',
    visibility: idea?.visibility ?? 'network',
  };
}

export function tagsOf(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function validateChangeIdeaForm(values: ChangeIdeaFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.title.trim()) errors.title = 'Enter the change idea’s title.';
  else if (values.title.trim().length > TITLE_MAX)
    errors.title = `Use at most ${TITLE_MAX} characters.`;
  if (values.description.length > TEXT_MAX)
    errors.description = `Use at most ${TEXT_MAX} characters.`;
  const tags = tagsOf(values.tags);
  if (tags.length > 20) errors.tags = 'Use at most 20 tags.';
  else if (tags.some((t) => t.length > 60)) errors.tags = 'Keep each tag to 60 characters.';
  if (values.url.trim() && !/^https?:\/\/\S+$/i.test(values.url.trim()))
    errors['source.url'] = 'Enter a web address starting with https:// or http://.';
  if (values.sourceKind === 'cycle' && !UUID.test(values.cycleId.trim()))
    errors['source.cycle_id'] =
      'Paste the PDSA cycle’s id (the last part of its address, /cycles/…).';
  return errors;
}

export function changeIdeaBodyOf(values: ChangeIdeaFormValues): UpdateChangeIdeaBody {
  const cycleId = values.cycleId.trim().split('/').pop() ?? '';
  return {
    title: values.title.trim(),
    description: values.description,
    tags: tagsOf(values.tags),
    visibility: values.visibility,
    source: {
      kind: values.sourceKind,
      citation: values.citation.trim(),
      url: values.url.trim() || null,
      cycle_id: values.sourceKind === 'cycle' ? cycleId : null,
    },
  };
}

// ---- Common measure form -----------------------------------------------------------------------

export const MEASURE_KIND_OPTIONS = [
  { value: 'outcome', label: 'Outcome — the aim itself' },
  { value: 'process', label: 'Process — a change is carried out' },
  { value: 'balancing', label: 'Balancing — side effects elsewhere' },
] as const;
export const FREQUENCY_OPTIONS = [
  { value: 'weekly', label: 'Weekly' },
  { value: 'monthly', label: 'Monthly' },
  { value: 'term', label: 'Each term' },
] as const;
export const CHART_TYPE_OPTIONS = [
  { value: 'run', label: 'Run chart' },
  { value: 'i', label: 'I chart (individuals)' },
  { value: 'xmr', label: 'XmR chart (individuals and moving range)' },
  { value: 'mr', label: 'MR chart (moving range)' },
  { value: 'p', label: 'P chart (proportions)' },
  { value: 'pp', label: 'P′ chart (proportions, large samples)' },
  { value: 'u', label: 'U chart (rates)' },
  { value: 'up', label: 'U′ chart (rates, large samples)' },
  { value: 'c', label: 'C chart (counts)' },
] as const;
export const DIRECTION_OPTIONS = [
  { value: 'increase', label: 'Higher is better' },
  { value: 'decrease', label: 'Lower is better' },
  { value: 'neutral', label: 'Neither' },
] as const;
export const RULE_SET_OPTIONS = [
  { value: 'ihi', label: 'IHI' },
  { value: 'anhoej', label: 'Anhøj' },
  { value: 'weco', label: 'Western Electric' },
  { value: 'mdc', label: 'Making Data Count' },
] as const;

export interface MeasureFormValues {
  name: string;
  kind: CreateMeasureBody['kind'];
  frequency: CreateMeasureBody['frequency'];
  chart_type: CreateMeasureBody['chart_type'];
  unit: string;
  improvement_direction: NonNullable<CreateMeasureBody['improvement_direction']>;
  rule_set: NonNullable<CreateMeasureBody['rule_set']>;
  multiply: string;
  goal: string;
  numerator_definition: string;
  denominator_definition: string;
}

export function measureFormValues(): MeasureFormValues {
  return {
    name: '',
    kind: 'outcome',
    frequency: 'monthly',
    chart_type: 'p',
    unit: '%',
    improvement_direction: 'increase',
    rule_set: 'ihi',
    multiply: '100',
    goal: '',
    numerator_definition: '',
    denominator_definition: '',
  };
}

export function validateMeasureForm(values: MeasureFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.name.trim()) errors.name = 'Enter the measure’s name.';
  else if (values.name.trim().length > TITLE_MAX)
    errors.name = `Use at most ${TITLE_MAX} characters.`;
  if (values.unit.length > 50) errors.unit = 'Use at most 50 characters.';
  const m = parseNumber(values.multiply);
  if (m === undefined || m === null || m <= 0)
    errors.multiply = 'Enter a number above 0, e.g. 100 for a percentage or 1.';
  if (parseNumber(values.goal) === undefined) errors.goal = 'Enter a number, or leave it empty.';
  return errors;
}

export function measureBodyOf(values: MeasureFormValues, charterId: string): CreateMeasureBody {
  return {
    charter_id: charterId,
    name: values.name.trim(),
    kind: values.kind,
    frequency: values.frequency,
    chart_type: values.chart_type,
    unit: values.unit.trim(),
    improvement_direction: values.improvement_direction,
    rule_set: values.rule_set,
    multiply: parseNumber(values.multiply) ?? 1,
    goal: parseNumber(values.goal) ?? null,
    operational_definition: {
      numerator_definition: values.numerator_definition.trim(),
      denominator_definition: values.denominator_definition.trim(),
    },
  };
}

/** Ratio charts need a denominator definition. */
export function needsDenominator(chartType: MeasureFormValues['chart_type']): boolean {
  return chartType === 'p' || chartType === 'pp' || chartType === 'u' || chartType === 'up';
}
