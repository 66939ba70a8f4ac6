import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 for S3 requests, signed in the Authorization header. Pure: the caller
 * gives the method, URL, headers, payload hash, credentials, region and time; the answer is the
 * headers to send. Written from AWS's description of the algorithm:
 *
 * - "Authenticating Requests (AWS Signature Version 4)" and "Signature Calculations for the
 *   Authorization Header", Amazon S3 API Reference
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html), whose four
 *   worked examples (GET object with Range, PUT object, GET bucket lifecycle, GET bucket list)
 *   are reproduced in sigv4.test.ts;
 * - "Create a canonical request for Signature Version 4", IAM User Guide
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
 *
 * S3 differs from other AWS services in one point: the canonical URI is the path encoded once,
 * not twice, and empty or dot segments are not normalised away.
 */

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials (STS): sent, and signed, as `x-amz-security-token`. */
  sessionToken?: string | undefined;
}

export interface SigV4Request {
  method: string;
  /** Path-style (`https://host/bucket/key`) or virtual-hosted (`https://bucket.host/key`). */
  url: URL | string;
  /** Headers to send and sign (names in any case), besides the ones the signature adds. */
  headers?: Record<string, string> | undefined;
  /** Lower-case hex SHA-256 of the body (`sha256Hex(body)`; for no body, of the empty string). */
  payloadHash: string;
  credentials: SigV4Credentials;
  region: string;
  /** Defaults to `s3`. */
  service?: string | undefined;
  /** The signing time (sent as `x-amz-date`); AWS refuses a request more than 15 minutes off. */
  date: Date;
}

export interface SigV4Signed {
  /**
   * Every header to send, names in lower case: the request's own plus `host`, `x-amz-date`,
   * `x-amz-content-sha256`, `x-amz-security-token` (with a session token) and `authorization`.
   */
  headers: Record<string, string>;
  /** Intermediate results, for tests and for a server that verifies a signature. */
  canonicalRequest: string;
  stringToSign: string;
  signedHeaders: string;
  signature: string;
}

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** SHA-256 of the empty string: the payload hash of a request without a body. */
export const EMPTY_PAYLOAD_HASH =
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Headers that proxies and HTTP clients add, drop or rewrite on the way: signing them would make
 * a correct request fail verification. `authorization` holds the signature itself.
 */
const UNSIGNED_HEADERS = new Set([
  'authorization',
  'connection',
  'expect',
  'keep-alive',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * RFC 3986 percent-encoding as SigV4 wants it: the unreserved characters `A–Z a–z 0–9 - . _ ~`
 * stay, every other UTF-8 byte becomes `%XX` with upper-case hex (so a space is `%20`, never
 * `+`). With `keepSlash`, `/` stays too (for object key paths).
 */
export function uriEncode(value: string, keepSlash = false): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(char) || (keepSlash && char === '/')) out += char;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `%XX` sequences decoded; a stray `%` (not a valid escape) is kept as it is. */
function decodePart(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The canonical URI: the path as S3 sees it (each segment percent-decoded once, as the server
 * does to find the key), encoded once with `uriEncode`, `/` kept. So an already encoded path
 * (`/a%20b`, as `URL` produces) and a raw one (`/a b`) give the same result, and `$` is `%24`.
 */
export function canonicalUri(pathname: string): string {
  const path = pathname === '' ? '/' : pathname;
  return path
    .split('/')
    .map((segment) => uriEncode(decodePart(segment)))
    .join('/');
}

/**
 * The canonical query string: each parameter name and value decoded, then encoded with
 * `uriEncode`, sorted by name then value (code-point order of the encoded strings), joined with
 * `&`; a parameter without a value (`?lifecycle`) is `lifecycle=`. `+` is taken literally, not
 * as a space: S3 clients encode a space as `%20`.
 */
export function canonicalQuery(search: string): string {
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (query === '') return '';
  const pairs = query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? '' : part.slice(eq + 1);
      return [uriEncode(decodePart(name)), uriEncode(decodePart(value))] as const;
    });
  pairs.sort(([an, av], [bn, bv]) => compare(an, bn) || compare(av, bv));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A header value in canonical form: trimmed, inner runs of spaces and tabs made one space. */
export function canonicalHeaderValue(value: string): string {
  return value.trim().replace(/[ \t]+/g, ' ');
}

/** `20130524T000000Z`, the ISO 8601 basic format SigV4 uses for `x-amz-date`. */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The key that signs for one day, region and service (the "signing key" of the AWS docs). */
function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  const hmac = (key: string | Buffer, data: string) =>
    createHmac('sha256', key).update(data, 'utf8').digest();
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
}

/** Signs `request`; see `SigV4Signed` for what comes back. */
export function signRequest(request: SigV4Request): SigV4Signed {
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url;
  const service = request.service ?? 's3';
  const stamp = amzDate(request.date);
  const day = stamp.slice(0, 8);
  const scope = `${day}/${request.region}/${service}/aws4_request`;

  // Header names are case-insensitive: collect them lower-cased, repeated ones joined by ",".
  const headers = new Map<string, string>();
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    const previous = headers.get(key);
    headers.set(key, previous === undefined ? value : `${previous},${value}`);
  };
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    const key = name.toLowerCase();
    // These four are the signature's own; a caller's copy would contradict it.
    if (['host', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token'].includes(key))
      continue;
    add(key, value);
  }
  // URL.host leaves out the scheme's default port and includes any other, as HTTP clients send
  // it in the Host header (RFC 9110 §7.2).
  headers.set('host', url.host);
  headers.set('x-amz-date', stamp);
  headers.set('x-amz-content-sha256', request.payloadHash);
  if (request.credentials.sessionToken) {
    headers.set('x-amz-security-token', request.credentials.sessionToken);
  }

  const signed = [...headers.keys()].filter((name) => !UNSIGNED_HEADERS.has(name)).sort(compare);
  const signedHeaders = signed.join(';');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.search),
    signed.map((name) => `${name}:${canonicalHeaderValue(headers.get(name) ?? '')}\n`).join(''),
    signedHeaders,
    request.payloadHash,
  ].join('\n');
  const stringToSign = [SIGV4_ALGORITHM, stamp, scope, sha256Hex(canonicalRequest)].join('\n');
  const signature = createHmac(
    'sha256',
    signingKey(request.credentials.secretAccessKey, day, request.region, service),
  )
    .update(stringToSign, 'utf8')
    .digest('hex');

  const out = Object.fromEntries(headers);
  out.authorization =
    `${SIGV4_ALGORITHM} Credential=${request.credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { headers: out, canonicalRequest, stringToSign, signedHeaders, signature };
}

export interface ParsedAuthorization {
  accessKeyId: string;
  day: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/**
 * Reads an `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header (what
 * `signRequest` writes), for a server that verifies signatures; undefined if malformed.
 */
export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const match =
    /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request\s*,\s*SignedHeaders=([a-z0-9;-]+)\s*,\s*Signature=([0-9a-f]{64})$/.exec(
      value.trim(),
    );
  if (!match) return undefined;
  const [, accessKeyId = '', day = '', region = '', service = '', headers = '', signature = ''] =
    match;
  return { accessKeyId, day, region, service, signedHeaders: headers.split(';'), signature };
}

/** The time in an `x-amz-date` value (`20130524T000000Z`), or undefined if malformed. */
export function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const date = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
}
