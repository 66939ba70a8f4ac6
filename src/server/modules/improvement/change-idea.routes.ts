import { Type } from 'typebox';
import { viewerOf } from '../../platform/access.ts';
import { etagFor } from '../../platform/concurrency.ts';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { IdParams, IfMatchHeader, problemResponses } from '../../platform/schemas.ts';
import {
  ChangeIdea,
  ChangeIdeaPage,
  CreateChangeIdeaBody,
  ListChangeIdeasQuery,
  ListTagsQuery,
  TagPage,
  UpdateChangeIdeaBody,
} from './change-idea.schemas.ts';
import * as ideas from './change-idea.service.ts';

const tags = ['Improvement'];
const READ = problemResponses(400, 404);
const CREATE = problemResponses(400, 401, 403, 404, 409, 413, 415);
const UPDATE = problemResponses(400, 401, 403, 404, 409, 412, 428);
const DELETE = { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 409, 412, 428) };

/** Change ideas and their free tags. */
export const changeIdeaRoutes: RoutePlugin = (api, ctx) => {
  api.get(
    '/api/v1/change-ideas',
    {
      schema: {
        operationId: 'listChangeIdeas',
        summary: 'List the change ideas you can see',
        description:
          'Filter by network, team, tag or a title search. Sorted by title (case-insensitive), then id. Cursor-paginated.',
        tags,
        querystring: ListChangeIdeasQuery,
        response: { 200: ChangeIdeaPage, ...problemResponses(400) },
      },
    },
    async (request) => ideas.listChangeIdeas(ctx, await viewerOf(ctx, request), request.query),
  );

  api.post(
    '/api/v1/change-ideas',
    {
      schema: {
        operationId: 'createChangeIdea',
        summary:
          "Add a change idea: a team's (its members and facilitators) or the network's (any of its members)",
        tags,
        body: CreateChangeIdeaBody,
        response: { 201: ChangeIdea, ...CREATE },
      },
    },
    async (request, reply) => {
      const created = await ideas.createChangeIdea(ctx, await viewerOf(ctx, request), request.body);
      return reply
        .code(201)
        .header('etag', etagFor(created.version))
        .header('location', `/api/v1/change-ideas/${created.id}`)
        .send(created);
    },
  );

  api.get(
    '/api/v1/change-ideas/:id',
    {
      schema: {
        operationId: 'getChangeIdea',
        summary: 'Read one change idea, with its drivers and the teams testing it',
        tags,
        params: IdParams,
        response: { 200: ChangeIdea, ...READ },
      },
    },
    async (request, reply) => {
      const idea = await ideas.getChangeIdea(ctx, await viewerOf(ctx, request), request.params.id);
      return reply.header('etag', etagFor(idea.version)).send(idea);
    },
  );

  api.patch(
    '/api/v1/change-ideas/:id',
    {
      schema: {
        operationId: 'updateChangeIdea',
        summary:
          "Change a change idea (its author or the network's facilitators; If-Match required)",
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        body: UpdateChangeIdeaBody,
        response: { 200: ChangeIdea, ...UPDATE },
      },
    },
    async (request, reply) => {
      const updated = await ideas.updateChangeIdea(
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
    '/api/v1/change-ideas/:id',
    {
      schema: {
        operationId: 'deleteChangeIdea',
        summary: 'Delete a change idea no PDSA cycle tests (If-Match required)',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        response: DELETE,
      },
    },
    async (request, reply) => {
      await ideas.deleteChangeIdea(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
        request.headers['if-match'],
      );
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/api/v1/tags',
    {
      schema: {
        operationId: 'listTags',
        summary: 'The tags of the change ideas you can see, with how often each is used',
        description:
          'For autocomplete. Sorted by label (case-insensitive), then id. Cursor-paginated.',
        tags,
        querystring: ListTagsQuery,
        response: { 200: TagPage, ...problemResponses(400) },
      },
    },
    async (request) => ideas.listTags(ctx, await viewerOf(ctx, request), request.query),
  );
};
