import { describe, expect, it } from 'vitest';
import { generate, toTs } from '../../../scripts/gen-client.ts';
import { ApiError, createClient, parseRetryAfter } from './client.ts';

type Call = { url: string; init: RequestInit };

function fakeFetch(response: () => Response) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return response();
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

/** The ApiError a request fails with (and a test failure if it succeeds). */
async function failure(request: Promise<unknown>): Promise<ApiError> {
  const outcome = await request.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(outcome instanceof ApiError)) throw new Error(`expected an ApiError, got ${outcome}`);
  return outcome;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
      ...headers,
    },
  });

describe('api client', () => {
  it('fills path parameters, drops empty query values and returns the ETag', async () => {
    const org = { id: 'a b', name: 'X' };
    const { fetch, calls } = fakeFetch(() => json(200, org, { etag: '"v1"' }));
    const api = createClient({ fetch });
    const result = await api.get('/api/v1/organisations/{id}', { params: { id: 'a b' } });
    expect(calls[0]?.url).toBe('/api/v1/organisations/a%20b');
    expect(result).toMatchObject({ data: org, etag: '"v1"', status: 200 });

    await api.get('/api/v1/organisations', { query: { limit: 20, q: '', cursor: undefined } });
    expect(calls[1]?.url).toBe('/api/v1/organisations?limit=20');
  });

  it('sends the body as JSON and If-Match from ifMatch', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, {}));
    await createClient({ fetch }).patch('/api/v1/organisations/{id}', {
      params: { id: '1' },
      body: { name: 'New' },
      ifMatch: '"v3"',
    });
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(calls[0]?.init.method).toBe('PATCH');
    expect(headers['if-match']).toBe('"v3"');
    expect(headers['content-type']).toBe('application/json');
    expect(calls[0]?.init.body).toBe('{"name":"New"}');
  });

  it('returns null data for 204', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 204 }));
    const result = await createClient({ fetch }).delete('/api/v1/organisations/{id}', {
      params: { id: '1' },
      ifMatch: '"v1"',
    });
    expect(result.data).toBeNull();
  });

  it('throws ApiError with the problem document and field errors by path', async () => {
    const problem = {
      type: 'urn:tandem:problem:validation_failed',
      title: 'Validation failed',
      status: 400,
      code: 'validation_failed',
      detail: 'Fix the fields.',
      errors: [
        { path: '/body/name', message: 'must not be empty' },
        { path: '/query/limit', message: 'too big' },
      ],
      request_id: 'req-1',
    };
    const { fetch } = fakeFetch(() => json(400, problem));
    const apiError = await failure(
      createClient({ fetch }).post('/api/v1/organisations', { body: { name: '', type: 'school' } }),
    );
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe('validation_failed');
    expect(apiError.requestId).toBe('req-1');
    expect(apiError.isClientError).toBe(true);
    expect(apiError.fieldErrors()).toEqual({ name: 'must not be empty' });
  });

  it('reads Retry-After as seconds or as an HTTP date', async () => {
    const problem = {
      type: 'about:blank',
      title: 'Too many requests',
      status: 429,
      code: 'rate_limited',
    };
    const { fetch } = fakeFetch(() => json(429, problem, { 'retry-after': '840' }));
    const limited = await failure(
      createClient({ fetch }).post('/api/v1/auth/sign-in', {
        body: { email: 'a@example.org', password: 'x' },
      }),
    );
    expect(limited.status).toBe(429);
    expect(limited.retryAfterSeconds).toBe(840);
    const now = Date.parse('2026-03-12T10:00:00Z');
    expect(parseRetryAfter('Thu, 12 Mar 2026 10:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Thu, 12 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(new ApiError(problem).retryAfterSeconds).toBeUndefined();
  });

  it('turns a non-problem error answer and a network failure into ApiErrors', async () => {
    const proxy = fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    const gateway = await failure(createClient({ fetch: proxy.fetch }).get('/api/v1/health'));
    expect(gateway.status).toBe(502);
    expect(gateway.isClientError).toBe(false);

    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    const network = await failure(createClient({ fetch: down }).get('/api/v1/health'));
    expect(network.status).toBe(0);
    expect(network.code).toBe('network_error');
  });
});

describe('JSON Schema → TypeScript (scripts/gen-client.ts)', () => {
  it('converts the shapes TypeBox produces', () => {
    expect(toTs({ type: ['string', 'null'] })).toBe('string | null');
    expect(
      toTs({
        anyOf: [
          { const: 'a', type: 'string' },
          { const: 'b', type: 'string' },
        ],
      }),
    ).toBe("'a' | 'b'");
    expect(toTs({ enum: ['x', 1, null] })).toBe("'x' | 1 | null");
    expect(toTs({ type: 'array', items: { anyOf: [{ type: 'integer' }, { type: 'null' }] } })).toBe(
      '(number | null)[]',
    );
    expect(toTs({ $ref: '#/components/schemas/def-0' })).toBe('Def0');
    expect(
      toTs({
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string' }, 'x-y': { type: 'boolean' } },
      }),
    ).toBe("{\n  id: string;\n  'x-y'?: boolean;\n}");
    expect(toTs({ type: 'object', additionalProperties: { type: 'number' } })).toBe(
      '{\n  [key: string]: number;\n}',
    );
    expect(toTs({})).toBe('unknown');
  });

  it('names titled schemas and describes each operation', () => {
    const item = {
      title: 'Thing',
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string' } },
    };
    const out = generate({
      openapi: '3.1.0',
      info: { title: 'T', version: '1' },
      paths: {
        '/things/{id}': {
          get: {
            parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string' } }],
            responses: { 200: { content: { 'application/json': { schema: item } } } },
          },
          delete: { responses: { 204: { description: 'gone' } } },
        },
      },
    });
    expect(out).toContain('export type Thing = {\n  id: string;\n};');
    expect(out).toContain('response: Thing;');
    expect(out).toContain('params: {\n        id: string;\n      };');
    expect(out).toContain('response: null;');
  });
});
