/**
 * An in-process S3 stand-in for tests: a `node:http` server on 127.0.0.1 that keeps objects in
 * memory per bucket and key, speaks path-style PUT / GET / HEAD / DELETE object, answers errors
 * as S3 does (an XML `<Error>` document with Code and Message), and verifies every request's
 * Signature Version 4 the way S3 does: from the request as received (method, raw path and query,
 * the signed headers' values, `x-amz-content-sha256`), recomputed with the known secret. It
 * reuses the signer from src for that; the signer itself is checked against AWS's published
 * examples in sigv4.test.ts.
 *
 * Every request is recorded (`requests`), and `failWith()` makes the next requests fail, to test
 * error paths.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  parseAmzDate,
  parseAuthorization,
  sha256Hex,
  signRequest,
} from '../../src/server/platform/sigv4.ts';

export interface FakeS3Object {
  data: Buffer;
  contentType: string;
}

export interface FakeS3Request {
  method: string;
  /** The raw request target, e.g. `/tandem/attachments/abc`. */
  url: string;
  bucket: string;
  key: string;
  /** Lower-case header names, as received. */
  headers: http.IncomingHttpHeaders;
  bodyBytes: number;
  status: number;
  /** The S3 error code answered, if any. */
  error?: string | undefined;
}

export interface FakeS3 {
  /** `http://127.0.0.1:<port>`: the endpoint to configure. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  buckets: Map<string, Map<string, FakeS3Object>>;
  requests: FakeS3Request[];
  /** The stored object, if any. */
  object(bucket: string, key: string): FakeS3Object | undefined;
  /**
   * Answers the next `times` requests (default: all, until `failWith(undefined)`) whose method is
   * in `methods` (default: any) with this status and S3 error code, after checking the signature.
   */
  failWith(
    failure: { status: number; code: string; methods?: string[]; times?: number } | undefined,
  ): void;
  close(): Promise<void>;
}

const MAX_SKEW_MS = 15 * 60 * 1000; // S3's limit (RequestTimeTooSkewed)

const MESSAGES: Record<string, string> = {
  AccessDenied: 'Access Denied',
  AuthorizationHeaderMalformed: 'The authorization header is malformed.',
  InternalError: 'We encountered an internal error. Please try again.',
  InvalidAccessKeyId: 'The AWS Access Key Id you provided does not exist in our records.',
  InvalidURI: "Couldn't parse the specified URI.",
  MethodNotAllowed: 'The specified method is not allowed against this resource.',
  NoSuchBucket: 'The specified bucket does not exist',
  NoSuchKey: 'The specified key does not exist.',
  RequestTimeTooSkewed:
    "The difference between the request time and the server's time is too large.",
  ServiceUnavailable: 'Please reduce your request rate.',
  SignatureDoesNotMatch:
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  SlowDown: 'Please reduce your request rate.',
  XAmzContentSHA256Mismatch:
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
};

const xmlEscape = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

