import { Type } from 'typebox';
import { viewerOf } from '../../platform/access.ts';
import { etagFor } from '../../platform/concurrency.ts';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { IdParams, IfMatchHeader, problemResponses } from '../../platform/schemas.ts';
import {
  CreateProjectBody,
  ListProjectsQuery,
  Project,
  ProjectPage,
  UpdateProjectBody,
} from './project.schemas.ts';
import * as projects from './project.service.ts';

const tags = ['Improvement'];
const READ = problemResponses(400, 404);
const CREATE = problemResponses(400, 401, 403, 404, 409, 413, 415);
const UPDATE = problemResponses(400, 401, 403, 404, 409, 412, 428);
const DELETE = { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 409, 412, 428) };

/** Team projects. */
export const projectRoutes: RoutePlugin = (api, ctx) => {
  api.get(
    '/api/v1/projects',
    {
      schema: {
        operationId: 'listProjects',
        summary: 'List the projects you can see',
        description:
          'Filter by team, network, charter, status or a title search. Sorted by title (case-insensitive), then id. Cursor-paginated.',
        tags,
        querystring: ListProjectsQuery,
        response: { 200: ProjectPage, ...problemResponses(400) },
      },
    },
    async (request) => projects.listProjects(ctx, await viewerOf(ctx, request), request.query),
  );

  api.post(
    '/api/v1/projects',
    {
      schema: {
        operationId: 'createProject',
        summary:
          "Start a team's project (its members and facilitators); its driver diagram starts as a copy of the charter's",
        tags,
        body: CreateProjectBody,
        response: { 201: Project, ...CREATE },
      },
    },
    async (request, reply) => {
      const created = await projects.createProject(ctx, await viewerOf(ctx, request), request.body);
      return reply
        .code(201)
        .header('etag', etagFor(created.version))
        .header('location', `/api/v1/projects/${created.id}`)
        .send(created);
    },
  );

  api.get(
    '/api/v1/projects/:id',
    {
      schema: {
        operationId: 'getProject',
        summary: 'Read one project',
        tags,
        params: IdParams,
        response: { 200: Project, ...READ },
      },
    },
    async (request, reply) => {
      const project = await projects.getProject(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
      );
      return reply.header('etag', etagFor(project.version)).send(project);
    },
  );

  api.patch(
    '/api/v1/projects/:id',
    {
      schema: {
        operationId: 'updateProject',
        summary: 'Change a project (If-Match required); aim parts not sent are kept',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        body: UpdateProjectBody,
        response: { 200: Project, ...UPDATE },
      },
    },
    async (request, reply) => {
      const updated = await projects.updateProject(
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
    '/api/v1/projects/:id',
    {
      schema: {
        operationId: 'deleteProject',
        summary: 'Delete a project without PDSA cycles or local measures (If-Match required)',
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        response: DELETE,
      },
    },
    async (request, reply) => {
      await projects.deleteProject(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
        request.headers['if-match'],
      );
      return reply.code(204).send(null);
    },
  );
};
