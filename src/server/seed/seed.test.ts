import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-db.ts';
import { ORGANISATION_TYPES } from '../modules/directory/organisation.schemas.ts';
import { SeedAbortedError, seedDemo } from './seed.ts';

let a: TestDatabase;
let b: TestDatabase;
beforeAll(async () => {
  [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

const snapshot = (t: TestDatabase) =>
  Promise.all([
    t.db.selectFrom('coalition').selectAll().execute(),
    t.db.selectFrom('organisation').selectAll().orderBy('id').execute(),
  ]);

describe('demo seed', () => {
  it('an interrupted seed writes nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      seedDemo(a.ctx, { size: 'small', signal: controller.signal }),
    ).rejects.toBeInstanceOf(SeedAbortedError);
    const [coalitions, organisations] = await snapshot(a);
    expect(coalitions).toHaveLength(0);
    expect(organisations).toHaveLength(0);
  });

  it('small: one coalition and ~30 organisations of every type, identical on every run', async () => {
    await seedDemo(a.ctx, { size: 'small' });
    await seedDemo(b.ctx, { size: 'small' });
    const [coalitions, organisations] = await snapshot(a);
    expect(coalitions).toHaveLength(1);
    expect(organisations.length).toBeGreaterThanOrEqual(28);
    expect(organisations.length).toBeLessThanOrEqual(35);
    expect(new Set(organisations.map((o) => o.type))).toEqual(new Set(ORGANISATION_TYPES));
    expect(await snapshot(b)).toEqual(await snapshot(a));
  });

  it('refuses to seed a database that already has a coalition', async () => {
    await expect(seedDemo(a.ctx, { size: 'small' })).rejects.toThrow(/already has a coalition/);
  });
});
