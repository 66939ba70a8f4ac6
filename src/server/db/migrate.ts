import { type MigrationResult, Migrator, sql } from 'kysely';
import { StartupError } from '../platform/startup-error.ts';
import type { Db } from './database.ts';
import { migrations } from './migrations/index.ts';

const migrator = (db: Db) =>
  new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });

export interface MigrationStatus {
  name: string;
  applied_at: Date | null;
}

export const knownMigrations = (): string[] => Object.keys(migrations).sort();

/** Names recorded in the database's migration table, oldest first (empty on a new database). */
async function appliedMigrations(db: Db): Promise<{ name: string; timestamp: Date }[]> {
  const exists = await sql<{ present: boolean }>`
    select to_regclass('kysely_migration') is not null as present`.execute(db);
  if (!exists.rows[0]?.present) return [];
  const result = await sql<{ name: string; timestamp: string }>`
    select name, timestamp from kysely_migration order by name`.execute(db);
  return result.rows.map((row) => ({ name: row.name, timestamp: new Date(row.timestamp) }));
}

/** Refuses a database that a newer Tandem has migrated past what this version knows. */
export async function assertNotNewer(db: Db): Promise<void> {
  const known = new Set(knownMigrations());
  const unknown = (await appliedMigrations(db)).filter((m) => !known.has(m.name));
  if (unknown.length > 0) {
    throw new StartupError(
      `This database was written by a newer version of Tandem (it has migration ${unknown[0]?.name}, ` +
        'unknown to this version). Upgrade Tandem, or restore a backup with `tandem import`.',
    );
  }
}

/**
 * Applies every pending migration. On PostgreSQL (and PGlite) Kysely runs them in one
 * transaction, so a failing migration leaves the database exactly as it was.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  await assertNotNewer(db);
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    throw new StartupError(
      `Migration ${failed?.migrationName ?? '(unknown)'} failed, nothing was changed: ${reason}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Migrates exactly to `target` (used to restore an archive at its own migration level). */
export async function migrateTo(db: Db, target: string): Promise<void> {
  const { error } = await migrator(db).migrateTo(target);
  if (error) throw error;
}

export async function migrationStatus(db: Db): Promise<MigrationStatus[]> {
  const applied = new Map((await appliedMigrations(db)).map((m) => [m.name, m.timestamp]));
  return knownMigrations().map((name) => ({ name, applied_at: applied.get(name) ?? null }));
}

export async function migrationLevel(db: Db): Promise<{ current: string | null; pending: number }> {
  const status = await migrationStatus(db);
  const applied = status.filter((s) => s.applied_at);
  return { current: applied.at(-1)?.name ?? null, pending: status.length - applied.length };
}
