import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/server/db/connect.ts';
import { migrateToLatest } from '../../src/server/db/migrate.ts';
import { adminPool, testDatabaseMode } from './test-database-url.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite: path of a dumpDataDir() archive of a migrated database. */
    pgliteTemplate: string;
    /** PostgreSQL: name of a migrated template database. */
    postgresTemplate: string;
  }
}

/**
 * Migrates one database per run and lets every test file copy it: a fresh PGlite initdb costs
 * 4–5 s, loading a dumped one ≈ 0.8 s; on PostgreSQL `CREATE DATABASE … TEMPLATE` is instant.
 */
export default async function setup(project: TestProject) {
  if (testDatabaseMode() === 'postgres') {
    const name = `tandem_tpl_${process.pid}`;
    const admin = adminPool();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ databaseUrl: url.toString(), appVersion: 'test' });
    await migrateToLatest(handle.db);
    await handle.close();
    project.provide('postgresTemplate', name);
    project.provide('pgliteTemplate', '');
    return async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  const handle = await openDatabase({ appVersion: 'test' });
  await migrateToLatest(handle.db);
  const dump = await handle.pglite?.dumpDataDir('none');
  await handle.close();
  if (!dump) throw new Error('PGlite did not produce a dump');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-test-'));
  const file = path.join(dir, 'template.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  project.provide('postgresTemplate', '');
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
