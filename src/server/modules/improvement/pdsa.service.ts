/**
 * PDSA cycles: a team's test of a change idea, moved through plan → do → study → act → completed
 * by the state machine in pdsa-state.ts, with its transition log, its ramp (the cycles built on
 * one another through previous_cycle_id) and its attachments.
 *
 * Reads follow the cycle's own visibility (scope.service.ts); writes need `may.workInTeam` of the
 * cycle's team. Every change is audited in its transaction.
 */
import { createHash } from 'node:crypto';
import {
  canSee,
  ensureAllowed,
  may,
  type Scoped,
  type Viewer,
  visibilityScope,
} from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { ensureCurrentVersion } from '../../platform/concurrency.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { AppError, type FieldError, notFound, validationFailed } from '../../platform/errors.ts';
import type { FileStore } from '../../platform/file-store.ts';
import { type Page, pageRequest, toPage } from '../../platform/pagination.ts';
import {
  type ActDoc,
  type CycleDocs,
  checkTransition,
  completedMessage,
  emptyAct,
  emptyExecution,
  emptyPlan,
  emptyStudy,
  type ExecutionDoc,
  type PdsaSection,
  type PlanDoc,
  planForNextCycle,
  type StudyDoc,
  sectionEditProblem,
} from './pdsa-state.ts';
import * as repo from './pdsa.repository.ts';
import type {
  ActInputType,
  AttachmentResponse,
  CreatePdsaCycleInput,
  ExecutionInputType,
  ListPdsaCyclesInput,
  PdsaCycleResponse,
  PdsaRampResponse,
  PdsaTransitionResponse,
  PlanInputType,
  StudyInputType,
  TransitionInput,
  UpdatePdsaCycleInput,
} from './pdsa.schemas.ts';
import {
  type CycleRow,
  cycleScoped,
  findTeamWithVisibleData,
  findVisibleChangeIdea,
  findVisibleCycle,
  findVisibleMeasure,
  findVisibleProject,
} from './scope.service.ts';

const WHAT = 'PDSA cycle';
const ENTITY = 'pdsa_cycle';

// ---- mapping

/** The stored sections, with defaults for any field an older document lacks. */
function docsOf(row: Pick<CycleRow, 'plan' | 'execution' | 'study' | 'act'>): CycleDocs {
  return {
    plan: { ...emptyPlan(), ...(row.plan as Partial<PlanDoc>) },
    execution: { ...emptyExecution(), ...(row.execution as Partial<ExecutionDoc>) },
    study: { ...emptyStudy(), ...(row.study as Partial<StudyDoc>) },
    act: { ...emptyAct(), ...(row.act as Partial<ActDoc>) },
  };
}

const scopedOf = (
  visibility: Scoped['visibility'] | null,
  networkId: string | null,
  teamId: string | null,
  authorId: string | null,
): Scoped | undefined => (visibility ? { visibility, networkId, teamId, authorId } : undefined);

const seen = (viewer: Viewer, scoped: Scoped | undefined) =>
  scoped !== undefined && canSee(viewer, scoped);

