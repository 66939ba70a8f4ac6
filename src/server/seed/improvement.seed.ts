/**
 * The improvement workspace of the demo coalition: charters with their driver diagrams, change
 * ideas, common and local measures, two school years of measure data, annotations and PDSA
 * cycles, all written through the improvement services.
 *
 * The 9th Grade On-Track Network carries the full story (teams named at run time, by name order,
 * network-visible teams first):
 * - team A: weekly advisory check-ins start in November 2025 after a ramp of three PDSA cycles;
 *   its on-track share shifts up from then on (a sustained signal, with an accepted phase change);
 * - team B: starts the same change idea in February 2026 (a smaller shift; a cycle in 'do');
 * - team C: stopped reporting in April 2026 (the dashboard's "no recent data" list);
 * - team D (the network's team-visible team): steady, no signal (a cycle in 'plan').
 * The Early Literacy NIC gets a small charter with one common measure and a little data, and the
 * demo team member's team (Early Literacy team 0) a project with a local measure and a cycle.
 *
 * Clock: the records are dated as the work would have happened (the charter in August 2024, each
 * PDSA step on its day), each from a fixed day plus one millisecond per record, so two seeds stay
 * identical; the data of the reporting teams is entered at the seed's epoch (1 September 2026),
 * the silent team's on its last reporting day. Seeded later than that, the reporting teams go on
 * reporting (months, school weeks, screener windows) up to the seed's present, entered the day
 * before it, from a stream of their own (laterPeriods): the story is the same on every day, and
 * the dashboard's "no data in 60 days" names only the silent team.
 */
import { createRng, type Rng } from '../../core/random/prng.ts';
import { loadViewer, type Viewer } from '../platform/access.ts';
import { etagFor } from '../platform/concurrency.ts';
import type { AppContext } from '../platform/context.ts';
import { listUsers } from '../modules/accounts/user.service.ts';
import { createAnnotation } from '../modules/improvement/annotation.service.ts';
import { createChangeIdea } from '../modules/improvement/change-idea.service.ts';
import type { CreateChangeIdeaInput } from '../modules/improvement/change-idea.schemas.ts';
import { createCharter } from '../modules/improvement/charter.service.ts';
import { getDiagram, saveDiagram } from '../modules/improvement/driver-diagram.service.ts';
import type { DiagramContentBody } from '../modules/improvement/driver-diagram.schemas.ts';
import { saveGrid } from '../modules/improvement/measure-data.service.ts';
import type { GridRowInput } from '../modules/improvement/measure-data.schemas.ts';
import { createMeasure } from '../modules/improvement/measure.service.ts';
import { createCycle, transitionCycle, updateCycle } from '../modules/improvement/pdsa.service.ts';
import type {
  PdsaCycleResponse,
  TransitionInput,
  UpdatePdsaCycleInput,
} from '../modules/improvement/pdsa.schemas.ts';
import { createProject } from '../modules/improvement/project.service.ts';
import type { ProjectResponse } from '../modules/improvement/project.schemas.ts';
import { listNetworks } from '../modules/structure/network.service.ts';
import type { TeamResponse } from '../modules/structure/structure.schemas.ts';
import { listTeams } from '../modules/structure/team.service.ts';
import type { SeedModule } from './seed-types.ts';

const ON_TRACK_NETWORK = '9th Grade On-Track Network';
const LITERACY_NETWORK = 'Early Literacy NIC';
/**
 * Offsets the data stream: with the demo seed, this one gives the steady and the silent teams no
 * false signal, so the dashboard tells the story plainly (any value gives valid data).
 */
const DATA_STREAM = 1;
/** Demo teams per network that get projects (the large seed has 50; the story needs 4). */
const STORY_TEAMS = 4;

// ---- clocks

const DAY_MS = 86_400_000;

/** A context whose clock starts on `day` (15:00 UTC) and ticks one millisecond per record. */
function on(ctx: AppContext, day: string): AppContext {
  const base = Date.parse(`${day}T15:00:00Z`);
  let tick = 0;
  return { ...ctx, now: () => new Date(base + tick++) };
}

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

// ---- numbers

/** Approximately standard normal (Irwin–Hall of 12 uniforms). */
function gauss(rng: Rng): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += rng.next();
  return sum - 6;
}

/** A binomial-like count of `n` trials with probability `p`. */
function countOf(rng: Rng, n: number, p: number): number {
  const q = Math.min(0.99, Math.max(0.01, p));
  return Math.min(n, Math.max(0, Math.round(n * q + gauss(rng) * Math.sqrt(n * q * (1 - q)))));
}

/** A Poisson-like count with mean `mean`. */
const eventsOf = (rng: Rng, mean: number) =>
  Math.max(0, Math.round(mean + gauss(rng) * Math.sqrt(mean)));

/** Sep 2024 … Aug 2026, as 'YYYY-MM-01'. */
const MONTHS = Array.from({ length: 24 }, (_, i) => {
  const date = new Date(Date.UTC(2024, 8 + i, 1));
  return date.toISOString().slice(0, 10);
});

/** 30 school weeks (Mondays) from 6 October 2025, without the winter and spring breaks. */
const BREAKS = new Set(['2025-12-22', '2025-12-29', '2026-03-30']);
const WEEKS = (() => {
  const weeks: string[] = [];
  for (let day = '2025-10-06'; weeks.length < 30; day = addDays(day, 7))
    if (!BREAKS.has(day)) weeks.push(day);
  return weeks;
})();
const SNOW_WEEK = '2026-02-09';

