/**
 * A real Tandem server for the browser tests: the built web app and the API on one origin, on a
 * free port, with a fresh data directory. The web app is built first when dist/web is missing or
 * older than its sources.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const WEB_SOURCES = [join(repoRoot, 'src/web'), join(repoRoot, 'vite.config.ts')];
const WEB_ROOT = join(repoRoot, 'dist/web');
const BUILT_INDEX = join(WEB_ROOT, 'index.html');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function webBuildIsStale(): boolean {
  if (!existsSync(BUILT_INDEX)) return true;
  const built = statSync(BUILT_INDEX).mtimeMs;
  return WEB_SOURCES.some((source) => existsSync(source) && newestMtime(source) > built);
}

let building: Promise<void> | undefined;

/** Builds dist/web with the repository's vite.config.ts, once per test process, if stale. */
export function ensureWebBuild(): Promise<void> {
  building ??= (async () => {
    if (!webBuildIsStale()) return;
    const { build } = await import('vite');
    // The test runner sets NODE_ENV=test; the app must be the production build users get.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: join(repoRoot, 'vite.config.ts'),
        mode: 'production',
        logLevel: 'warn',
      });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  })();
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
    webRoot: WEB_ROOT,
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
