import { type Static, Type } from 'typebox';
import { PaginationQuery, pageOf, Timestamps, visibilityOf } from '../../platform/schemas.ts';

const uuid = Type.String({ format: 'uuid' });
const nullableUuid = Type.Union([uuid, Type.Null()]);
const date = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

export const ANNOTATION_KINDS = [
  'change_idea',
  'pdsa',
  'phase_change',
  'external',
  'note',
] as const;
export const ANNOTATION_VISIBILITIES = [
  'public',
  'coalition',
  'network',
  'team',
  'private',
] as const;

const Kind = Type.Enum([...ANNOTATION_KINDS], {
  title: 'AnnotationKind',
  description:
    'change_idea (a change was introduced), pdsa (a test), phase_change (the process changed: with phase_break true a chart starts a new phase here), external (a strike, a snow week), note',
});
const AnnotationVisibility = visibilityOf(ANNOTATION_VISIBILITIES, 'AnnotationVisibility');
const label = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });

export const Annotation = Type.Object(
  {
    id: uuid,
    network_id: uuid,
    team_id: Type.Union([uuid, Type.Null()], {
      description: 'null: a network-wide event, shown on every team’s charts',
    }),
    measure_id: Type.Union([uuid, Type.Null()], { description: 'null: shown on every chart' }),
    occurred_on: date,
    label: Type.String(),
    kind: Kind,
    phase_break: Type.Boolean({
      description: 'The chart starts a new phase with the period that contains occurred_on',
    }),
    pdsa_cycle_id: nullableUuid,
    change_idea_id: nullableUuid,
    visibility: AnnotationVisibility,
    created_by: nullableUuid,
    ...Timestamps,
  },
  { title: 'Annotation' },
);

export const CreateAnnotationBody = Type.Object(
  {
    network_id: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'Required for a network-wide event; taken from the team when team_id is given',
      }),
    ),
    team_id: Type.Optional(nullableUuid),
    measure_id: Type.Optional(nullableUuid),
    occurred_on: date,
    label,
    kind: Kind,
    phase_break: Type.Optional(Type.Boolean({ description: 'true requires kind phase_change' })),
    pdsa_cycle_id: Type.Optional(nullableUuid),
    change_idea_id: Type.Optional(nullableUuid),
    visibility: Type.Optional(AnnotationVisibility),
  },
  { additionalProperties: false, title: 'CreateAnnotationBody' },
);

/** The team and network are fixed at creation (moving an event changes who may edit it). */
export const UpdateAnnotationBody = Type.Object(
  {
    measure_id: Type.Optional(nullableUuid),
    occurred_on: Type.Optional(date),
    label: Type.Optional(label),
    kind: Type.Optional(Kind),
    phase_break: Type.Optional(Type.Boolean()),
    pdsa_cycle_id: Type.Optional(nullableUuid),
    change_idea_id: Type.Optional(nullableUuid),
    visibility: Type.Optional(AnnotationVisibility),
  },
  { additionalProperties: false, minProperties: 1, title: 'UpdateAnnotationBody' },
);

export const ListAnnotationsQuery = Type.Object(
  {
    ...PaginationQuery,
    network_id: Type.Optional(uuid),
    team_id: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'The annotations shown on this team’s charts: its own and its network’s network-wide ones',
      }),
    ),
    measure_id: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'The annotations shown on this measure’s charts: its own and those on every chart',
      }),
    ),
    from: Type.Optional(Type.String({ format: 'date', description: 'occurred_on ≥ from' })),
    to: Type.Optional(Type.String({ format: 'date', description: 'occurred_on ≤ to' })),
  },
  { additionalProperties: false },
);

export const AnnotationPage = pageOf(Annotation, 'AnnotationPage');

export type AnnotationResponse = Static<typeof Annotation>;
export type CreateAnnotationInput = Static<typeof CreateAnnotationBody>;
export type UpdateAnnotationInput = Static<typeof UpdateAnnotationBody>;
export type ListAnnotationsInput = Static<typeof ListAnnotationsQuery>;
