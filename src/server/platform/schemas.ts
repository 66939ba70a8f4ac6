import { type TSchema, Type } from 'typebox';
import type { Visibility } from '../db/database.ts';
import { DEFAULT_PAGE_SIZE } from './pagination.ts';

/** RFC 9457 problem details, as every error response carries them. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable snake_case error code to match on' }),
    detail: Type.String(),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          path: Type.String({ description: 'JSON pointer into the request, e.g. /body/name' }),
          message: Type.String(),
        }),
      ),
    ),
    request_id: Type.String(),
  },
  { $id: 'Problem', title: 'Problem' },
);

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: see `errors[]` for each field path',
  401: 'Sign in first, or send a personal API token',
  403: 'Your roles do not allow this, the token is read-only, or a cross-site request',
  404: 'No such record, or not visible to you',
  409: 'Conflicts with existing data',
  410: 'The link expired or was already used',
  429: 'Too many attempts: wait for Retry-After seconds',
  412: 'Stale If-Match: someone else changed the record; reload it',
  413: 'Body too large',
  415: 'Body is not JSON',
  428: 'If-Match header missing',
  503: 'Service unavailable',
};

/** Error responses of a route, documented as application/problem+json. */
export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: PROBLEM_DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/problem+json': { schema: Type.Ref('Problem') } },
      },
    ]),
  );

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const PaginationQuery = {
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 200,
      default: DEFAULT_PAGE_SIZE,
      description: 'Page size (1–200)',
    }),
  ),
  cursor: Type.Optional(
    Type.String({ maxLength: 500, description: 'The next_cursor of the previous page' }),
  ),
};

export const pageOf = <T extends TSchema>(item: T, name: string) =>
  Type.Object(
    {
      items: Type.Array(item),
      next_cursor: Type.Union([Type.String(), Type.Null()], {
        description: 'Pass as `cursor` to get the next page; null on the last page',
      }),
    },
    { title: name },
  );

export const IfMatchHeader = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The ETag from your last read' })),
});

export const Timestamps = {
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  version: Type.Integer({ minimum: 1, description: 'Bumped on every change; the ETag carries it' }),
};

/**
 * A visibility field restricted to the levels a record type supports. Levels, widest first:
 * public (everyone), coalition (signed-in users), network, team, private (the author only).
 */
export const visibilityOf = <const Levels extends readonly Visibility[]>(
  levels: Levels,
  title: string,
) =>
  Type.Enum([...levels] as Levels[number][], {
    title,
    description:
      'Who may see the record: public (everyone) < coalition (signed-in users) < network (its members) < team (its members and network facilitators); private is a draft only its author sees',
  });
