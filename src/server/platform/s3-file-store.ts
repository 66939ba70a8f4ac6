import { isIP } from 'node:net';
import { pipeline, Readable, Transform } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import { checkKey, diskFileStore, type FileStore, filesDirFrom } from './file-store.ts';
import {
  EMPTY_PAYLOAD_HASH,
  type SigV4Credentials,
  sha256Hex,
  signRequest,
  uriEncode,
} from './sigv4.ts';
import { StartupError } from './startup-error.ts';

/**
 * The file store in an S3-compatible bucket (Amazon S3, MinIO, Ceph RGW, Garage, …) over the
 * global `fetch`, each request signed with AWS Signature Version 4 (`sigv4.ts`). It uses three
 * operations of the S3 REST API, as documented in the Amazon S3 API Reference: PutObject
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html), GetObject
 * (…/API_GetObject.html) and DeleteObject (…/API_DeleteObject.html); errors come back as an XML
 * `<Error><Code>…</Code><Message>…</Message></Error>` document (…/ErrorResponses.html).
 *
 * No error from here carries the secret key, the session token or the Authorization header.
 */

export interface S3FileStoreConfig {
  /** Base URL of the service: `https://s3.eu-west-1.amazonaws.com`, `http://127.0.0.1:9000`. */
  endpoint: string;
  /** The signing region (`us-east-1` for most S3-compatible servers). */
  region: string;
  bucket: string;
  credentials: SigV4Credentials;
  /** Prepended to every key (`attachments/`), so that one bucket can hold other things too. */
  prefix?: string | undefined;
  /**
   * Path-style URLs (`<endpoint>/<bucket>/<key>`), what MinIO, Ceph and Garage expect, unless
   * false: virtual-hosted (`<bucket>.<endpoint host>/<key>`), what AWS prefers.
   */
  pathStyle?: boolean | undefined;
  /**
   * Milliseconds to wait for an answer (headers), and between two chunks of a download; a PUT's
   * body is sent within the same budget. Default 30 s.
   */
  timeoutMs?: number | undefined;
  /** The signing clock (tests). */
  now?: (() => Date) | undefined;
}

export const DEFAULT_S3_TIMEOUT_MS = 30_000;

/**
 * A failed S3 request. Its fields are deliberately not called `statusCode` or `code`: Fastify's
 * error handler would read those as the HTTP answer to the client (an S3 403 would become the
 * client's 403); a storage failure is the server's, a 500.
 */
export class S3Error extends Error {
  override readonly name = 'S3Error';
  constructor(
    message: string,
    /** S3's HTTP status, when it answered. */
    readonly httpStatus?: number,
    /** S3's error code (`NoSuchBucket`, `SignatureDoesNotMatch`, …), when it said one. */
    readonly s3Code?: string,
  ) {
    super(message);
  }
}

/** The parts of the endpoint URL kept: scheme, host, port and an optional base path. */
function parseEndpoint(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Shown only when it cannot hold a password ("user:password@host").
    const shown = raw.includes('@') ? '' : ` (${JSON.stringify(raw)})`;
    throw new TypeError(
      `not a valid URL${shown}; expected e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:9000`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`unsupported scheme "${url.protocol}"; expected http: or https:`);
  }
  // Credentials in the URL would end up in logs; they belong in the TANDEM_S3_* variables.
  if (url.username || url.password) {
    throw new TypeError('must not contain a user name or password; use TANDEM_S3_ACCESS_KEY_ID');
  }
  if (url.search || url.hash) throw new TypeError('must not have a query string or fragment');
  return url;
}

/**
 * Bucket names as S3 allows them ("Bucket naming rules", Amazon S3 User Guide,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html): 3–63 lower-case
 * letters, digits, dots and hyphens, beginning and ending with a letter or digit.
 */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** A prefix of safe characters whose segments are neither empty nor `.`/`..`. */
function checkPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const segments = prefix.split('/');
  const last = segments.length - 1;
  const ok =
    /^[A-Za-z0-9._\-/]+$/.test(prefix) &&
    segments.every((s, i) => (s !== '' || i === last) && s !== '.' && s !== '..');
  if (!ok) {
    throw new TypeError(
      `${JSON.stringify(prefix)} is not a usable prefix: letters, digits, ".", "_", "-" and "/" between non-empty segments (e.g. attachments/)`,
    );
  }
  return prefix;
}

function checkBucket(bucket: string): string {
  if (!BUCKET.test(bucket)) {
    throw new TypeError(
      `${JSON.stringify(bucket)} is not a valid bucket name (3–63 lower-case letters, digits, "." and "-")`,
    );
  }
  return bucket;
}

