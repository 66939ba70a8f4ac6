/**
 * The four rule sets. Each finds the maximal occurrences of its patterns in one part and says at
 * which points each occurrence *completes* its rule (Minitab's and NHSRplotthedots' convention:
 * the 8th and every later point of a run of 8+). A window rule ("2 of 3", "4 of 5") signals on
 * the last point of each qualifying window.
 */
import {
  beyond,
  monotoneTrends,
  outsideLimits,
  runsAboutCentre,
  type SeqPoint,
} from './patterns.ts';
import { runsLimits } from './stats.ts';
import type { ChartType, ImprovementDirection, MdcClass, RuleId, RuleSet } from './types.ts';

/** Below this many useful points the run and trend rules have too little power to judge. */
export const MIN_USEFUL_FOR_RUN_RULES = 8;
/** The Swed–Eisenhart runs table of Provost & Murray starts at 10 useful points. */
export const MIN_USEFUL_FOR_RUNS_TABLE = 10;

export interface Occurrence {
  rule: RuleId;
  points: number[];
  signalAt: number[];
  description: string;
}

export interface PlottedPoint {
  index: number;
  y: number;
  lcl: number | null;
  ucl: number | null;
}

export interface PartRulesInput {
  chart: Exclude<ChartType, 'xmr'>;
  ruleSet: RuleSet;
  improvementDirection: ImprovementDirection;
  /** Useful points: not excluded, not missing. */
  seq: SeqPoint[];
  /** Every plotted point, excluded ones too (they are still tested against the limits). */
  plotted: PlottedPoint[];
  nUseful: number;
  longestRun: number | null;
  longestRunMax: number | null;
  crossings: number | null;
  crossingsMin: number | null;
  hasLimits: boolean;
  /** Limits of the same data as an I chart, for IHI's astronomical point on a run chart. */
  astronomicalLimits: { lcl: number; ucl: number } | null;
  span: (points: number[]) => string;
}

export interface PartRulesResult {
  occurrences: Occurrence[];
  notEvaluable: RuleId[];
  runsSignal: boolean;
  /** Per point (0-based series index), only for the `mdc` rule set. */
  mdcClasses: Map<number, MdcClass> | null;
}

const RUN_RULES: Record<RuleSet, { run: RuleId[]; control: RuleId[] }> = {
  anhoej: {
    run: ['anhoej.longest_run', 'anhoej.crossings'],
    control: ['anhoej.longest_run', 'anhoej.crossings'],
  },
  ihi: {
    run: ['ihi.shift', 'ihi.trend', 'ihi.runs'],
    control: ['ihi.eight_one_side', 'ihi.six_trend', 'ihi.fifteen_within_1sigma'],
  },
  weco: { run: ['weco.4'], control: ['weco.4'] },
  mdc: { run: ['mdc.trend', 'mdc.shift'], control: ['mdc.trend', 'mdc.shift'] },
};

const ZONE_RULES: Record<RuleSet, RuleId[]> = {
  anhoej: [],
  ihi: ['ihi.two_of_three_2sigma'],
  weco: ['weco.2', 'weco.3'],
  mdc: ['mdc.two_of_three'],
};

const OUTSIDE_RULE: Record<RuleSet, RuleId> = {
  anhoej: 'sigma.outside_limits',
  ihi: 'sigma.outside_limits',
  weco: 'weco.1',
  mdc: 'mdc.outside_limits',
};

