import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-db.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

const org = (name: string) => ({
  id: crypto.randomUUID(),
  name,
  type: 'school',
  nces_id: null,
  created_at: new Date(),
  updated_at: new Date(),
});
const names = async () =>
  (await t.db.selectFrom('organisation').select('name').orderBy('name').execute()).map(
    (r) => r.name,
  );

describe('transactions (both drivers, PGlite through pglite.transaction())', () => {
  it('an unrelated write issued while a transaction is open survives its rollback', async () => {
    await t.db.deleteFrom('organisation').execute();
    let unrelated: Promise<unknown> | undefined;
    const failing = t.db.transaction().execute(async (trx) => {
      await trx.insertInto('organisation').values(org('inside rolled-back tx')).execute();
      // Another "request" writes while this transaction is open…
      unrelated = t.db.insertInto('organisation').values(org('unrelated write')).execute();
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    await unrelated;
    expect(await names()).toEqual(['unrelated write']);
  });

  it('commits a successful transaction and sees its own writes inside it', async () => {
    await t.db.deleteFrom('organisation').execute();
    await t.db.transaction().execute(async (trx) => {
      await trx.insertInto('organisation').values(org('a')).execute();
      const inside = await trx.selectFrom('organisation').select('name').execute();
      expect(inside).toHaveLength(1);
    });
    expect(await names()).toEqual(['a']);
  });

  it('runs concurrent transactions one after another without mixing them', async () => {
    await t.db.deleteFrom('organisation').execute();
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        t.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('organisation')
            .values(org(`tx ${i}`))
            .execute();
          await new Promise((resolve) => setTimeout(resolve, 5));
          if (i % 2 === 1) throw new Error(`fail ${i}`);
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(3);
    expect(await names()).toEqual(['tx 0', 'tx 2', 'tx 4']);
  });
});

describe('result types are the same on both drivers', () => {
  it('returns counts and bigints as numbers, dates as ISO strings, timestamps as Date', async () => {
    const result = await sql<{ n: unknown; big: unknown; num: unknown; d: unknown; ts: unknown }>`
      select count(*) as n, 9007199254740::bigint as big, 1.25::numeric as num,
             date '2026-03-01' as d, timestamptz '2026-03-01T10:00:00Z' as ts`.execute(t.db);
    const row = result.rows[0];
    expect(row).toEqual({
      n: 1,
      big: 9007199254740,
      num: 1.25,
      d: '2026-03-01',
      ts: new Date('2026-03-01T10:00:00Z'),
    });
  });
});
