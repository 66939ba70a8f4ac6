import { Type } from 'typebox';
import { viewerOf } from '../../platform/access.ts';
import { setSessionCookie } from '../../platform/cookies.ts';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { IdParams, problemResponses } from '../../platform/schemas.ts';
import { SESSION_DAYS } from './auth.service.ts';
import {
  AcceptedInvitation,
  AcceptInvitationBody,
  CreateInvitationBody,
  Invitation,
  InvitationPage,
  InvitationPreview,
  InvitationPreviewBody,
  ListInvitationsQuery,
} from './invitation.schemas.ts';
import * as service from './invitation.service.ts';

const tags = ['Accounts'];

export const invitationRoutes: RoutePlugin = (api, ctx) => {
  api.post(
    '/api/v1/invitations',
    {
      schema: {
        operationId: 'createInvitation',
        summary: 'Invite someone by email into a role (facilitators of the scope, admins)',
        description: `Emails a single-use link valid for ${service.INVITATION_DAYS} days.`,
        tags,
        body: CreateInvitationBody,
        response: { 201: Invitation, ...problemResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const created = await service.createInvitation(
        ctx,
        await viewerOf(ctx, request),
        request.body,
      );
      return reply.code(201).send(created);
    },
  );

  api.get(
    '/api/v1/invitations',
    {
      schema: {
        operationId: 'listInvitations',
        summary: 'Open invitations into the scopes you manage, newest first',
        tags,
        querystring: ListInvitationsQuery,
        response: { 200: InvitationPage, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => service.listInvitations(ctx, await viewerOf(ctx, request), request.query),
  );

  api.delete(
    '/api/v1/invitations/:id',
    {
      schema: {
        operationId: 'revokeInvitation',
        summary: 'Withdraw an invitation (its link stops working)',
        tags,
        params: IdParams,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await service.revokeInvitation(ctx, await viewerOf(ctx, request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  // POST, not GET: the secret travels in the body, never in a URL that proxies and logs keep.
  api.post(
    '/api/v1/invitations/preview',
    {
      schema: {
        operationId: 'previewInvitation',
        summary: 'What an invitation link offers (no sign-in needed: the token is the secret)',
        tags,
        body: InvitationPreviewBody,
        response: { 200: InvitationPreview, ...problemResponses(400, 404, 410) },
      },
    },
    async (request, reply) => {
      const preview = await service.previewInvitation(ctx, request.body.token);
      return reply.header('cache-control', 'no-store').send(preview);
    },
  );

  api.post(
    '/api/v1/invitations/accept',
    {
      schema: {
        operationId: 'acceptInvitation',
        summary: 'Accept an invitation: creates the account and signs in, or adds the role',
        tags,
        body: AcceptInvitationBody,
        response: { 200: AcceptedInvitation, ...problemResponses(400, 401, 404, 410) },
      },
    },
    async (request, reply) => {
      const accepted = await service.acceptInvitation(
        ctx,
        await viewerOf(ctx, request),
        request.body,
        { userAgent: request.headers['user-agent'] },
      );
      if (accepted.signedIn)
        setSessionCookie(request, reply, accepted.signedIn.token, SESSION_DAYS * 86_400);
      return reply.send(accepted.me);
    },
  );
};
