import { Type } from 'typebox';
import { viewerOf } from '../../platform/access.ts';
import { etagFor } from '../../platform/concurrency.ts';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { IdParams, IfMatchHeader, problemResponses } from '../../platform/schemas.ts';
import {
  Charter,
  CharterPage,
  CreateCharterBody,
  ListChartersQuery,
  UpdateCharterBody,
} from './charter.schemas.ts';
import * as charters from './charter.service.ts';

const tags = ['Improvement'];
const READ = problemResponses(400, 404);
const CREATE = problemResponses(400, 401, 403, 404, 409, 413, 415);
const UPDATE = problemResponses(400, 401, 403, 404, 409, 412, 428);
const DELETE = { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 409, 412, 428) };

/** Network charters: the shared problem of practice and aim. */
export const charterRoutes: RoutePlugin = (api, ctx) => {
  api.get(
    '/api/v1/charters',
    {
      schema: {
        operationId: 'listCharters',
        summary: 'List the charters you can see, optionally of one network',
        description: 'Oldest first (created_at, then id). Cursor-paginated.',
        tags,
        querystring: ListChartersQuery,
        response: { 200: CharterPage, ...problemResponses(400) },
      },
    },
    async (request) => charters.listCharters(ctx, await viewerOf(ctx, request), request.query),
  );

  api.post(
    '/api/v1/charters',
    {
      schema: {
        operationId: 'createCharter',
        summary: "Write a network's charter (its facilitators); creates its empty driver diagram",
        tags,
        body: CreateCharterBody,
        response: { 201: Charter, ...CREATE },
      },
    },
    async (request, reply) => {
      const created = await charters.createCharter(ctx, await viewerOf(ctx, request), request.body);
      return reply
        .code(201)
        .header('etag', etagFor(created.version))
        .header('location', `/api/v1/charters/${created.id}`)
        .send(created);
    },
  );

  api.get(
    '/api/v1/charters/:id',
    {
      schema: {
        operationId: 'getCharter',
        summary: 'Read one charter',
        tags,
        params: IdParams,
        response: { 200: Charter, ...READ },
      },
    },
    async (request, reply) => {
      const charter = await charters.getCharter(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
      );
      return reply.header('etag', etagFor(charter.version)).send(charter);
    },
  );

  api.patch(
    '/api/v1/charters/:id',
    {
      schema: {
        operationId: 'updateCharter',
        summary: 'Change a charter (If-Match required); aim parts not sent are kept',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        body: UpdateCharterBody,
        response: { 200: Charter, ...UPDATE },
      },
    },
    async (request, reply) => {
      const updated = await charters.updateCharter(
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
    '/api/v1/charters/:id',
    {
      schema: {
        operationId: 'deleteCharter',
        summary: 'Delete a charter without projects or common measures (If-Match required)',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        response: DELETE,
      },
    },
    async (request, reply) => {
      await charters.deleteCharter(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
        request.headers['if-match'],
      );
      return reply.code(204).send(null);
    },
  );
};
