import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeS3, startFakeS3 } from '../../../test/support/fake-s3.ts';
import {
  fileStoreFromEnv,
  S3Error,
  type S3FileStoreConfig,
  s3FileStore,
  s3ObjectUrl,
} from './s3-file-store.ts';
import { StartupError } from './startup-error.ts';

let s3: FakeS3;
beforeAll(async () => {
  s3 = await startFakeS3({ buckets: ['tandem', 'other'] });
});
afterAll(async () => {
  await s3.close();
});
beforeEach(() => {
  s3.failWith(undefined);
  s3.requests.length = 0;
});

const configFor = (extra: Partial<S3FileStoreConfig> = {}): S3FileStoreConfig => ({
  endpoint: s3.endpoint,
  region: s3.region,
  bucket: 'tandem',
  credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  ...extra,
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('s3FileStore against the fake S3', () => {
  it('puts, gets and deletes an object, signed and streamed', async () => {
    const store = s3FileStore(configFor());
    expect(store.kind).toBe('s3');
    const data = Buffer.from('Attendance: 4 of 5\n\u0000\u00ff binary too');
    await store.put('file-1', data);
    const stored = s3.object('tandem', 'file-1');
    expect(stored?.data.equals(data)).toBe(true);
    expect(stored?.contentType).toBe('application/octet-stream');
    const put = s3.requests.at(-1);
    expect(put).toMatchObject({ method: 'PUT', url: '/tandem/file-1', status: 200 });
    expect(put?.headers['content-length']).toBe(String(data.length));
    expect(put?.headers.authorization).toMatch(
      /SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date,/,
    );

    const got = await store.get('file-1');
    expect(got?.size).toBe(data.length);
    expect((await readAll(got?.stream as Readable)).equals(data)).toBe(true);

    await store.delete('file-1');
    expect(s3.object('tandem', 'file-1')).toBeUndefined();
    expect(await store.get('file-1')).toBeUndefined();
    await store.delete('file-1'); // a missing object is not an error
    expect(s3.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      'PUT 200',
      'GET 200',
      'DELETE 204',
      'GET 404',
      'DELETE 204',
    ]);
  });

  it('streams a larger object in chunks', async () => {
    const store = s3FileStore(configFor());
    const data = Buffer.alloc(3 * 1024 * 1024 + 7, 'x');
    data.write('end', data.length - 3);
    await store.put('big.bin', data);
    const got = await store.get('big.bin');
    expect(got?.size).toBe(data.length);
    expect((await readAll(got?.stream as Readable)).equals(data)).toBe(true);
  });

  it('applies the prefix, and keeps buckets apart', async () => {
    const store = s3FileStore(configFor({ prefix: 'attachments/2026/' }));
    await store.put('abc', Buffer.from('one'));
    expect(s3.requests.at(-1)?.url).toBe('/tandem/attachments/2026/abc');
    expect(s3.object('tandem', 'attachments/2026/abc')?.data.toString()).toBe('one');
    expect(s3.object('tandem', 'abc')).toBeUndefined();
    expect(await s3FileStore(configFor({ bucket: 'other' })).get('abc')).toBeUndefined();
  });

  it('refuses a key with bad characters before any request', async () => {
    const store = s3FileStore(configFor());
    for (const key of ['../etc/passwd', 'a/b', '.hidden', '', 'a b', 'é', 'x'.repeat(201)]) {
      await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(/Invalid file store key/);
      await expect(store.get(key)).rejects.toThrow(/Invalid file store key/);
      await expect(store.delete(key)).rejects.toThrow(/Invalid file store key/);
    }
    expect(s3.requests).toEqual([]);
  });

  it('a wrong secret fails with SignatureDoesNotMatch, never showing the secret', async () => {
    const secret = 'wrong/secret+VALUE';
    const store = s3FileStore(
      configFor({ credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: secret } }),
    );
    const error = await failureOf(store.put('k', Buffer.from('x')));
    expect(error).toBeInstanceOf(S3Error);
    expect(error.message).toMatch(
      /^S3 PUT tandem\/k at http:\/\/127\.0\.0\.1:\d+: HTTP 403: SignatureDoesNotMatch: The request signature/,
    );
    expect(error).toMatchObject({ httpStatus: 403, s3Code: 'SignatureDoesNotMatch' });
    const shown = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain('Signature=');
    // Not fields Fastify would turn into the client's answer.
    expect(error).not.toHaveProperty('statusCode');
    expect(error).not.toHaveProperty('code');
    expect(s3.object('tandem', 'k')).toBeUndefined();
  });

  it('a wrong access key id or a missing bucket is an error, not a missing file', async () => {
    const unknownKey = s3FileStore(
      configFor({ credentials: { accessKeyId: 'NOPE', secretAccessKey: s3.secretAccessKey } }),
    );
    expect((await failureOf(unknownKey.get('k'))).message).toMatch(/403: InvalidAccessKeyId/);
    const noBucket = s3FileStore(configFor({ bucket: 'missing-bucket' }));
    expect((await failureOf(noBucket.get('k'))).message).toMatch(/404: NoSuchBucket/);
    expect((await failureOf(noBucket.delete('k'))).message).toMatch(/404: NoSuchBucket/);
  });

  it('turns server errors into errors with the status and S3 code', async () => {
    const store = s3FileStore(configFor());
    s3.failWith({ status: 503, code: 'SlowDown' });
    const put = await failureOf(store.put('k', Buffer.from('x')));
    expect(put.message).toMatch(/PUT tandem\/k .*: HTTP 503: SlowDown: Please reduce/);
    expect((await failureOf(store.get('k'))).message).toMatch(/GET .*HTTP 503: SlowDown/);
    expect((await failureOf(store.delete('k'))).message).toMatch(/DELETE .*HTTP 503/);
    s3.failWith({ status: 500, code: 'InternalError', methods: ['GET'], times: 1 });
    await store.put('k', Buffer.from('x'));
    expect((await failureOf(store.get('k'))).message).toMatch(/HTTP 500: InternalError/);
    expect((await store.get('k'))?.size).toBe(1); // only once
  });

  it('reports an unreachable server and a silent one', async () => {
    const http = await import('node:http');
    const listen = async (server: import('node:http').Server) => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as { port: number }).port;
    };
    // A port that was just free: nothing listens there any more.
    const gone = http.createServer();
    const closedPort = await listen(gone);
    await new Promise((resolve) => gone.close(resolve));
    const down = s3FileStore(configFor({ endpoint: `http://127.0.0.1:${closedPort}` }));
    expect((await failureOf(down.get('k'))).message).toBe(
      `S3 GET tandem/k at http://127.0.0.1:${closedPort}: could not reach the server (ECONNREFUSED)`,
    );
    const silent = http.createServer(() => {}); // accepts, never answers
    try {
      const port = await listen(silent);
      const store = s3FileStore(
        configFor({ endpoint: `http://127.0.0.1:${port}`, timeoutMs: 200 }),
      );
      expect((await failureOf(store.put('k', Buffer.from('x')))).message).toMatch(
        /no answer within 0\.2 s$/,
      );
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('cuts a download that stalls, with an error on the stream', async () => {
    const http = await import('node:http');
    const stalling = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': 10 });
      res.write('12345'); // and never the rest
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = stalling.address() as { port: number };
      const store = s3FileStore(
        configFor({ endpoint: `http://127.0.0.1:${port}`, timeoutMs: 300 }),
      );
      const got = await store.get('k');
      expect(got?.size).toBe(10);
      const error = await failureOf(readAll(got?.stream as Readable));
      expect(error.message).toMatch(/^S3 GET tandem\/k at .*: the download stalled for 0\.3 s$/);
    } finally {
      stalling.closeAllConnections();
      await new Promise((resolve) => stalling.close(resolve));
    }
  });
});

