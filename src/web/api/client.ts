/**
 * A small typed fetch wrapper over the generated `Paths` (schema.gen.ts):
 *
 *   const { data } = await api.get('/api/v1/organisations', { query: { limit: 20 } });
 *   const { data, etag } = await api.patch('/api/v1/organisations/{id}', {
 *     params: { id }, body: { name }, ifMatch: etag,
 *   });
 *
 * A non-2xx answer throws an ApiError carrying the RFC 9457 problem document; a network failure
 * throws an ApiError with status 0 and code `network_error`, so callers handle one error type.
 */
import type { Paths } from './schema.gen.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The paths that accept `M`. */
export type PathsWith<M extends Method> = {
  [P in keyof Paths]: M extends keyof Paths[P] ? P : never;
}[keyof Paths];

interface OperationShape {
  params: unknown;
  query: unknown;
  body: unknown;
  response: unknown;
}
type OperationOf<M extends Method, P extends PathsWith<M>> = Paths[P][M &
  keyof Paths[P]] extends infer O
  ? O extends OperationShape
    ? O
    : never
  : never;

export type ResponseOf<M extends Method, P extends PathsWith<M>> = OperationOf<M, P>['response'];
export type BodyOf<M extends Method, P extends PathsWith<M>> = OperationOf<M, P>['body'];
export type QueryOf<M extends Method, P extends PathsWith<M>> = OperationOf<M, P>['query'];

type Part<K extends string, T> = [T] extends [never]
  ? { [key in K]?: undefined }
  : // biome-ignore lint/complexity/noBannedTypes: `{}` is the "all members optional" test
    {} extends T
    ? { [key in K]?: T }
    : { [key in K]: T };

export type RequestOptions<O extends OperationShape> = Part<'params', O['params']> &
  Part<'query', O['query']> &
  Part<'body', O['body']> & {
    /** The ETag of the version being changed; sent as If-Match. */
    ifMatch?: string;
    signal?: AbortSignal;
  };

/** The options argument may be left out when nothing in it is required. */
type OptionsArg<O extends OperationShape> =
  // biome-ignore lint/complexity/noBannedTypes: `{}` is the "all members optional" test
  {} extends RequestOptions<O> ? [options?: RequestOptions<O>] : [options: RequestOptions<O>];

export interface ApiResponse<T> {
  data: T;
  /** The ETag header, to send back as `ifMatch` on the next write. */
  etag: string | null;
  status: number;
  headers: Headers;
}

export interface ProblemFieldError {
  /** A JSON pointer into the request, e.g. `/body/name`. */
  path: string;
  message: string;
}

/** An RFC 9457 problem document as the Tandem API writes it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: ProblemFieldError[];
  request_id?: string;
}

export class ApiError extends Error {
  readonly problem: Problem;
  /**
   * How many seconds to wait before asking again, from the Retry-After header (429, 503);
   * undefined when the answer did not say.
   */
  readonly retryAfterSeconds: number | undefined;

  constructor(problem: Problem, options: { retryAfter?: string | null } = {}) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.problem = problem;
    this.retryAfterSeconds = parseRetryAfter(options.retryAfter);
  }

  get status(): number {
    return this.problem.status;
  }
  get code(): string {
    return this.problem.code;
  }
  get requestId(): string | undefined {
    return this.problem.request_id;
  }
  get errors(): ProblemFieldError[] {
    return this.problem.errors ?? [];
  }
  /** A 4xx answer: asking again will not help. */
  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }

  /**
   * Field errors keyed by the field name under `/body/` (`/body/name` → `name`,
   * `/body/address/city` → `address.city`). Errors on other paths are left out: show them with
   * the form's summary instead.
   */
  fieldErrors(): Record<string, string> {
    const byField: Record<string, string> = {};
    for (const e of this.errors) {
      const match = /^\/body\/(.+)$/.exec(e.path);
      if (!match?.[1]) continue;
      const field = match[1].split('/').join('.');
      byField[field] ??= e.message;
    }
    return byField;
  }
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).title === 'string' &&
    typeof (value as Problem).status === 'number'
  );
}

function snakeCase(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

async function problemFrom(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (isProblem(body)) {
    const requestId =
      body.request_id ?? (body as { requestId?: string }).requestId ?? requestIdOf(response);
    return {
      ...body,
      type: body.type ?? 'about:blank',
      code: body.code ?? snakeCase(body.title),
      ...(requestId ? { request_id: requestId } : {}),
    };
  }
  // Not a problem document: a proxy's or a crashed server's answer.
  const title = response.statusText || `HTTP ${response.status}`;
  const requestId = requestIdOf(response);
  return {
    type: 'about:blank',
    title,
    status: response.status,
    code: snakeCase(title) || 'http_error',
    detail:
      response.status >= 500
        ? 'The Tandem server could not answer. It may be restarting; try again in a moment.'
        : `The server answered ${response.status} without an explanation.`,
    ...(requestId ? { request_id: requestId } : {}),
  };
}

function requestIdOf(response: Response): string | undefined {
  return response.headers.get('x-request-id') ?? undefined;
}

function buildUrl(
  path: string,
  params: Record<string, unknown> | undefined,
  query: Record<string, unknown> | undefined,
): string {
  const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`Missing path parameter "${name}"`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const qs = search.toString();
  return qs ? `${filled}?${qs}` : filled;
}

interface RawOptions {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  ifMatch?: string;
  signal?: AbortSignal;
}

export interface ClientConfig {
  /** Prefix for every path; the web app is served on the API's origin, so it is '' by default. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

export function createClient(config: ClientConfig = {}) {
  const baseUrl = config.baseUrl ?? '';

  async function request(method: Method, path: string, options: RawOptions = {}) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.ifMatch) headers['if-match'] = options.ifMatch;
    const url = baseUrl + buildUrl(path, options.params, options.query);
    const doFetch = config.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: method.toUpperCase(),
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
        credentials: 'same-origin',
      });
    } catch (cause) {
      if (options.signal?.aborted) throw cause;
      throw new ApiError({
        type: 'about:blank',
        title: 'Could not reach the Tandem server',
        status: 0,
        code: 'network_error',
        detail: 'Check that the server is running and your connection works, then try again.',
      });
    }
    if (!response.ok) {
      throw new ApiError(await problemFrom(response), {
        retryAfter: response.headers.get('retry-after'),
      });
    }
    const text = response.status === 204 ? '' : await response.text();
    return {
      data: text ? JSON.parse(text) : null,
      etag: response.headers.get('etag'),
      status: response.status,
      headers: response.headers,
    };
  }

  function method<M extends Method>(m: M) {
    return <P extends PathsWith<M>>(
      path: P,
      ...[options]: OptionsArg<OperationOf<M, P>>
    ): Promise<ApiResponse<ResponseOf<M, P>>> =>
      request(m, path, options as RawOptions) as Promise<ApiResponse<ResponseOf<M, P>>>;
  }

  return {
    get: method('get'),
    post: method('post'),
    put: method('put'),
    patch: method('patch'),
    delete: method('delete'),
  };
}

export const api = createClient();
