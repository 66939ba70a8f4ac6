import { migrationLevel } from '../../db/migrate.ts';
import type { AppContext } from '../../platform/context.ts';

export async function getHealth(ctx: AppContext) {
  const level = await migrationLevel(ctx.db);
  return {
    status: 'ok' as const,
    version: ctx.version,
    database: { mode: ctx.dbMode, migration: level.current, pending_migrations: level.pending },
  };
}
