/**
 * Projects: a team's improvement work, usually under its network's charter. A project starts
 * from its charter: the charter's aim (unless it states its own) and a copy of the charter's
 * driver diagram, which the team then adapts (GET …/driver-diagram/compare shows how).
 */
import { canSee, ensureAllowed, may, type Viewer, visibilityScope } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { ensureCurrentVersion } from '../../platform/concurrency.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { AppError, notFound, validationFailed } from '../../platform/errors.ts';
import { type Page, pageRequest, toPage } from '../../platform/pagination.ts';
import { findVisibleTeam } from '../structure/team.service.ts';
import { aimColumns, aimOf, aimStatement } from './charter.service.ts';
import { contentOfOwner, createInitialDiagram, emptyContent } from './driver-diagram.service.ts';
import type {
  CreateProjectInput,
  ListProjectsInput,
  ProjectResponse,
  UpdateProjectInput,
} from './project.schemas.ts';
import * as repo from './project.repository.ts';
import { findVisibleCharter, findVisibleProject } from './scope.service.ts';

const WHAT = 'project';

type Member = { team_id: string | null; user_id: string; display_name: string };

function toProjectResponse(
  viewer: Viewer,
  row: repo.ProjectWithNamesRow,
  members: Member[],
): ProjectResponse {
  const aim = aimOf(row);
  const charterVisible =
    row.charter_id !== null &&
    row.charter_visibility !== null &&
    canSee(viewer, {
      visibility: row.charter_visibility,
      networkId: row.network_id,
      teamId: null,
      authorId: row.charter_created_by,
    });
  return {
    id: row.id,
    team_id: row.team_id,
    team_name: row.team_name,
    network_id: row.network_id,
    network_name: row.network_name,
    charter_id: row.charter_id,
    charter_title: charterVisible ? row.charter_title : null,
    title: row.title,
    problem_statement: row.problem_statement,
    aim,
    aim_statement: aimStatement(aim),
    status: row.status,
    visibility: row.visibility,
    members: members
      .filter((member) => member.team_id === row.team_id)
      .map(({ user_id, display_name }) => ({ user_id, display_name })),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
  };
}

async function responseFor(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await repo.findProject(ctx.db, id);
  if (!row) throw notFound('Project', id);
  return toProjectResponse(viewer, row, await repo.listTeamMembers(ctx.db, [row.team_id]));
}

export async function listProjects(
  ctx: AppContext,
  viewer: Viewer,
  input: ListProjectsInput,
): Promise<Page<ProjectResponse>> {
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const rows = await repo.listProjects(ctx.db, visibilityScope(viewer), {
    limit,
    after,
    teamId: input.team_id,
    networkId: input.network_id,
    charterId: input.charter_id,
    status: input.status,
    q: input.q?.trim() || undefined,
  });
  const members = await repo.listTeamMembers(ctx.db, [
    ...new Set(rows.slice(0, limit).map((row) => row.team_id)),
  ]);
  return toPage(rows, limit, repo.titleSortKey, (row) => toProjectResponse(viewer, row, members));
}

export async function getProject(ctx: AppContext, viewer: Viewer, id: string) {
  await findVisibleProject(ctx, viewer, id);
  return responseFor(ctx, viewer, id);
}

