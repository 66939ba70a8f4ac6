import type { RoutePlugin } from '../../platform/http-types.ts';
import { viewerOf } from '../../platform/access.ts';
import { IdParams, problemResponses } from '../../platform/schemas.ts';
import { Dashboard, DashboardQuery } from './dashboard.schemas.ts';
import { getCharterDashboard } from './dashboard.service.ts';

const tags = ['Improvement'];

/** The facilitators' view of a charter: every team's common measures as small SPC charts. */
export const dashboardRoutes: RoutePlugin = (api, ctx) => {
  api.get(
    '/api/v1/charters/:id/dashboard',
    {
      schema: {
        operationId: 'getCharterDashboard',
        summary: 'The network dashboard of a charter: each team × common measure as an SPC series',
        description:
          'Teams are paginated by name (limit up to 500); the y scale, signal counts and silent teams cover every team whose data you may see (facilitators: all; team members: their own team).',
        tags,
        params: IdParams,
        querystring: DashboardQuery,
        response: { 200: Dashboard, ...problemResponses(400, 404) },
      },
      // ~90,000 points at limit=500: JSON.stringify is about 4× faster than the schema-compiled
      // serialiser here. The service builds every field explicitly, so nothing extra can leak.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request) =>
      getCharterDashboard(ctx, await viewerOf(ctx, request), request.params.id, request.query),
  );
};