describe('object URLs', () => {
  const base = {
    endpoint: 'https://s3.eu-west-1.amazonaws.com',
    region: 'eu-west-1',
    bucket: 'tandem-files',
  };

  it('path-style by default, with the prefix and an endpoint base path', () => {
    expect(s3ObjectUrl(base, 'abc').href).toBe(
      'https://s3.eu-west-1.amazonaws.com/tandem-files/abc',
    );
    expect(s3ObjectUrl({ ...base, prefix: 'att/x-' }, 'a_b.c').href).toBe(
      'https://s3.eu-west-1.amazonaws.com/tandem-files/att/x-a_b.c',
    );
    expect(s3ObjectUrl({ ...base, endpoint: 'http://minio.local:9000/s3/' }, 'abc').href).toBe(
      'http://minio.local:9000/s3/tandem-files/abc',
    );
  });

  it('virtual-hosted when path style is off', () => {
    expect(s3ObjectUrl({ ...base, pathStyle: false }, 'abc').href).toBe(
      'https://tandem-files.s3.eu-west-1.amazonaws.com/abc',
    );
    expect(
      s3ObjectUrl(
        { ...base, endpoint: 'https://storage.example.org:8443', pathStyle: false, prefix: 'p/' },
        'abc',
      ).href,
    ).toBe('https://tandem-files.storage.example.org:8443/p/abc');
    expect(() =>
      s3ObjectUrl({ ...base, endpoint: 'http://127.0.0.1:9000', pathStyle: false }, 'k'),
    ).toThrow(/need a DNS name/);
  });

  it('refuses bad buckets, prefixes and endpoints', () => {
    expect(() => s3ObjectUrl({ ...base, bucket: 'Upper_Case' }, 'k')).toThrow(/bucket name/);
    for (const prefix of ['/abs', 'a//b', '../up', 'a/./b', 'sp ace/'])
      expect(() => s3ObjectUrl({ ...base, prefix }, 'k')).toThrow(/not a usable prefix/);
    expect(() => s3ObjectUrl({ ...base, endpoint: 'ftp://x' }, 'k')).toThrow(/unsupported scheme/);
    expect(() => s3ObjectUrl({ ...base, endpoint: 'https://u:p@x' }, 'k')).toThrow(/user name/);
  });
});

