import { type Static, Type } from 'typebox';

const uuid = Type.String({ format: 'uuid' });
const date = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const num = Type.Union([Type.Number(), Type.Null()]);
/**
 * A number or null as one JSON Schema type list rather than anyOf: fast-json-stringify picks an
 * anyOf branch by validating each value, which made serialising 90,000 points take seconds.
 */
const pointNumber = Type.Unsafe<number | null>({ type: ['number', 'null'] });
const timestamp = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

export const DASHBOARD_MAX_TEAMS = 500;

export const DashboardQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: DASHBOARD_MAX_TEAMS,
        default: 50,
        description: `Teams per page (1–${DASHBOARD_MAX_TEAMS})`,
      }),
    ),
    cursor: Type.Optional(
      Type.String({ maxLength: 500, description: 'The next_cursor of the previous page' }),
    ),
    from: Type.Optional(
      Type.String({ format: 'date', description: 'Periods starting on or after' }),
    ),
    to: Type.Optional(
      Type.String({ format: 'date', description: 'Periods starting on or before' }),
    ),
  },
  { additionalProperties: false },
);

export const DashboardMeasure = Type.Object(
  {
    id: uuid,
    name: Type.String(),
    unit: Type.String(),
    frequency: Type.Enum(['weekly', 'monthly', 'term']),
    chart_type: Type.String(),
    rule_set: Type.String(),
    improvement_direction: Type.Enum(['increase', 'decrease', 'neutral']),
    goal: num,
    y_min: Type.Union([Type.Number(), Type.Null()], {
      description:
        'Common scale: the smallest value, limit or goal over every series you can see (all pages); null without data',
    }),
    y_max: num,
  },
  { title: 'DashboardMeasure' },
);

export const DashboardPoint = Type.Object(
  {
    period: Type.String({ description: 'YYYY-MM-DD' }),
    y: pointNumber,
    cl: pointNumber,
    lcl: pointNumber,
    ucl: pointNumber,
    signal: Type.Boolean({
      description: 'A rule fired at this point (or it is outside the limits)',
    }),
  },
  { title: 'DashboardPoint' },
);

export const DashboardSeries = Type.Object(
  {
    team_id: uuid,
    team_name: Type.String(),
    measure_id: uuid,
    last_period: Type.Union([date, Type.Null()], {
      description: 'The latest period with a value (whatever from–to says)',
    }),
    last_reported_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When a value of this series was last entered or corrected',
    }),
    points: Type.Array(DashboardPoint, {
      description:
        'One per period of the measure’s common axis (gaps are null); empty when the team has no value in from–to',
    }),
    signals: Type.Array(Type.String(), {
      description: 'Rule ids that fired (docs/statistics/spc.md)',
    }),
    trial_limits: Type.Boolean(),
    runs_signal: Type.Boolean(),
    phase_breaks: Type.Array(date, {
      description: 'Periods that start a new phase (from phase_break annotations)',
    }),
    error: Type.Union([Type.String(), Type.Null()], {
      description: 'Why the engine could not chart this series (invalid data), else null',
    }),
  },
  { title: 'DashboardSeries' },
);

export const Dashboard = Type.Object(
  {
    charter_id: uuid,
    network_id: uuid,
    generated_at: Type.String({ format: 'date-time' }),
    engine_version: Type.String({
      description:
        'The SPC engine version that computed every series (its conventions: POST /api/v1/analysis/spc `engine.conventions`); each measure names its rule set, each signal its rule id',
    }),
    from: Type.Union([date, Type.Null()]),
    to: Type.Union([date, Type.Null()]),
    measures: Type.Array(DashboardMeasure),
    series: Type.Array(DashboardSeries, {
      description: 'The teams of this page (by name) × the charter’s common measures (by name)',
    }),
    next_cursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as `cursor` to get the next page of teams; null on the last page',
    }),
    summary: Type.Object({
      team_count: Type.Integer({ description: 'Teams whose data you can see (all pages)' }),
      teams_without_recent_data: Type.Array(
        Type.Object({ team_id: uuid, team_name: Type.String(), last_reported_at: timestamp }),
        { description: 'No value updated and no period starting in the last 60 days' },
      ),
      cycles_per_month: Type.Array(
        Type.Object({
          month: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$' }),
          started: Type.Integer(),
          completed: Type.Integer(),
        }),
        { description: 'The network’s PDSA cycles you can see, the last 12 months' },
      ),
      signal_counts: Type.Array(
        Type.Object({
          measure_id: uuid,
          series: Type.Integer({ description: 'Series charted (teams with data)' }),
          series_with_signal: Type.Integer(),
          rules: Type.Array(Type.Object({ rule: Type.String(), series: Type.Integer() })),
        }),
      ),
    }),
  },
  { title: 'Dashboard' },
);

export type DashboardInput = Static<typeof DashboardQuery>;
export type DashboardResponse = Static<typeof Dashboard>;
export type DashboardSeriesResponse = Static<typeof DashboardSeries>;
export type DashboardMeasureResponse = Static<typeof DashboardMeasure>;
