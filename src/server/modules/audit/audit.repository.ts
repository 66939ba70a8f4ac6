import { sql } from 'kysely';
import type { AuditAction, Db } from '../../db/database.ts';

export interface AuditFilter {
  actorId?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: AuditAction | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Events newest first, with the actor's current name; `limit + 1` rows. */
export function listAuditEvents(
  db: Db,
  filter: AuditFilter & { limit: number; after?: [string, string] | undefined },
) {
  let query = db
    .selectFrom('audit_event')
    .leftJoin('app_user', 'app_user.id', 'audit_event.actor_id')
    .selectAll('audit_event')
    .select(['app_user.display_name as actor_name', 'app_user.deleted_at as actor_deleted_at']);
  if (filter.actorId) query = query.where('audit_event.actor_id', '=', filter.actorId);
  if (filter.entityType) query = query.where('audit_event.entity_type', '=', filter.entityType);
  if (filter.entityId) query = query.where('audit_event.entity_id', '=', filter.entityId);
  if (filter.action) query = query.where('audit_event.action', '=', filter.action);
  if (filter.from) query = query.where('audit_event.occurred_at', '>=', new Date(filter.from));
  if (filter.to) query = query.where('audit_event.occurred_at', '<', new Date(filter.to));
  if (filter.after) {
    const [at, id] = filter.after;
    query = query.where(
      sql<boolean>`(audit_event.occurred_at, audit_event.id) < (${at}::timestamptz, ${id}::uuid)`,
    );
  }
  return query
    .orderBy('audit_event.occurred_at', 'desc')
    .orderBy('audit_event.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
}
export type AuditEventRow = Awaited<ReturnType<typeof listAuditEvents>>[number];

/** The owner of a driver diagram (its charter or its project), for the diagram's history. */
export function findDiagramOwner(db: Db, id: string) {
  return db
    .selectFrom('driver_diagram')
    .select(['charter_id', 'project_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}