/** The literacy screener's benchmark windows (fall, winter, spring), as recorded. */
const TERMS = ['2024-09-09', '2025-01-13', '2025-04-28', '2025-09-08', '2026-01-12', '2026-04-27'];

// ---- after the story: data up to the seed's present

/**
 * The reporting teams keep reporting after the story's data end (August 2026) up to the seed's
 * present, so that a demo seeded today is not a network of silent teams. These values come from
 * a stream of their own: the story's data (and its signals) are the same whatever the day.
 */
const LATER_STREAM = 20_260_901;

/** Periods after the story that have ended by the day before `today`, and when they were entered. */
export interface LaterPeriods {
  months: string[];
  /** School weeks (Mondays): not June–August, not the two weeks around New Year. */
  weeks: string[];
  /** Screener windows, reported two weeks after they open. */
  terms: string[];
  /** The day the values are entered: the day before the seed's present. */
  enteredOn: string;
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);
const monthStart = (year: number, month: number) => isoDate(new Date(Date.UTC(year, month, 1)));

/** The n-th Monday (1-based; -1 the last) of a month, as YYYY-MM-DD. */
function mondayOf(year: number, month: number, n: number): string {
  if (n > 0) {
    const first = new Date(Date.UTC(year, month, 1));
    const offset = (8 - first.getUTCDay()) % 7;
    return isoDate(new Date(Date.UTC(year, month, 1 + offset + (n - 1) * 7)));
  }
  const last = new Date(Date.UTC(year, month + 1, 0));
  const back = (last.getUTCDay() + 6) % 7;
  return isoDate(new Date(Date.UTC(year, month + 1, -back)));
}

export function laterPeriods(today: string): LaterPeriods {
  const months: string[] = [];
  for (let i = 0; ; i++) {
    const month = monthStart(2026, 8 + i);
    if (monthStart(2026, 9 + i) > today) break;
    months.push(month);
  }
  const weeks: string[] = [];
  for (let week = '2026-09-07'; addDays(week, 7) <= today; week = addDays(week, 7)) {
    const month = Number(week.slice(5, 7));
    const day = Number(week.slice(8, 10));
    const summer = month >= 6 && month <= 8;
    const newYear = (month === 12 && day >= 21) || (month === 1 && day <= 3);
    if (!summer && !newYear) weeks.push(week);
  }
  const terms: string[] = [];
  for (let year = 2026; ; year++) {
    const windows = [mondayOf(year, 8, 2), mondayOf(year + 1, 0, 2), mondayOf(year + 1, 3, -1)];
    const due = windows.filter((w) => addDays(w, 14) <= today);
    terms.push(...due);
    if (due.length < windows.length) break;
  }
  return { months, weeks, terms, enteredOn: addDays(today, -1) };
}

// ---- viewers

async function viewerFor(ctx: AppContext, system: Viewer, email: string): Promise<Viewer> {
  const page = await listUsers(ctx, system, { q: email, limit: 5 });
  const user = page.items.find((item) => item.email === email);
  if (!user) return system;
  return loadViewer(ctx, {
    user: {
      id: user.id,
      email: user.email,
      display_name: user.display_name,
      is_admin: user.is_admin,
    },
    via: 'session',
    scope: 'read_write',
  });
}

async function networkNamed(ctx: AppContext, viewer: Viewer, name: string) {
  const page = await listNetworks(ctx, viewer, { q: name, limit: 10 });
  return page.items.find((network) => network.name === name);
}

/** The first teams of a network by name, network-visible ones first. */
async function storyTeams(ctx: AppContext, viewer: Viewer, networkId: string) {
  const page = await listTeams(ctx, viewer, { network_id: networkId, limit: 200 });
  const open = page.items.filter((team) => team.visibility !== 'team');
  const closed = page.items.filter((team) => team.visibility === 'team');
  return [...open, ...closed].slice(0, STORY_TEAMS);
}

// ---- driver diagrams

interface DiagramSpec {
  primaries: [id: string, label: string][];
  secondaries: [id: string, label: string, primaries: string[]][];
  ideas: [id: string, label: string, drivers: string[], changeIdeaId?: string][];
}

function diagramContent(aim: string, spec: DiagramSpec): DiagramContentBody {
  return {
    aim,
    nodes: [
      ...spec.primaries.map(([id, label]) => ({ id, kind: 'primary' as const, label })),
      ...spec.secondaries.map(([id, label]) => ({ id, kind: 'secondary' as const, label })),
      ...spec.ideas.map(([id, label, , changeIdeaId]) => ({
        id,
        kind: 'change_idea' as const,
        label,
        change_idea_id: changeIdeaId ?? null,
      })),
    ],
    edges: [
      ...spec.secondaries.flatMap(([id, , from]) => from.map((p) => ({ from: p, to: id }))),
      ...spec.ideas.flatMap(([id, , from]) => from.map((d) => ({ from: d, to: id }))),
    ],
  };
}

// ---- PDSA

