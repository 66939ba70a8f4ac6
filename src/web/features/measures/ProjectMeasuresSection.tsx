/**
 * The team dashboard on a project page: progress towards the aim (the outcome measure's latest
 * value against the aim's baseline and target), then every measure the team reports on its SPC
 * chart with the signals in words, a link to the measure's page and "Enter data".
 */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  Badge,
  Button,
  ButtonLink,
  EmptyState,
  ErrorState,
  Skeleton,
} from '../../components/index.ts';
import { api } from '../../api/client.ts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { MeasureChartView } from './MeasureChartView.tsx';
import { bodyOf, MeasureForm, NEW_MEASURE } from './MeasureForm.tsx';
import {
  aimProgress,
  formatNumber,
  KIND_LABELS,
  latestPoint,
  type Measure,
  periodName,
  sameUnit,
} from './model.ts';
import { measureKeys, useMeasureChart, useProjectAim, useTeamMeasures } from './queries.ts';
import '../../styles/measures.css';

const KIND_ORDER: Record<Measure['kind'], number> = { outcome: 0, process: 1, balancing: 2 };

export function ProjectMeasuresSection({
  projectId,
  teamId,
  networkId: _networkId,
  charterId,
  canEdit,
}: {
  projectId: string;
  teamId: string;
  networkId: string;
  charterId: string | null;
  canEdit: boolean;
}) {
  const measures = useTeamMeasures(teamId);
  const [adding, setAdding] = useState(false);
  const items = [...(measures.data?.items ?? [])].sort(
    (a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.name.localeCompare(b.name),
  );
  const outcome =
    items.find((m) => m.kind === 'outcome' && m.project_id === projectId) ??
    items.find((m) => m.kind === 'outcome');

  return (
    <section className="project-measures" aria-labelledby="project-measures-heading">
      <div className="project-measures__header">
        <h2 id="project-measures-heading">Measures</h2>
        {canEdit && !adding && items.length > 0 && (
          <Button onClick={() => setAdding(true)}>Add a measure</Button>
        )}
      </div>
      {measures.isPending && <Skeleton lines={4} label="Loading the measures…" />}
      {measures.isError && (
        <ErrorState
          title="Could not load the measures"
          error={measures.error}
          onRetry={() => measures.refetch()}
          retrying={measures.isFetching}
          headingLevel={3}
        />
      )}
      {adding && <AddMeasure projectId={projectId} onDone={() => setAdding(false)} />}
      {measures.isSuccess && items.length === 0 && !adding && (
        <EmptyState
          title="No measures yet"
          headingLevel={3}
          action={
            canEdit ? (
              <Button variant="primary" onClick={() => setAdding(true)}>
                Add the first measure
              </Button>
            ) : undefined
          }
        >
          <p>
            A measure is a number the team collects every week, month or term to see whether its
            changes are improvements: an <strong>outcome</strong> measure for the aim,{' '}
            <strong>process</strong> measures for whether the changes happen, and{' '}
            <strong>balancing</strong> measures for side effects. Each one is charted here as a run
            or control chart.
          </p>
          <p>
            {charterId ? (
              <>
                The network’s common measures are added on the{' '}
                <Link to={`/charters/${charterId}`}>charter</Link> by its facilitators; this
                project’s own measures are added here.
              </>
            ) : (
              'This project’s own measures are added here.'
            )}
          </p>
        </EmptyState>
      )}
      {outcome && <AimProgress projectId={projectId} teamId={teamId} measure={outcome} />}
      {items.length > 0 && (
        <ul className="project-measures__list">
          {items.map((m) => (
            <li key={m.id}>
              <MeasureCard measure={m} teamId={teamId} canEdit={canEdit} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AddMeasure({ projectId, onDone }: { projectId: string; onDone: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: async (body: ReturnType<typeof bodyOf>) =>
      (await api.post('/api/v1/measures', { body: { ...body, project_id: projectId } })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: measureKeys.all }),
  });
  return (
    <div className="card project-measures__add">
      <h3>Add a measure to this project</h3>
      <MeasureForm
        initial={NEW_MEASURE}
        submitLabel="Add measure"
        pendingLabel="Adding…"
        pending={create.isPending}
        error={create.error ?? undefined}
        onSubmit={(values) =>
          create.mutate(bodyOf(values), {
            onSuccess: (m) => {
              onDone();
              navigate(`/measures/${m.id}${m.team_id ? `?team=${m.team_id}&tab=definition` : ''}`);
            },
          })
        }
        secondaryActions={<Button onClick={onDone}>Cancel</Button>}
      />
    </div>
  );
}

function AimProgress({
  projectId,
  teamId,
  measure,
}: {
  projectId: string;
  teamId: string;
  measure: Measure;
}) {
  const project = useProjectAim(projectId);
  const chart = useMeasureChart(measure.id, teamId);
  const aim = project.data?.aim;
  if (!aim || !chart.data) return null;
  const latest = latestPoint(chart.data);
  const unit = measure.unit;
  const { baseline, target } = aim;
  const comparable = baseline !== null && target !== null && sameUnit(unit, aim.unit);
  const share =
    latest && comparable ? aimProgress(latest.y, baseline as number, target as number) : null;
  return (
    <div className="card aim-progress" data-testid="aim-progress">
      <h3>Progress towards the aim</h3>
      {!latest ? (
        <p>
          No value of the outcome measure{' '}
          <Link to={`/measures/${measure.id}?team=${teamId}`}>{measure.name}</Link> yet: progress
          shows once the team enters its first value.
        </p>
      ) : comparable && share !== null ? (
        <>
          <p>
            Latest value of{' '}
            <Link to={`/measures/${measure.id}?team=${teamId}`}>{measure.name}</Link>:{' '}
            <strong>{formatNumber(latest.y, unit)}</strong> (
            {periodName(measure.frequency, latest.period)}
            ). Baseline {formatNumber(baseline, unit)}, target {formatNumber(target, unit)}
            {aim.by ? ` by ${aim.by}` : ''}: {Math.round(share * 100)}% of the way.
          </p>
          <div className="aim-progress__bar">
            <span aria-hidden="true">{formatNumber(baseline, unit)}</span>
            <meter
              min={0}
              max={100}
              value={Math.round(share * 100)}
              aria-label={`Progress from baseline to target: ${Math.round(share * 100)}%`}
            />
            <span aria-hidden="true">{formatNumber(target, unit)}</span>
          </div>
          <p className="card__meta">
            One value is not a trend: read the chart below for signals before calling it progress.
          </p>
        </>
      ) : (
        <p>
          Latest value of <Link to={`/measures/${measure.id}?team=${teamId}`}>{measure.name}</Link>:{' '}
          <strong>{formatNumber(latest.y, unit)}</strong> (
          {periodName(measure.frequency, latest.period)}).{' '}
          {baseline === null || target === null
            ? 'The aim has no baseline and target numbers, so progress towards it is not shown.'
            : `The aim is stated in “${aim.unit || 'no unit'}” and this measure in “${unit || 'no unit'}”, so only the latest value is shown, not progress from ${baseline} to ${target}.`}
        </p>
      )}
    </div>
  );
}

function MeasureCard({
  measure,
  teamId,
  canEdit,
}: {
  measure: Measure;
  teamId: string;
  canEdit: boolean;
}) {
  const chart = useMeasureChart(measure.id, teamId);
  const href = `/measures/${measure.id}?team=${teamId}`;
  const dataHref = `${href}&tab=data`;
  return (
    <article className="card measure-card" aria-label={measure.name}>
      <div className="measure-card__meta">
        <Badge tone={measure.kind === 'outcome' ? 'accent' : 'neutral'}>
          {KIND_LABELS[measure.kind]}
        </Badge>
        <Badge>
          {measure.scope === 'common' ? 'Common measure (network)' : 'This project’s measure'}
        </Badge>
        <span className="card__meta">
          {measure.frequency} · {measure.unit || 'no unit'}
        </span>
      </div>
      {!chart.data && <h3 className="measure-card__title">{measure.name}</h3>}
      {chart.isPending && <Skeleton lines={6} label={`Loading the chart of ${measure.name}…`} />}
      {chart.isError && (
        <ErrorState
          title={`Could not load the chart of ${measure.name}`}
          error={chart.error}
          onRetry={() => chart.refetch()}
          retrying={chart.isFetching}
          headingLevel={3}
        />
      )}
      {chart.data && (
        <MeasureChartView
          chart={chart.data}
          title={measure.name}
          headingLevel={3}
          emptyAction={
            canEdit ? (
              <ButtonLink variant="primary" to={dataHref}>
                Enter data
              </ButtonLink>
            ) : undefined
          }
        />
      )}
      <div className="form-actions">
        <ButtonLink to={href}>
          Open measure<span className="visually-hidden"> {measure.name}</span>
        </ButtonLink>
        {canEdit && chart.data && chart.data.points.length > 0 && (
          <ButtonLink to={dataHref}>
            Enter data<span className="visually-hidden"> for {measure.name}</span>
          </ButtonLink>
        )}
      </div>
    </article>
  );
}
