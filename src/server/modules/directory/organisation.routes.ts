import { Type } from 'typebox';
import { viewerOf } from '../../platform/access.ts';
import { etagFor } from '../../platform/concurrency.ts';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { IdParams, IfMatchHeader, problemResponses } from '../../platform/schemas.ts';
import {
  CreateOrganisationBody,
  ListOrganisationsQuery,
  Organisation,
  OrganisationPage,
  UpdateOrganisationBody,
} from './organisation.schemas.ts';
import * as service from './organisation.service.ts';

const tags = ['Directory'];

export const organisationRoutes: RoutePlugin = (api, ctx) => {
  api.get(
    '/api/v1/organisations',
    {
      schema: {
        operationId: 'listOrganisations',
        summary: 'List organisations in the ecosystem directory',
        description: 'Sorted by name (case-insensitive), then id. Cursor-paginated.',
        tags,
        querystring: ListOrganisationsQuery,
        response: { 200: OrganisationPage, ...problemResponses(400) },
      },
    },
    async (request) => service.listOrganisations(ctx, await viewerOf(ctx, request), request.query),
  );

  api.post(
    '/api/v1/organisations',
    {
      schema: {
        operationId: 'createOrganisation',
        summary: 'Add an organisation',
        tags,
        body: CreateOrganisationBody,
        response: { 201: Organisation, ...problemResponses(400, 401, 403, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const created = await service.createOrganisation(
        ctx,
        await viewerOf(ctx, request),
        request.body,
      );
      return reply
        .code(201)
        .header('etag', etagFor(created.version))
        .header('location', `/api/v1/organisations/${created.id}`)
        .send(created);
    },
  );

  api.get(
    '/api/v1/organisations/:id',
    {
      schema: {
        operationId: 'getOrganisation',
        summary: 'Read one organisation',
        tags,
        params: IdParams,
        response: { 200: Organisation, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const organisation = await service.getOrganisation(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
      );
      return reply.header('etag', etagFor(organisation.version)).send(organisation);
    },
  );

  api.patch(
    '/api/v1/organisations/:id',
    {
      schema: {
        operationId: 'updateOrganisation',
        summary: 'Change an organisation (If-Match required)',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        body: UpdateOrganisationBody,
        response: { 200: Organisation, ...problemResponses(400, 401, 403, 404, 409, 412, 428) },
      },
    },
    async (request, reply) => {
      const updated = await service.updateOrganisation(
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
    '/api/v1/organisations/:id',
    {
      schema: {
        operationId: 'deleteOrganisation',
        summary: 'Delete an organisation (If-Match required)',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 412, 428) },
      },
    },
    async (request, reply) => {
      await service.deleteOrganisation(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
        request.headers['if-match'],
      );
      return reply.code(204).send(null);
    },
  );
};
