import { viewerOf } from '../../platform/access.ts';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { problemResponses } from '../../platform/schemas.ts';
import { SpcRequestBody, SpcResponseBody } from './spc.schemas.ts';
import { analyseSeries } from './spc.service.ts';

export const spcRoutes: RoutePlugin = (api, ctx) => {
  api.post(
    '/api/v1/analysis/spc',
    {
      schema: {
        operationId: 'analyseSpc',
        summary: 'Run and control chart analysis of a posted series (stateless; signed-in users)',
        description:
          'Computes centre line, limits, runs analysis and the chosen rule set for the posted values and returns every point with its signals. Nothing is stored. Point numbers are 1-based. The conventions followed are listed in the response (engine.conventions) and in docs/statistics/spc.md.',
        tags: ['Analysis'],
        body: SpcRequestBody,
        response: { 200: SpcResponseBody, ...problemResponses(400, 401) },
      },
    },
    async (request) => analyseSeries(await viewerOf(ctx, request), request.body),
  );
};
