import { Type } from 'typebox';
import { viewerOf } from '../../platform/access.ts';
import { etagFor } from '../../platform/concurrency.ts';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { IdParams, IfMatchHeader, problemResponses } from '../../platform/schemas.ts';
import {
  ChangePasswordBody,
  ListUsersQuery,
  UpdateUserBody,
  User,
  UserPage,
} from './user.schemas.ts';
import * as service from './user.service.ts';

const tags = ['Accounts'];

/** Account administration (admins) and a person's own account. */
export const userRoutes: RoutePlugin = (api, ctx) => {
  api.get(
    '/api/v1/users',
    {
      schema: {
        operationId: 'listUsers',
        summary: 'List accounts (instance admins)',
        tags,
        querystring: ListUsersQuery,
        response: { 200: UserPage, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => service.listUsers(ctx, await viewerOf(ctx, request), request.query),
  );

  api.get(
    '/api/v1/users/:id',
    {
      schema: {
        operationId: 'getUser',
        summary: 'Read an account (admins, or your own)',
        tags,
        params: IdParams,
        response: { 200: User, ...problemResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const user = await service.getUser(ctx, await viewerOf(ctx, request), request.params.id);
      return reply.header('etag', etagFor(user.version)).send(user);
    },
  );

  api.patch(
    '/api/v1/users/:id',
    {
      schema: {
        operationId: 'updateUser',
        summary: 'Rename an account or change its admin rights (If-Match required)',
        description:
          'Anyone may rename their own account; only admins grant or remove admin rights.',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        body: UpdateUserBody,
        response: { 200: User, ...problemResponses(400, 401, 403, 404, 409, 412, 428) },
      },
    },
    async (request, reply) => {
      const updated = await service.updateUser(
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
    '/api/v1/users/:id',
    {
      schema: {
        operationId: 'deleteUser',
        summary: 'Delete an account (admins; If-Match required)',
        description:
          'The account becomes a "Deleted user" placeholder: its content and audit events stay attributed to it; email, name, password, sessions, tokens and roles are removed.',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 409, 412, 428) },
      },
    },
    async (request, reply) => {
      await service.deleteUser(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
        request.headers['if-match'],
      );
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/api/v1/me/password',
    {
      schema: {
        operationId: 'changePassword',
        summary: 'Change your password (signs out your other sessions)',
        tags,
        body: ChangePasswordBody,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await service.changePassword(ctx, await viewerOf(ctx, request), request.body);
      return reply.code(204).send(null);
    },
  );
};
