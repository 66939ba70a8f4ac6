/**
 * The audit trail (docs/ARCHITECTURE.md, rule 5): every create, update and delete of a content
 * record and every role or setting change is written here, in the same transaction as the change,
 * with the record's API shape before and after. Secrets never reach it: callers pass response
 * shapes, which hold no password or token hashes.
 */
import type { AuditAction } from '../db/database.ts';
import type { Viewer } from './access.ts';
import { insertAuditEvents } from './audit.repository.ts';
import type { AppContext } from './context.ts';

export interface AuditChange {
  action: AuditAction;
  entityType: string;
  entityId: string;
  /** One line a person can read in a log, e.g. `Renamed network "A" to "B"`. */
  summary: string;
  before?: object | null;
  after?: object | null;
}

/** `ctx.db` must be the transaction that makes the change. */
export async function recordAudit(
  ctx: AppContext,
  viewer: Pick<Viewer, 'userId' | 'requestId'>,
  change: AuditChange,
): Promise<void> {
  await insertAuditEvents(ctx.db, [toRow(ctx, viewer, change, ctx.now())]);
}

function toRow(
  ctx: AppContext,
  viewer: Pick<Viewer, 'userId' | 'requestId'>,
  change: AuditChange,
  at: Date,
) {
  return {
    id: ctx.newId(),
    occurred_at: at,
    actor_id: viewer.userId ?? null,
    action: change.action,
    entity_type: change.entityType,
    entity_id: change.entityId,
    summary: change.summary.slice(0, 500),
    before: change.before ? JSON.stringify(change.before) : null,
    after: change.after ? JSON.stringify(change.after) : null,
    request_id: viewer.requestId ?? null,
  };
}

/** Many events in one statement (bulk creates, the seed). */
export async function recordAudits(
  ctx: AppContext,
  viewer: Pick<Viewer, 'userId' | 'requestId'>,
  changes: AuditChange[],
): Promise<void> {
  if (changes.length === 0) return;
  const at = ctx.now();
  await insertAuditEvents(
    ctx.db,
    changes.map((change) => toRow(ctx, viewer, change, at)),
  );
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Top-level fields whose value differs; `version` and `updated_at` are bookkeeping, left out. */
export function diffFields(before: unknown, after: unknown): FieldChange[] {
  const a = (before ?? {}) as Record<string, unknown>;
  const b = (after ?? {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (field) => field !== 'version' && field !== 'updated_at',
  );
  return fields
    .filter((field) => JSON.stringify(a[field]) !== JSON.stringify(b[field]))
    .map((field) => ({ field, before: a[field] ?? null, after: b[field] ?? null }));
}
