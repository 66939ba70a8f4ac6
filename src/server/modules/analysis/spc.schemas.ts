import { Type } from 'typebox';
import {
  CHART_TYPES,
  IMPROVEMENT_DIRECTIONS,
  LIMIT_CONSTANTS,
  MAX_POINTS,
  MDC_CLASSES,
  RULE_IDS,
  RULE_SETS,
} from '../../../core/spc/index.ts';

const nullableNumber = Type.Union([Type.Number(), Type.Null()]);
// Null first: the server's Ajv coerces types (for query strings), and with Number first a null
// would be coerced to 0, turning a missing value into a real zero.
const missingOrNumber = Type.Union([Type.Null(), Type.Number()]);
const pointIndex = Type.Integer({ minimum: 1, description: '1-based point number' });
const ChartType = Type.Enum([...CHART_TYPES], {
  title: 'SpcChartType',
  description:
    'run (median), i (individuals), mr (moving range), xmr (i and mr), p (proportion), u (rate), c (count), pp (Laney p′), up (Laney u′)',
});
const RuleId = Type.Enum([...RULE_IDS], { title: 'SpcRuleId' });

export const SpcRequestBody = Type.Object(
  {
    chart: ChartType,
    values: Type.Array(missingOrNumber, {
      minItems: 1,
      maxItems: MAX_POINTS,
      description: 'The statistic, or the numerators when denominators are given; null = missing',
    }),
    denominators: Type.Optional(
      Type.Array(missingOrNumber, {
        maxItems: MAX_POINTS,
        description: 'Subgroup sizes (p, pp) or exposures (u, up); one per value',
      }),
    ),
    baselineLastPoint: Type.Optional(pointIndex),
    partEnds: Type.Optional(Type.Array(pointIndex, { maxItems: MAX_POINTS })),
    excludePoints: Type.Optional(Type.Array(pointIndex, { maxItems: MAX_POINTS })),
    multiply: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    mrScreening: Type.Optional(Type.Boolean({ default: true })),
    limitConstant: Type.Optional(Type.Enum([...LIMIT_CONSTANTS])),
    ruleSet: Type.Optional(Type.Enum([...RULE_SETS])),
    improvementDirection: Type.Optional(Type.Enum([...IMPROVEMENT_DIRECTIONS])),
    labels: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: MAX_POINTS })),
  },
  { additionalProperties: false, title: 'SpcRequest' },
);

const Signal = Type.Object({ rule: RuleId, description: Type.String() }, { title: 'SpcSignal' });

const Point = Type.Object(
  {
    index: Type.Integer(),
    label: Type.Union([Type.String(), Type.Null()]),
    y: nullableNumber,
    cl: nullableNumber,
    lcl: nullableNumber,
    ucl: nullableNumber,
    sigma: nullableNumber,
    excluded: Type.Boolean(),
    part: Type.Integer(),
    signals: Type.Array(Signal),
    mdcClass: Type.Optional(Type.Union([Type.Enum([...MDC_CLASSES]), Type.Null()])),
  },
  { title: 'SpcPoint' },
);

const Pattern = Type.Object(
  {
    rule: RuleId,
    part: Type.Integer(),
    points: Type.Array(Type.Integer()),
    description: Type.String(),
  },
  { title: 'SpcPattern' },
);

const nullableInteger = Type.Union([Type.Integer(), Type.Null()]);

const Part = Type.Object(
  {
    part: Type.Integer(),
    first: Type.Integer(),
    last: Type.Integer(),
    cl: nullableNumber,
    lcl: nullableNumber,
    ucl: nullableNumber,
    nBaseline: Type.Integer(),
    nUseful: Type.Integer(),
    longestRun: nullableInteger,
    longestRunMax: nullableInteger,
    crossings: nullableInteger,
    crossingsMin: nullableInteger,
    runsSignal: Type.Boolean(),
    trialLimits: Type.Boolean(),
    notEvaluable: Type.Array(RuleId),
  },
  { title: 'SpcPart' },
);

const PhaseSuggestion = Type.Object(
  { after: Type.Integer(), rule: RuleId, reason: Type.String() },
  { title: 'SpcPhaseSuggestion' },
);

const chartResultFields = {
  chart: ChartType,
  points: Type.Array(Point),
  parts: Type.Array(Part),
  patterns: Type.Array(Pattern),
  sigmaSignalPoints: Type.Array(Type.Integer()),
  suggestedPhases: Type.Array(PhaseSuggestion),
};

const ChartResult = Type.Object(chartResultFields, { title: 'SpcChartResult' });

export const SpcResponseBody = Type.Object(
  {
    ...chartResultFields,
    engine: Type.Object({
      version: Type.String(),
      ruleSet: Type.Enum([...RULE_SETS]),
      limitConstant: Type.Enum([...LIMIT_CONSTANTS]),
      mrScreening: Type.Boolean(),
      multiply: Type.Number(),
      improvementDirection: Type.Enum([...IMPROVEMENT_DIRECTIONS]),
      conventions: Type.Array(
        Type.Object({ id: Type.String(), statement: Type.String(), source: Type.String() }),
      ),
    }),
    mr: Type.Optional(ChartResult),
  },
  { title: 'SpcResponse' },
);