/** The rules of a set that concern runs and trends (they make up `runsSignal`). */
export function runRulesOf(ruleSet: RuleSet, chart: ChartType): RuleId[] {
  return chart === 'run' ? RUN_RULES[ruleSet].run : RUN_RULES[ruleSet].control;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const sideWord = (side: number, line: string) => `${side > 0 ? 'above' : 'below'} the ${line}`;

function fromNth(points: number[], n: number): number[] {
  return points.slice(n - 1);
}

function runOccurrences(
  input: PartRulesInput,
  rule: RuleId,
  onLine: 'skip' | 'break',
  minLength: number,
  line: string,
  why: (length: number) => string,
): Occurrence[] {
  return runsAboutCentre(input.seq, onLine)
    .filter((run) => run.points.length >= minLength)
    .map((run) => ({
      rule,
      points: run.points,
      signalAt: fromNth(run.points, minLength),
      description: `${run.points.length} points in a row ${sideWord(run.side, line)}, ${input.span(run.points)}: ${why(run.points.length)}.`,
    }));
}

function trendOccurrences(
  input: PartRulesInput,
  rule: RuleId,
  ties: 'collapse' | 'break',
  minLength: number,
  why: string,
): { occurrence: Occurrence; direction: 1 | -1 }[] {
  return monotoneTrends(input.seq, ties)
    .filter((trend) => trend.groups.length >= minLength)
    .map((trend) => {
      const points = trend.groups.flat();
      const counted = trend.groups.length;
      const tiesNote =
        ties === 'collapse' && counted !== points.length ? ' (equal values count once)' : '';
      return {
        direction: trend.direction,
        occurrence: {
          rule,
          points,
          signalAt: trend.groups.slice(minLength - 1).flat(),
          description: `${counted} points in a row ${trend.direction > 0 ? 'going up' : 'going down'}${tiesNote}, ${input.span(points)}: ${why}.`,
        },
      };
    });
}

function windowOccurrences(
  input: PartRulesInput,
  rule: RuleId,
  size: number,
  needed: number,
  isBeyond: (p: SeqPoint) => -1 | 0 | 1,
  describe: (side: number) => { what: string; rule: string },
  sameSideOfCentre = false,
): { occurrences: Occurrence[]; flagged: Map<number, 1 | -1> } {
  const { seq } = input;
  const beyondSide = seq.map(isBeyond);
  const centreSide = seq.map((p) => Math.sign(p.y - p.cl));
  const flagged = new Map<number, 1 | -1>();
  const occurrences: Occurrence[] = [];
  for (const side of [1, -1] as const) {
    // Qualifying windows are seq[end - size + 1 .. end]; overlapping ones merge into one occurrence.
    let occurrence: { first: number; last: number; signalAt: number[] } | null = null;
    const close = () => {
      if (!occurrence) return;
      const points = seq.slice(occurrence.first, occurrence.last + 1).map((p) => p.index);
      const text = describe(side);
      occurrences.push({
        rule,
        points,
        signalAt: occurrence.signalAt,
        description: `${text.what}, ${input.span(points)} (${text.rule}).`,
      });
      occurrence = null;
    };
    for (let end = size - 1; end < seq.length; end += 1) {
      const first = end - size + 1;
      let count = 0;
      let sameSide = true;
      for (let j = first; j <= end; j += 1) {
        if (beyondSide[j] === side) count += 1;
        if (centreSide[j] !== side) sameSide = false;
      }
      if (count < needed || (sameSideOfCentre && !sameSide)) continue;
      for (let j = first; j <= end; j += 1) {
        if (beyondSide[j] === side) flagged.set((seq[j] as SeqPoint).index, side);
      }
      const current = occurrence as { first: number; last: number; signalAt: number[] } | null;
      if (current && first <= current.last) {
        current.last = end;
        current.signalAt.push((seq[end] as SeqPoint).index);
      } else {
        close();
        occurrence = { first, last: end, signalAt: [(seq[end] as SeqPoint).index] };
      }
    }
    close();
  }
  return { occurrences, flagged };
}

function outsideOccurrences(input: PartRulesInput, rule: RuleId, why: string): Occurrence[] {
  const occurrences: Occurrence[] = [];
  for (const p of input.plotted) {
    const side = outsideLimits(p);
    if (side === 0) continue;
    occurrences.push({
      rule,
      points: [p.index],
      signalAt: [p.index],
      description: `${capitalise(input.span([p.index]))} is ${side > 0 ? 'above the upper' : 'below the lower'} ${why}.`,
    });
  }
  return occurrences;
}

function anhoej(input: PartRulesInput, line: string, evaluable: boolean): Occurrence[] {
  const occurrences: Occurrence[] = [];
  if (input.hasLimits) {
    occurrences.push(
      ...outsideOccurrences(input, 'sigma.outside_limits', 'control limit (3 sigma)'),
    );
  }
  if (!evaluable || input.longestRunMax === null || input.crossingsMin === null) return occurrences;
  const max = input.longestRunMax;
  occurrences.push(
    ...runOccurrences(
      input,
      'anhoej.longest_run',
      'skip',
      max + 1,
      line,
      (length) => `a shift (Anhøj longest run ${length} > ${max})`,
    ),
  );
  if (input.crossings !== null && input.crossings < input.crossingsMin) {
    const useful = input.seq.filter((p) => p.y !== p.cl).map((p) => p.index);
    occurrences.push({
      rule: 'anhoej.crossings',
      points: useful,
      signalAt: useful.slice(-1),
      description: `The data cross the ${line} ${input.crossings} time${input.crossings === 1 ? '' : 's'} in ${input.nUseful} useful points, ${input.span(useful)}: too few crossings (Anhøj crossings ${input.crossings} < ${input.crossingsMin}).`,
    });
  }
  return occurrences;
}

function ihi(
  input: PartRulesInput,
  line: string,
  evaluable: boolean,
  notEvaluable: RuleId[],
): Occurrence[] {
  const occurrences: Occurrence[] = [];
  if (input.chart === 'run') {
    if (input.astronomicalLimits) {
      const { lcl, ucl } = input.astronomicalLimits;
      for (const p of input.plotted) {
        const side = outsideLimits({ y: p.y, lcl, ucl });
        if (side === 0) continue;
        occurrences.push({
          rule: 'ihi.astronomical',
          points: [p.index],
          signalAt: [p.index],
          description: `${capitalise(input.span([p.index]))} is far ${side > 0 ? 'above' : 'below'} the rest: an astronomical point (outside the I-chart limits of the same data).`,
        });
      }
    } else notEvaluable.push('ihi.astronomical');
    if (!evaluable) return occurrences;
    occurrences.push(
      ...runOccurrences(
        input,
        'ihi.shift',
        'skip',
        6,
        line,
        () => 'a shift (IHI rule: 6 or more on one side of the median)',
      ),
    );
    occurrences.push(
      ...trendOccurrences(
        input,
        'ihi.trend',
        'collapse',
        5,
        'a trend (IHI rule: 5 or more going up or down)',
      ).map((t) => t.occurrence),
    );
    if (input.nUseful < MIN_USEFUL_FOR_RUNS_TABLE || input.crossings === null) {
      notEvaluable.push('ihi.runs');
    } else {
      const runs = input.crossings + 1;
      const { lower, upper } = runsLimits(input.nUseful);
      if (runs < lower || runs > upper) {
        const useful = input.seq.filter((p) => p.y !== p.cl).map((p) => p.index);
        occurrences.push({
          rule: 'ihi.runs',
          points: useful,
          signalAt: useful.slice(-1),
          description: `${runs} runs in ${input.nUseful} useful points, ${input.span(useful)}: too ${runs < lower ? 'few' : 'many'} runs (IHI rule: ${lower} to ${upper} expected).`,
        });
      }
    }
    return occurrences;
  }
  occurrences.push(...outsideOccurrences(input, 'sigma.outside_limits', 'control limit (3 sigma)'));
  occurrences.push(
    ...windowOccurrences(
      input,
      'ihi.two_of_three_2sigma',
      3,
      2,
      (p) => beyond(p, 2),
      (side) => ({
        what: `2 of 3 points beyond 2 sigma ${sideWord(side, line)}`,
        rule: 'IHI rule',
      }),
    ).occurrences,
  );
  if (!evaluable) return occurrences;
  occurrences.push(
    ...runOccurrences(
      input,
      'ihi.eight_one_side',
      'skip',
      8,
      line,
      () => 'a shift (IHI rule: 8 or more on one side)',
    ),
  );
  occurrences.push(
    ...trendOccurrences(
      input,
      'ihi.six_trend',
      'collapse',
      6,
      'a trend (IHI rule: 6 or more going up or down)',
    ).map((t) => t.occurrence),
  );
  const isWithin = (p: SeqPoint) => p.sigma !== null && Math.abs(p.y - p.cl) < p.sigma;
  let streak: number[] = [];
  const flush = () => {
    if (streak.length >= 15) {
      occurrences.push({
        rule: 'ihi.fifteen_within_1sigma',
        points: streak,
        signalAt: fromNth(streak, 15),
        description: `${streak.length} points in a row within 1 sigma of the ${line}, ${input.span(streak)}: less variation than the limits expect (IHI rule: 15 or more).`,
      });
    }
    streak = [];
  };
  for (const p of input.seq) {
    if (isWithin(p)) streak.push(p.index);
    else flush();
  }
  flush();
  return occurrences;
}

function weco(input: PartRulesInput, line: string, evaluable: boolean): Occurrence[] {
  const occurrences: Occurrence[] = [];
  if (input.hasLimits) {
    occurrences.push(
      ...outsideOccurrences(
        input,
        'weco.1',
        'control limit: beyond 3 sigma (Western Electric rule 1)',
      ),
    );
    occurrences.push(
      ...windowOccurrences(
        input,
        'weco.2',
        3,
        2,
        (p) => beyond(p, 2),
        (side) => ({
          what: `2 of 3 points beyond 2 sigma ${sideWord(side, line)}`,
          rule: 'Western Electric rule 2',
        }),
      ).occurrences,
    );
    occurrences.push(
      ...windowOccurrences(
        input,
        'weco.3',
        5,
        4,
        (p) => beyond(p, 1),
        (side) => ({
          what: `4 of 5 points beyond 1 sigma ${sideWord(side, line)}`,
          rule: 'Western Electric rule 3',
        }),
      ).occurrences,
    );
  }
  if (!evaluable) return occurrences;
  occurrences.push(
    ...runOccurrences(
      input,
      'weco.4',
      'break',
      8,
      line,
      () => 'a shift (Western Electric rule 4: 8 in a row on one side)',
    ),
  );
  return occurrences;
}

function mdc(
  input: PartRulesInput,
  line: string,
  evaluable: boolean,
): { occurrences: Occurrence[]; classes: Map<number, MdcClass> } {
  const occurrences: Occurrence[] = [];
  // Precedence of NHSRplotthedots' special-cause types: outside limits, trend, 2 of 3, shift.
  const outsideSide = new Map<number, number>();
  const trendDirection = new Map<number, number>();
  let closeSide = new Map<number, 1 | -1>();
  const shiftSide = new Map<number, number>();

  if (input.hasLimits) {
    const outside = outsideOccurrences(
      input,
      'mdc.outside_limits',
      'process limit (Making Data Count)',
    );
    for (const p of input.plotted) {
      const side = outsideLimits(p);
      if (side !== 0) outsideSide.set(p.index, side);
    }
    occurrences.push(...outside);
    // "Close to the limits": beyond the 2σ line but not outside the process limits.
    const close = (p: SeqPoint): -1 | 0 | 1 => (outsideLimits(p) !== 0 ? 0 : beyond(p, 2));
    const twoOfThree = windowOccurrences(
      input,
      'mdc.two_of_three',
      3,
      2,
      close,
      (side) => ({
        what: `2 of 3 points close to the ${side > 0 ? 'upper' : 'lower'} process limit, all 3 ${sideWord(side, line)}`,
        rule: 'Making Data Count',
      }),
      true,
    );
    occurrences.push(...twoOfThree.occurrences);
    closeSide = twoOfThree.flagged;
  }
  if (evaluable) {
    for (const { occurrence, direction } of trendOccurrences(
      input,
      'mdc.trend',
      'break',
      7,
      'a trend (Making Data Count: 7 or more increasing or decreasing)',
    )) {
      occurrences.push(occurrence);
      // A turning point shared by two trends takes the direction of the trend it starts.
      occurrence.points.forEach((index, k) => {
        const isLast = k === occurrence.points.length - 1;
        if (!trendDirection.has(index) || !isLast) trendDirection.set(index, direction);
      });
    }
    const shifts = runOccurrences(
      input,
      'mdc.shift',
      'break',
      7,
      line,
      () => 'a shift (Making Data Count: 7 or more on one side)',
    );
    for (const o of shifts) {
      const first = input.seq.find((p) => p.index === o.points[0]);
      const side = first ? Math.sign(first.y - first.cl) : 0;
      for (const index of o.points) shiftSide.set(index, side);
    }
    occurrences.push(...shifts);
  }

  const classes = new Map<number, MdcClass>();
  const direction =
    input.improvementDirection === 'increase'
      ? 1
      : input.improvementDirection === 'decrease'
        ? -1
        : 0;
  for (const p of input.plotted) {
    const v =
      outsideSide.get(p.index) ??
      trendDirection.get(p.index) ??
      closeSide.get(p.index) ??
      shiftSide.get(p.index) ??
      0;
    if (v === 0) classes.set(p.index, 'common_cause');
    else if (direction === 0) classes.set(p.index, 'special_cause_neutral');
    else
      classes.set(
        p.index,
        v * direction > 0 ? 'special_cause_improvement' : 'special_cause_concern',
      );
  }
  return { occurrences, classes };
}

/** Runs the chosen rule set over one part. */
export function evaluatePart(input: PartRulesInput): PartRulesResult {
  const line = input.chart === 'run' ? 'median' : input.ruleSet === 'mdc' ? 'mean' : 'centre line';
  const notEvaluable: RuleId[] = [];
  const runRules = runRulesOf(input.ruleSet, input.chart);

  if (input.chart === 'mr') {
    // Moving ranges are serially dependent: only the limit rule applies (runsSignal is always
    // false, as in qicharts2), though the runs counts are still reported.
    const occurrences = input.hasLimits
      ? outsideOccurrences(input, OUTSIDE_RULE[input.ruleSet], 'limit of the moving ranges')
      : [];
    // A large moving range is unusual variation, neither better nor worse: classed neutral.
    const mdcClasses =
      input.ruleSet === 'mdc'
        ? mdc({ ...input, seq: [], improvementDirection: 'neutral' }, line, false).classes
        : null;
    return { occurrences, notEvaluable: [], runsSignal: false, mdcClasses };
  }

  const evaluable = input.nUseful >= MIN_USEFUL_FOR_RUN_RULES;
  if (!evaluable) notEvaluable.push(...runRules);
  if (input.chart !== 'run' && !input.hasLimits)
    notEvaluable.push(OUTSIDE_RULE[input.ruleSet], ...ZONE_RULES[input.ruleSet]);

  let occurrences: Occurrence[];
  let mdcClasses: Map<number, MdcClass> | null = null;
  switch (input.ruleSet) {
    case 'anhoej':
      occurrences = anhoej(input, line, evaluable);
      break;
    case 'ihi':
      occurrences = ihi(input, line, evaluable, notEvaluable);
      break;
    case 'weco':
      occurrences = weco(input, line, evaluable);
      break;
    case 'mdc': {
      const result = mdc(input, line, evaluable);
      occurrences = result.occurrences;
      mdcClasses = result.classes;
      break;
    }
  }
  const runsSignal = evaluable && occurrences.some((o) => runRules.includes(o.rule));
  return { occurrences, notEvaluable: [...new Set(notEvaluable)], runsSignal, mdcClasses };
}