/** A project's charter must be one the editor can see, in the project's network. */
async function checkCharter(ctx: AppContext, viewer: Viewer, id: string, networkId: string) {
  let charter: Awaited<ReturnType<typeof findVisibleCharter>>;
  try {
    charter = await findVisibleCharter(ctx, viewer, id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found')
      throw validationFailed([{ path: '/body/charter_id', message: 'no such charter' }]);
    throw error;
  }
  if (charter.network_id !== networkId)
    throw validationFailed([
      {
        path: '/body/charter_id',
        message: "the charter belongs to another network than the team's",
      },
    ]);
  return charter;
}

export async function createProject(
  ctx: AppContext,
  viewer: Viewer,
  input: CreateProjectInput,
): Promise<ProjectResponse> {
  return inTransaction(ctx, async (tx) => {
    const team = await findVisibleTeam(tx, viewer, input.team_id);
    ensureAllowed(
      viewer,
      may.workInTeam(viewer, { id: team.id, networkId: team.network_id }),
      'start projects for this team',
    );
    const charter = input.charter_id
      ? await checkCharter(tx, viewer, input.charter_id, team.network_id)
      : undefined;
    const aim =
      input.aim === undefined && charter ? aimColumns(undefined, charter) : aimColumns(input.aim);
    const now = tx.now();
    const id = tx.newId();
    await repo.insertProject(tx.db, {
      id,
      team_id: team.id,
      network_id: team.network_id,
      charter_id: charter?.id ?? null,
      title: input.title.trim(),
      problem_statement: input.problem_statement?.trim() ?? '',
      ...aim,
      status: input.status ?? 'planning',
      visibility: input.visibility ?? 'team',
      created_by: viewer.userId ?? null,
      created_at: now,
      updated_at: now,
    });
    const after = await responseFor(tx, viewer, id);
    await recordAudit(tx, viewer, {
      action: 'create',
      entityType: WHAT,
      entityId: id,
      summary: `Created project "${after.title}" for team ${after.team_name}${charter ? ` under charter "${charter.title}"` : ''}`,
      after,
    });
    const charterContent = charter
      ? await contentOfOwner(tx, { kind: 'charter', id: charter.id })
      : undefined;
    await createInitialDiagram(
      tx,
      viewer,
      { kind: 'project', id, title: after.title },
      charterContent ?? emptyContent(charter ? aimStatement(aimOf(charter)) : after.aim_statement),
      charter ? `copied from charter "${charter.title}"` : 'empty',
    );
    return after;
  });
}

export async function updateProject(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
  input: UpdateProjectInput,
): Promise<ProjectResponse> {
  return inTransaction(ctx, async (tx) => {
    const found = await findVisibleProject(tx, viewer, id);
    ensureAllowed(
      viewer,
      may.workInTeam(viewer, { id: found.team_id, networkId: found.network_id }),
      'change this project',
    );
    const current = ensureCurrentVersion(
      await repo.findProjectForUpdate(tx.db, id),
      ifMatch,
      WHAT,
      id,
    );
    const before = await responseFor(tx, viewer, id);
    if (input.charter_id) await checkCharter(tx, viewer, input.charter_id, current.network_id);
    await repo.updateProject(tx.db, id, {
      ...(input.charter_id !== undefined ? { charter_id: input.charter_id } : {}),
      ...(input.title !== undefined ? { title: input.title.trim() } : {}),
      ...(input.problem_statement !== undefined
        ? { problem_statement: input.problem_statement.trim() }
        : {}),
      ...(input.aim !== undefined ? aimColumns(input.aim, current) : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
      updated_at: tx.now(),
    });
    const after = await responseFor(tx, viewer, id);
    await recordAudit(tx, viewer, {
      action: 'update',
      entityType: WHAT,
      entityId: id,
      summary:
        before.status !== after.status
          ? `Changed project "${after.title}" (status ${before.status} → ${after.status})`
          : `Changed project "${after.title}"`,
      before,
      after,
    });
    return after;
  });
}

export async function deleteProject(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const found = await findVisibleProject(tx, viewer, id);
    ensureAllowed(
      viewer,
      may.workInTeam(viewer, { id: found.team_id, networkId: found.network_id }),
      'delete this project',
    );
    ensureCurrentVersion(await repo.findProjectForUpdate(tx.db, id), ifMatch, WHAT, id);
    const { cycles, measures } = await repo.countDependents(tx.db, id);
    if (cycles > 0 || measures > 0) {
      throw new AppError(
        'conflict',
        `The project "${found.title}" still has ${cycles} PDSA cycle(s) and ${measures} local measure(s); delete them first, or close the project (status "closed") to keep its record.`,
      );
    }
    const before = await responseFor(tx, viewer, id);
    await repo.deleteProject(tx.db, id);
    await recordAudit(tx, viewer, {
      action: 'delete',
      entityType: WHAT,
      entityId: id,
      summary: `Deleted project "${before.title}" (its driver diagram went with it)`,
      before,
    });
  });
}
