import { type Static, Type } from 'typebox';
import { SpcRequestBody, SpcResponseBody } from '../analysis/spc.schemas.ts';

const uuid = Type.String({ format: 'uuid' });

export const ChartQuery = Type.Object(
  {
    team: Type.String({ format: 'uuid', description: 'The team whose data is charted' }),
    from: Type.Optional(
      Type.String({ format: 'date', description: 'First period start, inclusive' }),
    ),
    to: Type.Optional(Type.String({ format: 'date', description: 'Last period start, inclusive' })),
  },
  { additionalProperties: false },
);
export type ChartInput = Static<typeof ChartQuery>;

export const ChartAnnotation = Type.Object(
  {
    id: uuid,
    occurred_on: Type.String(),
    label: Type.String(),
    kind: Type.String(),
    point_index: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      description:
        '1-based: the point of the period that contains the date; null when the date is off the chart',
    }),
    pdsa_cycle_id: Type.Union([uuid, Type.Null()]),
    change_idea_id: Type.Union([uuid, Type.Null()]),
    phase_break: Type.Boolean(),
  },
  { title: 'ChartAnnotation' },
);

/** The SPC engine's response (as POST /api/v1/analysis/spc) with what the chart is of. */
export const MeasureChart = Type.Object(
  {
    ...SpcResponseBody.properties,
    measure: Type.Object({
      id: uuid,
      name: Type.String(),
      unit: Type.String(),
      chart_type: Type.String(),
      rule_set: Type.String(),
      improvement_direction: Type.String(),
      goal: Type.Union([Type.Number(), Type.Null()]),
      multiply: Type.Number(),
      frequency: Type.String(),
    }),
    team: Type.Object({ id: uuid, name: Type.String() }),
    periods: Type.Array(Type.String(), { description: 'period_start of each point' }),
    annotations: Type.Array(ChartAnnotation),
    request: Type.Union([SpcRequestBody, Type.Null()], {
      description: 'The request the engine analysed (null when there is no data)',
    }),
    message: Type.Union([Type.String(), Type.Null()], {
      description: 'Why the chart is empty, or what was left out; null otherwise',
    }),
  },
  { title: 'MeasureChart' },
);
