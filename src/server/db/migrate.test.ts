import { type Kysely, Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-db.ts';
import { assertNotNewer, migrationStatus } from './migrate.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

const tableExists = async (name: string) =>
  (
    await sql<{ present: boolean }>`select to_regclass(${name}) is not null as present`.execute(
      t.db,
    )
  ).rows[0]?.present;

describe('migrations', () => {
  it('lists every known migration as applied on the test database', async () => {
    const status = await migrationStatus(t.db);
    expect(status.length).toBeGreaterThan(0);
    expect(status.every((m) => m.applied_at instanceof Date)).toBe(true);
  });

  it('leaves the database as it was when a migration in the batch fails', async () => {
    const migrator = new Migrator({
      db: t.db,
      migrationTableName: 'probe_migration',
      migrationLockTableName: 'probe_migration_lock',
      provider: {
        getMigrations: async () => ({
          '1_good': {
            up: (db: Kysely<unknown>) =>
              db.schema.createTable('probe_good').addColumn('x', 'integer').execute(),
          },
          '2_bad': {
            up: async (db: Kysely<unknown>) =>
              void (await sql`select * from no_such_table`.execute(db)),
          },
        }),
      },
    });
    const { error, results } = await migrator.migrateToLatest();
    expect(error).toBeDefined();
    expect(results?.find((r) => r.migrationName === '2_bad')?.status).toBe('Error');
    expect(await tableExists('probe_good')).toBe(false);
    const recorded = await sql<{
      n: number;
    }>`select count(*)::int as n from probe_migration`.execute(t.db);
    expect(recorded.rows[0]?.n).toBe(0);
  });

  it('refuses a database migrated by a newer version', async () => {
    await sql`insert into kysely_migration (name, timestamp) values ('29990101000000_from_the_future', now())`.execute(
      t.db,
    );
    await expect(assertNotNewer(t.db)).rejects.toThrow(
      /newer version of Tandem.*29990101000000_from_the_future/,
    );
    await sql`delete from kysely_migration where name = '29990101000000_from_the_future'`.execute(
      t.db,
    );
    await expect(assertNotNewer(t.db)).resolves.toBeUndefined();
  });
});
