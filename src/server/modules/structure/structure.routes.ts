import { Type } from 'typebox';
import { viewerOf } from '../../platform/access.ts';
import { etagFor } from '../../platform/concurrency.ts';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { IdParams, IfMatchHeader, problemResponses } from '../../platform/schemas.ts';
import * as memberships from './membership.service.ts';
import * as networks from './network.service.ts';
import {
  CreateMembershipBody,
  CreateNetworkBody,
  CreateTeamBody,
  ListMembershipsQuery,
  ListNetworksQuery,
  ListTeamsQuery,
  Membership,
  MembershipPage,
  Network,
  NetworkPage,
  Team,
  TeamPage,
  UpdateMembershipBody,
  UpdateNetworkBody,
  UpdateTeamBody,
} from './structure.schemas.ts';
import * as teams from './team.service.ts';

const tags = ['Coalition'];
const READ = problemResponses(400, 404);
const CREATE = problemResponses(400, 401, 403, 404, 409, 413, 415);
const UPDATE = problemResponses(400, 401, 403, 404, 409, 412, 428);
const DELETE = { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 409, 412, 428) };

/** Networks, their teams, and who holds which role where. */
export const structureRoutes: RoutePlugin = (api, ctx) => {
  api.get(
    '/api/v1/networks',
    {
      schema: {
        operationId: 'listNetworks',
        summary: 'List the networks you can see',
        description: 'Sorted by name (case-insensitive), then id. Cursor-paginated.',
        tags,
        querystring: ListNetworksQuery,
        response: { 200: NetworkPage, ...problemResponses(400) },
      },
    },
    async (request) => networks.listNetworks(ctx, await viewerOf(ctx, request), request.query),
  );

  api.post(
    '/api/v1/networks',
    {
      schema: {
        operationId: 'createNetwork',
        summary: 'Create a network (hub facilitators and admins)',
        tags,
        body: CreateNetworkBody,
        response: { 201: Network, ...CREATE },
      },
    },
    async (request, reply) => {
      const created = await networks.createNetwork(ctx, await viewerOf(ctx, request), request.body);
      return reply
        .code(201)
        .header('etag', etagFor(created.version))
        .header('location', `/api/v1/networks/${created.id}`)
        .send(created);
    },
  );

  api.get(
    '/api/v1/networks/:id',
    {
      schema: {
        operationId: 'getNetwork',
        summary: 'Read one network',
        tags,
        params: IdParams,
        response: { 200: Network, ...READ },
      },
    },
    async (request, reply) => {
      const network = await networks.getNetwork(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
      );
      return reply.header('etag', etagFor(network.version)).send(network);
    },
  );

  api.patch(
    '/api/v1/networks/:id',
    {
      schema: {
        operationId: 'updateNetwork',
        summary: 'Change a network (If-Match required)',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        body: UpdateNetworkBody,
        response: { 200: Network, ...UPDATE },
      },
    },
    async (request, reply) => {
      const updated = await networks.updateNetwork(
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
    '/api/v1/networks/:id',
    {
      schema: {
        operationId: 'deleteNetwork',
        summary: 'Delete a network without teams (If-Match required)',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        response: DELETE,
      },
    },
    async (request, reply) => {
      await networks.deleteNetwork(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
        request.headers['if-match'],
      );
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/api/v1/teams',
    {
      schema: {
        operationId: 'listTeams',
        summary: 'List the teams you can see, optionally of one network',
        tags,
        querystring: ListTeamsQuery,
        response: { 200: TeamPage, ...problemResponses(400) },
      },
    },
    async (request) => teams.listTeams(ctx, await viewerOf(ctx, request), request.query),
  );

  api.post(
    '/api/v1/teams',
    {
      schema: {
        operationId: 'createTeam',
        summary: "Add a team to a network (that network's facilitators)",
        tags,
        body: CreateTeamBody,
        response: { 201: Team, ...CREATE },
      },
    },
    async (request, reply) => {
      const created = await teams.createTeam(ctx, await viewerOf(ctx, request), request.body);
      return reply
        .code(201)
        .header('etag', etagFor(created.version))
        .header('location', `/api/v1/teams/${created.id}`)
        .send(created);
    },
  );

  api.get(
    '/api/v1/teams/:id',
    {
      schema: {
        operationId: 'getTeam',
        summary: 'Read one team',
        tags,
        params: IdParams,
        response: { 200: Team, ...READ },
      },
    },
    async (request, reply) => {
      const team = await teams.getTeam(ctx, await viewerOf(ctx, request), request.params.id);
      return reply.header('etag', etagFor(team.version)).send(team);
    },
  );

  api.patch(
    '/api/v1/teams/:id',
    {
      schema: {
        operationId: 'updateTeam',
        summary: 'Change a team (If-Match required)',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        body: UpdateTeamBody,
        response: { 200: Team, ...UPDATE },
      },
    },
    async (request, reply) => {
      const updated = await teams.updateTeam(
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
    '/api/v1/teams/:id',
    {
      schema: {
        operationId: 'deleteTeam',
        summary: 'Delete a team and its memberships (If-Match required)',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        response: DELETE,
      },
    },
    async (request, reply) => {
      await teams.deleteTeam(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
        request.headers['if-match'],
      );
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/api/v1/memberships',
    {
      schema: {
        operationId: 'listMemberships',
        summary: 'Who holds which role, in the networks and teams you can see',
        description: 'Sorted by member name. Emails are shown to those who manage the scope.',
        tags,
        querystring: ListMembershipsQuery,
        response: { 200: MembershipPage, ...problemResponses(400, 401) },
      },
    },
    async (request) =>
      memberships.listMemberships(ctx, await viewerOf(ctx, request), request.query),
  );

  api.post(
    '/api/v1/memberships',
    {
      schema: {
        operationId: 'createMembership',
        summary: 'Grant a role to an existing account',
        tags,
        body: CreateMembershipBody,
        response: { 201: Membership, ...CREATE },
      },
    },
    async (request, reply) => {
      const created = await memberships.createMembership(
        ctx,
        await viewerOf(ctx, request),
        request.body,
      );
      return reply
        .code(201)
        .header('etag', etagFor(created.version))
        .header('location', `/api/v1/memberships/${created.id}`)
        .send(created);
    },
  );

  api.get(
    '/api/v1/memberships/:id',
    {
      schema: {
        operationId: 'getMembership',
        summary: 'Read one membership',
        tags,
        params: IdParams,
        response: { 200: Membership, ...READ },
      },
    },
    async (request, reply) => {
      const membership = await memberships.getMembership(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
      );
      return reply.header('etag', etagFor(membership.version)).send(membership);
    },
  );

  api.patch(
    '/api/v1/memberships/:id',
    {
      schema: {
        operationId: 'updateMembership',
        summary: 'Change a coalition-wide role (If-Match required)',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        body: UpdateMembershipBody,
        response: { 200: Membership, ...UPDATE },
      },
    },
    async (request, reply) => {
      const updated = await memberships.updateMembershipRole(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
        request.headers['if-match'],
        request.body.role,
      );
      return reply.header('etag', etagFor(updated.version)).send(updated);
    },
  );

  api.delete(
    '/api/v1/memberships/:id',
    {
      schema: {
        operationId: 'deleteMembership',
        summary: 'Remove a membership, or leave (If-Match required)',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        response: DELETE,
      },
    },
    async (request, reply) => {
      await memberships.deleteMembership(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
        request.headers['if-match'],
      );
      return reply.code(204).send(null);
    },
  );
};
