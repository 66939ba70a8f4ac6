import type { Frequency } from '../../../core/measures/periods.ts';
import { normalisePeriod } from '../../../core/measures/periods.ts';
import { valueProblems } from '../../../core/measures/value-rules.ts';
import type { ChartType } from '../../../core/spc/index.ts';
import type { MeasureValueSource } from '../../db/database.ts';
import { ensureAllowed, may, type Viewer, visibilityScope } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import { AppError, type FieldError, notFound, validationFailed } from '../../platform/errors.ts';
import * as repo from './measure-data.repository.ts';
import type {
  ListValuesInput,
  MeasureValueResponse,
  SaveGridInput,
} from './measure-data.schemas.ts';
import { findVisibleMeasureWithOwner, teamReportsMeasure } from './measure.service.ts';
import * as measures from './measure.repository.ts';
import { findTeamWithVisibleData } from './scope.service.ts';

export function toValueResponse(row: repo.ValueRow): MeasureValueResponse {
  return {
    id: row.id,
    measure_id: row.measure_id,
    team_id: row.team_id,
    period_start: row.period_start,
    numerator: row.numerator,
    denominator: row.denominator,
    excluded: row.excluded,
    note: row.note,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    updated_by: row.updated_by,
    version: row.version,
  };
}

// ---- reads

export async function listTeamValues(
  ctx: AppContext,
  viewer: Viewer,
  teamId: string,
  input: ListValuesInput,
) {
  await findTeamWithVisibleData(ctx, viewer, teamId);
  if (input.measure_id) await findVisibleMeasureWithOwner(ctx, viewer, input.measure_id);
  const rows = await repo.listTeamValues(ctx.db, visibilityScope(viewer), {
    teamId,
    measureId: input.measure_id,
    from: input.from,
    to: input.to,
  });
  return { team_id: teamId, items: rows.map(toValueResponse) };
}

