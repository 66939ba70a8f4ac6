import { Type } from 'typebox';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { IdParams, problemResponses } from '../../platform/schemas.ts';
import {
  ApiTokenPage,
  CreateApiTokenBody,
  CreatedApiToken,
  ListQuery,
  SessionPage,
} from './credentials.schemas.ts';
import * as service from './credentials.service.ts';

const tags = ['Accounts'];

export const credentialsRoutes: RoutePlugin = (api, ctx) => {
  api.get(
    '/api/v1/me/sessions',
    {
      schema: {
        operationId: 'listMySessions',
        summary: 'Your signed-in sessions, newest first',
        tags,
        querystring: ListQuery,
        response: { 200: SessionPage, ...problemResponses(400, 401) },
      },
    },
    async (request) =>
      service.listSessions(ctx, await service.requireActor(ctx, request), request.query),
  );

  api.delete(
    '/api/v1/me/sessions/:id',
    {
      schema: {
        operationId: 'revokeMySession',
        summary: 'Sign out one of your sessions (e.g. a lost laptop)',
        tags,
        params: IdParams,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await service.revokeSession(ctx, await service.requireActor(ctx, request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/api/v1/me/tokens',
    {
      schema: {
        operationId: 'listMyApiTokens',
        summary: 'Your personal API tokens (never their secrets), newest first',
        tags,
        querystring: ListQuery,
        response: { 200: ApiTokenPage, ...problemResponses(400, 401) },
      },
    },
    async (request) =>
      service.listApiTokens(ctx, await service.requireActor(ctx, request), request.query),
  );

  api.post(
    '/api/v1/me/tokens',
    {
      schema: {
        operationId: 'createMyApiToken',
        summary: 'Create a personal API token; its secret is in this response only',
        tags,
        body: CreateApiTokenBody,
        response: { 201: CreatedApiToken, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const created = await service.createApiToken(
        ctx,
        await service.requireActor(ctx, request),
        request.body,
      );
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  api.delete(
    '/api/v1/me/tokens/:id',
    {
      schema: {
        operationId: 'revokeMyApiToken',
        summary: 'Revoke one of your API tokens',
        tags,
        params: IdParams,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await service.revokeApiToken(
        ctx,
        await service.requireActor(ctx, request),
        request.params.id,
      );
      return reply.code(204).send(null);
    },
  );
};
