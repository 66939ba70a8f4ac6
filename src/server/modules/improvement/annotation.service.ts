/**
 * Annotations: dated events drawn on charts (a change introduced, a test, a phase change, a
 * strike). A team's annotation is its work (`may.workInTeam`); a network-wide one (no team) is
 * the network's (`may.manageNetwork`). An annotation with `phase_break` is how a person accepts
 * a phase the SPC engine suggested: charts start a new phase at it (the dashboard does).
 */
import {
  ensureAllowed,
  ensureVisible,
  may,
  requireSignedIn,
  type Scoped,
  type Viewer,
  visibilityScope,
} from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { ensureCurrentVersion } from '../../platform/concurrency.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { AppError, type FieldError, notFound, validationFailed } from '../../platform/errors.ts';
import { type Page, pageRequest, toPage } from '../../platform/pagination.ts';
import { findVisibleNetwork } from '../structure/network.service.ts';
import { findVisibleTeam } from '../structure/team.service.ts';
import type {
  AnnotationResponse,
  CreateAnnotationInput,
  ListAnnotationsInput,
  UpdateAnnotationInput,
} from './annotation.schemas.ts';
import * as repo from './annotation.repository.ts';
import { findVisibleChangeIdea, findVisibleCycle, findVisibleMeasure } from './scope.service.ts';

const WHAT = 'annotation';

export const annotationScoped = (row: repo.AnnotationRow): Scoped => ({
  visibility: row.visibility,
  networkId: row.network_id,
  teamId: row.team_id,
  authorId: row.created_by,
});

function toAnnotationResponse(row: repo.AnnotationRow): AnnotationResponse {
  return {
    id: row.id,
    network_id: row.network_id,
    team_id: row.team_id,
    measure_id: row.measure_id,
    occurred_on: row.occurred_on,
    label: row.label,
    kind: row.kind,
    phase_break: row.phase_break,
    pdsa_cycle_id: row.pdsa_cycle_id,
    change_idea_id: row.change_idea_id,
    visibility: row.visibility,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** The annotation if the viewer may see it; 404 otherwise. */
export async function findVisibleAnnotation(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await repo.findAnnotation(ctx.db, id);
  if (!row) throw notFound('Annotation', id);
  ensureVisible(viewer, annotationScoped(row), 'Annotation', id);
  return row;
}

const mayWrite = (viewer: Viewer, owner: { networkId: string; teamId: string | null }) =>
  owner.teamId
    ? may.workInTeam(viewer, { id: owner.teamId, networkId: owner.networkId })
    : may.manageNetwork(viewer, owner.networkId);

const actionFor = (owner: { teamId: string | null }, verb: string) =>
  owner.teamId ? `${verb} this team's annotations` : `${verb} this network's annotations`;

export async function listAnnotations(
  ctx: AppContext,
  viewer: Viewer,
  input: ListAnnotationsInput,
): Promise<Page<AnnotationResponse>> {
  if (input.from && input.to && input.from > input.to) {
    throw validationFailed([{ path: '/query/from', message: 'must not be after to' }]);
  }
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  let team: { id: string; networkId: string } | undefined;
  if (input.team_id) {
    // The team row only says which network's shared events go with it; the rows themselves are
    // filtered by their own visibility, so an unseen team simply lists nothing.
    const row = await findVisibleTeam(ctx, viewer, input.team_id).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'not_found') return undefined;
      throw error;
    });
    if (!row) return { items: [], next_cursor: null };
    team = { id: row.id, networkId: row.network_id };
  }
  const rows = await repo.listAnnotations(ctx.db, visibilityScope(viewer), {
    limit,
    after,
    networkId: input.network_id,
    team,
    measureId: input.measure_id,
    from: input.from,
    to: input.to,
  });
  return toPage(rows, limit, repo.annotationSortKey, toAnnotationResponse);
}

export async function getAnnotation(ctx: AppContext, viewer: Viewer, id: string) {
  return toAnnotationResponse(await findVisibleAnnotation(ctx, viewer, id));
}