/** A value the viewer may see: its team's data and its measure must both be visible. */
async function findVisibleValue(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await repo.findValue(ctx.db, id);
  if (!row) throw notFound('Measure value', id);
  try {
    await findTeamWithVisibleData(ctx, viewer, row.team_id);
    await findVisibleMeasureWithOwner(ctx, viewer, row.measure_id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found')
      throw notFound('Measure value', id);
    throw error;
  }
  return row;
}

export async function valueHistory(ctx: AppContext, viewer: Viewer, id: string) {
  const value = await findVisibleValue(ctx, viewer, id);
  const [revisions, author] = await Promise.all([
    repo.listRevisions(ctx.db, id),
    repo.findValueAuthor(ctx.db, id),
  ]);
  return {
    value: toValueResponse(value),
    created_by: author?.created_by ?? null,
    created_by_name: author?.created_by_name ?? null,
    revisions: revisions.map((r) => ({
      id: r.id,
      numerator: r.numerator,
      denominator: r.denominator,
      excluded: r.excluded,
      note: r.note,
      changed_by: r.changed_by,
      changed_by_name: r.changed_by_name,
      changed_at: r.changed_at.toISOString(),
      source: r.source,
    })),
  };
}

// ---- the write engine shared by the grid and imports

export interface TargetMeasure {
  id: string;
  network_id: string;
  chart_type: ChartType;
  frequency: Frequency;
}

/** One cell to write, already resolved to a measure, a team and a normalised period. */
export interface CellWrite {
  /** The caller's reference for errors (grid: row index; import: line number). */
  ref: number;
  measure: TargetMeasure;
  teamId: string;
  networkId: string;
  period: string;
  /** null: delete the cell. */
  numerator: number | null;
  /** undefined: keep the stored denominator (null for a new value). */
  denominator?: number | null | undefined;
  excluded?: boolean | undefined;
  note?: string | undefined;
  /** The version the caller read; a different stored one is a stale write. */
  version?: number | undefined;
}

export type CellOutcome = 'create' | 'update' | 'unchanged' | 'delete' | 'skip';

export interface CellProblem {
  ref: number;
  field: 'numerator' | 'denominator' | 'version';
  message: string;
}

export interface WritePlan {
  outcomes: Map<number, CellOutcome>;
  problems: CellProblem[];
  stale: CellProblem[];
  /** Cells with no stored value (denominator, excluded and note resolved). */
  creates: CellWrite[];
  /** Cells that change a stored value (its state before goes to a revision). */
  updates: { cell: CellWrite; existing: repo.ValueRow }[];
  deletes: repo.ValueRow[];
}

const keyOf = (measureId: string, teamId: string, period: string) =>
  `${measureId}|${teamId}|${period}`;

/**
 * Compares each cell with the stored value: new, changed, unchanged or to delete, and whether the
 * merged value satisfies its chart type. Pure given the stored rows.
 */
export function planWrites(stored: repo.ValueRow[], cells: CellWrite[]): WritePlan {
  const byKey = new Map<string, repo.ValueRow>();
  for (const row of stored) byKey.set(keyOf(row.measure_id, row.team_id, row.period_start), row);
  const plan: WritePlan = {
    outcomes: new Map(),
    problems: [],
    stale: [],
    creates: [],
    updates: [],
    deletes: [],
  };
  for (const cell of cells) {
    const existing =
      byKey.size === 0 ? undefined : byKey.get(keyOf(cell.measure.id, cell.teamId, cell.period));
    if (cell.version !== undefined && existing?.version !== cell.version) {
      plan.stale.push({
        ref: cell.ref,
        field: 'version',
        message: existing
          ? `was changed by someone else (now version ${existing.version}, you read ${cell.version})`
          : `was deleted by someone else since you read version ${cell.version}`,
      });
      continue;
    }
    if (cell.numerator === null) {
      if (existing) {
        plan.deletes.push(existing);
        plan.outcomes.set(cell.ref, 'delete');
      } else plan.outcomes.set(cell.ref, 'unchanged');
      continue;
    }
    const denominator =
      cell.denominator === undefined ? (existing?.denominator ?? null) : cell.denominator;
    const excluded = cell.excluded ?? existing?.excluded ?? false;
    const note = cell.note ?? existing?.note ?? '';
    const problems = valueProblems(cell.measure.chart_type, cell.numerator, denominator);
    if (problems.length > 0) {
      for (const p of problems) plan.problems.push({ ref: cell.ref, ...p });
      continue;
    }
    // Resolved in place: the cell is the caller's own, built for this write.
    cell.denominator = denominator;
    cell.excluded = excluded;
    cell.note = note;
    if (!existing) {
      plan.creates.push(cell);
      plan.outcomes.set(cell.ref, 'create');
    } else if (
      existing.numerator === cell.numerator &&
      existing.denominator === denominator &&
      existing.excluded === excluded &&
      existing.note === note
    ) {
      plan.outcomes.set(cell.ref, 'unchanged');
    } else {
      plan.updates.push({ cell, existing });
      plan.outcomes.set(cell.ref, 'update');
    }
  }
  return plan;
}

/** Writes a plan: bulk inserts, bulk corrections with revisions of the values before, deletes. */
export async function applyPlan(
  ctx: AppContext,
  viewer: Viewer,
  plan: WritePlan,
  source: MeasureValueSource,
): Promise<void> {
  const now = ctx.now();
  const by = viewer.userId ?? null;
  const inserted = repo.insertValues(
    ctx.db,
    plan.creates.map((cell) => ({
      id: ctx.newId(),
      measure_id: cell.measure.id,
      team_id: cell.teamId,
      network_id: cell.networkId,
      period_start: cell.period,
      numerator: cell.numerator as number,
      denominator: cell.denominator ?? null,
      excluded: cell.excluded ?? false,
      note: cell.note ?? '',
      created_by: by,
      updated_by: by,
      created_at: now,
      updated_at: now,
    })),
  );
  try {
    await inserted;
  } catch (error) {
    if (isUniqueViolation(error, 'measure_value_key')) {
      throw new AppError(
        'conflict',
        'Someone else saved values for the same team, measure and period at the same moment; nothing was saved. Load the data again and retry.',
      );
    }
    throw error;
  }
  await repo.updateValues(
    ctx.db,
    plan.updates.map(({ cell, existing }) => ({
      id: existing.id,
      numerator: cell.numerator as number,
      denominator: cell.denominator ?? null,
      excluded: cell.excluded ?? false,
      note: cell.note ?? '',
      updated_by: by,
      updated_at: now,
    })),
  );
  await repo.insertRevisions(
    ctx.db,
    plan.updates.map(({ existing: old }) => ({
      id: ctx.newId(),
      value_id: old.id,
      numerator: old.numerator,
      denominator: old.denominator,
      excluded: old.excluded,
      note: old.note,
      changed_by: by,
      changed_at: now,
      source,
    })),
  );
  await repo.deleteValues(
    ctx.db,
    plan.deletes.map((row) => row.id),
  );
}

export function countOutcomes(outcomes: Iterable<CellOutcome>) {
  const counts = { created: 0, updated: 0, unchanged: 0, deleted: 0, skipped: 0 };
  for (const outcome of outcomes) {
    if (outcome === 'create') counts.created++;
    else if (outcome === 'update') counts.updated++;
    else if (outcome === 'unchanged') counts.unchanged++;
    else if (outcome === 'delete') counts.deleted++;
    else counts.skipped++;
  }
  return counts;
}

/** The stored values of the (measure, team) pairs these cells touch, locked for the write. */
export function lockStoredValues(ctx: AppContext, cells: CellWrite[]) {
  const pairs = new Map<string, { measureId: string; teamId: string }>();
  for (const cell of cells) {
    pairs.set(`${cell.measure.id}|${cell.teamId}`, {
      measureId: cell.measure.id,
      teamId: cell.teamId,
    });
  }
  return repo.lockValuesOfPairs(ctx.db, [...pairs.values()]);
}

// ---- the grid

/**
 * Saves a team's grid: all or nothing. Every row is checked first (field errors point at
 * `/body/values/<i>/<field>`), then stale versions are refused together (412), then the changes
 * are written with one audit event for the save.
 */
export async function saveGrid(
  ctx: AppContext,
  viewer: Viewer,
  teamId: string,
  input: SaveGridInput,
) {
  const team = await findTeamWithVisibleData(ctx, viewer, teamId);
  ensureAllowed(
    viewer,
    may.workInTeam(viewer, { id: team.id, networkId: team.network_id }),
    "enter this team's data",
  );
  const errors: FieldError[] = [];
  const measureIds = [...new Set(input.values.map((row) => row.measure_id))];
  const targets = new Map<string, TargetMeasure>();
  for (const id of measureIds) {
    const row = await measures.findMeasure(ctx.db, id);
    if (!row) continue;
    try {
      await findVisibleMeasureWithOwner(ctx, viewer, id);
    } catch {
      continue;
    }
    if (await teamReportsMeasure(ctx, team.id, id)) targets.set(id, row);
  }
  const cells: CellWrite[] = [];
  const seen = new Map<string, number>();
  input.values.forEach((row, i) => {
    const at = (field: string) => `/body/values/${i}/${field}`;
    const measure = targets.get(row.measure_id);
    if (!measure) {
      errors.push({
        path: at('measure_id'),
        message: 'no such measure for this team (it must be one the team reports)',
      });
      return;
    }
    const period = normalisePeriod(measure.frequency, row.period_start);
    if (!period.ok) {
      errors.push({ path: at('period_start'), message: period.message });
      return;
    }
    const key = `${measure.id}|${period.period}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      errors.push({
        path: at('period_start'),
        message: `the same measure and period as row ${earlier}`,
      });
      return;
    }
    seen.set(key, i);
    cells.push({
      ref: i,
      measure,
      teamId: team.id,
      networkId: team.network_id,
      period: period.period,
      numerator: row.numerator,
      denominator: row.denominator,
      excluded: row.excluded,
      note: row.note,
      version: row.version,
    });
  });
  if (errors.length > 0) throw validationFailed(errors);

  return inTransaction(ctx, async (tx) => {
    const plan = planWrites(await lockStoredValues(tx, cells), cells);
    if (plan.problems.length > 0) {
      throw validationFailed(
        plan.problems.map((p) => ({
          path: `/body/values/${p.ref}/${p.field}`,
          message: p.message,
        })),
      );
    }
    if (plan.stale.length > 0) {
      throw new AppError(
        'precondition_failed',
        `${plan.stale.length} of the values you saved were changed by someone else since you read them (rows ${plan.stale.map((s) => s.ref).join(', ')}). Reload them and apply your edits again; nothing was saved.`,
        plan.stale.map((s) => ({ path: `/body/values/${s.ref}/version`, message: s.message })),
      );
    }
    await applyPlan(tx, viewer, plan, 'grid');
    const counts = countOutcomes(plan.outcomes.values());
    if (counts.created + counts.updated + counts.deleted > 0) {
      await recordAudit(tx, viewer, {
        action: 'update',
        entityType: 'measure_values',
        entityId: team.id,
        summary: `Saved data of team "${team.name}": ${counts.created} new, ${counts.updated} corrected, ${counts.deleted} deleted`,
        before: {
          values: [...plan.updates.map((u) => u.existing), ...plan.deletes]
            .slice(0, 500)
            .map(toValueResponse),
        },
        after: { counts },
      });
    }
    const kept = cells.filter((cell) => cell.numerator !== null);
    const stored = await repo.findValuesByKeys(
      tx.db,
      kept.map((cell) => ({
        measureId: cell.measure.id,
        teamId: cell.teamId,
        period: cell.period,
      })),
    );
    return {
      created: counts.created,
      updated: counts.updated,
      unchanged: counts.unchanged,
      deleted: counts.deleted,
      values: stored.map(toValueResponse),
    };
  });
}
