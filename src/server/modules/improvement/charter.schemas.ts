import { type Static, Type } from 'typebox';
import { PaginationQuery, pageOf, Timestamps, visibilityOf } from '../../platform/schemas.ts';

const uuid = Type.String({ format: 'uuid' });
export const title = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const nullableNumber = Type.Union([Type.Number(), Type.Null()]);
const nullableDate = Type.Union([Type.String({ format: 'date' }), Type.Null()]);

export const CHARTER_VISIBILITIES = ['public', 'coalition', 'network', 'private'] as const;
const CharterVisibility = visibilityOf(CHARTER_VISIBILITIES, 'CharterVisibility');

/** The structured aim: what improves, for whom, from what to what (in which unit), by when. */
export const Aim = Type.Object(
  {
    what: Type.String({ description: 'What improves, e.g. "the share of 9th graders on track"' }),
    for_whom: Type.String({ description: 'e.g. "9th graders in network schools"' }),
    unit: Type.String({ description: 'e.g. "%", "days"' }),
    baseline: nullableNumber,
    target: nullableNumber,
    by: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  },
  { title: 'Aim' },
);

/** An aim as sent: every part optional (a missing part is empty). */
export const AimInput = Type.Object(
  {
    what: Type.Optional(Type.String({ maxLength: 500 })),
    for_whom: Type.Optional(Type.String({ maxLength: 500 })),
    unit: Type.Optional(Type.String({ maxLength: 40 })),
    baseline: Type.Optional(nullableNumber),
    target: Type.Optional(nullableNumber),
    by: Type.Optional(nullableDate),
  },
  { additionalProperties: false, title: 'AimInput' },
);

export const Charter = Type.Object(
  {
    id: uuid,
    network_id: uuid,
    network_name: Type.String(),
    title: Type.String(),
    problem_of_practice: Type.String(),
    aim: Aim,
    aim_statement: Type.String({
      description:
        'The aim as one sentence, e.g. "Increase the share of 9th graders on track from 62% to 80% by 30 June 2028 for 9th graders in network schools"',
    }),
    visibility: CharterVisibility,
    project_count: Type.Integer({
      description: 'Projects linked to this charter that you can see',
    }),
    ...Timestamps,
  },
  { title: 'Charter' },
);

export const CreateCharterBody = Type.Object(
  {
    network_id: uuid,
    title,
    problem_of_practice: Type.Optional(Type.String({ maxLength: 10000 })),
    aim: Type.Optional(AimInput),
    visibility: Type.Optional(CharterVisibility),
  },
  { additionalProperties: false, title: 'CreateCharterBody' },
);

export const UpdateCharterBody = Type.Object(
  {
    title: Type.Optional(title),
    problem_of_practice: Type.Optional(Type.String({ maxLength: 10000 })),
    aim: Type.Optional(AimInput),
    visibility: Type.Optional(CharterVisibility),
  },
  { additionalProperties: false, minProperties: 1, title: 'UpdateCharterBody' },
);

export const ListChartersQuery = Type.Object(
  { ...PaginationQuery, network_id: Type.Optional(uuid) },
  { additionalProperties: false },
);

export const CharterPage = pageOf(Charter, 'CharterPage');

export type AimResponse = Static<typeof Aim>;
export type AimInputBody = Static<typeof AimInput>;
export type CharterResponse = Static<typeof Charter>;
export type CreateCharterInput = Static<typeof CreateCharterBody>;
export type UpdateCharterInput = Static<typeof UpdateCharterBody>;
export type ListChartersInput = Static<typeof ListChartersQuery>;
