import { viewerOf } from '../../platform/access.ts';
import { etagFor } from '../../platform/concurrency.ts';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { IfMatchHeader, problemResponses } from '../../platform/schemas.ts';
import { Coalition, UpdateCoalitionBody } from './coalition.schemas.ts';
import * as service from './coalition.service.ts';

const tags = ['Coalition'];

export const coalitionRoutes: RoutePlugin = (api, ctx) => {
  api.get(
    '/api/v1/coalition',
    {
      schema: {
        operationId: 'getCoalition',
        summary: 'The coalition (hub) this instance serves',
        tags,
        response: { 200: Coalition, ...problemResponses(404) },
      },
    },
    async (_request, reply) => {
      const coalition = await service.getCoalition(ctx);
      return reply.header('etag', etagFor(coalition.version)).send(coalition);
    },
  );

  api.patch(
    '/api/v1/coalition',
    {
      schema: {
        operationId: 'updateCoalition',
        summary: "Change the coalition's name or description (If-Match required)",
        tags,
        headers: IfMatchHeader,
        body: UpdateCoalitionBody,
        response: { 200: Coalition, ...problemResponses(400, 401, 403, 404, 412, 428) },
      },
    },
    async (request, reply) => {
      const updated = await service.updateCoalition(
        ctx,
        await viewerOf(ctx, request),
        request.headers['if-match'],
        request.body,
      );
      return reply.header('etag', etagFor(updated.version)).send(updated);
    },
  );
};