/** The region is part of the signature's credential scope, which a "/" would break. */
function checkRegion(region: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(region)) {
    throw new TypeError(`${JSON.stringify(region)} is not a valid region name`);
  }
  return region;
}

function checkAddressing(endpoint: URL, pathStyle: boolean): boolean {
  if (!pathStyle && isIP(endpoint.hostname.replace(/^\[(.*)\]$/, '$1'))) {
    throw new TypeError(
      `virtual-hosted URLs need a DNS name, not the address ${endpoint.hostname}; use path-style`,
    );
  }
  return pathStyle;
}

interface ResolvedConfig {
  endpoint: URL;
  bucket: string;
  prefix: string;
  pathStyle: boolean;
}

/** Checks a configuration once (TypeError on a bad value); the store then trusts it. */
function resolveConfig(
  config: Pick<S3FileStoreConfig, 'endpoint' | 'bucket' | 'prefix' | 'pathStyle' | 'region'>,
): ResolvedConfig {
  const endpoint = parseEndpoint(config.endpoint);
  checkRegion(config.region);
  return {
    endpoint,
    bucket: checkBucket(config.bucket),
    prefix: checkPrefix(config.prefix ?? ''),
    pathStyle: checkAddressing(endpoint, config.pathStyle ?? true),
  };
}

/**
 * The URL of the object for `key`: `<endpoint>/<bucket>/<prefix><key>` (path-style) or
 * `<scheme>://<bucket>.<endpoint host>/<prefix><key>` (virtual-hosted). The object key is
 * percent-encoded exactly as the signature's canonical URI is (`/` kept), so what is sent is what
 * was signed.
 */
export function s3ObjectUrl(
  config: Pick<S3FileStoreConfig, 'endpoint' | 'bucket' | 'prefix' | 'pathStyle' | 'region'>,
  key: string,
): URL {
  return objectUrl(resolveConfig(config), checkKey(key));
}

function objectUrl(resolved: ResolvedConfig, key: string): URL {
  const url = new URL(resolved.endpoint.href);
  const objectPath = uriEncode(`${resolved.prefix}${key}`, true);
  // An endpoint with a base path (a gateway mounting S3 under /s3) keeps it; "/" is none.
  const base = resolved.endpoint.pathname.replace(/\/+$/, '');
  if (resolved.pathStyle) {
    url.pathname = `${base}/${uriEncode(resolved.bucket)}/${objectPath}`;
  } else {
    url.hostname = `${resolved.bucket}.${url.hostname}`;
    url.pathname = `${base}/${objectPath}`;
  }
  return url;
}

/** `http://127.0.0.1:9000` or `https://s3.eu-west-1.amazonaws.com/base`: for messages. */
function describeEndpoint(endpoint: URL): string {
  return `${endpoint.origin}${endpoint.pathname.replace(/\/+$/, '')}`;
}

const codePoint = (n: number) => (n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '\ufffd');

/**
 * The first `<name>…</name>` of an XML document, entities decoded, on one line and at most 300
 * characters: it goes into an error message and a log line, whatever the server sent.
 */