interface CycleScript {
  execution: UpdatePdsaCycleInput['execution'];
  study?: UpdatePdsaCycleInput['study'];
  act?: UpdatePdsaCycleInput['act'];
  next?: TransitionInput['next_cycle'];
  /** Where the cycle stops: do, study, act or completed (the default). */
  until?: 'do' | 'study' | 'act' | 'completed';
}

/**
 * Moves a cycle through its states with the transitions service, filling each section on the
 * way: plan → do on `start`, study a week later, act and completed two and three days after that.
 */
async function runCycle(
  ctx: AppContext,
  viewer: Viewer,
  cycle: PdsaCycleResponse,
  start: string,
  script: CycleScript,
): Promise<PdsaCycleResponse> {
  const until = script.until ?? 'completed';
  const order = ['do', 'study', 'act', 'completed'] as const;
  const last = order.indexOf(until);
  let current = cycle;
  const move = async (day: string, input: TransitionInput) => {
    current = await transitionCycle(on(ctx, day), viewer, current.id, etagFor(current.version), {
      ...input,
    });
  };
  const edit = async (day: string, input: UpdatePdsaCycleInput) => {
    current = await updateCycle(on(ctx, day), viewer, current.id, etagFor(current.version), input);
  };
  await move(start, { to: 'do' });
  const end = addDays(start, 7);
  await edit(end, { execution: script.execution });
  if (last < 1) return current;
  await move(end, { to: 'study' });
  if (script.study) await edit(addDays(end, 1), { study: script.study });
  if (last < 2) return current;
  await move(addDays(end, 2), { to: 'act' });
  if (script.act) await edit(addDays(end, 2), { act: script.act });
  if (last < 3) return current;
  await move(
    addDays(end, 3),
    script.next ? { to: 'completed', next_cycle: script.next } : { to: 'completed' },
  );
  return current;
}

// ---- the module

export const improvementSeed: SeedModule = {
  name: 'improvement workspace',
  async run({ ctx, viewer: system, rng, today, progress, checkpoint }) {
    // Measure data comes from its own stream, so that it does not shift when ids are drawn.
    const data = createRng(rng.int(1, 2 ** 30) + DATA_STREAM);
    const later: Later = { periods: laterPeriods(today), rng: createRng(LATER_STREAM) };
    const total = 7;
    let done = 0;
    const step = async () => {
      progress(++done, total);
      await checkpoint();
    };

    const facilitator = await viewerFor(ctx, system, 'facilitator@riverbend.demo');
    const literacyFacilitator = await viewerFor(ctx, system, 'literacy.facilitator@riverbend.demo');
    const member = await viewerFor(ctx, system, 'member@riverbend.demo');

    const onTrack = await networkNamed(ctx, system, ON_TRACK_NETWORK);
    if (onTrack) await seedOnTrack(ctx, system, facilitator, onTrack.id, data, later, step);
    else done += 5;
    const literacy = await networkNamed(ctx, system, LITERACY_NETWORK);
    if (literacy)
      await seedLiteracy(ctx, system, literacyFacilitator, member, literacy.id, data, later);
    progress(total, total);
  },
};

// ---- 9th grade on track

const ON_TRACK_IDEAS: (CreateChangeIdeaInput & { key: string })[] = [
  {
    key: 'checkins',
    network_id: '',
    title: 'Weekly advisory check-ins',
    description:
      'Each advisor holds a five-minute one-to-one check-in with every advisee each week: grades, attendance, one goal for the week.',
    tags: ['Advisory', 'Relationships', 'Early warning'],
    source: {
      kind: 'document',
      citation: 'Riverbend 9th Grade Success Playbook (2024), section 3',
    },
  },
  {
    key: 'mentors',
    network_id: '',
    title: 'Peer mentoring by 11th graders',
    description: 'Trained 11th-grade mentors meet small groups of 9th graders twice a month.',
    tags: ['Relationships', 'Peer support'],
    source: {
      kind: 'other',
      citation: 'Idea from the Lakeview team, network convening March 2024',
    },
  },
  {
    key: 'nudges',
    network_id: '',
    title: 'Attendance nudge letters to families',
    description:
      'A plain-language letter to families after a student’s third absence, showing the days missed against the class average.',
    tags: ['Attendance', 'Families'],
    source: { kind: 'none' },
  },
  {
    key: 'success_team',
    network_id: '',
    title: 'Freshman success team reviews on-track data every two weeks',
    description:
      'Counsellors, advisors and an administrator review the on-track list every two weeks and assign one adult to each student falling off track.',
    tags: ['Early warning', 'Data use'],
    source: {
      kind: 'research',
      citation:
        'Allensworth, E. M., & Easton, J. Q. (2005). The on-track indicator as a predictor of high school graduation. Chicago: Consortium on Chicago School Research.',
    },
  },
  {
    key: 'grade_checks',
    network_id: '',
    title: 'Biweekly grade checks with students',
    description:
      'Students open their grade book with their advisor every other week and note one missing assignment to recover.',
    tags: ['Advisory', 'Data use'],
    source: { kind: 'none' },
  },
  {
    key: 'retakes',
    network_id: '',
    title: 'No-zero grading with reassessment',
    description:
      'Missing work is recorded as incomplete, with a reassessment window, instead of a zero.',
    tags: ['Grading'],
    source: { kind: 'document', citation: 'District grading guidance for 9th grade teams, 2023' },
  },
  {
    key: 'recovery_labs',
    network_id: '',
    title: 'Mid-semester credit recovery labs',
    description:
      'After-school labs from week 8 for students failing a core course, before the grade is final.',
    tags: ['Course recovery', 'Grading'],
    source: { kind: 'none' },
  },
  {
    key: 'bridge',
    network_id: '',
    title: 'Summer bridge program for incoming 9th graders',
    description: 'A two-week summer program: campus, schedules, study habits, meeting the advisor.',
    tags: ['Transition', 'Relationships'],
    source: { kind: 'other', citation: 'Adapted from the Eastfield summer program' },
  },
];

