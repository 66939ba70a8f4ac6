import { Type } from 'typebox';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { problemResponses } from '../../platform/schemas.ts';
import { getHealth } from './health.service.ts';

const Health = Type.Object(
  {
    status: Type.Literal('ok'),
    version: Type.String(),
    database: Type.Object({
      mode: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
      migration: Type.Union([Type.String(), Type.Null()], {
        description: 'Name of the last applied migration',
      }),
      pending_migrations: Type.Integer(),
    }),
  },
  { title: 'Health' },
);

export const healthRoutes: RoutePlugin = (api, ctx) => {
  api.get(
    '/api/v1/health',
    {
      schema: {
        operationId: 'getHealth',
        summary: 'Liveness, database mode, migration level and version',
        tags: ['System'],
        response: { 200: Health, ...problemResponses(503) },
      },
    },
    () => getHealth(ctx),
  );
};
