/**
 * One team's chart of a measure, as the API computed it: the SPC chart with the goal line, the
 * annotations as flags (linked to their PDSA cycle or change idea), the improvement direction and
 * the signals in words; the chart's `message` (why it is empty, or what was left out) above it.
 */
import type { ReactNode } from 'react';
import { EmptyState } from '../../components/index.ts';
import { type SpcAnnotation, SpcChart } from '../../components/spc/SpcChart.tsx';
import type { ImprovementDirection } from '../../../core/spc/types.ts';
import { type MeasureChart, spcResultOf } from './model.ts';
import '../../styles/measures.css';

export function chartAnnotations(chart: MeasureChart): SpcAnnotation[] {
  return chart.annotations.flatMap((a) => {
    if (a.point_index === null) return [];
    const href = a.pdsa_cycle_id
      ? `/cycles/${a.pdsa_cycle_id}`
      : a.change_idea_id
        ? `/change-ideas/${a.change_idea_id}`
        : undefined;
    const label = a.phase_break ? `${a.label} (new phase)` : a.label;
    return [{ index: a.point_index, label, ...(href ? { href } : {}) }];
  });
}

export function MeasureChartView({
  chart,
  title,
  headingLevel = 2,
  onAcceptPhase,
  emptyAction,
  note,
}: {
  chart: MeasureChart;
  title: string;
  headingLevel?: 2 | 3;
  onAcceptPhase?: ((after: number) => void) | undefined;
  /** The first step when there is no data yet (e.g. a link to the data grid). */
  emptyAction?: ReactNode;
  note?: ReactNode;
}) {
  const result = spcResultOf(chart);
  if (!result) {
    return (
      <EmptyState
        title={`${title}: no data for ${chart.team.name} yet`}
        headingLevel={headingLevel === 2 ? 2 : 3}
        action={emptyAction}
        compact
      >
        <p>
          {chart.message ??
            'Enter this team’s values in the data grid or import a file: the chart appears with the first value.'}
        </p>
      </EmptyState>
    );
  }
  const unit = chart.measure.unit || undefined;
  return (
    <div className="measure-chart">
      {chart.message && (
        <div className="alert" role="note">
          {chart.message}
        </div>
      )}
      <SpcChart
        result={result}
        title={title}
        unit={unit}
        goal={chart.measure.goal ?? undefined}
        annotations={chartAnnotations(chart)}
        improvementDirection={chart.measure.improvement_direction as ImprovementDirection}
        headingLevel={headingLevel}
        onAcceptPhase={onAcceptPhase}
        note={
          <>
            {chart.measure.goal !== null && (
              <span>
                Goal line at {chart.measure.goal}
                {unit === '%' ? '%' : unit ? ` ${unit}` : ''}.{' '}
              </span>
            )}
            {note}
          </>
        }
      />
    </div>
  );
}
