/**
 * Visibility of improvement records, for every improvement service: find a record and 404 when
 * the viewer may not see it (platform/access.ts decides; this module only says which columns of
 * each record carry its visibility).
 *
 * - charter, project, change idea, PDSA cycle, annotation: their own `visibility` columns;
 * - measure: its owner's (a common measure its charter's, a local one its project's);
 * - driver diagram: its owner's;
 * - measure data of a team: "team" level (the team, its network's facilitators, coalition
 *   facilitators, admins), whatever the measure's visibility, and only for a team record the
 *   viewer can see (a private draft team's data stays with its author);
 * - attachments and the transition log: their cycle's.
 */
import type { Visibility } from '../../db/database.ts';
import { canSee, ensureVisible, type Scoped, type Viewer } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import * as repo from './scope.repository.ts';

type Row<T> = NonNullable<Awaited<T>>;
export type CharterRow = Row<ReturnType<typeof repo.findCharterRow>>;
export type ProjectRow = Row<ReturnType<typeof repo.findProjectRow>>;
export type ChangeIdeaRow = Row<ReturnType<typeof repo.findChangeIdeaRow>>;
export type CycleRow = Row<ReturnType<typeof repo.findCycleRow>>;
export type MeasureWithOwnerRow = repo.MeasureWithOwnerRow;

export const charterScoped = (row: CharterRow): Scoped => ({
  visibility: row.visibility,
  networkId: row.network_id,
  teamId: null,
  authorId: row.created_by,
});

export const projectScoped = (row: ProjectRow): Scoped => ({
  visibility: row.visibility,
  networkId: row.network_id,
  teamId: row.team_id,
  authorId: row.created_by,
});

export const changeIdeaScoped = (row: ChangeIdeaRow): Scoped => ({
  visibility: row.visibility,
  networkId: row.network_id,
  teamId: row.team_id,
  authorId: row.created_by,
});

export const cycleScoped = (row: CycleRow): Scoped => ({
  visibility: row.visibility,
  networkId: row.network_id,
  teamId: row.team_id,
  authorId: row.created_by,
});

export const measureScoped = (row: MeasureWithOwnerRow): Scoped => ({
  visibility: (row.charter_visibility ?? row.project_visibility ?? 'private') as Visibility,
  networkId: row.network_id,
  teamId: row.project_team_id,
  authorId: row.charter_created_by ?? row.project_created_by,
});

/** A team's measure data: team level, whatever the measure's own visibility. */
const teamDataScoped = (team: { id: string; network_id: string }): Scoped => ({
  visibility: 'team',
  networkId: team.network_id,
  teamId: team.id,
  authorId: null,
});

interface TeamVisibilityColumns {
  id: string;
  network_id: string;
  visibility: Visibility;
  created_by: string | null;
}

/** Whether the viewer may see a team's measure data: the team record, and team-level access. */
export const canSeeTeamData = (viewer: Viewer, team: TeamVisibilityColumns) =>
  canSee(viewer, {
    visibility: team.visibility,
    networkId: team.network_id,
    teamId: team.id,
    authorId: team.created_by,
  }) && canSee(viewer, teamDataScoped(team));

export async function findVisibleCharter(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await repo.findCharterRow(ctx.db, id);
  if (!row) throw notFound('Charter', id);
  ensureVisible(viewer, charterScoped(row), 'Charter', id);
  return row;
}

export async function findVisibleProject(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await repo.findProjectRow(ctx.db, id);
  if (!row) throw notFound('Project', id);
  ensureVisible(viewer, projectScoped(row), 'Project', id);
  return row;
}

export async function findVisibleChangeIdea(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await repo.findChangeIdeaRow(ctx.db, id);
  if (!row) throw notFound('Change idea', id);
  ensureVisible(viewer, changeIdeaScoped(row), 'Change idea', id);
  return row;
}

export async function findVisibleCycle(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await repo.findCycleRow(ctx.db, id);
  if (!row) throw notFound('PDSA cycle', id);
  ensureVisible(viewer, cycleScoped(row), 'PDSA cycle', id);
  return row;
}

export async function findVisibleMeasure(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await repo.findMeasureRow(ctx.db, id);
  if (!row) throw notFound('Measure', id);
  ensureVisible(viewer, measureScoped(row), 'Measure', id);
  return row;
}

/** The team whose data the viewer asks for; 404 unless they may see its data. */
export async function findTeamWithVisibleData(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await repo.findTeamRow(ctx.db, id);
  if (!row || !canSeeTeamData(viewer, row)) throw notFound('Team', id);
  return row;
}