export async function startFakeS3(
  options: {
    buckets?: string[];
    region?: string;
    accessKeyId?: string;
    secretAccessKey?: string;
  } = {},
): Promise<FakeS3> {
  const region = options.region ?? 'us-east-1';
  const accessKeyId = options.accessKeyId ?? 'FAKEACCESSKEYID';
  const secretAccessKey = options.secretAccessKey ?? 'fake/secret+key/for/tests';
  const buckets = new Map<string, Map<string, FakeS3Object>>(
    (options.buckets ?? ['tandem']).map((name) => [name, new Map()]),
  );
  const requests: FakeS3Request[] = [];
  let failure: { status: number; code: string; methods?: string[]; times?: number } | undefined;

  /** The reason the signature is refused (S3 error code), or undefined if it is valid. */
  function checkSignature(req: http.IncomingMessage, body: Buffer): string | undefined {
    const auth = parseAuthorization(String(req.headers.authorization ?? ''));
    if (!auth) return req.headers.authorization ? 'AuthorizationHeaderMalformed' : 'AccessDenied';
    if (auth.accessKeyId !== accessKeyId) return 'InvalidAccessKeyId';
    if (auth.region !== region || auth.service !== 's3') return 'AuthorizationHeaderMalformed';
    const stamp = String(req.headers['x-amz-date'] ?? '');
    const date = parseAmzDate(stamp);
    if (!date || stamp.slice(0, 8) !== auth.day) return 'AccessDenied';
    if (Math.abs(Date.now() - date.getTime()) > MAX_SKEW_MS) return 'RequestTimeTooSkewed';
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
    if (payloadHash !== sha256Hex(body)) return 'XAmzContentSHA256Mismatch';
    const signed = new Set(auth.signedHeaders);
    for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
      if (!signed.has(required)) return 'AccessDenied';
    }
    const headers: Record<string, string> = {};
    for (const name of signed) {
      const value = req.headers[name];
      if (value === undefined) return 'AccessDenied'; // a signed header that did not arrive
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const token = headers['x-amz-security-token'];
    const expected = signRequest({
      method: req.method ?? 'GET',
      url: `http://${req.headers.host}${req.url}`,
      headers,
      payloadHash,
      credentials: { accessKeyId, secretAccessKey, sessionToken: token },
      region,
      date,
    });
    if (expected.signedHeaders !== auth.signedHeaders.join(';')) return 'SignatureDoesNotMatch';
    const a = Buffer.from(expected.signature, 'hex');
    const b = Buffer.from(auth.signature, 'hex');
    return a.length === b.length && timingSafeEqual(a, b) ? undefined : 'SignatureDoesNotMatch';
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = req.method ?? 'GET';
      const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
      const [, rawBucket = '', ...rawKey] = rawPath.split('/');
      let bucket = '';
      let key = '';
      try {
        bucket = decodeURIComponent(rawBucket);
        key = decodeURIComponent(rawKey.join('/'));
      } catch {
        // answered as InvalidURI below
      }
      const record: FakeS3Request = {
        method,
        url: req.url ?? '/',
        bucket,
        key,
        headers: req.headers,
        bodyBytes: body.length,
        status: 0,
      };
      requests.push(record);
      const answer = (status: number, headers: Record<string, string | number>, data?: Buffer) => {
        record.status = status;
        res.writeHead(status, headers);
        res.end(method === 'HEAD' ? undefined : data);
      };
      const error = (status: number, code: string) => {
        record.error = code;
        const xml =
          '<?xml version="1.0" encoding="UTF-8"?>\n' +
          `<Error><Code>${code}</Code><Message>${xmlEscape(MESSAGES[code] ?? code)}</Message>` +
          `<Resource>${xmlEscape(rawPath)}</Resource><RequestId>fake</RequestId></Error>`;
        const data = Buffer.from(xml);
        answer(status, { 'content-type': 'application/xml', 'content-length': data.length }, data);
      };

      const refused = checkSignature(req, body);
      if (refused) {
        const status =
          refused === 'XAmzContentSHA256Mismatch' || refused === 'AuthorizationHeaderMalformed'
            ? 400
            : 403;
        return error(status, refused);
      }
      if (failure && (!failure.methods || failure.methods.includes(method))) {
        const { status, code } = failure;
        if (failure.times !== undefined && --failure.times <= 0) failure = undefined;
        return error(status, code);
      }
      if (!bucket || !key)
        return error(bucket ? 405 : 400, bucket ? 'MethodNotAllowed' : 'InvalidURI');
      const objects = buckets.get(bucket);
      if (!objects) return error(404, 'NoSuchBucket');
      switch (method) {
        case 'PUT': {
          objects.set(key, {
            data: body,
            contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'),
          });
          const etag = `"${createHash('md5').update(body).digest('hex')}"`;
          return answer(200, { etag, 'content-length': 0 });
        }
        case 'GET':
        case 'HEAD': {
          const object = objects.get(key);
          if (!object) return error(404, 'NoSuchKey');
          return answer(
            200,
            { 'content-type': object.contentType, 'content-length': object.data.length },
            object.data,
          );
        }
        case 'DELETE':
          objects.delete(key); // S3 answers 204 whether or not the key existed
          return answer(204, {});
        default:
          return error(405, 'MethodNotAllowed');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region,
    accessKeyId,
    secretAccessKey,
    buckets,
    requests,
    object: (bucket, key) => buckets.get(bucket)?.get(key),
    failWith(next) {
      failure = next ? { ...next } : undefined;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
