/**
 * A measure's run or control chart for one team, from stored data: the SPC engine's response
 * (the same shape as POST /api/v1/analysis/spc) plus the measure, the team, each point's period
 * and the annotations placed on the points.
 *
 * How stored values become the engine's request (the time axis, ratio or count, where a dated
 * event falls, phase breaks) is src/core/measures/series.ts, shared with the network dashboard.
 * No data (in the range) is not an error: an empty chart with a `message`.
 */
import { nextPeriod } from '../../../core/measures/periods.ts';
import {
  pointOfDate,
  type SeriesMeasure,
  seriesAxis,
  seriesRequest,
} from '../../../core/measures/series.ts';
import {
  analyzeSpc,
  CONVENTIONS,
  ENGINE_VERSION,
  SpcInputInvalid,
  type SpcResponse,
} from '../../../core/spc/index.ts';
import { type Viewer, visibilityScope } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './measure-data.repository.ts';
import { findVisibleMeasureWithOwner, teamReportsMeasure } from './measure.service.ts';
import { findTeamWithVisibleData } from './scope.service.ts';

const DAY_MS = 86_400_000;
const dayBefore = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);

export async function measureChart(
  ctx: AppContext,
  viewer: Viewer,
  measureId: string,
  teamId: string,
  range: { from?: string | undefined; to?: string | undefined },
) {
  const measure = await findVisibleMeasureWithOwner(ctx, viewer, measureId);
  const team = await findTeamWithVisibleData(ctx, viewer, teamId);
  if (!(await teamReportsMeasure(ctx, team.id, measure.id))) {
    throw new AppError(
      'not_found',
      `Team "${team.name}" does not report measure "${measure.name}" (no project of the team owns it or links its charter).`,
    );
  }
  const values = await repo.listSeries(ctx.db, measure.id, team.id, range);
  const first = values[0]?.period_start;
  const last = values.at(-1)?.period_start;
  const annotations =
    first && last
      ? await repo.listChartAnnotations(ctx.db, visibilityScope(viewer), {
          networkId: measure.network_id,
          teamId: team.id,
          measureId: measure.id,
          from: first,
          to:
            measure.frequency === 'term'
              ? (range.to ?? last)
              : dayBefore(nextPeriod(measure.frequency, last)),
        })
      : [];
  const axis = seriesAxis(
    measure.frequency,
    values.map((v) => v.period_start),
  );
  const built = seriesRequest(
    measure,
    axis,
    values,
    annotations.filter((a) => a.phase_break).map((a) => a.occurred_on),
  );
  const head = {
    measure: {
      id: measure.id,
      name: measure.name,
      unit: measure.unit,
      chart_type: measure.chart_type,
      rule_set: measure.rule_set,
      improvement_direction: measure.improvement_direction,
      goal: measure.goal,
      multiply: measure.multiply,
      frequency: measure.frequency,
    },
    team: { id: team.id, name: team.name },
    periods: axis.periods,
    annotations: annotations.map((a) => ({
      id: a.id,
      occurred_on: a.occurred_on,
      label: a.label,
      kind: a.kind,
      point_index: pointOfDate(axis, a.occurred_on),
      pdsa_cycle_id: a.pdsa_cycle_id,
      change_idea_id: a.change_idea_id,
      phase_break: a.phase_break,
    })),
  };
  if (values.length === 0) {
    return {
      ...emptyChart(measure),
      ...head,
      request: null,
      message: `No values of "${measure.name}" recorded for team "${team.name}"${range.from || range.to ? ' in this period range' : ''} yet: enter them in the data grid or import a file.`,
    };
  }
  let analysis: SpcResponse;
  try {
    analysis = analyzeSpc(built.request);
  } catch (error) {
    if (error instanceof SpcInputInvalid) {
      throw new AppError(
        'conflict',
        `The stored values cannot be charted as a ${measure.chart_type} chart: ${error.message}`,
      );
    }
    throw error;
  }
  return {
    ...analysis,
    ...head,
    request: built.request,
    message: built.notes.length > 0 ? built.notes.join(' ') : null,
  };
}

function emptyChart(measure: SeriesMeasure): SpcResponse {
  return {
    chart: measure.chart_type,
    points: [],
    parts: [],
    patterns: [],
    sigmaSignalPoints: [],
    suggestedPhases: [],
    engine: {
      version: ENGINE_VERSION,
      ruleSet: measure.rule_set,
      limitConstant: measure.rule_set === 'mdc' ? '2.66' : 'd2',
      mrScreening: true,
      multiply: measure.multiply,
      improvementDirection: measure.improvement_direction,
      conventions: CONVENTIONS,
    },
  };
}
