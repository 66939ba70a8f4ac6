import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { type DatabaseHandle, openDatabase } from '../../src/server/db/connect.ts';
import { type AppContext, createContext } from '../../src/server/platform/context.ts';
import { diskFileStore } from '../../src/server/platform/file-store.ts';
import type { Api } from '../../src/server/platform/http-types.ts';
import { adminPool, databaseUrlFor, testDatabaseMode } from './test-database-url.ts';

export interface TestDatabase extends DatabaseHandle {
  ctx: AppContext;
  /** The directory of `ctx.files` (attachments), removed on close. */
  filesDir: string;
}

/** A file store of its own in a temporary directory. */
function testFiles() {
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-files-'));
  return { filesDir, files: diskFileStore(filesDir) };
}

/** A migrated, empty database of its own for one test file (or one test). */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDatabaseMode() === 'postgres') {
    const name = `tandem_t_${randomBytes(6).toString('hex')}`;
    const admin = adminPool();
    try {
      await admin.query(`create database ${name} template ${inject('postgresTemplate')}`);
    } finally {
      await admin.end();
    }
    const handle = await openDatabase({ databaseUrl: databaseUrlFor(name), appVersion: 'test' });
    const { filesDir, files } = testFiles();
    return {
      ...handle,
      ctx: createContext(handle.db, handle.mode, 'test', { files }),
      filesDir,
      async close() {
        await handle.close();
        fs.rmSync(filesDir, { recursive: true, force: true });
        const dropper = adminPool();
        try {
          await dropper.query(`drop database if exists ${name} with (force)`);
        } finally {
          await dropper.end();
        }
      },
    };
  }
  const template = fs.readFileSync(inject('pgliteTemplate'));
  const handle = await openDatabase({ loadDataDir: new Blob([template]), appVersion: 'test' });
  const { filesDir, files } = testFiles();
  return {
    ...handle,
    ctx: createContext(handle.db, handle.mode, 'test', { files }),
    filesDir,
    async close() {
      await handle.close();
      fs.rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

export interface TestApp extends TestDatabase {
  app: Api;
}

export async function createTestApp(
  options: { bodyLimit?: number; trustProxy?: boolean } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const app = await buildApp({ ctx: database.ctx, ...options });
  await app.ready();
  return {
    ...database,
    app,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
