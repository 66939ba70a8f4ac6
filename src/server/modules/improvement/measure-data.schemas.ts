import { type Static, Type } from 'typebox';

const uuid = Type.String({ format: 'uuid' });
const nullableNumber = Type.Union([Type.Null(), Type.Number()]);
const isoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const MAX_GRID_ROWS = 5000;

export const MeasureValue = Type.Object(
  {
    id: uuid,
    measure_id: uuid,
    team_id: uuid,
    period_start: isoDate,
    numerator: Type.Number(),
    denominator: Type.Union([Type.Number(), Type.Null()]),
    excluded: Type.Boolean({ description: 'Left out of centre line and limits on charts' }),
    note: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    updated_by: Type.Union([uuid, Type.Null()]),
    version: Type.Integer({ minimum: 1 }),
  },
  { title: 'MeasureValue' },
);
export type MeasureValueResponse = Static<typeof MeasureValue>;

export const TeamValuesParams = Type.Object({ team_id: uuid });

export const ListValuesQuery = Type.Object(
  {
    measure_id: Type.Optional(uuid),
    from: Type.Optional(
      Type.String({ format: 'date', description: 'First period start, inclusive' }),
    ),
    to: Type.Optional(Type.String({ format: 'date', description: 'Last period start, inclusive' })),
  },
  { additionalProperties: false },
);
export type ListValuesInput = Static<typeof ListValuesQuery>;

export const MeasureValueList = Type.Object(
  { team_id: uuid, items: Type.Array(MeasureValue) },
  { title: 'MeasureValueList' },
);

export const GridRow = Type.Object(
  {
    measure_id: uuid,
    period_start: Type.String({
      maxLength: 10,
      description:
        'YYYY-MM-DD (weekly: a Monday; monthly: the first, or YYYY-MM; term: the term’s first day)',
    }),
    numerator: Type.Union([Type.Null(), Type.Number()], {
      description: 'null deletes the value of this cell',
    }),
    denominator: Type.Optional(nullableNumber),
    excluded: Type.Optional(Type.Boolean()),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    version: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'The version you read: a stale one is refused (412)',
      }),
    ),
  },
  { additionalProperties: false, title: 'MeasureValueGridRow' },
);
export type GridRowInput = Static<typeof GridRow>;

export const SaveGridBody = Type.Object(
  { values: Type.Array(GridRow, { minItems: 1, maxItems: MAX_GRID_ROWS }) },
  { additionalProperties: false, title: 'SaveMeasureValuesBody' },
);
export type SaveGridInput = Static<typeof SaveGridBody>;

export const SaveGridResult = Type.Object(
  {
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    deleted: Type.Integer(),
    values: Type.Array(MeasureValue, { description: 'The saved cells as stored now' }),
  },
  { title: 'SaveMeasureValuesResult' },
);

export const MeasureValueRevision = Type.Object(
  {
    id: uuid,
    numerator: Type.Number(),
    denominator: Type.Union([Type.Number(), Type.Null()]),
    excluded: Type.Boolean(),
    note: Type.String(),
    changed_by: Type.Union([uuid, Type.Null()]),
    changed_by_name: Type.Union([Type.String(), Type.Null()]),
    changed_at: Type.String({ format: 'date-time' }),
    source: Type.Enum(['grid', 'import', 'api']),
  },
  { title: 'MeasureValueRevision' },
);

export const MeasureValueHistory = Type.Object(
  {
    value: MeasureValue,
    created_by: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
      description: 'Who first entered the value (null: the server itself, e.g. the demo seed)',
    }),
    created_by_name: Type.Union([Type.String(), Type.Null()]),
    revisions: Type.Array(MeasureValueRevision, {
      description: 'Earlier states, newest first: each is the value as it was before a correction',
    }),
  },
  { title: 'MeasureValueHistory' },
);

export const ImportQuery = Type.Object(
  {
    team_id: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'The team the rows are for (not needed when the file has a team column)',
      }),
    ),
    dry_run: Type.Optional(Type.Boolean({ default: true })),
    mode: Type.Optional(Type.Enum(['all_or_nothing', 'per_row'], { default: 'all_or_nothing' })),
  },
  { additionalProperties: false },
);
export type ImportInput = Static<typeof ImportQuery>;

export const ImportReport = Type.Object(
  {
    dry_run: Type.Boolean(),
    mode: Type.Enum(['all_or_nothing', 'per_row']),
    committed: Type.Boolean({
      description:
        'Whether anything was written: false on a dry run and in all_or_nothing mode when a row has an error',
    }),
    rows: Type.Integer({ description: 'Data rows read (the header excluded)' }),
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    deleted: Type.Integer({ description: 'Always 0: an import never deletes values' }),
    skipped: Type.Integer({ description: 'Rows with an empty numerator (nothing to record)' }),
    ignored_columns: Type.Array(Type.String()),
    errors: Type.Array(
      Type.Object({
        line: Type.Integer({ description: 'Line (CSV) or row (XLSX) number; the header is 1' }),
        column: Type.Union([Type.String(), Type.Null()]),
        message: Type.String(),
      }),
    ),
    preview: Type.Array(
      Type.Object({
        line: Type.Integer(),
        team_id: Type.Union([uuid, Type.Null()]),
        measure_id: Type.Union([uuid, Type.Null()]),
        measure_name: Type.Union([Type.String(), Type.Null()]),
        period_start: Type.Union([Type.String(), Type.Null()]),
        numerator: Type.Union([Type.Number(), Type.Null()]),
        denominator: Type.Union([Type.Number(), Type.Null()]),
        note: Type.Union([Type.String(), Type.Null()]),
        outcome: Type.Enum(['create', 'update', 'unchanged', 'skip', 'error']),
      }),
      { description: 'The first 20 data rows as read' },
    ),
  },
  { title: 'MeasureImportReport' },
);
export type ImportReportResponse = Static<typeof ImportReport>;

export const TemplateQuery = Type.Object(
  { team_id: uuid, measure_id: Type.Optional(uuid) },
  { additionalProperties: false },
);
