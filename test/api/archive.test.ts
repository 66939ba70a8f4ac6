import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportArchive, importArchive } from '../../src/server/db/archive.ts';
import { seedDemo } from '../../src/server/seed/seed.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

let source: TestDatabase;
let dir: string;
beforeAll(async () => {
  source = await createTestDatabase();
  await seedDemo(source.ctx, { size: 'small' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-archive-'));
});
afterAll(async () => {
  await source.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Archive lines without the header's creation time, which differs between two exports. */
const body = (file: string) => {
  const [header, ...rest] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const { created_at: _, ...stable } = JSON.parse(header as string);
  return [JSON.stringify(stable), ...rest];
};

async function withEmptyDatabase<T>(work: (t: TestDatabase) => Promise<T>): Promise<T> {
  const target = await createTestDatabase();
  try {
    return await work(target);
  } finally {
    await target.close();
  }
}

describe('export / import', () => {
  it('restores into an empty database with identical data', async () => {
    const first = path.join(dir, 'first.jsonl');
    const counts = await exportArchive(source.db, first, 'test');
    expect(counts.organisation).toBeGreaterThan(20);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
    await withEmptyDatabase(async (target) => {
      expect(await importArchive(target.db, first)).toEqual(counts);
      const second = path.join(dir, 'second.jsonl');
      await exportArchive(target.db, second, 'test');
      expect(body(second)).toEqual(body(first));
      const original = await source.db
        .selectFrom('organisation')
        .selectAll()
        .orderBy('id')
        .execute();
      const restored = await target.db
        .selectFrom('organisation')
        .selectAll()
        .orderBy('id')
        .execute();
      expect(restored).toEqual(original);
    });
  });

  it('refuses a non-empty database', async () => {
    const file = path.join(dir, 'again.jsonl');
    await exportArchive(source.db, file, 'test');
    await expect(importArchive(source.db, file)).rejects.toThrow(/not empty/);
  });

  it('restores nothing from a truncated archive', async () => {
    const full = path.join(dir, 'full.jsonl');
    await exportArchive(source.db, full, 'test');
    const lines = fs.readFileSync(full, 'utf8').trimEnd().split('\n');
    const truncated = path.join(dir, 'truncated.jsonl');
    fs.writeFileSync(truncated, `${lines.slice(0, -3).join('\n')}\n`);
    await withEmptyDatabase(async (target) => {
      await expect(importArchive(target.db, truncated)).rejects.toThrow(/truncated/);
      expect(await target.db.selectFrom('organisation').selectAll().execute()).toHaveLength(0);
      expect(await target.db.selectFrom('coalition').selectAll().execute()).toHaveLength(0);
    });
  });

  it('names the line of a corrupt record, and restores nothing', async () => {
    const full = path.join(dir, 'full2.jsonl');
    await exportArchive(source.db, full, 'test');
    const lines = fs.readFileSync(full, 'utf8').trimEnd().split('\n');
    lines[4] = '{"table": "organisation", "row": {"id": "not-a-uuid"';
    const corrupt = path.join(dir, 'corrupt.jsonl');
    fs.writeFileSync(corrupt, `${lines.join('\n')}\n`);
    await withEmptyDatabase(async (target) => {
      await expect(importArchive(target.db, corrupt)).rejects.toThrow(
        /corrupt\.jsonl:5: not a JSON object/,
      );
      expect(await target.db.selectFrom('organisation').selectAll().execute()).toHaveLength(0);
    });
  });

  it('refuses a file that is not a Tandem archive, and one from a newer Tandem', async () => {
    const other = path.join(dir, 'other.jsonl');
    fs.writeFileSync(other, '{"hello": 1}\n');
    const newer = path.join(dir, 'newer.jsonl');
    fs.writeFileSync(
      newer,
      '{"format":"tandem-archive","version":1,"migration":"29990101000000_future","tables":[],"counts":{}}\n{"end":true,"counts":{}}\n',
    );
    await withEmptyDatabase(async (target) => {
      await expect(importArchive(target.db, other)).rejects.toThrow(
        /other\.jsonl:1: not a Tandem archive/,
      );
      await expect(importArchive(target.db, newer)).rejects.toThrow(/newer Tandem/);
    });
  });
});
