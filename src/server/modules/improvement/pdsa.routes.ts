import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { viewerOf } from '../../platform/access.ts';
import { etagFor } from '../../platform/concurrency.ts';
import { attachmentMaxBytes } from '../../platform/file-store.ts';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { IdParams, IfMatchHeader, problemResponses } from '../../platform/schemas.ts';
import {
  Attachment,
  AttachmentPage,
  CreatePdsaCycleBody,
  ListAttachmentsQuery,
  ListPdsaCyclesQuery,
  ListTransitionsQuery,
  PdsaCycle,
  PdsaCyclePage,
  PdsaRamp,
  PdsaTransitionPage,
  TransitionBody,
  UpdatePdsaCycleBody,
  UploadAttachmentQuery,
} from './pdsa.schemas.ts';
import * as pdsa from './pdsa.service.ts';

const tags = ['Improvement'];
const READ = problemResponses(400, 404);
const CREATE = problemResponses(400, 401, 403, 404, 409, 413, 415);
const UPDATE = problemResponses(400, 401, 403, 404, 409, 412, 428);
const DELETE = { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 409, 412, 428) };

/** RFC 6266 / 8187: an ASCII fallback name and the exact UTF-8 one. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** PDSA cycles: the network PDSA log, the state machine, ramps and attachments. */
export const pdsaRoutes: RoutePlugin = (api, ctx) => {
  api.get(
    '/api/v1/pdsa-cycles',
    {
      schema: {
        operationId: 'listPdsaCycles',
        summary: 'The PDSA log: cycles you can see, newest first',
        description:
          'Sorted by creation time, newest first, then id. `from`/`to` filter on the cycle day: its planned_start, else the (UTC) day it was created. Cursor-paginated.',
        tags,
        querystring: ListPdsaCyclesQuery,
        response: { 200: PdsaCyclePage, ...problemResponses(400) },
      },
    },
    async (request) => pdsa.listCycles(ctx, await viewerOf(ctx, request), request.query),
  );

  api.post(
    '/api/v1/pdsa-cycles',
    {
      schema: {
        operationId: 'createPdsaCycle',
        summary: "Plan a PDSA cycle in a project (the project team's members)",
        tags,
        body: CreatePdsaCycleBody,
        response: { 201: PdsaCycle, ...CREATE },
      },
    },
    async (request, reply) => {
      const created = await pdsa.createCycle(ctx, await viewerOf(ctx, request), request.body);
      return reply
        .code(201)
        .header('etag', etagFor(created.version))
        .header('location', `/api/v1/pdsa-cycles/${created.id}`)
        .send(created);
    },
  );

  api.get(
    '/api/v1/pdsa-cycles/:id',
    {
      schema: {
        operationId: 'getPdsaCycle',
        summary: 'Read one PDSA cycle',
        tags,
        params: IdParams,
        response: { 200: PdsaCycle, ...READ },
      },
    },
    async (request, reply) => {
      const cycle = await pdsa.getCycle(ctx, await viewerOf(ctx, request), request.params.id);
      return reply.header('etag', etagFor(cycle.version)).send(cycle);
    },
  );

  api.patch(
    '/api/v1/pdsa-cycles/:id',
    {
      schema: {
        operationId: 'updatePdsaCycle',
        summary: 'Edit a PDSA cycle: the section of its current state (If-Match required)',
        description:
          "plan while in 'plan', execution while in 'do', study while in 'study', act while in 'act'; title, scale, planned_start and visibility until completed. Otherwise 409 invalid_state.",
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        body: UpdatePdsaCycleBody,
        response: { 200: PdsaCycle, ...UPDATE },
      },
    },
    async (request, reply) => {
      const updated = await pdsa.updateCycle(
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
    '/api/v1/pdsa-cycles/:id',
    {
      schema: {
        operationId: 'deletePdsaCycle',
        summary: "Delete a cycle still in 'plan' (If-Match required); tested cycles are kept",
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        response: DELETE,
      },
    },
    async (request, reply) => {
      await pdsa.deleteCycle(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
        request.headers['if-match'],
      );
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/api/v1/pdsa-cycles/:id/transitions',
    {
      schema: {
        operationId: 'transitionPdsaCycle',
        summary: 'Move a cycle to its next (or previous) state (If-Match required)',
        description:
          "plan → do (every question has a prediction), do → study (what happened is recorded), study → act (every prediction has an outcome), act → completed (decision and reason; with 'adapt', `next_cycle` creates the follow-up cycle). Back one step (do → plan, study → do, act → study) and reopening (completed → act) need a `reason`. Anything else is 409 invalid_state.",
        tags,
        params: IdParams,
        headers: IfMatchHeader,
        body: TransitionBody,
        response: { 200: PdsaCycle, ...UPDATE },
      },
    },
    async (request, reply) => {
      const cycle = await pdsa.transitionCycle(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
        request.headers['if-match'],
        request.body,
      );
      return reply.header('etag', etagFor(cycle.version)).send(cycle);
    },
  );

  api.get(
    '/api/v1/pdsa-cycles/:id/transitions',
    {
      schema: {
        operationId: 'listPdsaTransitions',
        summary: "A cycle's transition log, oldest first",
        tags,
        params: IdParams,
        querystring: ListTransitionsQuery,
        response: { 200: PdsaTransitionPage, ...READ },
      },
    },
    async (request) =>
      pdsa.listTransitions(ctx, await viewerOf(ctx, request), request.params.id, request.query),
  );

  api.get(
    '/api/v1/pdsa-cycles/:id/ramp',
    {
      schema: {
        operationId: 'getPdsaRamp',
        summary: 'The ramp of a cycle: its first cycle and all built on it',
        description:
          'Depth first, oldest first among siblings. Cycles you may not see are gaps (`hidden`, no details).',
        tags,
        params: IdParams,
        response: { 200: PdsaRamp, ...READ },
      },
    },
    async (request) => pdsa.getRamp(ctx, await viewerOf(ctx, request), request.params.id),
  );

  api.get(
    '/api/v1/pdsa-cycles/:id/attachments',
    {
      schema: {
        operationId: 'listPdsaAttachments',
        summary: "A cycle's attachments, oldest first",
        tags,
        params: IdParams,
        querystring: ListAttachmentsQuery,
        response: { 200: AttachmentPage, ...READ },
      },
    },
    async (request) =>
      pdsa.listAttachments(ctx, await viewerOf(ctx, request), request.params.id, request.query),
  );

  // The upload takes the raw file as its body, whatever its type: its own parser, in a child
  // context so that the app's JSON-only parser stays in force everywhere else.
  const maxBytes = attachmentMaxBytes();
  api.register(async (child) => {
    const scoped = child.withTypeProvider<TypeBoxTypeProvider>();
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: maxBytes },
      (_req, body, done) => done(null, body),
    );
    scoped.post(
      '/api/v1/pdsa-cycles/:id/attachments',
      {
        bodyLimit: maxBytes,
        schema: {
          operationId: 'uploadPdsaAttachment',
          summary: 'Attach a file to a cycle (raw body, any type)',
          description:
            'Send the file itself as the body with its Content-Type, and its name in `filename`. At most 10 MB (or TANDEM_ATTACHMENT_MAX_BYTES), else 413. Not while the cycle is completed (409).',
          tags,
          params: IdParams,
          querystring: UploadAttachmentQuery,
          // No type: any bytes pass validation; the parser above hands over a Buffer.
          consumes: ['*/*'],
          body: Type.Unknown({ description: 'The file itself (raw bytes)' }),
          response: { 201: Attachment, ...CREATE },
        },
      },
      async (request, reply) => {
        const created = await pdsa.uploadAttachment(
          ctx,
          await viewerOf(ctx, request),
          request.params.id,
          {
            filename: request.query.filename,
            contentType: request.headers['content-type'],
            data: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          },
        );
        return reply.code(201).header('location', created.download_url).send(created);
      },
    );
  });

  api.get(
    '/api/v1/attachments/:id',
    {
      schema: {
        operationId: 'downloadAttachment',
        summary: 'Download an attachment',
        description:
          'Always as a download (Content-Disposition: attachment); the stored type is served only for common document and image types, else application/octet-stream.',
        tags,
        params: IdParams,
        response: {
          200: {
            description: 'The file',
            content: {
              'application/octet-stream': { schema: Type.String({ format: 'binary' }) },
            },
          },
          ...READ,
        },
      },
    },
    async (request, reply) => {
      const file = await pdsa.downloadAttachment(
        ctx,
        await viewerOf(ctx, request),
        request.params.id,
      );
      const digest = Buffer.from(file.attachment.sha256, 'hex').toString('base64');
      return (
        reply
          .header('content-type', file.servedType)
          .header('content-length', file.size)
          .header('content-disposition', contentDisposition(file.attachment.filename))
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-cache')
          .header('repr-digest', `sha-256=:${digest}:`)
          // A stream body; the schema says string for the OpenAPI document (as audit.routes does).
          .send(file.stream as unknown as string)
      );
    },
  );

  api.delete(
    '/api/v1/attachments/:id',
    {
      schema: {
        operationId: 'deleteAttachment',
        summary: 'Remove an attachment (and its file)',
        tags,
        params: IdParams,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await pdsa.deleteAttachment(ctx, await viewerOf(ctx, request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
