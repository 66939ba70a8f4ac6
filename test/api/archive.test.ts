import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArchiveOptions, exportArchive, importArchive } from '../../src/server/db/archive.ts';
import { uploadAttachment } from '../../src/server/modules/improvement/pdsa.service.ts';
import { SYSTEM } from '../../src/server/platform/access.ts';
import type { FileStore } from '../../src/server/platform/file-store.ts';
import { s3FileStore } from '../../src/server/platform/s3-file-store.ts';
import { seedDemo } from '../../src/server/seed/seed.ts';
import { type FakeS3, startFakeS3 } from '../support/fake-s3.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

let source: TestDatabase;
let dir: string;
/** The attachments added to the demo data, with their bytes. */
const attached: { id: string; data: Buffer }[] = [];
beforeAll(async () => {
  source = await createTestDatabase();
  await seedDemo(source.ctx, { size: 'small' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-archive-'));
  const cycle = await source.db
    .selectFrom('pdsa_cycle')
    .select('id')
    .where('state', '<>', 'completed')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const files = [
    { filename: 'notes.txt', data: Buffer.from('Attendance: 4 of 5\n') },
    // Binary, and larger than a readline chunk once base64-encoded.
    {
      filename: 'photo.png',
      data: Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251)),
    },
  ];
  for (const file of files) {
    const made = await uploadAttachment(source.ctx, SYSTEM, cycle.id, {
      filename: file.filename,
      contentType: 'application/octet-stream',
      data: file.data,
    });
    attached.push({ id: made.id, data: file.data });
  }
});
afterAll(async () => {
  await source.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const storeOf = (t: TestDatabase): FileStore => {
  if (!t.ctx.files) throw new Error('test database without a file store');
  return t.ctx.files;
};

async function bytesIn(store: FileStore, key: string): Promise<Buffer | undefined> {
  const stored = await store.get(key);
  if (!stored) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stored.stream as Readable) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Exports the source with its files; the archive's path. */
async function exportSource(name: string, options: ArchiveOptions = {}) {
  const file = path.join(dir, name);
  const result = await exportArchive(source.db, file, 'test', {
    files: storeOf(source),
    ...options,
  });
  return { file, result };
}

const readLines = (file: string) => fs.readFileSync(file, 'utf8').trimEnd().split('\n');
const writeLines = (file: string, lines: string[]) =>
  fs.writeFileSync(file, `${lines.join('\n')}\n`);

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
  it('restores into an empty database with identical data and files', async () => {
    const { file: first, result } = await exportSource('first.jsonl');
    expect(result.counts.organisation).toBeGreaterThan(20);
    expect(result).toMatchObject({ files: 2, missingFiles: [] });
    expect(fs.readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
    await withEmptyDatabase(async (target) => {
      expect(await importArchive(target.db, first, { files: storeOf(target) })).toEqual(result);
      const second = path.join(dir, 'second.jsonl');
      await exportArchive(target.db, second, 'test', { files: storeOf(target) });
      expect(body(second)).toEqual(body(first));
      for (const { id, data } of attached) {
        expect((await bytesIn(storeOf(target), id))?.equals(data)).toBe(true);
      }
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

  it('restores the files into another kind of store (disk → S3)', async () => {
    const { file } = await exportSource('to-s3.jsonl');
    const s3: FakeS3 = await startFakeS3({ buckets: ['restore'] });
    try {
      const bucket = s3FileStore({
        endpoint: s3.endpoint,
        region: s3.region,
        bucket: 'restore',
        prefix: 'tandem/',
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      });
      await withEmptyDatabase(async (target) => {
        const result = await importArchive(target.db, file, { files: bucket });
        expect(result.files).toBe(2);
        for (const { id, data } of attached) {
          expect(s3.object('restore', `tandem/${id}`)?.data.equals(data)).toBe(true);
        }
        expect(fs.readdirSync(target.filesDir)).toEqual([]);
      });
    } finally {
      await s3.close();
    }
  });

  it('refuses a non-empty database', async () => {
    const { file } = await exportSource('again.jsonl');
    await expect(importArchive(source.db, file, { files: storeOf(source) })).rejects.toThrow(
      /not empty/,
    );
  });

  it('restores nothing from a truncated archive, and removes the files it wrote', async () => {
    const { file: full } = await exportSource('full.jsonl');
    const lines = readLines(full);
    const truncated = path.join(dir, 'truncated.jsonl');
    writeLines(truncated, lines.slice(0, -1)); // the file lines are there, the end line is not
    await withEmptyDatabase(async (target) => {
      await expect(importArchive(target.db, truncated, { files: storeOf(target) })).rejects.toThrow(
        /truncated/,
      );
      expect(await target.db.selectFrom('organisation').selectAll().execute()).toHaveLength(0);
      expect(await target.db.selectFrom('coalition').selectAll().execute()).toHaveLength(0);
      expect(fs.readdirSync(target.filesDir)).toEqual([]);
    });
  });

  it('names the line of a corrupt record, and restores nothing', async () => {
    const { file: full } = await exportSource('full2.jsonl');
    const lines = readLines(full);
    lines[4] = '{"table": "organisation", "row": {"id": "not-a-uuid"';
    const corrupt = path.join(dir, 'corrupt.jsonl');
    writeLines(corrupt, lines);
    await withEmptyDatabase(async (target) => {
      await expect(importArchive(target.db, corrupt, { files: storeOf(target) })).rejects.toThrow(
        /corrupt\.jsonl:5: not a JSON object/,
      );
      expect(await target.db.selectFrom('organisation').selectAll().execute()).toHaveLength(0);
    });
  });

  it('refuses a tampered file by its line: no rows, no files', async () => {
    const { file: full } = await exportSource('full3.jsonl');
    const lines = readLines(full);
    const fileLines = lines.flatMap((line, i) => (line.startsWith('{"file":') ? [i] : []));
    expect(fileLines).toHaveLength(2);
    const [header, end] = [JSON.parse(lines[0] as string), JSON.parse(lines.at(-1) as string)];
    expect(header).toMatchObject({ version: 2, files: 2 });
    expect(end).toMatchObject({ end: true, files: 2, missing_files: [] });
    // The second file: one byte changed, its line's size and SHA-256 left as they were.
    const index = fileLines[1] as number;
    const line = JSON.parse(lines[index] as string);
    const data = Buffer.from(line.data, 'base64');
    data[0] = (data[0] ?? 0) ^ 1;
    lines[index] = JSON.stringify({ ...line, data: data.toString('base64') });
    const tampered = path.join(dir, 'tampered.jsonl');
    writeLines(tampered, lines);
    await withEmptyDatabase(async (target) => {
      await expect(importArchive(target.db, tampered, { files: storeOf(target) })).rejects.toThrow(
        new RegExp(
          `tampered\\.jsonl:${index + 1}: the file of attachment [0-9a-f-]+ \\("[^"]+"\\) does not match its size and SHA-256`,
        ),
      );
      // The first file had been written: it is gone again, as are all rows.
      expect(fs.readdirSync(target.filesDir)).toEqual([]);
      expect(await target.db.selectFrom('attachment').selectAll().execute()).toHaveLength(0);
      expect(await target.db.selectFrom('organisation').selectAll().execute()).toHaveLength(0);
    });

    // A file line taken out: the count in the end line says so.
    const dropped = path.join(dir, 'dropped.jsonl');
    writeLines(
      dropped,
      readLines(full).filter((_, i) => i !== fileLines[0]),
    );
    await withEmptyDatabase(async (target) => {
      await expect(importArchive(target.db, dropped, { files: storeOf(target) })).rejects.toThrow(
        /the end line counts 2 files but the archive holds 1/,
      );
      expect(fs.readdirSync(target.filesDir)).toEqual([]);
    });
  });

  it('refuses an archive with files when there is no store to put them in', async () => {
    const { file } = await exportSource('no-store.jsonl');
    await withEmptyDatabase(async (target) => {
      await expect(importArchive(target.db, file)).rejects.toThrow(
        /no-store\.jsonl:1: the archive carries 2 attachment files, but no file store/,
      );
    });
  });

  it('records a file missing from the store, and restores its row without it', async () => {
    const [gone] = attached;
    if (!gone) throw new Error('no attachment');
    await storeOf(source).delete(gone.id);
    try {
      const warnings: string[] = [];
      const { file, result } = await exportSource('missing.jsonl', {
        onWarning: (line) => warnings.push(line),
      });
      expect(result).toMatchObject({ files: 1, missingFiles: [gone.id] });
      expect(warnings).toEqual([
        `Attachment ${gone.id} ("notes.txt"): its file is missing from the file store; the archive has its row but not the file.`,
      ]);
      expect(JSON.parse(readLines(file).at(-1) as string)).toMatchObject({
        files: 1,
        missing_files: [gone.id],
      });
      await withEmptyDatabase(async (target) => {
        const restoreWarnings: string[] = [];
        const restored = await importArchive(target.db, file, {
          files: storeOf(target),
          onWarning: (line) => restoreWarnings.push(line),
        });
        expect(restored).toMatchObject({ files: 1, missingFiles: [gone.id] });
        expect(restoreWarnings).toEqual([
          `Attachment ${gone.id} ("notes.txt") was restored without its file: it was missing when the archive was made.`,
        ]);
        expect(await target.db.selectFrom('attachment').selectAll().execute()).toHaveLength(2);
        expect(fs.readdirSync(target.filesDir).sort()).toEqual([attached[1]?.id]);
      });
    } finally {
      await storeOf(source).put(gone.id, gone.data);
    }
  });

  it('still imports a version 1 archive (rows only)', async () => {
    const { file: full, result } = await exportSource('v2.jsonl');
    const v1 = readLines(full)
      .filter((line) => !line.startsWith('{"file":'))
      .map((line, i, all) => {
        const record = JSON.parse(line);
        if (i === 0) {
          const { files: _, ...header } = record;
          return JSON.stringify({ ...header, version: 1 });
        }
        if (i === all.length - 1) return JSON.stringify({ end: true, counts: record.counts });
        return line;
      });
    const old = path.join(dir, 'v1.jsonl');
    writeLines(old, v1);
    await withEmptyDatabase(async (target) => {
      const warnings: string[] = [];
      const restored = await importArchive(target.db, old, {
        files: storeOf(target),
        onWarning: (line) => warnings.push(line),
      });
      expect(restored).toEqual({ counts: result.counts, files: 0, missingFiles: [] });
      expect(warnings).toEqual([
        expect.stringMatching(
          /^The archive carries no attachment files .*: 2 attachments were restored without them/,
        ),
      ]);
      expect(fs.readdirSync(target.filesDir)).toEqual([]);
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
