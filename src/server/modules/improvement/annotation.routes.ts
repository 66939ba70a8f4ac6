import { Type } from 'typebox';
import { viewerOf } from '../../platform/access.ts';
import { etagFor } from '../../platform/concurrency.ts';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { IdParams, IfMatchHeader, problemResponses } from '../../platform/schemas.ts';
import {
  Annotation,
  AnnotationPage,
  CreateAnnotationBody,
  ListAnnotationsQuery,
  UpdateAnnotationBody,
} from './annotation.schemas.ts';
import * as annotations from './annotation.service.ts';

const tags = ['Improvement'];
const READ = problemResponses(400, 404);
const CREATE = problemResponses(400, 401, 403, 404, 413, 415);
const UPDATE = problemResponses(400, 401, 403, 404, 412, 428);
const DELETE = { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 412, 428) };

/** Dated events drawn on charts; a phase-change annotation can start a new chart phase. */
export const annotationRoutes: RoutePlugin = (api, ctx) => {
  api.get(
    '/api/v1/annotations',
    {
      schema: {
        operationId: 'listAnnotations',
        summary: 'List the chart annotations you can see',
        description:
          'Sorted by occurred_on, then id. Cursor-paginated. With team_id: the team’s own and its network’s network-wide ones; with measure_id: the measure’s own and those on every chart.',
        tags,
        querystring: ListAnnotationsQuery,
        response: { 200: AnnotationPage, ...problemResponses(400) },
      },
    },
    async (request) =>
      annotations.listAnnotations(ctx, await viewerOf(ctx, request), request.query),
  );

  api.post(
    '/api/v1/annotations',
    {
      schema: {
        operationId: 'createAnnotation',
        summary: 'Add an annotation (team work, or a network-wide event by its facilitators)',
        tags,
        body: CreateAnnotationBody,
        response: { 201: Annotation, ...CREATE },
      },
    },
    async (request, reply) => {
      const created = await annotations.createAnnotation(
        ctx,
        await viewerOf(ctx, request),
        request.body,
      );
      return reply
        .code(201)
        .header('etag', etagFor(created.version))
        .header('location', `/api/v1/annotations/${created.id}`)
        .send(created);
    },
  );

  api.get(
    '/api/v1/annotations/:id',
    {
      schema: {
        operationId: 'getAnnotation',
        summary: 'Read one annotation',
        tags,
        params: IdParams,
        response: { 200: Annotation, ...READ },
      },
    },
    async (request, reply) => {
      const annotation = await annotations.getAnnotation(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
      );
      return reply.header('etag', etagFor(annotation.version)).send(annotation);
    },
  );

  api.patch(
    '/api/v1/annotations/:id',
    {
      schema: {
        operationId: 'updateAnnotation',
        summary: 'Change an annotation (If-Match required)',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        body: UpdateAnnotationBody,
        response: { 200: Annotation, ...UPDATE },
      },
    },
    async (request, reply) => {
      const updated = await annotations.updateAnnotation(
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
    '/api/v1/annotations/:id',
    {
      schema: {
        operationId: 'deleteAnnotation',
        summary: 'Delete an annotation (If-Match required)',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        response: DELETE,
      },
    },
    async (request, reply) => {
      await annotations.deleteAnnotation(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
        request.headers['if-match'],
      );
      return reply.code(204).send(null);
    },
  );
};