const ON_TRACK_DIAGRAM = (idea: Map<string, string>): DiagramSpec => ({
  primaries: [
    ['p1', 'Strong student–adult relationships'],
    ['p2', 'Timely use of on-track data'],
    ['p3', 'Grading and course recovery that let students catch up'],
  ],
  secondaries: [
    ['s1', 'Every 9th grader has an adult who checks in weekly', ['p1']],
    ['s2', 'Families engaged around attendance and grades', ['p1', 'p2']],
    ['s3', 'Teams review early-warning data every two weeks', ['p2']],
    ['s4', 'Students track their own grades and attendance', ['p2']],
    ['s5', 'Grading practices that allow recovery', ['p3']],
    ['s6', 'Course recovery before the semester ends', ['p3']],
  ],
  ideas: [
    ['c1', 'Weekly advisory check-ins', ['s1'], idea.get('checkins')],
    ['c2', 'Peer mentoring by 11th graders', ['s1'], idea.get('mentors')],
    ['c3', 'Attendance nudge letters to families', ['s2'], idea.get('nudges')],
    ['c4', 'Freshman success team data reviews', ['s3'], idea.get('success_team')],
    ['c5', 'Biweekly grade checks with students', ['s4'], idea.get('grade_checks')],
    ['c6', 'No-zero grading with reassessment', ['s5'], idea.get('retakes')],
    ['c7', 'Mid-semester credit recovery labs', ['s6'], idea.get('recovery_labs')],
    ['c8', 'Summer bridge program', ['p1'], idea.get('bridge')],
  ],
});

interface Later {
  periods: LaterPeriods;
  rng: Rng;
}

interface TeamStory {
  team: TeamResponse;
  project?: ProjectResponse;
  status: ProjectResponse['status'];
  /** On-track share before the change. */
  base: number;
  /** The month (on-track, failures) and week (check-ins) from which the change works. */
  shiftMonth?: string;
  shiftWeek?: string;
  lift?: number;
  /** Last period reported (silent team). */
  lastMonth?: string;
  lastWeek?: string;
}

