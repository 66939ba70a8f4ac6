import { chartsRatio } from '../../../core/measures/series.ts';
import {
  denominatorNeed,
  isCountChart,
  isProportionChart,
} from '../../../core/measures/value-rules.ts';
import type { ChartType } from '../../../core/spc/index.ts';
import {
  ensureAllowed,
  ensureVisible,
  may,
  type Viewer,
  visibilityScope,
} from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { ensureCurrentVersion } from '../../platform/concurrency.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { AppError, notFound, validationFailed } from '../../platform/errors.ts';
import { type Page, pageRequest, toPage } from '../../platform/pagination.ts';
import { findVisibleTeam } from '../structure/team.service.ts';
import type {
  CreateMeasureInput,
  ListMeasuresInput,
  MeasureResponse,
  UpdateMeasureInput,
} from './measure.schemas.ts';
import * as repo from './measure.repository.ts';
import { findVisibleCharter, findVisibleProject, measureScoped } from './scope.service.ts';

const WHAT = 'measure';

export type MeasureRow = repo.MeasureOwnerRow;

export function toMeasureResponse(row: MeasureRow): MeasureResponse {
  return {
    id: row.id,
    network_id: row.network_id,
    scope: row.charter_id ? 'common' : 'local',
    charter_id: row.charter_id,
    project_id: row.project_id,
    team_id: row.project_team_id,
    owner_title: row.charter_title ?? row.project_title ?? '',
    name: row.name,
    kind: row.kind,
    description: row.description,
    operational_definition: {
      numerator_definition: row.numerator_definition,
      denominator_definition: row.denominator_definition,
      inclusion: row.inclusion,
      exclusion: row.exclusion,
      data_source: row.data_source,
    },
    frequency: row.frequency,
    unit: row.unit,
    improvement_direction: row.improvement_direction,
    chart_type: row.chart_type,
    rule_set: row.rule_set,
    multiply: row.multiply,
    goal: row.goal,
    needs_denominator: chartsRatio(row)
      ? 'required'
      : denominatorNeed(row.chart_type) === 'not_allowed'
        ? 'not_allowed'
        : 'optional',
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** The measure with its owner if the viewer may see it; 404 otherwise. */
export async function findVisibleMeasureWithOwner(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
): Promise<MeasureRow> {
  const row = await repo.findMeasure(ctx.db, id);
  if (!row) throw notFound('Measure', id);
  ensureVisible(viewer, measureScoped(row), 'Measure', id);
  return row;
}

/** Common measures are the network's (its facilitators); local ones the project team's. */
export function mayEditMeasure(viewer: Viewer, row: MeasureRow): boolean {
  if (row.charter_id) return may.manageNetwork(viewer, row.network_id);
  return (
    row.project_team_id !== null &&
    may.workInTeam(viewer, { id: row.project_team_id, networkId: row.network_id })
  );
}

/** Whether the team reports this measure (common: a project of the team links the charter). */
export function teamReportsMeasure(ctx: AppContext, teamId: string, measureId: string) {
  return repo.teamReportsMeasure(ctx.db, teamId, measureId);
}

export async function listMeasures(
  ctx: AppContext,
  viewer: Viewer,
  input: ListMeasuresInput,
): Promise<Page<MeasureResponse>> {
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  if (input.team_id) await findVisibleTeam(ctx, viewer, input.team_id);
  const rows = await repo.listMeasures(ctx.db, visibilityScope(viewer), {
    limit,
    after,
    charterId: input.charter_id,
    projectId: input.project_id,
    teamId: input.team_id,
  });
  return toPage(rows, limit, (row) => [row.name.toLowerCase(), row.id], toMeasureResponse);
}

export async function getMeasure(ctx: AppContext, viewer: Viewer, id: string) {
  return toMeasureResponse(await findVisibleMeasureWithOwner(ctx, viewer, id));
}

async function findOrFail(ctx: AppContext, id: string) {
  const row = await repo.findMeasure(ctx.db, id);
  if (!row) throw notFound('Measure', id);
  return row;
}

export async function createMeasure(
  ctx: AppContext,
  viewer: Viewer,
  input: CreateMeasureInput,
): Promise<MeasureResponse> {
  if ((input.charter_id === undefined) === (input.project_id === undefined)) {
    throw validationFailed([
      {
        path: input.charter_id ? '/body/project_id' : '/body/charter_id',
        message:
          'give either charter_id (a common measure every linked team reports) or project_id (a local measure), not both',
      },
    ]);
  }
  return inTransaction(ctx, async (tx) => {
    let networkId: string;
    if (input.charter_id) {
      const charter = await findVisibleCharter(tx, viewer, input.charter_id);
      ensureAllowed(
        viewer,
        may.manageNetwork(viewer, charter.network_id),
        "add common measures to this network's charter",
      );
      networkId = charter.network_id;
    } else {
      const project = await findVisibleProject(tx, viewer, input.project_id as string);
      ensureAllowed(
        viewer,
        may.workInTeam(viewer, { id: project.team_id, networkId: project.network_id }),
        "add measures to this team's project",
      );
      networkId = project.network_id;
    }
    const now = tx.now();
    const definition = input.operational_definition ?? {};
    const { id } = await repo.insertMeasure(tx.db, {
      id: tx.newId(),
      network_id: networkId,
      charter_id: input.charter_id ?? null,
      project_id: input.project_id ?? null,
      name: input.name.trim(),
      kind: input.kind,
      description: input.description ?? '',
      numerator_definition: definition.numerator_definition ?? '',
      denominator_definition: definition.denominator_definition ?? '',
      inclusion: definition.inclusion ?? '',
      exclusion: definition.exclusion ?? '',
      data_source: definition.data_source ?? '',
      frequency: input.frequency,
      unit: input.unit ?? '',
      improvement_direction: input.improvement_direction ?? 'increase',
      chart_type: input.chart_type,
      rule_set: input.rule_set ?? 'anhoej',
      multiply: input.multiply ?? 1,
      goal: input.goal ?? null,
      created_by: viewer.userId ?? null,
      created_at: now,
      updated_at: now,
    });
    const after = toMeasureResponse(await findOrFail(tx, id));
    await recordAudit(tx, viewer, {
      action: 'create',
      entityType: WHAT,
      entityId: id,
      summary: `Created ${after.scope} measure "${after.name}" (${after.chart_type} chart) for "${after.owner_title}"`,
      after,
    });
    return after;
  });
}

/** Refuses a chart type or frequency change the stored values cannot follow. */
async function checkDataStillFits(
  ctx: AppContext,
  before: MeasureRow,
  input: UpdateMeasureInput,
): Promise<void> {
  const count = await repo.countValues(ctx.db, before.id);
  if (count === 0) return;
  if (input.frequency !== undefined && input.frequency !== before.frequency) {
    throw new AppError(
      'conflict',
      `This measure has ${count} values recorded ${before.frequency}; their periods would not fit a ${input.frequency} measure. Create a new measure instead, or delete the values first.`,
      [{ path: '/body/frequency', message: 'cannot change while values exist' }],
    );
  }
  const chart = input.chart_type as ChartType | undefined;
  if (chart === undefined || chart === before.chart_type) return;
  const need = denominatorNeed(chart);
  const bad = await repo.countValuesInvalidFor(ctx.db, before.id, {
    denominatorRequired: need === 'required',
    denominatorForbidden: need === 'not_allowed',
    proportion: isProportionChart(chart),
    count: isCountChart(chart),
  });
  const reasons = [
    bad.withoutDenominator && `${bad.withoutDenominator} values have no denominator`,
    bad.withDenominator && `${bad.withDenominator} values have a denominator`,
    bad.aboveDenominator && `${bad.aboveDenominator} numerators exceed their denominator`,
    bad.negative && `${bad.negative} values are negative`,
  ].filter(Boolean);
  if (reasons.length > 0) {
    throw new AppError(
      'conflict',
      `The stored values cannot be charted as a ${chart} chart: ${reasons.join('; ')}. Correct them first.`,
      [{ path: '/body/chart_type', message: `does not fit the stored values` }],
    );
  }
}

export async function updateMeasure(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
  input: UpdateMeasureInput,
): Promise<MeasureResponse> {
  return inTransaction(ctx, async (tx) => {
    const before = await findVisibleMeasureWithOwner(tx, viewer, id);
    ensureAllowed(viewer, mayEditMeasure(viewer, before), 'change this measure');
    ensureCurrentVersion(await repo.findMeasureForUpdate(tx.db, id), ifMatch, WHAT, id);
    await checkDataStillFits(tx, before, input);
    const definition = input.operational_definition ?? {};
    await repo.updateMeasure(tx.db, id, {
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...definition,
      ...(input.frequency !== undefined ? { frequency: input.frequency } : {}),
      ...(input.unit !== undefined ? { unit: input.unit } : {}),
      ...(input.improvement_direction !== undefined
        ? { improvement_direction: input.improvement_direction }
        : {}),
      ...(input.chart_type !== undefined ? { chart_type: input.chart_type } : {}),
      ...(input.rule_set !== undefined ? { rule_set: input.rule_set } : {}),
      ...(input.multiply !== undefined ? { multiply: input.multiply } : {}),
      ...(input.goal !== undefined ? { goal: input.goal } : {}),
      updated_at: tx.now(),
    });
    const after = toMeasureResponse(await findOrFail(tx, id));
    await recordAudit(tx, viewer, {
      action: 'update',
      entityType: WHAT,
      entityId: id,
      summary: `Changed measure "${after.name}"`,
      before: toMeasureResponse(before),
      after,
    });
    return after;
  });
}

/**
 * Deleting a measure with data takes its values and their history with it, so it must be
 * confirmed with `with_data`; without it a measure with values is refused (409).
 */
export async function deleteMeasure(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
  withData: boolean,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const before = await findVisibleMeasureWithOwner(tx, viewer, id);
    ensureAllowed(viewer, mayEditMeasure(viewer, before), 'delete this measure');
    ensureCurrentVersion(await repo.findMeasureForUpdate(tx.db, id), ifMatch, WHAT, id);
    const count = await repo.countValues(tx.db, id);
    if (count > 0 && !withData) {
      throw new AppError(
        'conflict',
        `Measure "${before.name}" has ${count} recorded values. Delete them first (save them with numerator null in the data grid), or repeat this request with ?with_data=true to delete the measure with all its values and their history.`,
      );
    }
    await repo.deleteMeasure(tx.db, id);
    await recordAudit(tx, viewer, {
      action: 'delete',
      entityType: WHAT,
      entityId: id,
      summary:
        count > 0
          ? `Deleted measure "${before.name}" with its ${count} values`
          : `Deleted measure "${before.name}"`,
      before: toMeasureResponse(before),
    });
  });
}
