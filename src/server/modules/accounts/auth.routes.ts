import { Type } from 'typebox';
import { readCookie, SESSION_COOKIE, setSessionCookie } from '../../platform/cookies.ts';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { problemResponses } from '../../platform/schemas.ts';
import { Me, SignInBody } from './auth.schemas.ts';
import * as service from './auth.service.ts';
import { requireActor } from './credentials.service.ts';
import { PasswordResetConfirmBody, PasswordResetRequestBody } from './invitation.schemas.ts';
import * as recovery from './recovery.service.ts';
import * as demo from './demo.service.ts';

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

  api.get(
    '/api/v1/auth/options',
    {
      schema: {
        operationId: 'getSignInOptions',
        summary: 'How one can sign in here: in demo mode, the demo roles on offer',
        tags,
        response: {
          200: Type.Object(
            {
              demo_roles: Type.Array(
                Type.Object({ key: Type.String(), label: Type.String(), email: Type.String() }),
                { description: 'Empty unless this is a demo instance' },
              ),
              demo_password: Type.Union([Type.String(), Type.Null()]),
            },
            { title: 'SignInOptions' },
          ),
        },
      },
    },
    () => demo.signInOptions(ctx),
  );

  api.post(
    '/api/v1/auth/demo-sign-in',
    {
      schema: {
        operationId: 'signInAsDemoRole',
        summary: 'Sign in as one of the demo accounts (demo instances only)',
        tags,
        body: Type.Object({ key: Type.String({ maxLength: 50 }) }, { additionalProperties: false }),
        response: { 200: Me, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const signedIn = await demo.signInAsDemo(ctx, request.body.key, {
        userAgent: request.headers['user-agent'],
      });
      setSessionCookie(request, reply, signedIn.token, service.SESSION_DAYS * 86_400);
      return reply.send(signedIn.me);
    },
  );

  api.post(
    '/api/v1/auth/password-reset',
    {
      schema: {
        operationId: 'requestPasswordReset',
        summary: 'Email a password-reset link (the answer is the same whether the email is known)',
        tags,
        body: PasswordResetRequestBody,
        response: { 202: Type.Null(), ...problemResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await recovery.requestPasswordReset(ctx, request.body.email, {
        address: request.ip,
        log: (error) => request.log.error({ err: error }, 'password reset email failed'),
      });
      return reply.code(202).send(null);
    },
  );

  api.post(
    '/api/v1/auth/password-reset/confirm',
    {
      schema: {
        operationId: 'confirmPasswordReset',
        summary: 'Set a new password with the emailed link (signs out everywhere)',
        tags,
        body: PasswordResetConfirmBody,
        response: { 204: Type.Null(), ...problemResponses(400, 404, 410) },
      },
    },
    async (request, reply) => {
      await recovery.confirmPasswordReset(ctx, request.body);
      return reply.code(204).send(null);
    },
  );
};
