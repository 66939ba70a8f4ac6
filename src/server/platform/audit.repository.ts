import type { Insertable } from 'kysely';
import type { AuditEventTable, Db } from '../db/database.ts';

export async function insertAuditEvents(
  db: Db,
  rows: Insertable<AuditEventTable>[],
): Promise<void> {
  await db.insertInto('audit_event').values(rows).execute();
}
