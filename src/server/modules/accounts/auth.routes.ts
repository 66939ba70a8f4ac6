import { Type } from 'typebox';
import { readCookie, SESSION_COOKIE, setSessionCookie } from '../../platform/cookies.ts';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { problemResponses } from '../../platform/schemas.ts';
import { Me, SignInBody } from './auth.schemas.ts';
import * as service from './auth.service.ts';
import { requireActor } from './credentials.service.ts';

const tags = ['Accounts'];

export const authRoutes: RoutePlugin = (api, ctx) => {
  api.post(
    '/api/v1/auth/sign-in',
    {
      schema: {
        operationId: 'signIn',
        summary: 'Sign in with email and password; sets the session cookie',
        tags,
        body: SignInBody,
        response: { 200: Me, ...problemResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const signedIn = await service.signIn(ctx, request.body, {
        address: request.ip,
        userAgent: request.headers['user-agent'],
      });
      setSessionCookie(request, reply, signedIn.token, service.SESSION_DAYS * 86_400);
      return reply.send(signedIn.me);
    },
  );

  api.post(
    '/api/v1/auth/sign-out',
    {
      schema: {
        operationId: 'signOut',
        summary: 'End this session and clear its cookie',
        tags,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await service.signOut(ctx, readCookie(request, SESSION_COOKIE));
      setSessionCookie(request, reply, '', 0);
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/api/v1/me',
    {
      schema: {
        operationId: 'getMe',
        summary: 'The signed-in user',
        tags,
        response: { 200: Me, ...problemResponses(401) },
      },
    },
    async (request) => (await requireActor(ctx, request)).user,
  );
};
