/**
 * Request and response shapes of the SPC engine. The HTTP API, the CLI and the chart component
 * all use exactly these shapes; point indices are 1-based everywhere.
 */

export const CHART_TYPES = ['run', 'i', 'mr', 'xmr', 'p', 'u', 'c', 'pp', 'up'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

export const RULE_SETS = ['anhoej', 'ihi', 'weco', 'mdc'] as const;
export type RuleSet = (typeof RULE_SETS)[number];

export const LIMIT_CONSTANTS = ['d2', '2.66'] as const;
export type LimitConstant = (typeof LIMIT_CONSTANTS)[number];

export const IMPROVEMENT_DIRECTIONS = ['increase', 'decrease', 'neutral'] as const;
export type ImprovementDirection = (typeof IMPROVEMENT_DIRECTIONS)[number];

export const RULE_IDS = [
  'sigma.outside_limits',
  'anhoej.longest_run',
  'anhoej.crossings',
  'ihi.shift',
  'ihi.trend',
  'ihi.runs',
  'ihi.astronomical',
  'ihi.eight_one_side',
  'ihi.six_trend',
  'ihi.two_of_three_2sigma',
  'ihi.fifteen_within_1sigma',
  'weco.1',
  'weco.2',
  'weco.3',
  'weco.4',
  'mdc.outside_limits',
  'mdc.trend',
  'mdc.two_of_three',
  'mdc.shift',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export const MDC_CLASSES = [
  'common_cause',
  'special_cause_improvement',
  'special_cause_concern',
  'special_cause_neutral',
] as const;
export type MdcClass = (typeof MDC_CLASSES)[number];

export interface SpcRequest {
  chart: ChartType;
  /** The plotted statistic, or the numerators when denominators are given; null = missing. */
  values: (number | null)[];
  denominators?: (number | null)[];
  /** Freeze: centre line and limits come from points 1..k of the part containing k. */
  baselineLastPoint?: number;
  /** Split the series after each of these points (a new phase starts at the next point). */
  partEnds?: number[];
  excludePoints?: number[];
  multiply?: number;
  mrScreening?: boolean;
  limitConstant?: LimitConstant;
  ruleSet?: RuleSet;
  improvementDirection?: ImprovementDirection;
  labels?: string[];
}

export interface SpcSignal {
  rule: RuleId;
  description: string;
}

export interface SpcPoint {
  index: number;
  label: string | null;
  y: number | null;
  cl: number | null;
  lcl: number | null;
  ucl: number | null;
  sigma: number | null;
  excluded: boolean;
  part: number;
  /** Rules for which this point completes a qualifying pattern. */
  signals: SpcSignal[];
  /** Only when the rule set is `mdc`. */
  mdcClass?: MdcClass | null;
}

export interface SpcPattern {
  rule: RuleId;
  part: number;
  /** Every point of one maximal occurrence, 1-based. */
  points: number[];
  description: string;
}

export interface SpcPart {
  part: number;
  first: number;
  last: number;
  cl: number | null;
  /** Limits summary: min of the LCLs and max of the UCLs over the part (they vary with n on p/u charts). */
  lcl: number | null;
  ucl: number | null;
  /** Points the centre line and limits were computed from (baseline, not excluded, not missing). */
  nBaseline: number;
  nUseful: number;
  longestRun: number | null;
  longestRunMax: number | null;
  crossings: number | null;
  crossingsMin: number | null;
  runsSignal: boolean;
  trialLimits: boolean;
  notEvaluable: RuleId[];
}

export interface SpcConvention {
  id: string;
  statement: string;
  source: string;
}

export interface SpcPhaseSuggestion {
  /** Proposed part end: a new phase would start at `after + 1`. */
  after: number;
  rule: RuleId;
  reason: string;
}

export interface SpcChartResult {
  chart: ChartType;
  points: SpcPoint[];
  parts: SpcPart[];
  patterns: SpcPattern[];
  sigmaSignalPoints: number[];
  suggestedPhases: SpcPhaseSuggestion[];
}

export interface SpcResponse extends SpcChartResult {
  engine: {
    version: string;
    ruleSet: RuleSet;
    limitConstant: LimitConstant;
    mrScreening: boolean;
    multiply: number;
    improvementDirection: ImprovementDirection;
    conventions: SpcConvention[];
  };
  /** The moving-range chart of an `xmr` request (the top level is then the I chart). */
  mr?: SpcChartResult;
}

/** One problem with a request: `path` is a JSON pointer-like field path, e.g. `/values/3`. */
export interface SpcInputError {
  path: string;
  message: string;
}