/** A linked record that the viewer cannot see is reported as absent, like a missing one. */
async function visibleOrUndefined<T>(find: () => Promise<T>): Promise<T | undefined> {
  try {
    return await find();
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return undefined;
    throw error;
  }
}

interface Links {
  measure_id?: string | null | undefined;
  pdsa_cycle_id?: string | null | undefined;
  change_idea_id?: string | null | undefined;
}

/** Links must be visible and of the annotation's network; a local measure only its team's. */
async function checkLinks(
  ctx: AppContext,
  viewer: Viewer,
  owner: { networkId: string; teamId: string | null },
  links: Links,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (links.measure_id) {
    const measureId = links.measure_id;
    const measure = await visibleOrUndefined(() => findVisibleMeasure(ctx, viewer, measureId));
    if (!measure) errors.push({ path: '/body/measure_id', message: 'no such measure' });
    else if (measure.network_id !== owner.networkId)
      errors.push({ path: '/body/measure_id', message: 'belongs to another network' });
    else if (measure.project_team_id !== null && measure.project_team_id !== owner.teamId)
      errors.push({
        path: '/body/measure_id',
        message: owner.teamId
          ? "is another team's local measure"
          : 'a network-wide annotation may only name a common measure',
      });
  }
  if (links.pdsa_cycle_id) {
    const cycleId = links.pdsa_cycle_id;
    const cycle = await visibleOrUndefined(() => findVisibleCycle(ctx, viewer, cycleId));
    if (!cycle) errors.push({ path: '/body/pdsa_cycle_id', message: 'no such PDSA cycle' });
    else if (cycle.network_id !== owner.networkId)
      errors.push({ path: '/body/pdsa_cycle_id', message: 'belongs to another network' });
  }
  if (links.change_idea_id) {
    const ideaId = links.change_idea_id;
    const idea = await visibleOrUndefined(() => findVisibleChangeIdea(ctx, viewer, ideaId));
    if (!idea) errors.push({ path: '/body/change_idea_id', message: 'no such change idea' });
    else if (idea.network_id !== owner.networkId)
      errors.push({ path: '/body/change_idea_id', message: 'belongs to another network' });
  }
  return errors;
}

/** Rules between fields, checked on the record as it would be stored. */
function checkShape(record: {
  team_id: string | null;
  kind: string;
  phase_break: boolean;
  visibility: string;
}): FieldError[] {
  const errors: FieldError[] = [];
  if (record.phase_break && record.kind !== 'phase_change') {
    errors.push({ path: '/body/phase_break', message: 'only an annotation of kind phase_change' });
  }
  if (record.team_id === null && record.visibility === 'team') {
    errors.push({
      path: '/body/visibility',
      message: 'a network-wide annotation has no team: use network, coalition, public or private',
    });
  }
  return errors;
}

