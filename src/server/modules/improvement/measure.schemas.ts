import { type Static, Type } from 'typebox';
import { CHART_TYPES, IMPROVEMENT_DIRECTIONS, RULE_SETS } from '../../../core/spc/index.ts';
import { FREQUENCIES } from '../../../core/measures/periods.ts';
import { PaginationQuery, pageOf, Timestamps } from '../../platform/schemas.ts';

const uuid = Type.String({ format: 'uuid' });
const nullableUuid = Type.Union([uuid, Type.Null()]);
const text = (maxLength: number) => Type.String({ maxLength });

export const MEASURE_KINDS = ['outcome', 'process', 'balancing'] as const;
const Kind = Type.Enum([...MEASURE_KINDS], {
  title: 'MeasureKind',
  description: 'outcome (the aim), process (a change is carried out), balancing (side effects)',
});
const Frequency = Type.Enum([...FREQUENCIES], {
  title: 'MeasureFrequency',
  description:
    'weekly (values under the Monday of the week), monthly (the first of the month), term (the term’s first day)',
});
const ChartType = Type.Enum([...CHART_TYPES], { title: 'MeasureChartType' });
const RuleSet = Type.Enum([...RULE_SETS], { title: 'MeasureRuleSet' });
const Direction = Type.Enum([...IMPROVEMENT_DIRECTIONS], { title: 'ImprovementDirection' });

export const OperationalDefinition = Type.Object(
  {
    numerator_definition: text(5000),
    denominator_definition: text(5000),
    inclusion: text(5000),
    exclusion: text(5000),
    data_source: text(1000),
  },
  { title: 'OperationalDefinition' },
);
const OperationalDefinitionInput = Type.Partial(OperationalDefinition, {
  additionalProperties: false,
});

export const Measure = Type.Object(
  {
    id: uuid,
    network_id: uuid,
    scope: Type.Enum(['common', 'local'], {
      description: 'common: a charter’s measure every linked team reports; local: one project’s',
    }),
    charter_id: nullableUuid,
    project_id: nullableUuid,
    team_id: Type.Union([uuid, Type.Null()], { description: 'The project’s team (local only)' }),
    owner_title: Type.String({ description: 'The charter’s or project’s title' }),
    name: Type.String(),
    kind: Kind,
    description: Type.String(),
    operational_definition: OperationalDefinition,
    frequency: Frequency,
    unit: Type.String(),
    improvement_direction: Direction,
    chart_type: ChartType,
    rule_set: RuleSet,
    multiply: Type.Number(),
    goal: Type.Union([Type.Number(), Type.Null()]),
    needs_denominator: Type.Enum(['required', 'optional', 'not_allowed'], {
      description:
        'Whether the chart needs a denominator per value: required for p, u, pp, up, and for run, i, mr, xmr when the operational definition names a denominator (the chart then plots numerator ÷ denominator; a value without one is a missing point); not_allowed for c; otherwise optional (stored, not charted)',
    }),
    ...Timestamps,
  },
  { title: 'Measure' },
);
export type MeasureResponse = Static<typeof Measure>;
export const MeasurePage = pageOf(Measure, 'MeasurePage');

const name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const multiply = Type.Number({
  exclusiveMinimum: 0,
  description: 'Scale of the plotted statistic, e.g. 100 for a percentage',
});
const goal = Type.Union([Type.Null(), Type.Number()]);

const editableFields = {
  name,
  kind: Kind,
  description: Type.Optional(text(5000)),
  operational_definition: Type.Optional(OperationalDefinitionInput),
  frequency: Frequency,
  unit: Type.Optional(text(50)),
  improvement_direction: Type.Optional(Direction),
  chart_type: ChartType,
  rule_set: Type.Optional(RuleSet),
  multiply: Type.Optional(multiply),
  goal: Type.Optional(goal),
};

export const CreateMeasureBody = Type.Object(
  {
    charter_id: Type.Optional(uuid),
    project_id: Type.Optional(uuid),
    ...editableFields,
  },
  {
    additionalProperties: false,
    title: 'CreateMeasureBody',
    description: 'Give charter_id (a common measure) or project_id (a local one), not both.',
  },
);
export type CreateMeasureInput = Static<typeof CreateMeasureBody>;

export const UpdateMeasureBody = Type.Object(
  {
    name: Type.Optional(name),
    kind: Type.Optional(Kind),
    description: Type.Optional(text(5000)),
    operational_definition: Type.Optional(OperationalDefinitionInput),
    frequency: Type.Optional(Frequency),
    unit: Type.Optional(text(50)),
    improvement_direction: Type.Optional(Direction),
    chart_type: Type.Optional(ChartType),
    rule_set: Type.Optional(RuleSet),
    multiply: Type.Optional(multiply),
    goal: Type.Optional(goal),
  },
  { additionalProperties: false, minProperties: 1, title: 'UpdateMeasureBody' },
);
export type UpdateMeasureInput = Static<typeof UpdateMeasureBody>;

export const ListMeasuresQuery = Type.Object(
  {
    ...PaginationQuery,
    charter_id: Type.Optional(uuid),
    project_id: Type.Optional(uuid),
    team_id: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'The measures a team reports: the common measures of the charters its projects link to and its projects’ local measures',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ListMeasuresInput = Static<typeof ListMeasuresQuery>;

export const DeleteMeasureQuery = Type.Object(
  {
    with_data: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'Confirm deleting the measure together with every team’s values (and their history)',
      }),
    ),
  },
  { additionalProperties: false },
);