async function seedOnTrack(
  ctx: AppContext,
  system: Viewer,
  facilitator: Viewer,
  networkId: string,
  rng: Rng,
  later: Later,
  step: () => Promise<void>,
) {
  const start = '2024-08-19';
  const charter = await createCharter(on(ctx, start), facilitator, {
    network_id: networkId,
    title: 'Ninth grade on track',
    problem_of_practice:
      'Too many of our 9th graders end the year off track to graduate: a third of them fail a core course or miss more than 10% of school days, and most of those never recover. Students falling off track are noticed too late, after the semester grade is final.',
    aim: {
      what: 'the share of 9th graders on track',
      for_whom: '9th graders in network schools',
      unit: '%',
      baseline: 62,
      target: 80,
      by: '2028-06-30',
    },
    visibility: 'coalition',
  });

  const ideas = new Map<string, string>();
  for (const [i, { key, ...input }] of ON_TRACK_IDEAS.entries()) {
    const idea = await createChangeIdea(on(ctx, addDays(start, 1 + (i >> 2))), facilitator, {
      ...input,
      network_id: networkId,
      visibility: 'coalition',
    });
    ideas.set(key, idea.id);
  }
  const diagram = await getDiagram(ctx, system, { kind: 'charter', id: charter.id });
  await saveDiagram(
    on(ctx, addDays(start, 3)),
    facilitator,
    { kind: 'charter', id: charter.id },
    etagFor(diagram.version),
    diagramContent(charter.aim_statement, ON_TRACK_DIAGRAM(ideas)),
  );

  const measureCtx = on(ctx, addDays(start, 4));
  const outcome = await createMeasure(measureCtx, facilitator, {
    charter_id: charter.id,
    name: '9th graders on track',
    kind: 'outcome',
    description: 'The share of 9th graders on track to graduate at the end of each month.',
    operational_definition: {
      numerator_definition:
        '9th graders with no F in a core course this semester and attendance of 90% or more',
      denominator_definition: '9th graders enrolled on the last school day of the month',
      inclusion: 'All 9th graders, including students repeating 9th grade',
      exclusion: 'Students who left the school during the month',
      data_source: 'Student information system, end-of-month extract',
    },
    frequency: 'monthly',
    unit: '%',
    improvement_direction: 'increase',
    chart_type: 'p',
    multiply: 100,
    goal: 80,
  });
  const checkins = await createMeasure(measureCtx, facilitator, {
    charter_id: charter.id,
    name: 'Advisory check-ins completed',
    kind: 'process',
    description: 'The share of 9th graders who had their weekly advisory check-in.',
    operational_definition: {
      numerator_definition: '9th graders with a check-in logged this week',
      denominator_definition: '9th graders enrolled this week',
      inclusion: '',
      exclusion: '',
      data_source: 'Advisory check-in log (shared spreadsheet)',
    },
    frequency: 'weekly',
    unit: '%',
    improvement_direction: 'increase',
    chart_type: 'p',
    multiply: 100,
  });
  const failures = await createMeasure(measureCtx, facilitator, {
    charter_id: charter.id,
    name: 'Course failures per 100 students',
    kind: 'balancing',
    description:
      'Failing grades in any course per 100 9th graders: watches that on-track gains do not come from grades elsewhere.',
    operational_definition: {
      numerator_definition: 'F grades on the progress report of the month, any course',
      denominator_definition: '9th graders enrolled',
      inclusion: '',
      exclusion: '',
      data_source: 'Student information system, progress reports',
    },
    frequency: 'monthly',
    unit: 'per 100 students',
    improvement_direction: 'decrease',
    chart_type: 'u',
    multiply: 100,
  });
  await step();

  // Projects: one per team, from the charter (its diagram is copied).
  const teams = await storyTeams(ctx, system, networkId);
  // A and B make the change (the signal), C stops reporting in April 2026, D stays steady. The
  // team-visible team (last by storyTeams' order) is the steady one.
  const plots: Omit<TeamStory, 'team'>[] = [
    {
      status: 'implementing',
      base: 0.6,
      shiftMonth: '2025-11-01',
      shiftWeek: '2025-11-03',
      lift: 0.14,
    },
    {
      status: 'testing',
      base: 0.63,
      shiftMonth: '2026-02-01',
      shiftWeek: '2026-02-02',
      lift: 0.09,
    },
    { status: 'testing', base: 0.61, lastMonth: '2026-04-01', lastWeek: '2026-04-27' },
    { status: 'planning', base: 0.64 },
  ];
  const stories: TeamStory[] = teams.map((team, i) => ({
    ...(plots[i] ?? { status: 'planning', base: 0.62 }),
    team,
  }));
  for (const [i, story] of stories.entries()) {
    const place = story.team.organisation_name ?? story.team.name.replace(/ team$/, '');
    story.project = await createProject(on(ctx, addDays(start, 14 + i)), system, {
      team_id: story.team.id,
      charter_id: charter.id,
      title: `On track at ${place}`,
      problem_statement: `At ${place}, about ${Math.round(story.base * 100)}% of 9th graders end the month on track; most who fall off track fail a core course in the first semester.`,
      status: story.status,
      visibility: story.team.visibility === 'team' ? 'team' : 'network',
    });
  }
  await step();

  // Team A adapts its copy of the diagram: one change idea of its own.
  const teamA = stories[0];
  if (teamA?.project) {
    const projectDiagram = await getDiagram(ctx, system, { kind: 'project', id: teamA.project.id });
    const content = structuredClone(projectDiagram.content) as DiagramContentBody;
    content.nodes.push({
      id: 'local1',
      kind: 'change_idea',
      label: 'Check-in script cards for advisors',
    });
    content.edges.push({ from: 's1', to: 'local1' });
    await saveDiagram(
      on(ctx, '2025-10-20'),
      system,
      { kind: 'project', id: teamA.project.id },
      etagFor(projectDiagram.version),
      content,
    );
  }

  // Data: two school years of monthly values, 30 weeks of check-ins.
  for (const story of stories) {
    const students = rng.int(120, 300);
    // One month's on-track and failure values, one week's check-ins, drawn from `r` in a fixed
    // order (the story's own stream, or the later one after the story).
    const monthRows = (r: Rng, month: string): GridRowInput[] => {
      const enrolled = students + r.int(-6, 6);
      const shifted = story.shiftMonth !== undefined && month >= story.shiftMonth;
      const p = story.base + (shifted ? (story.lift ?? 0) : 0);
      const onTrack = countOf(r, enrolled, p);
      const failRate = shifted ? 0.45 - (story.lift ?? 0) : 0.45 + gauss(r) * 0.01;
      return [
        { measure_id: outcome.id, period_start: month, numerator: onTrack, denominator: enrolled },
        {
          measure_id: failures.id,
          period_start: month,
          numerator: eventsOf(r, enrolled * failRate),
          denominator: enrolled,
        },
      ];
    };
    const weekRow = (r: Rng, week: string): GridRowInput => {
      const enrolled = students + r.int(-4, 4);
      const started = story.shiftWeek !== undefined && week >= story.shiftWeek;
      let p = started ? 0.62 + (story.lift ?? 0) * 1.5 : 0.22 + story.base / 10;
      const snow = week === SNOW_WEEK;
      if (snow) p *= 0.35;
      return {
        measure_id: checkins.id,
        period_start: week,
        numerator: countOf(r, enrolled, p),
        denominator: enrolled,
        ...(snow ? { excluded: true, note: 'Snow week: schools closed three days' } : {}),
      };
    };
    const rows: GridRowInput[] = [];
    for (const month of MONTHS) {
      if (story.lastMonth && month > story.lastMonth) break;
      rows.push(...monthRows(rng, month));
    }
    for (const week of WEEKS) {
      if (story.lastWeek && week > story.lastWeek) break;
      rows.push(weekRow(rng, week));
    }
    const entered = story.lastMonth ? on(ctx, addDays(story.lastMonth, 40)) : ctx;
    await saveGrid(entered, system, story.team.id, { values: rows });
    if (story.lastMonth) continue; // the silent team stays silent
    // After the story: the same levels, from the later stream, entered the day before today.
    const more = [
      ...later.periods.months.flatMap((month) => monthRows(later.rng, month)),
      ...later.periods.weeks.map((week) => weekRow(later.rng, week)),
    ];
    if (more.length > 0)
      await saveGrid(on(ctx, later.periods.enteredOn), system, story.team.id, { values: more });
  }
  await step();

  // Annotations.
  await createAnnotation(on(ctx, '2026-02-13'), facilitator, {
    network_id: networkId,
    occurred_on: SNOW_WEEK,
    label: 'Snow week: schools closed three days',
    kind: 'external',
    visibility: 'network',
  });
  for (const story of stories) {
    if (!story.shiftWeek) continue;
    await createAnnotation(on(ctx, story.shiftWeek), system, {
      team_id: story.team.id,
      occurred_on: story.shiftWeek,
      label:
        story === teamA
          ? 'Weekly advisory check-ins start in every 9th grade advisory'
          : 'Weekly advisory check-ins start in all advisories',
      kind: 'change_idea',
      change_idea_id: ideas.get('checkins') ?? null,
      visibility: 'network',
    });
  }
  if (teamA?.shiftMonth) {
    await createAnnotation(on(ctx, '2026-03-09'), system, {
      team_id: teamA.team.id,
      measure_id: outcome.id,
      occurred_on: teamA.shiftMonth,
      label: 'New phase: check-ins in every advisory (shift accepted)',
      kind: 'phase_change',
      phase_break: true,
      change_idea_id: ideas.get('checkins') ?? null,
      visibility: 'network',
    });
  }
  await step();

  // PDSA cycles.
  const checkinIdea = ideas.get('checkins') as string;
  if (teamA?.project) {
    const plan = {
      questions: [
        {
          id: 'q1',
          text: 'Can an advisor hold a five-minute check-in every week?',
          predictions: [{ id: 'p1', text: 'All weekly check-ins happen' }],
        },
        {
          id: 'q2',
          text: 'Do students find the check-in useful?',
          predictions: [{ id: 'p2', text: 'Students rate it 4 out of 5 or higher' }],
        },
      ],
      who: 'Ms. Alvarez (advisor)',
      what: 'A five-minute check-in: grades, attendance, one goal for the week',
      when: 'Tuesdays in advisory, two weeks',
      where: 'Advisory room 114',
      data_to_collect: 'Check-ins held (log), the student’s rating of each check-in (1–5)',
    };
    let cycle = await createCycle(on(ctx, '2025-09-10'), system, {
      project_id: teamA.project.id,
      change_idea_id: checkinIdea,
      title: 'Check in weekly with one student',
      scale: '1 student',
      planned_start: '2025-09-15',
      visibility: 'network',
      plan,
    });
    cycle = await runCycle(ctx, system, cycle, '2025-09-15', {
      execution: {
        what_happened: 'Two check-ins held, both on Tuesday; the second one ran 9 minutes.',
        observations: 'The student brought up a missing biology lab herself in the second week.',
        deviations: 'None',
        started_on: '2025-09-15',
        ended_on: '2025-09-22',
      },
      study: {
        results: [
          { prediction_id: 'p1', outcome: 'confirmed', note: '2 of 2 check-ins held' },
          { prediction_id: 'p2', outcome: 'partly', note: 'Rated 3, then 5' },
        ],
        summary: 'Feasible for one student; five minutes is tight when grades need looking up.',
        measure_links: [{ measure_id: checkins.id }],
      },
      act: {
        decision: 'adapt',
        reason: 'Works for one student; try a whole advisory with grades printed beforehand.',
      },
      next: {
        title: 'Check in weekly across one advisory',
        scale: '1 advisory',
        planned_start: '2025-10-06',
      },
    });
    let next = cycle.next_cycle_ids[0];
    if (next) {
      cycle = await updateCycle(on(ctx, '2025-10-02'), system, next, etagFor(1), {
        plan: {
          questions: [
            {
              id: 'q1',
              text: 'Can an advisor check in with all 18 advisees each week?',
              predictions: [{ id: 'p1', text: 'At least 15 of 18 check-ins each week' }],
            },
            {
              id: 'q2',
              text: 'Do printed grade reports keep check-ins to five minutes?',
              predictions: [{ id: 'p2', text: 'Median check-in under 6 minutes' }],
            },
          ],
          when: 'Every advisory period, two weeks',
        },
      });
      cycle = await runCycle(ctx, system, cycle, '2025-10-06', {
        execution: {
          what_happened: '33 of 36 check-ins held over two weeks; three students absent.',
          observations: 'Printed reports helped; students asked for their own copy.',
          deviations: 'Week 2 advisory shortened by an assembly.',
          started_on: '2025-10-06',
          ended_on: '2025-10-17',
        },
        study: {
          results: [
            { prediction_id: 'p1', outcome: 'confirmed', note: '16 and 17 of 18' },
            { prediction_id: 'p2', outcome: 'confirmed', note: 'Median 5 minutes' },
          ],
          summary: 'Works at advisory scale; absences are the main gap.',
          measure_links: [{ measure_id: checkins.id }],
        },
        act: {
          decision: 'adapt',
          reason: 'Spread to every 9th grade advisory, with a make-up slot for absent students.',
        },
        next: {
          title: 'Check-ins in every 9th grade advisory',
          scale: 'Grade 9',
          planned_start: '2025-10-27',
        },
      });
      next = cycle.next_cycle_ids[0];
    }
    if (next) {
      cycle = await updateCycle(on(ctx, '2025-10-23'), system, next, etagFor(1), {
        plan: {
          questions: [
            {
              id: 'q1',
              text: 'Do all 9th grade advisories hold weekly check-ins?',
              predictions: [{ id: 'p1', text: '80% of 9th graders checked in each week' }],
            },
            {
              id: 'q2',
              text: 'Does on-track improve?',
              predictions: [{ id: 'p2', text: 'On-track share above 70% by December' }],
            },
          ],
          who: 'All twelve 9th grade advisors',
          when: 'Weekly from 27 October, four weeks',
          where: 'All 9th grade advisories',
        },
      });
      await runCycle(ctx, system, cycle, '2025-10-27', {
        execution: {
          what_happened:
            'All advisories held check-ins; a make-up slot on Fridays covered absences.',
          observations: 'Two advisors needed coaching on the script.',
          deviations: 'Started a week later in two advisories.',
          started_on: '2025-10-27',
          ended_on: '2025-11-21',
        },
        study: {
          results: [
            { prediction_id: 'p1', outcome: 'confirmed', note: '82% on average over four weeks' },
            { prediction_id: 'p2', outcome: 'confirmed', note: '74% in November' },
          ],
          summary: 'Check-ins hold at grade scale and on-track moved up.',
          measure_links: [{ measure_id: checkins.id }, { measure_id: outcome.id }],
        },
        act: { decision: 'adopt', reason: 'Part of the advisory routine from now on.' },
      });
    }
  }
  const teamB = stories[1];
  if (teamB?.project) {
    const cycle = await createCycle(on(ctx, '2026-08-20'), system, {
      project_id: teamB.project.id,
      change_idea_id: checkinIdea,
      title: 'Text families after a missed check-in',
      scale: '2 advisories',
      planned_start: '2026-08-24',
      visibility: 'network',
      plan: {
        questions: [
          {
            id: 'q1',
            text: 'Does a text home bring missed students to the Friday make-up?',
            predictions: [{ id: 'p1', text: 'Half of the missed students come on Friday' }],
          },
        ],
        who: 'Two advisors',
        what: 'A short text to the family when a student misses the check-in',
        when: 'Two weeks',
        where: 'Advisories 201 and 203',
        data_to_collect: 'Missed check-ins, texts sent, make-ups held',
      },
    });
    await runCycle(ctx, system, cycle, '2026-08-24', {
      until: 'do',
      execution: {
        what_happened: 'First week: 6 texts sent, 4 make-ups held.',
        started_on: '2026-08-24',
      },
    });
  }
  const teamD = stories[3];
  if (teamD?.project) {
    await createCycle(on(ctx, '2026-08-27'), system, {
      project_id: teamD.project.id,
      change_idea_id: ideas.get('nudges') as string,
      title: 'Send a nudge letter to ten families',
      scale: '10 families',
      planned_start: '2026-09-14',
      visibility: teamD.team.visibility === 'team' ? 'team' : 'network',
      plan: {
        questions: [
          {
            id: 'q1',
            text: 'Does the letter reduce absences in the following two weeks?',
            predictions: [{ id: 'p1', text: 'Absences drop for 6 of the 10 students' }],
          },
        ],
        who: 'Attendance clerk and counsellor',
        what: 'The plain-language nudge letter after a third absence',
        when: 'From 14 September, two weeks',
      },
    });
  }
  await step();
}

