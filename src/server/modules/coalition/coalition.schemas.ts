import { type Static, Type } from 'typebox';
import { Timestamps } from '../../platform/schemas.ts';

export const Coalition = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    slug: Type.String(),
    description: Type.String(),
    ...Timestamps,
  },
  { title: 'Coalition' },
);

export const UpdateCoalitionBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false, minProperties: 1, title: 'UpdateCoalitionBody' },
);

export type CoalitionResponse = Static<typeof Coalition>;
export type UpdateCoalitionInput = Static<typeof UpdateCoalitionBody>;
export interface CreateCoalitionInput {
  name: string;
  slug: string;
  description: string;
}
