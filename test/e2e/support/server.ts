/**
 * A real Tandem server for the browser tests: the built web app and the API on one origin, on a
 * free port, with a fresh data directory. The web app is built first when dist/web is missing or
 * older than its sources.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWeb, WEB_DIST, webBuildIsStale } from '../../../src/server/web-build.ts';

let building: Promise<void> | undefined;

/** Builds dist/web (as `npm start` would) once per test process, if missing or stale. */
export function ensureWebBuild(): Promise<void> {
  building ??= webBuildIsStale() ? buildWeb() : Promise.resolve();
  return building;
}

export interface TestServer {
  url: string;
  /** Fetches from the server and returns the parsed JSON body (throws on a non-2xx answer). */
  json<T = unknown>(path: string, init?: RequestInit): Promise<{ body: T; etag: string | null }>;
  close(): Promise<void>;
}

export async function startTestServer(
  options: { seed?: 'small' | false } = {},
): Promise<TestServer> {
  await ensureWebBuild();
  const dataDir = await mkdtemp(join(tmpdir(), 'tandem-e2e-'));
  const { startServer } = await import('../../../src/server/server.ts');
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    seed: options.seed ?? 'small',
    webRoot: WEB_DIST,
  });
  return {
    url: server.url,
    async json<T>(path: string, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      if (init.body !== undefined) headers.set('content-type', 'application/json');
      const response = await fetch(new URL(path, server.url), { ...init, headers });
      const text = await response.text();
      if (!response.ok)
        throw new Error(`${init.method ?? 'GET'} ${path} → ${response.status}: ${text}`);
      return { body: (text ? JSON.parse(text) : null) as T, etag: response.headers.get('etag') };
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
