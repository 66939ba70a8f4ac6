import type { FastifyInstance } from 'fastify';
import { viewerOf } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';
import type { Api, RoutePlugin } from '../../platform/http-types.ts';
import { IdParams, problemResponses } from '../../platform/schemas.ts';
import {
  ImportQuery,
  ImportReport,
  ListValuesQuery,
  MeasureValueHistory,
  MeasureValueList,
  SaveGridBody,
  SaveGridResult,
  TeamValuesParams,
  TemplateQuery,
} from './measure-data.schemas.ts';
import * as values from './measure-data.service.ts';
import { CSV_TYPES, importTemplate, importValues, XLSX_TYPE } from './measure-import.service.ts';

const tags = ['Improvement'];
const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;

/** Aggregate measure data: the team grid, a value's history, file imports and their template. */
export const measureDataRoutes: RoutePlugin = (api, ctx) => {
  api.get(
    '/api/v1/teams/:team_id/measure-values',
    {
      schema: {
        operationId: 'listTeamMeasureValues',
        summary:
          "A team's measure values (the data grid), optionally of one measure and period range",
        description:
          'Team-level data: the team, its network’s facilitators, coalition facilitators and admins. Not paginated: bounded by the team’s measures and the range.',
        tags,
        params: TeamValuesParams,
        querystring: ListValuesQuery,
        response: { 200: MeasureValueList, ...problemResponses(400, 404) },
      },
    },
    async (request) =>
      values.listTeamValues(
        ctx,
        await viewerOf(ctx, request),
        request.params.team_id,
        request.query,
      ),
  );

  api.put(
    '/api/v1/teams/:team_id/measure-values',
    {
      schema: {
        operationId: 'saveTeamMeasureValues',
        summary: "Save cells of a team's data grid (all or nothing, up to 5,000)",
        description:
          'Each row sets one measure and period: numerator null deletes the cell; omitted denominator, excluded and note keep the stored ones. A row with `version` is refused (412, naming the rows) when the stored value changed since. Corrections keep the earlier value in the history.',
        tags,
        params: TeamValuesParams,
        body: SaveGridBody,
        response: { 200: SaveGridResult, ...problemResponses(400, 401, 403, 404, 412, 413, 415) },
      },
    },
    async (request) =>
      values.saveGrid(ctx, await viewerOf(ctx, request), request.params.team_id, request.body),
  );

  api.get(
    '/api/v1/measure-values/:id/history',
    {
      schema: {
        operationId: 'getMeasureValueHistory',
        summary: 'A value and its earlier states (corrections), newest first',
        tags,
        params: IdParams,
        response: { 200: MeasureValueHistory, ...problemResponses(400, 404) },
      },
    },
    async (request) => values.valueHistory(ctx, await viewerOf(ctx, request), request.params.id),
  );

  api.get(
    '/api/v1/measure-values/template.csv',
    {
      schema: {
        operationId: 'getMeasureValuesTemplate',
        summary: 'A CSV template for a team: one row per measure and recent period, numbers empty',
        tags,
        querystring: TemplateQuery,
        produces: ['text/csv'],
        response: { ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const csv = await importTemplate(
        ctx,
        await viewerOf(ctx, request),
        request.query.team_id,
        request.query.measure_id,
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="measure-values.csv"')
        .send(csv);
    },
  );

  // The import takes a file as the raw body: its parsers live in this child context only, so
  // every other route keeps accepting JSON alone.
  api.register(async (child: FastifyInstance) => {
    const scoped = child as unknown as Api;
    scoped.addContentTypeParser(
      [...CSV_TYPES, XLSX_TYPE],
      { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scoped.addContentTypeParser('*', (request, _payload, done) =>
      done(
        new AppError(
          'unsupported_media_type',
          `Send the file as text/csv or ${XLSX_TYPE}, not ${request.headers['content-type'] ?? 'no content type'}.`,
        ),
        undefined,
      ),
    );
    scoped.post(
      '/api/v1/measure-values/import',
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          operationId: 'importMeasureValues',
          summary: 'Import aggregate values from a CSV or XLSX file (dry run by default)',
          description:
            'Raw body: text/csv or an .xlsx file. Header required (case-insensitive): measure (id or name), period, numerator, optional denominator, note, team (id or name; then team_id is not needed). Files with student-level columns, or repeating a team, measure and period, are refused (400 student_level_data). Row errors come back with line numbers. all_or_nothing writes nothing when a row has an error; per_row writes the good rows. Re-importing a file changes nothing (rows are reported unchanged).',
          tags,
          querystring: ImportQuery,
          response: { 200: ImportReport, ...problemResponses(400, 401, 403, 404, 413, 415) },
        },
      },
      async (request) => {
        // The app's JSON parser still applies here: a JSON body is not a file.
        if (!Buffer.isBuffer(request.body)) {
          throw new AppError(
            'unsupported_media_type',
            `Send the file as text/csv or ${XLSX_TYPE}.`,
          );
        }
        return importValues(
          ctx,
          await viewerOf(ctx, request),
          request.query,
          request.body,
          request.headers['content-type'] ?? '',
        );
      },
    );
  });
};
