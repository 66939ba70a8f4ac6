import { type Static, Type } from 'typebox';

export const Me = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    display_name: Type.String(),
    is_admin: Type.Boolean(),
  },
  { title: 'Me' },
);

export const SignInBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false, title: 'SignInBody' },
);

export type MeResponse = Static<typeof Me>;
export type SignInInput = Static<typeof SignInBody>;
export interface CreateUserInput {
  email: string;
  display_name: string;
  password: string;
  is_admin?: boolean;
}