export async function createAnnotation(
  ctx: AppContext,
  viewer: Viewer,
  input: CreateAnnotationInput,
): Promise<AnnotationResponse> {
  // Signed in first; whether this caller may write is decided once the owner is found (an
  // unseen team or network answers 404 to everyone, read-only tokens included).
  requireSignedIn(viewer);
  const teamId = input.team_id ?? null;
  if (!teamId && !input.network_id) {
    throw validationFailed([
      { path: '/body/network_id', message: 'is required for a network-wide annotation (no team)' },
    ]);
  }
  return inTransaction(ctx, async (tx) => {
    let networkId: string;
    if (teamId) {
      const team = await findVisibleTeam(tx, viewer, teamId);
      if (input.network_id && input.network_id !== team.network_id) {
        throw validationFailed([
          { path: '/body/network_id', message: "must be the team's network" },
        ]);
      }
      networkId = team.network_id;
    } else {
      networkId = (await findVisibleNetwork(tx, viewer, input.network_id as string)).id;
    }
    const owner = { networkId, teamId };
    ensureAllowed(viewer, mayWrite(viewer, owner), actionFor(owner, 'add'));
    const record = {
      team_id: teamId,
      kind: input.kind,
      phase_break: input.phase_break ?? false,
      visibility: input.visibility ?? (teamId ? 'team' : 'network'),
    } as const;
    const errors = [...checkShape(record), ...(await checkLinks(tx, viewer, owner, input))];
    if (errors.length) throw validationFailed(errors);
    const id = tx.newId();
    const now = tx.now();
    await repo.insertAnnotation(tx.db, {
      id,
      network_id: networkId,
      team_id: teamId,
      measure_id: input.measure_id ?? null,
      occurred_on: input.occurred_on,
      label: input.label.trim(),
      kind: input.kind,
      phase_break: record.phase_break,
      pdsa_cycle_id: input.pdsa_cycle_id ?? null,
      change_idea_id: input.change_idea_id ?? null,
      visibility: record.visibility,
      created_by: viewer.userId ?? null,
      created_at: now,
      updated_at: now,
    });
    const after = toAnnotationResponse(await findOrFail(tx, id));
    await recordAudit(tx, viewer, {
      action: 'create',
      entityType: WHAT,
      entityId: id,
      summary: `Added annotation "${after.label}" on ${after.occurred_on}`,
      after,
    });
    return after;
  });
}

async function findOrFail(ctx: AppContext, id: string) {
  const row = await repo.findAnnotation(ctx.db, id);
  if (!row) throw notFound('Annotation', id);
  return row;
}

export async function updateAnnotation(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
  input: UpdateAnnotationInput,
): Promise<AnnotationResponse> {
  return inTransaction(ctx, async (tx) => {
    const before = await findVisibleAnnotation(tx, viewer, id);
    const owner = { networkId: before.network_id, teamId: before.team_id };
    ensureAllowed(viewer, mayWrite(viewer, owner), actionFor(owner, 'change'));
    ensureCurrentVersion(await repo.findAnnotationForUpdate(tx.db, id), ifMatch, WHAT, id);
    const errors = [
      ...checkShape({
        team_id: before.team_id,
        kind: input.kind ?? before.kind,
        phase_break: input.phase_break ?? before.phase_break,
        visibility: input.visibility ?? before.visibility,
      }),
      ...(await checkLinks(tx, viewer, owner, input)),
    ];
    if (errors.length) throw validationFailed(errors);
    await repo.updateAnnotation(tx.db, id, {
      ...(input.measure_id !== undefined ? { measure_id: input.measure_id } : {}),
      ...(input.occurred_on !== undefined ? { occurred_on: input.occurred_on } : {}),
      ...(input.label !== undefined ? { label: input.label.trim() } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.phase_break !== undefined ? { phase_break: input.phase_break } : {}),
      ...(input.pdsa_cycle_id !== undefined ? { pdsa_cycle_id: input.pdsa_cycle_id } : {}),
      ...(input.change_idea_id !== undefined ? { change_idea_id: input.change_idea_id } : {}),
      ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
      updated_at: tx.now(),
    });
    const after = toAnnotationResponse(await findOrFail(tx, id));
    await recordAudit(tx, viewer, {
      action: 'update',
      entityType: WHAT,
      entityId: id,
      summary: `Changed annotation "${after.label}" on ${after.occurred_on}`,
      before: toAnnotationResponse(before),
      after,
    });
    return after;
  });
}

export async function deleteAnnotation(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const before = await findVisibleAnnotation(tx, viewer, id);
    const owner = { networkId: before.network_id, teamId: before.team_id };
    ensureAllowed(viewer, mayWrite(viewer, owner), actionFor(owner, 'delete'));
    ensureCurrentVersion(await repo.findAnnotationForUpdate(tx.db, id), ifMatch, WHAT, id);
    await repo.deleteAnnotation(tx.db, id);
    await recordAudit(tx, viewer, {
      action: 'delete',
      entityType: WHAT,
      entityId: id,
      summary: `Deleted annotation "${before.label}" on ${before.occurred_on}`,
      before: toAnnotationResponse(before),
    });
  });
}
