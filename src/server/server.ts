import path from 'node:path';
import type { FastifyServerOptions } from 'fastify';
import { buildApp } from './app.ts';
import { openDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { hasCoalition } from './modules/coalition/coalition.service.ts';
import { type AppContext, createContext } from './platform/context.ts';
import type { Api } from './platform/http-types.ts';
import { mailTransportFromEnv } from './platform/mail.ts';
import { fileStoreFromEnv } from './platform/s3-file-store.ts';
import { seedDemo } from './seed/seed.ts';
import { demoAccountsNotice } from './seed/structure.seed.ts';
import type { SeedSize } from './seed/seed-types.ts';
import { APP_VERSION } from './version.ts';
import { buildWeb, WEB_DIST, webBuildIsStale } from './web-build.ts';

export interface StartServerOptions {
  port?: number;
  host?: string;
  /** PGlite data directory; ignored when `databaseUrl` is set. */
  dataDir?: string;
  databaseUrl?: string | undefined;
  /** Seed this demo size when the database has no coalition yet; false to never seed. */
  seed?: SeedSize | false;
  /** Directory of the built web app; defaults to dist/web, built first if missing or stale. */
  webRoot?: string;
  logger?: FastifyServerOptions['logger'];
  /** Status lines for a person (the CLI prints them); silent by default. */
  say?: (line: string) => void;
  /** Aborts a first-start seed (Ctrl-C): the seed's transaction rolls back. */
  signal?: AbortSignal;
}

export interface RunningServer {
  url: string;
  app: Api;
  /** The services' context (tests use it to create users and fixtures directly). */
  ctx: AppContext;
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const say = options.say ?? (() => {});
  const handle = await openDatabase({
    databaseUrl: options.databaseUrl,
    dataDir: options.databaseUrl ? undefined : path.resolve(options.dataDir ?? 'data'),
    appVersion: APP_VERSION,
  });
  let app: Api | undefined;
  try {
    const applied = await migrateToLatest(handle.db);
    if (applied.length > 0) say(`Applied ${applied.length} migration(s): ${applied.join(', ')}`);
    const dataDir = path.resolve(options.dataDir ?? 'data');
    const mail = mailTransportFromEnv({ dataDir, log: say });
    say(mail.description);
    const files = fileStoreFromEnv({ dataDir });
    say(files.description);
    const ctx = createContext(handle.db, handle.mode, APP_VERSION, {
      mail: mail.transport,
      files: files.store,
    });
    if (options.seed && !(await hasCoalition(ctx))) {
      say(`Seeding the demo coalition (${options.seed})…`);
      await seedDemo(ctx, {
        size: options.seed,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      say(demoAccountsNotice());
    }
    const webRoot = options.webRoot ?? WEB_DIST;
    if (options.webRoot === undefined && webBuildIsStale()) {
      say('Building the web app (first start or changed sources)…');
      await buildWeb();
    }
    app = await buildApp({
      ctx,
      webRoot,
      logger: options.logger,
      trustProxy: trustProxyFrom(process.env.TANDEM_TRUST_PROXY),
    });
    const host = options.host ?? 'localhost';
    const address = await app.listen({ port: options.port ?? 3000, host });
    const port = new URL(address).port;
    // Say "localhost" when that is what was asked for (it may have bound ::1 and 127.0.0.1).
    const url = host === 'localhost' ? `http://localhost:${port}` : address;
    ctx.publicUrl = (process.env.TANDEM_PUBLIC_URL ?? url).replace(/\/+$/, '');
    return {
      url,
      app,
      ctx,
      async close() {
        await app?.close();
        await handle.close();
      },
    };
  } catch (error) {
    await app?.close().catch(() => {});
    await handle.close().catch(() => {});
    throw error;
  }
}

/** TANDEM_TRUST_PROXY: "true" or the proxies' addresses ("10.0.0.1,10.0.0.0/8"). */
function trustProxyFrom(value: string | undefined): boolean | string {
  if (!value || value === 'false') return false;
  return value === 'true' ? true : value;
}
