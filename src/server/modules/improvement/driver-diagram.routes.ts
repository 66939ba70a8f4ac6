import { viewerOf } from '../../platform/access.ts';
import { etagFor } from '../../platform/concurrency.ts';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { IdParams, IfMatchHeader, problemResponses } from '../../platform/schemas.ts';
import {
  DriverDiagram,
  DriverDiagramComparison,
  DriverDiagramRevision,
  ListRevisionsQuery,
  RevisionPage,
  RevisionParams,
  SaveDriverDiagramBody,
} from './driver-diagram.schemas.ts';
import * as diagrams from './driver-diagram.service.ts';

const tags = ['Improvement'];
const READ = problemResponses(400, 404);
const SAVE = problemResponses(400, 401, 403, 404, 412, 413, 415, 428);

const OWNERS = [
  { kind: 'charter', name: 'Charter', base: '/api/v1/charters', who: "the network's facilitators" },
  { kind: 'project', name: 'Project', base: '/api/v1/projects', who: "the project's team" },
] as const;

/** The driver diagrams of charters and projects, their revisions, and project-vs-charter. */
export const driverDiagramRoutes: RoutePlugin = (api, ctx) => {
  for (const owner of OWNERS) {
    const url = `${owner.base}/:id/driver-diagram`;

    api.get(
      url,
      {
        schema: {
          operationId: `get${owner.name}DriverDiagram`,
          summary: `Read a ${owner.kind}'s driver diagram (also its JSON export)`,
          description: 'Version 0 means never saved: an empty diagram; save it with If-Match "0".',
          tags,
          params: IdParams,
          response: { 200: DriverDiagram, ...READ },
        },
      },
      async (request, reply) => {
        const diagram = await diagrams.getDiagram(ctx, await viewerOf(ctx, request), {
          kind: owner.kind,
          id: request.params.id,
        });
        return reply.header('etag', etagFor(diagram.version)).send(diagram);
      },
    );

    api.put(
      url,
      {
        schema: {
          operationId: `save${owner.name}DriverDiagram`,
          summary: `Replace a ${owner.kind}'s driver diagram (${owner.who}; If-Match required)`,
          description:
            'Saves a new version and keeps it as a revision. Edges go primary → secondary, secondary → change_idea or primary → change_idea; node ids are unique; a change_idea_id names a change idea of the same network you can see.',
          tags,
          params: IdParams,
          headers: IfMatchHeader,
          body: SaveDriverDiagramBody,
          response: { 200: DriverDiagram, ...SAVE },
        },
      },
      async (request, reply) => {
        const diagram = await diagrams.saveDiagram(
          ctx,
          await viewerOf(ctx, request),
          { kind: owner.kind, id: request.params.id },
          request.headers['if-match'],
          request.body.content,
        );
        return reply.header('etag', etagFor(diagram.version)).send(diagram);
      },
    );

    api.get(
      `${url}/revisions`,
      {
        schema: {
          operationId: `list${owner.name}DriverDiagramRevisions`,
          summary: `The saved versions of a ${owner.kind}'s driver diagram, newest first`,
          tags,
          params: IdParams,
          querystring: ListRevisionsQuery,
          response: { 200: RevisionPage, ...READ },
        },
      },
      async (request) =>
        diagrams.listRevisions(
          ctx,
          await viewerOf(ctx, request),
          { kind: owner.kind, id: request.params.id },
          request.query,
        ),
    );

    api.get(
      `${url}/revisions/:version`,
      {
        schema: {
          operationId: `get${owner.name}DriverDiagramRevision`,
          summary: `One saved version of a ${owner.kind}'s driver diagram`,
          tags,
          params: RevisionParams,
          response: { 200: DriverDiagramRevision, ...READ },
        },
      },
      async (request) =>
        diagrams.getRevision(
          ctx,
          await viewerOf(ctx, request),
          { kind: owner.kind, id: request.params.id },
          request.params.version,
        ),
    );
  }

  api.get(
    '/api/v1/projects/:id/driver-diagram/compare',
    {
      schema: {
        operationId: 'compareProjectDriverDiagram',
        summary: "Compare a project's driver diagram with its charter's (the network's)",
        tags,
        params: IdParams,
        response: { 200: DriverDiagramComparison, ...problemResponses(400, 404, 409) },
      },
    },
    async (request) =>
      diagrams.compareWithCharter(ctx, await viewerOf(ctx, request), request.params.id),
  );
};
