import { type Static, Type } from 'typebox';
import { PaginationQuery, pageOf, Timestamps } from '../../platform/schemas.ts';

export const User = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    display_name: Type.String(),
    is_admin: Type.Boolean(),
    ...Timestamps,
  },
  { title: 'User' },
);

export const ListUsersQuery = Type.Object(
  {
    ...PaginationQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Search in name and email' })),
  },
  { additionalProperties: false },
);

const displayName = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });

export const UpdateUserBody = Type.Object(
  { display_name: Type.Optional(displayName), is_admin: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1, title: 'UpdateUserBody' },
);

export const UpdateMeBody = Type.Object(
  { display_name: displayName },
  { additionalProperties: false, title: 'UpdateMeBody' },
);

export const ChangePasswordBody = Type.Object(
  {
    current_password: Type.String({ minLength: 1, maxLength: 256 }),
    new_password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false, title: 'ChangePasswordBody' },
);

export const UserPage = pageOf(User, 'UserPage');

export type UserResponse = Static<typeof User>;
export type ListUsersInput = Static<typeof ListUsersQuery>;
export type UpdateUserInput = Static<typeof UpdateUserBody>;
export type ChangePasswordInput = Static<typeof ChangePasswordBody>;
