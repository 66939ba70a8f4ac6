import { requireSignedIn, type Viewer } from '../../platform/access.ts';
import { diffFields } from '../../platform/audit.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Page, pageRequest, toPage } from '../../platform/pagination.ts';
import { getCoalition } from '../coalition/coalition.service.ts';
import { getOrganisation } from '../directory/organisation.service.ts';
import { getUser } from '../accounts/user.service.ts';
import { getNetwork } from '../structure/network.service.ts';
import { getTeam } from '../structure/team.service.ts';
import { findVisibleAnnotation } from '../improvement/annotation.service.ts';
import {
  findVisibleChangeIdea,
  findVisibleCharter,
  findVisibleCycle,
  findVisibleMeasure,
  findVisibleProject,
} from '../improvement/scope.service.ts';
import * as repo from './audit.repository.ts';
import type {
  AuditEventResponse,
  ExportAuditEventsInput,
  HistoryEntityType,
  ListAuditEventsInput,
} from './audit.schemas.ts';

export function toAuditEventResponse(row: repo.AuditEventRow): AuditEventResponse {
  return {
    id: row.id,
    occurred_at: row.occurred_at.toISOString(),
    actor: {
      id: row.actor_id,
      display_name: row.actor_id ? (row.actor_name ?? 'Unknown') : 'System',
      deleted: row.actor_deleted_at !== null && row.actor_deleted_at !== undefined,
    },
    action: row.action,
    entity_type: row.entity_type,
    entity_id: row.entity_id,
    summary: row.summary,
    changes: diffFields(row.before, row.after),
    request_id: row.request_id,
  };
}

function requireAdmin(viewer: Viewer) {
  requireSignedIn(viewer);
  if (!viewer.isAdmin)
    throw new AppError('forbidden', 'Only instance admins can read the audit log.');
}

const filterOf = (input: ExportAuditEventsInput): repo.AuditFilter => ({
  actorId: input.actor_id,
  entityType: input.entity_type,
  entityId: input.entity_id,
  action: input.action,
  from: input.from,
  to: input.to,
});
const keyOf = (row: repo.AuditEventRow) => [row.occurred_at.toISOString(), row.id];

export async function listAuditEvents(
  ctx: AppContext,
  viewer: Viewer,
  input: ListAuditEventsInput,
): Promise<Page<AuditEventResponse>> {
  requireAdmin(viewer);
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const rows = await repo.listAuditEvents(ctx.db, { ...filterOf(input), limit, after });
  return toPage(rows, limit, keyOf, toAuditEventResponse);
}

/**
 * A driver diagram (its audit events carry the diagram's own id) is as visible as its owner, the
 * charter or the project; 404 naming the diagram, never its owner, otherwise.
 */
async function findVisibleDiagram(ctx: AppContext, viewer: Viewer, id: string) {
  const owner = await repo.findDiagramOwner(ctx.db, id);
  if (!owner) throw notFound('Driver diagram', id);
  try {
    if (owner.charter_id) await findVisibleCharter(ctx, viewer, owner.charter_id);
    else if (owner.project_id) await findVisibleProject(ctx, viewer, owner.project_id);
    else throw notFound('Driver diagram', id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found')
      throw notFound('Driver diagram', id);
    throw error;
  }
}

/**
 * Checks that the viewer may see the record (404 otherwise): a record's history is as visible as
 * the record itself. Deleted records' history is in the admin log only (improvement records are
 * removed on delete, so their lookups find nothing: 404, as for a deleted team or network).
 */
const READERS: Record<
  HistoryEntityType,
  (ctx: AppContext, viewer: Viewer, id: string) => Promise<unknown>
> = {
  coalition: (ctx) => getCoalition(ctx),
  organisation: getOrganisation,
  network: getNetwork,
  team: getTeam,
  user: getUser,
  charter: findVisibleCharter,
  project: findVisibleProject,
  driver_diagram: findVisibleDiagram,
  change_idea: findVisibleChangeIdea,
  pdsa_cycle: findVisibleCycle,
  measure: findVisibleMeasure,
  annotation: findVisibleAnnotation,
};

export async function recordHistory(
  ctx: AppContext,
  viewer: Viewer,
  entityType: HistoryEntityType,
  id: string,
  input: { limit?: number | undefined; cursor?: string | undefined },
): Promise<Page<AuditEventResponse>> {
  // Histories name the people who made each change: never shown to signed-out visitors.
  requireSignedIn(viewer);
  await READERS[entityType](ctx, viewer, id);
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const rows = await repo.listAuditEvents(ctx.db, { entityType, entityId: id, limit, after });
  return toPage(rows, limit, keyOf, toAuditEventResponse);
}

const CSV_COLUMNS = [
  'occurred_at',
  'actor_id',
  'actor',
  'action',
  'entity_type',
  'entity_id',
  'summary',
  'changes',
  'request_id',
] as const;

/**
 * RFC 4180 fields; a leading = + - @ tab or CR is prefixed with ' so that a spreadsheet does not
 * run it as a formula (OWASP CSV injection).
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csvLine(event: AuditEventResponse): string {
  const changes = event.changes
    .map((c) => `${c.field}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`)
    .join('; ');
  return [
    event.occurred_at,
    event.actor.id ?? '',
    event.actor.display_name,
    event.action,
    event.entity_type,
    event.entity_id,
    event.summary,
    changes,
    event.request_id ?? '',
  ]
    .map(csvField)
    .join(',');
}

/**
 * The filtered log as CSV, newest first, produced page by page (keyset) to bound memory. The
 * access check runs before the first byte, so a refusal is a proper error response.
 */
export function exportAuditEventsCsv(
  ctx: AppContext,
  viewer: Viewer,
  input: ExportAuditEventsInput,
): AsyncGenerator<string> {
  requireAdmin(viewer);
  return csvChunks(ctx, input);
}

async function* csvChunks(ctx: AppContext, input: ExportAuditEventsInput): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  let after: [string, string] | undefined;
  const limit = 1000;
  for (;;) {
    const rows = await repo.listAuditEvents(ctx.db, { ...filterOf(input), limit, after });
    const page = rows.slice(0, limit);
    if (page.length)
      yield `${page.map((row) => csvLine(toAuditEventResponse(row))).join('\r\n')}\r\n`;
    const last = page.at(-1);
    if (rows.length <= limit || !last) return;
    after = [last.occurred_at.toISOString(), last.id];
  }
}
