import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { viewerOf } from '../../platform/access.ts';
import type { RoutePlugin } from '../../platform/http-types.ts';
import { problemResponses } from '../../platform/schemas.ts';
import {
  AuditEventPage,
  ExportAuditEventsQuery,
  HistoryParams,
  HistoryQuery,
  ListAuditEventsQuery,
} from './audit.schemas.ts';
import * as service from './audit.service.ts';

const tags = ['Audit'];

export const auditRoutes: RoutePlugin = (api, ctx) => {
  api.get(
    '/api/v1/audit-events',
    {
      schema: {
        operationId: 'listAuditEvents',
        summary: 'The audit log, newest first, with filters (instance admins)',
        tags,
        querystring: ListAuditEventsQuery,
        response: { 200: AuditEventPage, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => service.listAuditEvents(ctx, await viewerOf(ctx, request), request.query),
  );

  api.get(
    '/api/v1/audit-events/export.csv',
    {
      schema: {
        operationId: 'exportAuditEvents',
        summary: 'The filtered audit log as CSV (instance admins)',
        tags,
        querystring: ExportAuditEventsQuery,
        produces: ['text/csv'],
        response: {
          200: {
            description: 'CSV, RFC 4180, UTF-8',
            content: { 'text/csv': { schema: Type.String() } },
          },
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const chunks = service.exportAuditEventsCsv(ctx, await viewerOf(ctx, request), request.query);
      const stamp = ctx.now().toISOString().slice(0, 10);
      return (
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="tandem-audit-${stamp}.csv"`)
          .header('cache-control', 'no-store')
          // A stream of the CSV text the schema documents (the type provider only knows strings).
          .send(Readable.from(chunks) as unknown as string)
      );
    },
  );

  api.get(
    '/api/v1/history/:entity_type/:id',
    {
      schema: {
        operationId: 'getRecordHistory',
        summary: "A record's change history (as visible as the record itself)",
        tags,
        params: HistoryParams,
        querystring: HistoryQuery,
        response: { 200: AuditEventPage, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) =>
      service.recordHistory(
        ctx,
        await viewerOf(ctx, request),
        request.params.entity_type,
        request.params.id,
        request.query,
      ),
  );
};
