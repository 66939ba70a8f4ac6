import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { StartupError } from '../platform/startup-error.ts';
import { copyRequest } from './copy.ts';
import { acquireDataDirLock, checkDataDirFormat, type DataDirLock } from './data-dir.ts';
import type { Database, DatabaseMode, Db } from './database.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { sharedParsers } from './type-parsers.ts';

export interface OpenDatabaseOptions {
  /** postgres://… selects server mode; otherwise PGlite in `dataDir`. */
  databaseUrl?: string | undefined;
  /** PGlite data directory (its files live in `<dataDir>/pgdata`). */
  dataDir?: string | undefined;
  /** Load a PGlite database from a `dumpDataDir()` archive instead of a directory (tests). */
  loadDataDir?: Blob | undefined;
  appVersion: string;
}

export interface DatabaseHandle {
  db: Db;
  mode: DatabaseMode;
  /** Only set in PGlite mode. */
  pglite?: PGlite;
  close(): Promise<void>;
}

const WAL_LIMIT = '128MB';

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPGlite(options);
}

/**
 * A pg client that also runs copyRows (db/copy.ts): a query whose one parameter is a CopyPayload
 * is streamed as COPY … FROM STDIN on this same client, so inside the caller's transaction.
 */
class CopyingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() has many overloads; this only adds one
  override query(...args: any[]): any {
    const copy =
      typeof args[0] === 'string' && Array.isArray(args[1]) && copyRequest(args[0], args[1]);
    if (!copy) return (super.query as (...a: unknown[]) => unknown)(...args);
    const stream = super.query(copyFrom(copy.sql));
    return pipeline(Readable.from([Buffer.from(copy.payload.text, 'utf8')]), stream).then(() => ({
      command: 'COPY',
      rowCount: stream.rowCount,
      rows: [],
    }));
  }
}

async function openPostgres(databaseUrl: string): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    Client: CopyingClient,
    connectionString: databaseUrl,
    max: 10,
    connectionTimeoutMillis: 5000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        sharedParsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // Idle clients can error when the server restarts; without a listener that kills the process.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new StartupError(
      `Cannot connect to PostgreSQL at ${redactUrl(databaseUrl)}: ${(error as Error).message || String(error)}`,
    );
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, mode: 'postgres', close: () => db.destroy() };
}

async function openPGlite(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  let lock: DataDirLock | undefined;
  let pgliteDir: string | undefined;
  if (options.dataDir) {
    lock = acquireDataDirLock(options.dataDir);
    try {
      checkDataDirFormat(options.dataDir, options.appVersion);
    } catch (error) {
      lock.release();
      throw error;
    }
    pgliteDir = path.join(options.dataDir, 'pgdata');
  }
  try {
    let pglite = await createPGlite(pgliteDir, options.loadDataDir);
    // ALTER SYSTEM only takes effect on restart, hence the reopen. Without it a bulk load grows
    // the WAL to ~1 GB (architecture note).
    const wal = await pglite.query<{ max_wal_size: string }>('show max_wal_size');
    if (wal.rows[0]?.max_wal_size !== WAL_LIMIT && pgliteDir) {
      await pglite.query(`alter system set max_wal_size = '${WAL_LIMIT}'`);
      await pglite.close();
      pglite = await createPGlite(pgliteDir, undefined);
    } else if (wal.rows[0]?.max_wal_size !== WAL_LIMIT) {
      await pglite.query(`set max_wal_size = '${WAL_LIMIT}'`).catch(() => {});
    }
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    await sql`select 1`.execute(db);
    return {
      db,
      mode: 'pglite',
      pglite,
      async close() {
        try {
          await db.destroy();
          if (!pglite.closed) await pglite.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    lock?.release();
    if (error instanceof StartupError) throw error;
    throw new StartupError(
      `Cannot open the embedded database in ${pgliteDir ?? 'memory'}: ${(error as Error).message}`,
    );
  }
}

async function createPGlite(dataDir: string | undefined, loadDataDir: Blob | undefined) {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  return PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    parsers: sharedParsers,
    relaxedDurability: false,
  });
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid DATABASE_URL)';
  }
}
