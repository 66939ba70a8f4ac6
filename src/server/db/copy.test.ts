import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-db.ts';
import { copyField, copyRows } from './copy.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await sql`create table copy_probe (id int primary key, label text, amount float8, flag bool, day date)`.execute(
    t.db,
  );
});
afterAll(() => t.close());

describe('copyRows (COPY … FROM STDIN on both databases)', () => {
  it('escapes what the text format needs and nothing else', () => {
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('N/A \\N')).toBe('N/A \\\\N');
    expect(copyField(null)).toBe('\\N');
    expect(copyField(true)).toBe('t');
    expect(copyField(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(() => copyField(Number.NaN)).toThrow(/cannot carry/);
  });

  it('stores every value exactly, in a transaction that can roll it back', async () => {
    const rows = [
      [1, 'tab\there, new\nline, back\\slash, \\N literally', 1e-7, true, '2026-01-05'],
      [2, '', -12.5, false, '2024-02-29'],
      [3, null, null, null, null],
      [4, 'héllo ✓', 1.7976931348623157e308, true, '1999-12-31'],
    ] as const;
    await t.db.transaction().execute(async (trx) => {
      expect(
        await copyRows(trx, 'copy_probe', ['id', 'label', 'amount', 'flag', 'day'], rows),
      ).toBe(4);
    });
    const stored = await sql<{
      id: number;
      label: string | null;
      amount: number | null;
      flag: boolean | null;
      day: string | null;
    }>`select id, label, amount, flag, day::text as day from copy_probe order by id`.execute(t.db);
    expect(stored.rows.map((r) => [r.id, r.label, r.amount, r.flag, r.day])).toEqual(
      rows.map((r) => [...r]),
    );

    await expect(
      t.db.transaction().execute(async (trx) => {
        await copyRows(trx, 'copy_probe', ['id', 'label'], [[5, 'kept?']]);
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    await expect(
      copyRows(t.db, 'copy_probe', ['id', 'label'], [[1, 'duplicate key']]),
    ).rejects.toMatchObject({ code: '23505' });
    const count = await sql<{ n: number }>`select count(*)::int as n from copy_probe`.execute(t.db);
    expect(count.rows[0]?.n).toBe(4);
  });

  it('refuses identifiers it would have to quote', async () => {
    await expect(copyRows(t.db, 'copy_probe; drop table x', ['id'], [[9]])).rejects.toThrow(
      /plain identifier/,
    );
  });
});
