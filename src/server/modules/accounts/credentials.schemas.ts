import { type Static, Type } from 'typebox';
import { PaginationQuery, pageOf } from '../../platform/schemas.ts';

export const TokenScope = Type.Enum(['read', 'read_write'], {
  title: 'TokenScope',
  description: 'read: GET only; read_write: everything the user may do',
});

export const Session = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    created_at: Type.String({ format: 'date-time' }),
    last_seen_at: Type.String({ format: 'date-time' }),
    expires_at: Type.String({ format: 'date-time' }),
    user_agent: Type.Union([Type.String(), Type.Null()]),
    current: Type.Boolean({ description: 'true for the session making this request' }),
  },
  { title: 'Session' },
);

export const ApiToken = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    scope: TokenScope,
    created_at: Type.String({ format: 'date-time' }),
    expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { title: 'ApiToken' },
);

export const CreatedApiToken = Type.Object(
  {
    ...ApiToken.properties,
    token: Type.String({ description: 'The secret. Shown only in this response: store it now.' }),
  },
  { title: 'CreatedApiToken' },
);

export const CreateApiTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'What the token is for' }),
    scope: TokenScope,
    expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  },
  { additionalProperties: false, title: 'CreateApiTokenBody' },
);

export const ListQuery = Type.Object({ ...PaginationQuery }, { additionalProperties: false });
export const SessionPage = pageOf(Session, 'SessionPage');
export const ApiTokenPage = pageOf(ApiToken, 'ApiTokenPage');

export type SessionResponse = Static<typeof Session>;
export type ApiTokenResponse = Static<typeof ApiToken>;
export type CreateApiTokenInput = Static<typeof CreateApiTokenBody>;