describe('fileStoreFromEnv', () => {
  const dataDir = path.join(os.tmpdir(), 'tandem-data-never-created');

  it('uses the disk without TANDEM_S3_BUCKET', () => {
    const { store, description } = fileStoreFromEnv({ dataDir, env: {} });
    expect(store.kind).toBe('disk');
    expect(description).toBe(
      `Attachments: files in ${path.join(dataDir, 'files')} (set TANDEM_S3_BUCKET to keep them in S3-compatible storage)`,
    );
    expect(
      fileStoreFromEnv({ dataDir, env: { TANDEM_FILES_DIR: '/srv/files' } }).description,
    ).toMatch(/^Attachments: files in \/srv\/files /);
    expect(fs.existsSync(dataDir)).toBe(false); // nothing is created before the first upload
  });

  const full = {
    TANDEM_S3_BUCKET: 'tandem',
    TANDEM_S3_ACCESS_KEY_ID: 'AKID',
    TANDEM_S3_SECRET_ACCESS_KEY: 'very/secret',
    TANDEM_S3_SESSION_TOKEN: 'session-token-value',
  };

  it('uses the bucket when configured, describing it without secrets', async () => {
    const aws = fileStoreFromEnv({ dataDir, env: full });
    expect(aws.store.kind).toBe('s3');
    expect(aws.description).toBe(
      'Attachments: S3 bucket tandem at https://s3.us-east-1.amazonaws.com',
    );
    const minio = fileStoreFromEnv({
      dataDir,
      env: {
        ...full,
        TANDEM_S3_ENDPOINT: 'http://127.0.0.1:9000/',
        TANDEM_S3_REGION: 'eu-central-1',
        TANDEM_S3_PREFIX: 'attachments/',
      },
    });
    expect(minio.description).toBe(
      'Attachments: S3 bucket tandem at http://127.0.0.1:9000 (prefix attachments/)',
    );
    expect(
      fileStoreFromEnv({
        dataDir,
        env: { ...full, TANDEM_S3_REGION: 'eu-west-3', TANDEM_S3_PATH_STYLE: 'false' },
      }).description,
    ).toBe(
      'Attachments: S3 bucket tandem at https://s3.eu-west-3.amazonaws.com (virtual-hosted URLs)',
    );
    for (const description of [aws.description, minio.description]) {
      expect(description).not.toContain('secret');
      expect(description).not.toContain('AKID');
      expect(description).not.toContain('session-token');
    }
  });

  it('the configured store talks to the fake S3, session token and all', async () => {
    const { store } = fileStoreFromEnv({
      dataDir,
      env: {
        TANDEM_S3_BUCKET: 'tandem',
        TANDEM_S3_ENDPOINT: s3.endpoint,
        TANDEM_S3_ACCESS_KEY_ID: s3.accessKeyId,
        TANDEM_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        TANDEM_S3_SESSION_TOKEN: 'tok',
        TANDEM_S3_PREFIX: 'env/',
      },
    });
    await store.put('from-env', Buffer.from('hi'));
    expect(s3.object('tandem', 'env/from-env')?.data.toString()).toBe('hi');
    expect(s3.requests.at(-1)?.headers['x-amz-security-token']).toBe('tok');
  });

  it('refuses a bucket without credentials, naming the variable', () => {
    const { TANDEM_S3_SECRET_ACCESS_KEY: _, ...noSecret } = full;
    const error = (env: NodeJS.ProcessEnv) => {
      try {
        fileStoreFromEnv({ dataDir, env });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a StartupError');
    };
    const missingSecret = error(noSecret);
    expect(missingSecret).toBeInstanceOf(StartupError);
    expect(missingSecret.message).toBe(
      'TANDEM_S3_BUCKET is set, so attachments go to S3, but TANDEM_S3_SECRET_ACCESS_KEY is not set.',
    );
    expect(error({ TANDEM_S3_BUCKET: 'tandem' }).message).toMatch(
      /TANDEM_S3_ACCESS_KEY_ID and TANDEM_S3_SECRET_ACCESS_KEY are not set/,
    );
    const badEndpoint = error({ ...full, TANDEM_S3_ENDPOINT: 'not a url' });
    expect(badEndpoint).toBeInstanceOf(StartupError);
    expect(badEndpoint.message).toMatch(/^TANDEM_S3_ENDPOINT: not a valid URL/);
    expect(
      error({ ...full, TANDEM_S3_ENDPOINT: 'https://key:very%2Fsecret@s3.example.org' }).message,
    ).toMatch(/^TANDEM_S3_ENDPOINT: must not contain a user name or password/);
    expect(error({ ...full, TANDEM_S3_BUCKET: 'No_Such' }).message).toMatch(/^TANDEM_S3_BUCKET: /);
    expect(error({ ...full, TANDEM_S3_PREFIX: '../x' }).message).toMatch(/^TANDEM_S3_PREFIX: /);
    expect(error({ ...full, TANDEM_S3_REGION: 'eu/west' }).message).toMatch(/^TANDEM_S3_REGION: /);
    expect(error({ ...full, TANDEM_S3_PATH_STYLE: 'maybe' }).message).toBe(
      'TANDEM_S3_PATH_STYLE must be true or false.',
    );
    expect(
      error({ ...full, TANDEM_S3_ENDPOINT: 'http://10.0.0.5:9000', TANDEM_S3_PATH_STYLE: 'false' })
        .message,
    ).toMatch(/^TANDEM_S3_PATH_STYLE: virtual-hosted URLs need a DNS name/);
  });
});
