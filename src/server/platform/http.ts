import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError, validationFailed } from './errors.ts';
import { jsonErrorOffset } from './json-error-offset.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** Honours a well-formed incoming X-Request-Id (a proxy's), otherwise makes a new one. */
export function requestIdFor(raw: { headers: Record<string, string | string[] | undefined> }) {
  const incoming = raw.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  for (const [name, value] of Object.entries(error.headers ?? {})) reply.header(name, value);
  return reply
    .code(error.status)
    .type('application/problem+json')
    .send({
      type: `urn:tandem:problem:${error.code}`,
      title: error.title,
      status: error.status,
      code: error.code,
      detail: error.detail,
      ...(error.errors ? { errors: error.errors } : {}),
      request_id: request.id,
    });
}

/**
 * JSON bodies parsed by us so that a syntax error says where it is (line, column, offset)
 * instead of Fastify's generic message.
 */
export function registerJsonParser(app: FastifyInstance) {
  // Only JSON is accepted; any other media type is a 415 (Fastify would also parse text/plain).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/merge-patch+json'],
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = String(body);
      if (text.trim() === '') return done(null, undefined);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        return done(malformedJson(text, error as Error), undefined);
      }
      // PostgreSQL text cannot hold U+0000, and valid JSON can only carry it escaped: refuse it
      // here with its path rather than as a database error (a 500) wherever it would be stored.
      const nul = text.includes('\\u0000') ? nulPath(parsed, '/body') : undefined;
      if (nul !== undefined) {
        return done(
          validationFailed([
            { path: nul, message: 'contains a NUL character (\\u0000), which cannot be stored' },
          ]),
          undefined,
        );
      }
      done(null, parsed);
    },
  );
}

/**
 * The same rule for the query string and the path: a `%00` decodes to U+0000, which would reach
 * the database (a search, a filter) and fail there. Checked before validation, with its path.
 */
export function registerNulGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    if (!request.url.toLowerCase().includes('%00')) return;
    const found = nulPath(request.params, '/path') ?? nulPath(request.query, '/query');
    if (found !== undefined) {
      throw validationFailed([
        { path: found, message: 'contains a NUL character (%00), which cannot be stored' },
      ]);
    }
  });
}

/** The JSON Pointer of the first string (or key) holding U+0000, if any. */
function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nulPath(item, `${path}/${i}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const pointer = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (key.includes('\u0000')) return pointer;
      const found = nulPath(item, pointer);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function malformedJson(text: string, error: Error): AppError {
  const position = jsonErrorOffset(text);
  if (position < 0) {
    return new AppError('malformed_json', `The body is not valid JSON: ${error.message}.`);
  }
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return new AppError(
    'malformed_json',
    `The body is not valid JSON at line ${line}, column ${column} (offset ${position}).`,
    [{ path: '/body', message: `invalid JSON at line ${line}, column ${column}` }],
  );
}

const PART: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'headers',
};

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Ajv's issues as field errors with a JSON pointer into the request: `/body/name`. */
export function fieldErrorsFrom(issues: AjvIssue[], context: string | undefined): FieldError[] {
  const base = `/${PART[context ?? 'body'] ?? context}`;
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of issues) {
    let path = `${base}${issue.instancePath}`;
    let message = issue.message ?? 'is invalid';
    if (issue.keyword === 'required') {
      path += `/${String(issue.params.missingProperty)}`;
      message = 'is required';
    } else if (issue.keyword === 'additionalProperties') {
      path += `/${String(issue.params.additionalProperty)}`;
      message = 'is not a known field';
    } else if (issue.keyword === 'anyOf' || issue.keyword === 'const') {
      if (errors.some((e) => e.path === path)) continue; // already reported by its branches
      message = issue.keyword === 'anyOf' ? 'is not one of the allowed values' : message;
    }
    const key = `${path} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push({ path, message });
  }
  return collapseUnionNoise(errors);
}

/** A failed union reports each branch; keep one readable line per path. */
function collapseUnionNoise(errors: FieldError[]): FieldError[] {
  const byPath = new Map<string, FieldError[]>();
  for (const e of errors) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
  return [...byPath.values()].map((group) =>
    group.length > 1
      ? (group.find((e) => e.message === 'is not one of the allowed values') ?? {
          path: group[0]?.path ?? '',
          message: group.map((e) => e.message).join('; or '),
        })
      : (group[0] as FieldError),
  );
}

/** Turns any thrown error into problem+json; unknown errors become a bare 500 and are logged. */
export function toAppError(error: FastifyError & { validation?: AjvIssue[] }): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) {
    const errors = fieldErrorsFrom(error.validation, error.validationContext);
    return new AppError(
      'validation_failed',
      errors.length === 1
        ? `${errors[0]?.path} ${errors[0]?.message}.`
        : `${errors.length} fields are invalid.`,
      errors,
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(
        'payload_too_large',
        'The request body is larger than this server accepts.',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(
        'unsupported_media_type',
        'Send the body as application/json (set the Content-Type header).',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('malformed_json', 'The body is empty; send a JSON object.');
  }
  if (error.statusCode === 403) return new AppError('forbidden', error.message);
  if (error.statusCode === 404) return new AppError('not_found', error.message);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('bad_request', error.message);
  }
  return new AppError(
    'internal_error',
    'Something went wrong on the server. Quote the request id when reporting it.',
  );
}
