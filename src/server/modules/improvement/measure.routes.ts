import { Type } from 'typebox';
import { viewerOf } from '../../platform/access.ts';
import { etagFor } from '../../platform/concurrency.ts';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { IdParams, IfMatchHeader, problemResponses } from '../../platform/schemas.ts';
import { ChartQuery, MeasureChart } from './measure-chart.schemas.ts';
import { measureChart } from './measure-chart.service.ts';
import {
  CreateMeasureBody,
  DeleteMeasureQuery,
  ListMeasuresQuery,
  Measure,
  MeasurePage,
  UpdateMeasureBody,
} from './measure.schemas.ts';
import * as measures from './measure.service.ts';

const tags = ['Improvement'];

/** Measures (common to a charter, or local to a project) and their charts. */
export const measureRoutes: RoutePlugin = (api, ctx) => {
  api.get(
    '/api/v1/measures',
    {
      schema: {
        operationId: 'listMeasures',
        summary: 'List the measures you can see, of a charter, a project or a team',
        description: 'Sorted by name (case-insensitive), then id. Cursor-paginated.',
        tags,
        querystring: ListMeasuresQuery,
        response: { 200: MeasurePage, ...problemResponses(400, 404) },
      },
    },
    async (request) => measures.listMeasures(ctx, await viewerOf(ctx, request), request.query),
  );

  api.post(
    '/api/v1/measures',
    {
      schema: {
        operationId: 'createMeasure',
        summary:
          "Create a measure: common (charter_id; the network's facilitators) or local (project_id; the team)",
        tags,
        body: CreateMeasureBody,
        response: { 201: Measure, ...problemResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const created = await measures.createMeasure(ctx, await viewerOf(ctx, request), request.body);
      return reply
        .code(201)
        .header('etag', etagFor(created.version))
        .header('location', `/api/v1/measures/${created.id}`)
        .send(created);
    },
  );

  api.get(
    '/api/v1/measures/:id',
    {
      schema: {
        operationId: 'getMeasure',
        summary: 'Read one measure with its operational definition',
        tags,
        params: IdParams,
        response: { 200: Measure, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const measure = await measures.getMeasure(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
      );
      return reply.header('etag', etagFor(measure.version)).send(measure);
    },
  );

  api.patch(
    '/api/v1/measures/:id',
    {
      schema: {
        operationId: 'updateMeasure',
        summary: 'Change a measure (If-Match required)',
        description:
          'The frequency cannot change while values exist; a chart type change is refused (409) when stored values would not fit it.',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        body: UpdateMeasureBody,
        response: { 200: Measure, ...problemResponses(400, 401, 403, 404, 409, 412, 428) },
      },
    },
    async (request, reply) => {
      const updated = await measures.updateMeasure(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
        request.headers['if-match'],
        request.body,
      );
      return reply.header('etag', etagFor(updated.version)).send(updated);
    },
  );

  api.delete(
    '/api/v1/measures/:id',
    {
      schema: {
        operationId: 'deleteMeasure',
        summary: 'Delete a measure (If-Match required; with_data=true when it has values)',
        description:
          'A measure with recorded values is refused (409) unless with_data=true confirms deleting its values and their history too.',
        tags,
        params: IdParams,
        querystring: DeleteMeasureQuery,
        headers: IfMatchHeader,
        response: {
          204: Type.Null(),
          ...problemResponses(400, 401, 403, 404, 409, 412, 428),
        },
      },
    },
    async (request, reply) => {
      await measures.deleteMeasure(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
        request.headers['if-match'],
        request.query.with_data ?? false,
      );
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/api/v1/measures/:id/chart',
    {
      schema: {
        operationId: 'getMeasureChart',
        summary: "A measure's run or control chart for one team's stored data",
        description:
          'The SPC engine response (as POST /api/v1/analysis/spc) plus measure, team, periods, annotations and the analysed request. Missing weekly/monthly periods between the first and last value are null points. An annotation sits on the point of the period that contains its date; a phase-break annotation starts a new part with that period. Run, I, MR and XmR charts plot numerator ÷ denominator when the measure defines a denominator. No data: 200 with empty points and a message.',
        tags,
        params: IdParams,
        querystring: ChartQuery,
        response: { 200: MeasureChart, ...problemResponses(400, 404, 409) },
      },
    },
    async (request) =>
      measureChart(ctx, await viewerOf(ctx, request), request.params.id, request.query.team, {
        from: request.query.from,
        to: request.query.to,
      }),
  );
};