function toCycleResponse(
  viewer: Viewer,
  row: repo.PdsaCycleWithNamesRow,
  nextIds: string[],
): PdsaCycleResponse {
  const docs = docsOf(row);
  const teamVisible = seen(
    viewer,
    scopedOf(row.team_visibility, row.network_id, row.team_id, row.team_created_by),
  );
  const projectVisible = seen(
    viewer,
    scopedOf(row.project_visibility, row.network_id, row.team_id, row.project_created_by),
  );
  const ideaVisible = seen(
    viewer,
    scopedOf(
      row.change_idea_visibility,
      row.network_id,
      row.change_idea_team_id,
      row.change_idea_created_by,
    ),
  );
  const previousVisible = seen(
    viewer,
    scopedOf(row.prev_visibility, row.prev_network_id, row.prev_team_id, row.prev_created_by),
  );
  return {
    id: row.id,
    network_id: row.network_id,
    team_id: row.team_id,
    team_name: teamVisible ? row.team_name : null,
    project_id: row.project_id,
    project_title: projectVisible ? row.project_title : null,
    change_idea_id: row.change_idea_id,
    change_idea_title: ideaVisible ? row.change_idea_title : null,
    previous_cycle_id: previousVisible ? row.previous_cycle_id : null,
    next_cycle_ids: nextIds,
    title: row.title,
    scale: row.scale,
    planned_start: row.planned_start,
    state: row.state,
    decision: row.decision,
    plan: docs.plan,
    execution: docs.execution,
    study: docs.study,
    act: docs.act,
    visibility: row.visibility,
    completed_at: row.completed_at ? row.completed_at.toISOString() : null,
    transition_count: Number(row.transition_count ?? 0),
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** The cycle as the viewer sees it (404 when gone or invisible). */
async function loadResponse(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await repo.findCycleWithNames(ctx.db, id);
  if (!row) throw notFound(WHAT, id);
  const next = await repo.listNextCycleIds(ctx.db, visibilityScope(viewer), [id]);
  return toCycleResponse(
    viewer,
    row,
    next.map((n) => n.id),
  );
}

// ---- reads

export async function getCycle(ctx: AppContext, viewer: Viewer, id: string) {
  await findVisibleCycle(ctx, viewer, id);
  return loadResponse(ctx, viewer, id);
}

/** The network PDSA log: newest first, only what the viewer may see (filtered in SQL). */
export async function listCycles(
  ctx: AppContext,
  viewer: Viewer,
  input: ListPdsaCyclesInput,
): Promise<Page<PdsaCycleResponse>> {
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  if (input.from && input.to && input.from > input.to) {
    throw validationFailed([{ path: '/query/to', message: 'must not be before from' }]);
  }
  const scope = visibilityScope(viewer);
  const rows = await repo.listCycles(ctx.db, scope, {
    limit,
    after,
    networkId: input.network_id,
    teamId: input.team_id,
    projectId: input.project_id,
    changeIdeaId: input.change_idea_id,
    state: input.state,
    decision: input.decision,
    from: input.from,
    to: input.to,
    q: input.q?.trim() || undefined,
  });
  const next = await repo.listNextCycleIds(
    ctx.db,
    scope,
    rows.slice(0, limit).map((row) => row.id),
  );
  const nextOf = new Map<string, string[]>();
  for (const n of next) {
    const key = n.previous_cycle_id as string;
    nextOf.set(key, [...(nextOf.get(key) ?? []), n.id]);
  }
  return toPage(rows, limit, repo.newestFirstKey, (row) =>
    toCycleResponse(viewer, row, nextOf.get(row.id) ?? []),
  );
}

// ---- section input → documents, with the checks the schema cannot make

function newShortId(ctx: AppContext, prefix: string, taken: Set<string>): string {
  for (;;) {
    const id = `${prefix}${ctx.newId().replaceAll('-', '').slice(0, 8)}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

function mergePlan(
  ctx: AppContext,
  current: PlanDoc,
  input: PlanInputType,
  errors: FieldError[],
): PlanDoc {
  const { questions: questionInput, ...fields } = input;
  const plan: PlanDoc = { ...current, ...fields };
  if (questionInput === undefined) return plan;
  // Client ids are kept (study results refer to prediction ids); missing ones are generated.
  const taken = new Set<string>();
  questionInput.forEach((q, i) => {
    if (q.id === undefined) return;
    if (taken.has(q.id))
      errors.push({ path: `/body/plan/questions/${i}/id`, message: 'is used twice in the plan' });
    taken.add(q.id);
    (q.predictions ?? []).forEach((p, j) => {
      if (p.id === undefined) return;
      if (taken.has(p.id)) {
        errors.push({
          path: `/body/plan/questions/${i}/predictions/${j}/id`,
          message: 'is used twice in the plan',
        });
      }
      taken.add(p.id);
    });
  });
  plan.questions = questionInput.map((q) => ({
    id: q.id ?? newShortId(ctx, 'q', taken),
    text: q.text.trim(),
    predictions: (q.predictions ?? []).map((p) => ({
      id: p.id ?? newShortId(ctx, 'p', taken),
      text: p.text.trim(),
    })),
  }));
  return plan;
}

function mergeExecution(
  current: ExecutionDoc,
  input: ExecutionInputType,
  errors: FieldError[],
): ExecutionDoc {
  const execution = { ...current, ...input };
  if (execution.started_on && execution.ended_on && execution.ended_on < execution.started_on) {
    errors.push({ path: '/body/execution/ended_on', message: 'must not be before started_on' });
  }
  return execution;
}

async function mergeStudy(
  ctx: AppContext,
  viewer: Viewer,
  cycle: CycleRow,
  plan: PlanDoc,
  current: StudyDoc,
  input: StudyInputType,
  errors: FieldError[],
): Promise<StudyDoc> {
  const study: StudyDoc = {
    results: current.results,
    summary: input.summary ?? current.summary,
    measure_links: current.measure_links,
  };
  if (input.results !== undefined) {
    const predictions = new Set(plan.questions.flatMap((q) => q.predictions.map((p) => p.id)));
    const answered = new Set<string>();
    input.results.forEach((result, i) => {
      if (!predictions.has(result.prediction_id)) {
        errors.push({
          path: `/body/study/results/${i}/prediction_id`,
          message: 'is not a prediction of the plan',
        });
      } else if (answered.has(result.prediction_id)) {
        errors.push({
          path: `/body/study/results/${i}/prediction_id`,
          message: 'has a result already',
        });
      }
      answered.add(result.prediction_id);
    });
    study.results = input.results.map((result) => ({
      prediction_id: result.prediction_id,
      outcome: result.outcome,
      note: result.note ?? '',
    }));
  }
  if (input.measure_links !== undefined) {
    study.measure_links = [];
    for (const [i, link] of input.measure_links.entries()) {
      const path = `/body/study/measure_links/${i}`;
      const measure = await visibleOrUndefined(() =>
        findVisibleMeasure(ctx, viewer, link.measure_id),
      );
      if (!measure || measure.network_id !== cycle.network_id) {
        errors.push({
          path: `${path}/measure_id`,
          message: "no such measure in the cycle's network",
        });
        continue;
      }
      const teamId = link.team_id ?? null;
      if (teamId !== null) {
        const team = await visibleOrUndefined(() => findTeamWithVisibleData(ctx, viewer, teamId));
        if (!team || team.network_id !== cycle.network_id) {
          errors.push({
            path: `${path}/team_id`,
            message: "no such team (whose data you may see) in the cycle's network",
          });
          continue;
        }
      }
      study.measure_links.push({ measure_id: link.measure_id, team_id: teamId });
    }
  }
  return study;
}

const mergeAct = (current: ActDoc, input: ActInputType): ActDoc => ({
  decision: input.decision !== undefined ? input.decision : current.decision,
  reason: input.reason ?? current.reason,
});

/** A not_found from a lookup as undefined (a reference the caller cannot see is "no such"). */
async function visibleOrUndefined<T>(find: () => Promise<T>): Promise<T | undefined> {
  try {
    return await find();
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return undefined;
    throw error;
  }
}

// ---- create, update, delete

const mayWork = (viewer: Viewer, row: { team_id: string; network_id: string }) =>
  may.workInTeam(viewer, { id: row.team_id, networkId: row.network_id });

export async function createCycle(
  ctx: AppContext,
  viewer: Viewer,
  input: CreatePdsaCycleInput,
): Promise<PdsaCycleResponse> {
  return inTransaction(ctx, async (tx) => {
    const project = await findVisibleProject(tx, viewer, input.project_id);
    ensureAllowed(
      viewer,
      may.workInTeam(viewer, { id: project.team_id, networkId: project.network_id }),
      "test changes in this project's team",
    );
    const errors: FieldError[] = [];
    const idea = await visibleOrUndefined(() =>
      findVisibleChangeIdea(tx, viewer, input.change_idea_id),
    );
    if (!idea || idea.network_id !== project.network_id) {
      errors.push({
        path: '/body/change_idea_id',
        message: "no such change idea in the project's network",
      });
    }
    const previousId = input.previous_cycle_id ?? null;
    if (previousId !== null) {
      const previous = await visibleOrUndefined(() => findVisibleCycle(tx, viewer, previousId));
      if (!previous) {
        errors.push({ path: '/body/previous_cycle_id', message: 'no such cycle' });
      } else if (
        previous.change_idea_id !== input.change_idea_id ||
        previous.team_id !== project.team_id
      ) {
        errors.push({
          path: '/body/previous_cycle_id',
          message: 'a ramp continues a cycle of the same change idea and team',
        });
      }
    }
    const plan = mergePlan(tx, emptyPlan(), input.plan ?? {}, errors);
    if (errors.length > 0) throw validationFailed(errors);

    const id = tx.newId();
    const now = tx.now();
    await repo.insertCycle(tx.db, {
      id,
      project_id: project.id,
      team_id: project.team_id,
      network_id: project.network_id,
      change_idea_id: input.change_idea_id,
      previous_cycle_id: previousId,
      title: input.title.trim(),
      scale: input.scale?.trim() ?? '',
      state: 'plan',
      plan: JSON.stringify(plan),
      execution: JSON.stringify(emptyExecution()),
      study: JSON.stringify(emptyStudy()),
      act: JSON.stringify(emptyAct()),
      decision: null,
      planned_start: input.planned_start ?? null,
      completed_at: null,
      visibility: input.visibility ?? 'team',
      created_by: viewer.userId ?? null,
      created_at: now,
      updated_at: now,
    });
    const after = await loadResponse(tx, viewer, id);
    await recordAudit(tx, viewer, {
      action: 'create',
      entityType: ENTITY,
      entityId: id,
      summary: `Created PDSA cycle "${after.title}"`,
      after,
    });
    return after;
  });
}

export async function updateCycle(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
  input: UpdatePdsaCycleInput,
): Promise<PdsaCycleResponse> {
  return inTransaction(ctx, async (tx) => {
    const visible = await findVisibleCycle(tx, viewer, id);
    ensureAllowed(viewer, mayWork(viewer, visible), 'change this PDSA cycle');
    const current = ensureCurrentVersion(
      await repo.findCycleForUpdate(tx.db, id),
      ifMatch,
      'PDSA cycle',
      id,
    );
    if (current.state === 'completed') throw new AppError('invalid_state', completedMessage);
    for (const section of ['plan', 'execution', 'study', 'act'] as PdsaSection[]) {
      if (input[section] === undefined) continue;
      const problem = sectionEditProblem(current.state, section);
      if (problem) throw new AppError('invalid_state', problem);
    }
    const before = await loadResponse(tx, viewer, id);
    const docs = docsOf(current);
    const errors: FieldError[] = [];
    const changes: Parameters<typeof repo.updateCycle>[2] = { updated_at: tx.now() };
    if (input.title !== undefined) changes.title = input.title.trim();
    if (input.scale !== undefined) changes.scale = input.scale.trim();
    if (input.planned_start !== undefined) changes.planned_start = input.planned_start;
    if (input.visibility !== undefined) changes.visibility = input.visibility;
    if (input.plan !== undefined) {
      changes.plan = JSON.stringify(mergePlan(tx, docs.plan, input.plan, errors));
    }
    if (input.execution !== undefined) {
      changes.execution = JSON.stringify(mergeExecution(docs.execution, input.execution, errors));
    }
    if (input.study !== undefined) {
      const study = await mergeStudy(
        tx,
        viewer,
        current,
        docs.plan,
        docs.study,
        input.study,
        errors,
      );
      changes.study = JSON.stringify(study);
    }
    if (input.act !== undefined) {
      const act = mergeAct(docs.act, input.act);
      changes.act = JSON.stringify(act);
      changes.decision = act.decision;
    }
    if (errors.length > 0) throw validationFailed(errors);
    await repo.updateCycle(tx.db, id, changes);
    const after = await loadResponse(tx, viewer, id);
    await recordAudit(tx, viewer, {
      action: 'update',
      entityType: ENTITY,
      entityId: id,
      summary: `Changed PDSA cycle "${after.title}" (${Object.keys(input).join(', ')})`,
      before,
      after,
    });
    return after;
  });
}

export async function deleteCycle(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  const keys = await inTransaction(ctx, async (tx) => {
    const visible = await findVisibleCycle(tx, viewer, id);
    ensureAllowed(viewer, mayWork(viewer, visible), 'delete this PDSA cycle');
    const current = ensureCurrentVersion(
      await repo.findCycleForUpdate(tx.db, id),
      ifMatch,
      'PDSA cycle',
      id,
    );
    if (current.state !== 'plan') {
      throw new AppError(
        'invalid_state',
        `Only a cycle still in 'plan' can be deleted; this one is in '${current.state}'. A tested cycle is kept as history (abandon it in act instead).`,
      );
    }
    const before = await loadResponse(tx, viewer, id);
    const storageKeys = await repo.listAttachmentKeys(tx.db, id);
    await repo.deleteCycle(tx.db, id);
    await recordAudit(tx, viewer, {
      action: 'delete',
      entityType: ENTITY,
      entityId: id,
      summary: `Deleted PDSA cycle "${before.title}" (still in plan${storageKeys.length ? `, with ${storageKeys.length} attachment(s)` : ''})`,
      before,
    });
    return storageKeys;
  });
  // After the commit: the rows are gone, so the files may go (a failure leaves an orphan file only).
  await removeFiles(ctx, keys);
}

async function removeFiles(ctx: AppContext, keys: string[]) {
  if (!ctx.files || keys.length === 0) return;
  const files = ctx.files;
  await Promise.allSettled(keys.map((key) => files.delete(key)));
}

// ---- transitions

export async function transitionCycle(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
  input: TransitionInput,
): Promise<PdsaCycleResponse> {
  return inTransaction(ctx, async (tx) => {
    const visible = await findVisibleCycle(tx, viewer, id);
    ensureAllowed(viewer, mayWork(viewer, visible), 'move this PDSA cycle');
    const current = ensureCurrentVersion(
      await repo.findCycleForUpdate(tx.db, id),
      ifMatch,
      'PDSA cycle',
      id,
    );
    const from = current.state;
    const to = input.to;
    const docs = docsOf(current);
    const check = checkTransition(from, to, docs, input.reason);
    if (!check.ok && check.illegal) {
      const legal = check.legal.map((s) => `'${s}'`).join(' or ');
      throw new AppError(
        'invalid_state',
        `A cycle in '${from}' cannot move to '${to}'; from '${from}' it can move to ${legal}.`,
      );
    }
    const errors: FieldError[] = check.ok ? [] : [...check.problems];
    if (input.next_cycle && !(to === 'completed' && docs.act.decision === 'adapt')) {
      errors.push({
        path: '/body/next_cycle',
        message: "a next cycle is created only when completing a cycle whose decision is 'adapt'",
      });
    }
    if (errors.length > 0) throw validationFailed(errors);

    const before = await loadResponse(tx, viewer, id);
    const now = tx.now();
    const reason = input.reason?.trim() ?? '';
    await repo.updateCycle(tx.db, id, {
      state: to,
      completed_at: to === 'completed' ? now : null,
      updated_at: now,
    });
    const transitionId = tx.newId();
    await repo.insertTransition(tx.db, {
      id: transitionId,
      cycle_id: id,
      from_state: from,
      to_state: to,
      reason,
      actor_id: viewer.userId ?? null,
      occurred_at: now,
    });
    let nextId: string | undefined;
    if (input.next_cycle) {
      nextId = tx.newId();
      await repo.insertCycle(tx.db, {
        id: nextId,
        project_id: current.project_id,
        team_id: current.team_id,
        network_id: current.network_id,
        change_idea_id: current.change_idea_id,
        previous_cycle_id: id,
        title: input.next_cycle.title.trim(),
        scale: input.next_cycle.scale?.trim() ?? current.scale,
        state: 'plan',
        plan: JSON.stringify(planForNextCycle(docs.plan)),
        execution: JSON.stringify(emptyExecution()),
        study: JSON.stringify(emptyStudy()),
        act: JSON.stringify(emptyAct()),
        decision: null,
        planned_start: input.next_cycle.planned_start ?? null,
        completed_at: null,
        visibility: current.visibility,
        created_by: viewer.userId ?? null,
        created_at: now,
        updated_at: now,
      });
    }
    const after = await loadResponse(tx, viewer, id);
    await recordAudit(tx, viewer, {
      action: 'update',
      entityType: ENTITY,
      entityId: id,
      summary: `Moved PDSA cycle "${after.title}" from ${from} to ${to}${
        to === 'completed' && after.decision ? ` (${after.decision})` : ''
      }${reason ? `: ${reason}` : ''}`,
      before,
      after: { ...after, transition: { id: transitionId, from, to, reason } },
    });
    if (nextId) {
      const next = await loadResponse(tx, viewer, nextId);
      await recordAudit(tx, viewer, {
        action: 'create',
        entityType: ENTITY,
        entityId: nextId,
        summary: `Created PDSA cycle "${next.title}" to adapt "${after.title}"`,
        after: next,
      });
    }
    return after;
  });
}

function toTransitionResponse(row: repo.PdsaTransitionWithActorRow): PdsaTransitionResponse {
  return {
    id: row.id,
    cycle_id: row.cycle_id,
    from: row.from_state,
    to: row.to_state,
    reason: row.reason,
    actor:
      row.actor_id && row.actor_name !== null
        ? { id: row.actor_id, display_name: row.actor_name }
        : null,
    occurred_at: row.occurred_at.toISOString(),
  };
}

const oldestFirstKey = (row: { id: string } & ({ occurred_at: Date } | { created_at: Date })) => [
  ('occurred_at' in row ? row.occurred_at : row.created_at).toISOString(),
  row.id,
];

export async function listTransitions(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  input: { limit?: number | undefined; cursor?: string | undefined },
): Promise<Page<PdsaTransitionResponse>> {
  await findVisibleCycle(ctx, viewer, id);
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const rows = await repo.listTransitions(ctx.db, id, { limit, after });
  return toPage(rows, limit, oldestFirstKey, toTransitionResponse);
}

// ---- ramps

/**
 * The ramp of a cycle: the first cycle of its chain and every cycle built on it, depth first
 * (oldest first among siblings). A cycle the viewer may not see is a gap: it keeps its place (so
 * the chain stays a chain) but shows nothing, not even its id.
 */
export async function getRamp(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
): Promise<PdsaRampResponse> {
  await findVisibleCycle(ctx, viewer, id);
  const root = await repo.findRampRoot(ctx.db, id);
  const nodes = await repo.listRamp(ctx.db, root);
  const rows = new Map(
    (
      await repo.findCyclesByIds(
        ctx.db,
        nodes.map((n) => n.id),
      )
    ).map((r) => [r.id, r]),
  );
  const children = new Map<string | null, repo.RampNode[]>();
  for (const node of nodes) {
    const parent = node.id === root ? null : node.previous_cycle_id;
    children.set(parent, [...(children.get(parent) ?? []), node]);
  }
  const items: PdsaRampResponse['items'] = [];
  const visit = (node: repo.RampNode, parentIndex: number | null) => {
    const row = rows.get(node.id);
    const visible = row !== undefined && canSee(viewer, cycleScoped(row));
    const index = items.length;
    items.push({
      index,
      parent_index: parentIndex,
      depth: node.depth,
      hidden: !visible,
      cycle:
        visible && row
          ? {
              id: row.id,
              title: row.title,
              scale: row.scale,
              state: row.state,
              decision: row.decision,
              planned_start: row.planned_start,
              team_id: row.team_id,
              project_id: row.project_id,
              completed_at: row.completed_at ? row.completed_at.toISOString() : null,
            }
          : null,
    });
    for (const child of children.get(node.id) ?? []) visit(child, index);
  };
  for (const top of children.get(null) ?? []) visit(top, null);
  return { cycle_id: id, items };
}

// ---- attachments

/** Types a browser may be told (they cannot run script in our origin); anything else is a download of octet-stream. */
export const SAFE_CONTENT_TYPES = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/csv',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/zip',
]);

/** The media type as sent, without parameters, if well-formed; else application/octet-stream. */
export function normaliseContentType(header: string | undefined): string {
  const type = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(type)
    ? type
    : 'application/octet-stream';
}

/**
 * A file name safe to store and to put in Content-Disposition: the last path segment, without
 * control characters or characters Windows forbids, no leading dots, at most 200 characters
 * (keeping the extension). Example: `../../etc/passwd` → `passwd`; `a<b>.pdf` → `a_b_.pdf`.
 */
export function sanitiseFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  let clean = base
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (clean.length > 200) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : '';
    clean = clean.slice(0, 200 - ext.length) + ext;
  }
  return clean || 'attachment';
}

function toAttachmentResponse(row: repo.AttachmentRow): AttachmentResponse {
  return {
    id: row.id,
    pdsa_cycle_id: row.pdsa_cycle_id,
    filename: row.filename,
    content_type: row.content_type,
    size_bytes: row.size_bytes,
    sha256: row.sha256,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    download_url: `/api/v1/attachments/${row.id}`,
  };
}

function fileStoreOf(ctx: AppContext): FileStore {
  if (!ctx.files) {
    throw new AppError('service_unavailable', 'This server has no file storage configured.');
  }
  return ctx.files;
}

export async function uploadAttachment(
  ctx: AppContext,
  viewer: Viewer,
  cycleId: string,
  file: { filename: string; contentType: string | undefined; data: Buffer },
): Promise<AttachmentResponse> {
  const files = fileStoreOf(ctx);
  const id = ctx.newId();
  let written = false;
  try {
    return await inTransaction(ctx, async (tx) => {
      const visible = await findVisibleCycle(tx, viewer, cycleId);
      ensureAllowed(viewer, mayWork(viewer, visible), 'add files to this PDSA cycle');
      const cycle = await repo.findCycleForUpdate(tx.db, cycleId);
      if (!cycle) throw notFound(WHAT, cycleId);
      if (cycle.state === 'completed') throw new AppError('invalid_state', completedMessage);
      if (file.data.length === 0) {
        throw validationFailed([{ path: '/body', message: 'the file is empty' }]);
      }
      const row: repo.AttachmentRow = {
        id,
        pdsa_cycle_id: cycleId,
        filename: sanitiseFilename(file.filename),
        content_type: normaliseContentType(file.contentType),
        size_bytes: file.data.length,
        sha256: createHash('sha256').update(file.data).digest('hex'),
        storage_key: id,
        created_by: viewer.userId ?? null,
        created_at: tx.now(),
      };
      // Row first, then the file, inside the transaction: if the file cannot be written the row
      // rolls back; if anything after fails, the catch below removes the file.
      await repo.insertAttachment(tx.db, row);
      written = true;
      await files.put(row.storage_key, file.data);
      const after = toAttachmentResponse(row);
      await recordAudit(tx, viewer, {
        action: 'create',
        entityType: 'attachment',
        entityId: id,
        summary: `Attached "${row.filename}" (${row.size_bytes} bytes) to PDSA cycle "${cycle.title}"`,
        after,
      });
      return after;
    });
  } catch (error) {
    if (written) await files.delete(id).catch(() => {});
    throw error;
  }
}

export async function listAttachments(
  ctx: AppContext,
  viewer: Viewer,
  cycleId: string,
  input: { limit?: number | undefined; cursor?: string | undefined },
): Promise<Page<AttachmentResponse>> {
  await findVisibleCycle(ctx, viewer, cycleId);
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const rows = await repo.listAttachments(ctx.db, cycleId, { limit, after });
  return toPage(rows, limit, oldestFirstKey, toAttachmentResponse);
}

/** The attachment if the viewer may see its cycle (404 otherwise, as for the cycle). */
async function findVisibleAttachment(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await repo.findAttachment(ctx.db, id);
  if (!row) throw notFound('Attachment', id);
  try {
    await findVisibleCycle(ctx, viewer, row.pdsa_cycle_id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') throw notFound('Attachment', id);
    throw error;
  }
  return row;
}

export async function downloadAttachment(ctx: AppContext, viewer: Viewer, id: string) {
  const files = fileStoreOf(ctx);
  const row = await findVisibleAttachment(ctx, viewer, id);
  const stored = await files.get(row.storage_key);
  if (!stored) {
    throw new AppError(
      'not_found',
      `The file of attachment ${id} is missing from the file store; restore it from a backup.`,
    );
  }
  return {
    attachment: toAttachmentResponse(row),
    servedType: SAFE_CONTENT_TYPES.has(row.content_type)
      ? row.content_type
      : 'application/octet-stream',
    size: stored.size,
    stream: stored.stream,
  };
}

export async function deleteAttachment(ctx: AppContext, viewer: Viewer, id: string) {
  const key = await inTransaction(ctx, async (tx) => {
    const row = await findVisibleAttachment(tx, viewer, id);
    const visible = await findVisibleCycle(tx, viewer, row.pdsa_cycle_id);
    ensureAllowed(viewer, mayWork(viewer, visible), 'remove files of this PDSA cycle');
    const cycle = await repo.findCycleForUpdate(tx.db, row.pdsa_cycle_id);
    if (cycle?.state === 'completed') throw new AppError('invalid_state', completedMessage);
    await repo.deleteAttachment(tx.db, id);
    await recordAudit(tx, viewer, {
      action: 'delete',
      entityType: 'attachment',
      entityId: id,
      summary: `Removed "${row.filename}" from PDSA cycle "${visible.title}"`,
      before: toAttachmentResponse(row),
    });
    return row.storage_key;
  });
  await removeFiles(ctx, [key]);
}
