import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './connect.ts';
import type { Db } from './database.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-connect-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const walSize = async (db: Db) =>
  (await sql<{ max_wal_size: string }>`show max_wal_size`.execute(db)).rows[0]?.max_wal_size;

describe('PGlite data directory', () => {
  it('caps the WAL at 128MB from creation on, and keeps it on reopening', async () => {
    const first = await openDatabase({ dataDir, appVersion: 'test' });
    expect(await walSize(first.db)).toBe('128MB');
    // A second opener of the same directory is refused while the first holds it.
    await expect(openDatabase({ dataDir, appVersion: 'test' })).rejects.toThrow(
      /already open in this process/,
    );
    await first.close();
    expect(fs.existsSync(path.join(dataDir, 'tandem.lock'))).toBe(false);
    const again = await openDatabase({ dataDir, appVersion: 'test' });
    expect(await walSize(again.db)).toBe('128MB');
    await again.close();
  });
});