function xmlField(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  if (!match) return undefined;
  const text = (match[1] ?? '')
    .replace(/&#x([0-9a-f]{1,8});/gi, (_, hex: string) => codePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d{1,8});/g, (_, dec: string) => codePoint(Number(dec)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

/** At most `limit` bytes of a response body as text: enough for an S3 error document. */
async function readCapped(response: Response, limit = 64 * 1024): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/**
 * A timer that aborts a request: first while waiting for the answer, then (re-armed by each
 * chunk) while a download is idle. `onFire` says what else to do when it fires.
 */
function deadline(controller: AbortController, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  let onFire = () => {};
  const stop = () => clearTimeout(timer);
  const arm = () => {
    stop();
    timer = setTimeout(() => {
      onFire();
      controller.abort();
    }, ms);
    timer.unref(); // never what keeps the process alive
  };
  arm();
  return {
    arm,
    stop,
    whenFired(action: () => void) {
      onFire = action;
    },
  };
}

export function s3FileStore(config: S3FileStoreConfig): FileStore {
  const resolved = resolveConfig(config);
  const timeoutMs = config.timeoutMs ?? DEFAULT_S3_TIMEOUT_MS;
  const seconds = `${timeoutMs / 1000} s`;
  const now = config.now ?? (() => new Date());
  const where = describeEndpoint(resolved.endpoint);
  const secrets = [config.credentials.secretAccessKey, config.credentials.sessionToken].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  // Belt and braces: S3 never echoes the secret, but a proxy's error page might echo headers.
  const redact = (text: string) =>
    secrets.reduce((acc, secret) => acc.split(secret).join('[redacted]'), text);
  const what = (method: string, key: string) =>
    `S3 ${method} ${resolved.bucket}/${resolved.prefix}${key} at ${where}`;

  async function send(method: 'GET' | 'PUT' | 'DELETE', key: string, body?: Buffer) {
    const url = objectUrl(resolved, checkKey(key));
    const signed = signRequest({
      method,
      url,
      headers: body
        ? { 'content-type': 'application/octet-stream', 'content-length': String(body.length) }
        : {},
      payloadHash: body ? sha256Hex(body) : EMPTY_PAYLOAD_HASH,
      credentials: config.credentials,
      region: config.region,
      date: now(),
    });
    // fetch derives Host from the URL (the value that was signed) and would ignore ours.
    const { host: _host, ...headers } = signed.headers;
    // Not signed, so a proxy may rewrite it. Identity: Content-Length is then the object's size.
    headers['accept-encoding'] = 'identity';
    const controller = new AbortController();
    const timer = deadline(controller, timeoutMs);
    try {
      const response = await fetch(url, {
        method,
        headers,
        // A Buffer is an ArrayBuffer-backed Uint8Array; the DOM typing wants that spelt out.
        ...(body ? { body: body as Uint8Array<ArrayBuffer> } : {}),
        signal: controller.signal,
        // A redirect (wrong region: 301 PermanentRedirect) would be re-sent with a signature
        // for the wrong host; report it as an error instead.
        redirect: 'manual',
      });
      return { response, timer };
    } catch (error) {
      timer.stop();
      throw transportError(error, what(method, key));
    }
  }

  function transportError(error: unknown, context: string): S3Error {
    const e = error as {
      name?: string;
      message?: string;
      cause?: { code?: string; message?: string };
    };
    if (e?.name === 'AbortError' || e?.name === 'TimeoutError') {
      return new S3Error(`${context}: no answer within ${seconds}`);
    }
    // undici says "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND …) in `cause`.
    const reason = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
    return new S3Error(redact(`${context}: could not reach the server (${reason})`));
  }

  /** The error for a non-2xx answer: status, and S3's Code and Message from the XML body. */
  async function failure(method: string, key: string, response: Response): Promise<S3Error> {
    const xml = await readCapped(response).catch(() => '');
    const code = xmlField(xml, 'Code');
    const message = xmlField(xml, 'Message');
    const detail = code ? `: ${code}${message ? `: ${message}` : ''}` : '';
    return new S3Error(
      redact(`${what(method, key)}: HTTP ${response.status}${detail}`),
      response.status,
      code,
    );
  }

  /** A 404 means "no such object", unless S3 says the bucket itself is missing. */
  async function throwUnlessNoSuchKey(method: string, key: string, response: Response) {
    const error = await failure(method, key, response);
    if (error.s3Code === 'NoSuchBucket') throw error;
  }

  /** Ends a request whose body is not wanted, freeing the connection. */
  async function finish(method: string, key: string, response: Response) {
    try {
      await response.body?.cancel();
    } catch (error) {
      throw transportError(error, what(method, key));
    }
  }

  return {
    kind: 's3',
    async put(key, data) {
      const { response, timer } = await send('PUT', key, data);
      try {
        if (!response.ok) throw await failure('PUT', key, response);
        await finish('PUT', key, response);
      } finally {
        timer.stop();
      }
    },
    async get(key) {
      const { response, timer } = await send('GET', key);
      if (!response.ok || !response.body) {
        try {
          if (response.status !== 404) throw await failure('GET', key, response);
          await throwUnlessNoSuchKey('GET', key, response);
          return undefined;
        } finally {
          timer.stop();
        }
      }
      const length = response.headers.get('content-length');
      const size = Number(length);
      if (length === null || !Number.isSafeInteger(size) || size < 0) {
        timer.stop();
        await response.body.cancel().catch(() => {});
        throw new S3Error(`${what('GET', key)}: the answer has no valid Content-Length`);
      }
      // From here the timer is an idle timeout: each chunk re-arms it, so a large file going to
      // a slow client is fine, while a stalled transfer ends the stream with an error.
      const source = Readable.fromWeb(
        response.body as unknown as NodeWebReadableStream<Uint8Array>,
      );
      const stream = new Transform({
        transform(chunk, _encoding, done) {
          timer.arm();
          done(null, chunk);
        },
      });
      timer.whenFired(() =>
        stream.destroy(new S3Error(`${what('GET', key)}: the download stalled for ${seconds}`)),
      );
      timer.arm();
      // Also the other way: a reader that goes away (client disconnect) cancels the download.
      pipeline(source, stream, () => timer.stop());
      return { size, stream };
    },
    async delete(key) {
      const { response, timer } = await send('DELETE', key);
      try {
        if (response.status === 404) return await throwUnlessNoSuchKey('DELETE', key, response);
        if (!response.ok) throw await failure('DELETE', key, response);
        await finish('DELETE', key, response);
      } finally {
        timer.stop();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Configuration from the environment

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/**
 * The file store the environment asks for, and one line for the start-up log (never a secret):
 *
 * - TANDEM_S3_BUCKET set: the bucket, through `s3FileStore`, with TANDEM_S3_ENDPOINT (default
 *   `https://s3.<region>.amazonaws.com`), TANDEM_S3_REGION (default `us-east-1`),
 *   TANDEM_S3_ACCESS_KEY_ID and TANDEM_S3_SECRET_ACCESS_KEY (both required),
 *   TANDEM_S3_SESSION_TOKEN (optional), TANDEM_S3_PREFIX (default none) and TANDEM_S3_PATH_STYLE
 *   (default true; false for virtual-hosted URLs);
 * - otherwise files on disk in TANDEM_FILES_DIR or `<dataDir>/files`.
 *
 * A wrong or missing setting is a StartupError naming the variable, so it fails at start-up
 * rather than at the first upload.
 */
export function fileStoreFromEnv(options: { dataDir: string; env?: NodeJS.ProcessEnv }): {
  store: FileStore;
  description: string;
} {
  const env = options.env ?? process.env;
  const bucket = env.TANDEM_S3_BUCKET?.trim();
  if (!bucket) {
    const dir = filesDirFrom(options.dataDir, env);
    return {
      store: diskFileStore(dir),
      description: `Attachments: files in ${dir} (set TANDEM_S3_BUCKET to keep them in S3-compatible storage)`,
    };
  }
  const region = env.TANDEM_S3_REGION?.trim() || 'us-east-1';
  const endpoint = env.TANDEM_S3_ENDPOINT?.trim() || `https://s3.${region}.amazonaws.com`;
  const accessKeyId = env.TANDEM_S3_ACCESS_KEY_ID?.trim() ?? '';
  const secretAccessKey = env.TANDEM_S3_SECRET_ACCESS_KEY?.trim() ?? '';
  const missing = [
    ...(accessKeyId ? [] : ['TANDEM_S3_ACCESS_KEY_ID']),
    ...(secretAccessKey ? [] : ['TANDEM_S3_SECRET_ACCESS_KEY']),
  ];
  if (missing.length > 0) {
    throw new StartupError(
      `TANDEM_S3_BUCKET is set, so attachments go to S3, but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set.`,
    );
  }
  const pathStyleRaw = env.TANDEM_S3_PATH_STYLE?.trim().toLowerCase() ?? '';
  if (pathStyleRaw && !TRUE.has(pathStyleRaw) && !FALSE.has(pathStyleRaw)) {
    throw new StartupError('TANDEM_S3_PATH_STYLE must be true or false.');
  }
  const setting = <T>(variable: string, check: () => T): T => {
    try {
      return check();
    } catch (error) {
      throw new StartupError(`${variable}: ${(error as Error).message}`);
    }
  };
  const resolved: ResolvedConfig = {
    endpoint: setting('TANDEM_S3_ENDPOINT', () => parseEndpoint(endpoint)),
    bucket: setting('TANDEM_S3_BUCKET', () => checkBucket(bucket)),
    prefix: setting('TANDEM_S3_PREFIX', () => checkPrefix(env.TANDEM_S3_PREFIX?.trim() ?? '')),
    pathStyle: true,
  };
  setting('TANDEM_S3_REGION', () => checkRegion(region));
  resolved.pathStyle = setting('TANDEM_S3_PATH_STYLE', () =>
    checkAddressing(resolved.endpoint, !FALSE.has(pathStyleRaw)),
  );
  const store = s3FileStore({
    endpoint,
    region,
    bucket,
    credentials: {
      accessKeyId,
      secretAccessKey,
      sessionToken: env.TANDEM_S3_SESSION_TOKEN?.trim() || undefined,
    },
    prefix: resolved.prefix,
    pathStyle: resolved.pathStyle,
  });
  const notes = [
    ...(resolved.prefix ? [`prefix ${resolved.prefix}`] : []),
    ...(resolved.pathStyle ? [] : ['virtual-hosted URLs']),
  ];
  return {
    store,
    description: `Attachments: S3 bucket ${bucket} at ${describeEndpoint(resolved.endpoint)}${notes.length ? ` (${notes.join(', ')})` : ''}`,
  };
}