// ---- early literacy

async function seedLiteracy(
  ctx: AppContext,
  system: Viewer,
  facilitator: Viewer,
  member: Viewer,
  networkId: string,
  rng: Rng,
  later: Later,
) {
  const start = '2024-08-12';
  const charter = await createCharter(on(ctx, start), facilitator, {
    network_id: networkId,
    title: 'Third graders reading on grade level',
    problem_of_practice:
      'Fewer than half of our 3rd graders read on grade level, and students who are behind in the fall of 1st grade rarely catch up.',
    aim: {
      what: 'the share of 3rd graders reading on grade level',
      for_whom: '3rd graders in network schools',
      unit: '%',
      baseline: 48,
      target: 65,
      by: '2028-06-30',
    },
    visibility: 'coalition',
  });
  const tutoring = await createChangeIdea(on(ctx, addDays(start, 1)), facilitator, {
    network_id: networkId,
    title: 'Daily small-group tutoring',
    description:
      'Twenty minutes a day in groups of three, with a trained tutor and decodable texts.',
    tags: ['Tutoring', 'Foundational skills'],
    source: { kind: 'none' },
    visibility: 'coalition',
  });
  const reading = await createChangeIdea(on(ctx, addDays(start, 1)), facilitator, {
    network_id: networkId,
    title: 'Family reading nights',
    description: 'Monthly evenings where families practise shared reading with take-home books.',
    tags: ['Families'],
    source: { kind: 'none' },
    visibility: 'coalition',
  });
  const diagram = await getDiagram(ctx, system, { kind: 'charter', id: charter.id });
  await saveDiagram(
    on(ctx, addDays(start, 2)),
    facilitator,
    { kind: 'charter', id: charter.id },
    etagFor(diagram.version),
    diagramContent(charter.aim_statement, {
      primaries: [
        ['p1', 'Strong foundational skills instruction'],
        ['p2', 'Reading practice at home'],
      ],
      secondaries: [
        ['s1', 'Extra practice for students below benchmark', ['p1']],
        ['s2', 'Families confident to read with their children', ['p2']],
      ],
      ideas: [
        ['c1', 'Daily small-group tutoring', ['s1'], tutoring.id],
        ['c2', 'Family reading nights', ['s2'], reading.id],
      ],
    }),
  );
  const benchmark = await createMeasure(on(ctx, addDays(start, 3)), facilitator, {
    charter_id: charter.id,
    name: 'Students at or above reading benchmark',
    kind: 'outcome',
    description: 'K–3 students at or above benchmark in each benchmark window.',
    operational_definition: {
      numerator_definition: 'K–3 students at or above benchmark on the screener',
      denominator_definition: 'K–3 students screened',
      inclusion: '',
      exclusion: '',
      data_source: 'Universal screener, fall, winter and spring windows',
    },
    frequency: 'term',
    unit: '%',
    improvement_direction: 'increase',
    chart_type: 'p',
    multiply: 100,
    goal: 65,
  });

  // The member's team: their project (written by them), a local measure and a cycle.
  const page = await listTeams(ctx, system, { network_id: networkId, limit: 200 });
  const memberTeam = page.items.find((team) => member.teams.has(team.id));
  const otherTeam = page.items.find((team) => team !== memberTeam && team.visibility !== 'team');
  for (const team of [memberTeam, otherTeam]) {
    if (!team) continue;
    const author = team === memberTeam && member.userId ? member : system;
    const place = team.organisation_name ?? team.name.replace(/ team$/, '');
    const project = await createProject(on(ctx, addDays(start, 20)), author, {
      team_id: team.id,
      charter_id: charter.id,
      title: `Reading on grade level at ${place}`,
      status: team === memberTeam ? 'testing' : 'planning',
      visibility: 'network',
    });
    const screened = rng.int(150, 260);
    const rows: GridRowInput[] = TERMS.map((term, i) => {
      const n = screened + rng.int(-8, 8);
      return {
        measure_id: benchmark.id,
        period_start: term,
        numerator: countOf(rng, n, 0.46 + (team === memberTeam ? i * 0.015 : 0)),
        denominator: n,
      };
    });
    if (team === memberTeam) {
      const attended = await createMeasure(on(ctx, '2026-02-23'), author, {
        project_id: project.id,
        name: 'Tutoring sessions attended',
        kind: 'process',
        description: 'The share of scheduled tutoring sessions that students attended.',
        operational_definition: {
          numerator_definition: 'Sessions attended',
          denominator_definition: 'Sessions scheduled',
          data_source: 'Tutor attendance sheet',
        },
        frequency: 'weekly',
        unit: '%',
        chart_type: 'p',
        multiply: 100,
        goal: 90,
      });
      for (let week = '2026-03-02', i = 0; i < 10; week = addDays(week, 7)) {
        if (BREAKS.has(week)) continue;
        const scheduled = 60 + rng.int(-5, 5);
        rows.push({
          measure_id: attended.id,
          period_start: week,
          numerator: countOf(rng, scheduled, 0.78 + i * 0.01),
          denominator: scheduled,
        });
        i++;
      }
      const cycle = await createCycle(on(ctx, '2026-04-08'), author, {
        project_id: project.id,
        change_idea_id: tutoring.id,
        title: 'Tutoring in groups of three for one class',
        scale: '1 class',
        planned_start: '2026-04-13',
        visibility: 'network',
        plan: {
          questions: [
            {
              id: 'q1',
              text: 'Do students below benchmark attend daily tutoring?',
              predictions: [{ id: 'p1', text: '85% of scheduled sessions attended' }],
            },
          ],
          who: 'Two tutors, Mr. Reyes’s 2nd grade class',
          what: 'Twenty minutes a day in groups of three',
          when: 'Two weeks from 13 April',
          where: 'Library',
          data_to_collect: 'Tutor attendance sheet',
        },
      });
      await runCycle(ctx, author, cycle, '2026-04-13', {
        until: 'study',
        execution: {
          what_happened: 'Tutoring ran nine of ten days; 81% of sessions attended.',
          started_on: '2026-04-13',
          ended_on: '2026-04-24',
        },
        study: {
          summary: 'Attendance dips on Fridays.',
          measure_links: [{ measure_id: attended.id }],
        },
      });
    }
    await saveGrid(ctx, author, team.id, { values: rows });
    const more = later.periods.terms.map((term, k) => {
      const n = screened + later.rng.int(-8, 8);
      const i = TERMS.length + k;
      return {
        measure_id: benchmark.id,
        period_start: term,
        numerator: countOf(later.rng, n, 0.46 + (team === memberTeam ? i * 0.015 : 0)),
        denominator: n,
      };
    });
    if (more.length > 0)
      await saveGrid(on(ctx, later.periods.enteredOn), author, team.id, { values: more });
  }
}
