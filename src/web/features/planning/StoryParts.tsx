/**
 * The parts of a project's one-page "improvement story" (ProjectStoryPage): the aim with the
 * outcome measure's latest value, the driver diagram, the outcome measure's chart and the PDSA
 * ramps with what each cycle taught. Each part says "no … yet" in one line when it has nothing,
 * so the printed page never shows an empty box. Everything is read-only and compact.
 */
import { useMemo } from 'react';
import { ErrorState, Skeleton } from '../../components/index.ts';
import { DriverDiagramView } from '../../components/driver-diagram/DriverDiagramView.tsx';
import { MeasureChartView } from '../measures/MeasureChartView.tsx';
import {
  formatNumber,
  KIND_LABELS,
  latestPoint,
  type Measure,
  type MeasureChart,
  periodName,
  sameUnit,
} from '../measures/model.ts';
import { useMeasureChart, useTeamMeasures } from '../measures/queries.ts';
import { DECISION_LABELS, type PdsaCycle, rampSize, rampsOfCycles } from '../pdsa/model.ts';
import { RampView } from '../pdsa/parts.tsx';
import { useProjectCycles } from '../pdsa/queries.ts';
import { contentOf, type Project, withUnit } from './model.ts';
import { useDriverDiagram } from './queries.ts';

/** At most this many cycles are listed with their learning: the story stays one page. */
const MAX_CYCLES = 8;

function Loading({ label }: { label: string }) {
  return <Skeleton lines={2} label={label} />;
}

function StoryError({
  title,
  error,
  retry,
}: {
  title: string;
  error: unknown;
  retry: () => unknown;
}) {
  return <ErrorState headingLevel={3} title={title} error={error} onRetry={() => retry()} />;
}

/** The measure the story charts: the project's outcome measure, else any outcome measure of its
 * charter, else the project's first measure. */
export function storyMeasure(measures: readonly Measure[], project: Project): Measure | undefined {
  const own = measures.filter(
    (m) =>
      m.project_id === project.id ||
      (project.charter_id !== null && m.charter_id === project.charter_id),
  );
  const byName = [...own].sort((a, b) => a.name.localeCompare(b.name));
  return (
    byName.find((m) => m.kind === 'outcome' && m.project_id === project.id) ??
    byName.find((m) => m.kind === 'outcome') ??
    byName.find((m) => m.project_id === project.id) ??
    byName[0]
  );
}

/** The outcome measure and its chart for the team, loaded once for the aim and the chart. */
export function useStoryMeasure(project: Project) {
  const measures = useTeamMeasures(project.team_id);
  const measure = measures.data ? storyMeasure(measures.data.items, project) : undefined;
  const chart = useMeasureChart(measure?.id ?? '', measure ? project.team_id : null);
  return { measures, measure, chart };
}

export type StoryMeasure = ReturnType<typeof useStoryMeasure>;

// ---- aim -----------------------------------------------------------------------------------------

export function StoryAim({ project, story }: { project: Project; story: StoryMeasure }) {
  const { aim } = project;
  const chart = story.chart.data;
  const latest = chart ? latestPoint(chart) : null;
  const unit = story.measure?.unit ?? '';
  return (
    <section className="story__section story__aim" aria-labelledby="story-aim">
      <h2 id="story-aim">Aim</h2>
      {project.aim_statement ? (
        <p className="story__aim-sentence" data-testid="story-aim">
          {project.aim_statement}
        </p>
      ) : (
        <p className="story__none">No aim yet.</p>
      )}
      <dl className="story__numbers">
        <div>
          <dt>Baseline</dt>
          <dd>{aim.baseline === null ? '—' : withUnit(aim.baseline, aim.unit)}</dd>
        </div>
        <div className="story__target">
          <dt>Target</dt>
          <dd>{aim.target === null ? '—' : withUnit(aim.target, aim.unit)}</dd>
        </div>
        <div className="story__latest">
          <dt>Latest</dt>
          <dd data-testid="story-latest">
            {latest && story.measure ? (
              <>
                {formatNumber(latest.y, unit)}{' '}
                <span className="story__muted">
                  ({periodName(story.measure.frequency, latest.period)})
                </span>
              </>
            ) : (
              '—'
            )}
          </dd>
        </div>
      </dl>
      {story.measure && latest && !sameUnit(unit, aim.unit) && aim.target !== null && (
        <p className="story__muted">
          The latest value is of “{story.measure.name}” ({unit || 'no unit'}); the aim is in{' '}
          {aim.unit || 'no unit'}.
        </p>
      )}
      {!story.measure && story.measures.isSuccess && (
        <p className="story__none">No outcome measure yet, so no latest value.</p>
      )}
    </section>
  );
}

export function StoryProblem({ project }: { project: Project }) {
  return (
    <section className="story__section story__problem" aria-labelledby="story-problem">
      <h2 id="story-problem">Problem</h2>
      {project.problem_statement ? (
        <p className="story__problem-text">{project.problem_statement}</p>
      ) : (
        <p className="story__none">No problem statement yet.</p>
      )}
    </section>
  );
}

// ---- diagram -------------------------------------------------------------------------------------

export function StoryDiagram({ project }: { project: Project }) {
  const diagram = useDriverDiagram({ kind: 'project', id: project.id });
  const content = useMemo(
    () => (diagram.data ? contentOf(diagram.data.data) : null),
    [diagram.data],
  );
  const empty = content !== null && content.nodes.length === 0 && !content.aim.trim();
  return (
    <section className="story__section story__diagram" aria-labelledby="story-diagram">
      {diagram.isPending && <Loading label="Loading the driver diagram…" />}
      {diagram.isError && (
        <StoryError
          title="Could not load the driver diagram"
          error={diagram.error}
          retry={diagram.refetch}
        />
      )}
      {empty && (
        <>
          <h2 id="story-diagram">Driver diagram</h2>
          <p className="story__none">No driver diagram yet.</p>
        </>
      )}
      {content && !empty && (
        <>
          <h2 id="story-diagram" className="visually-hidden">
            Driver diagram
          </h2>
          <DriverDiagramView
            content={content}
            title="Driver diagram"
            headingLevel={3}
            exports={false}
          />
        </>
      )}
    </section>
  );
}

// ---- the outcome measure's chart ----------------------------------------------------------------

export function StoryChart({ story }: { story: StoryMeasure }) {
  const { measures, measure, chart } = story;
  return (
    <section className="story__section story__chart" aria-labelledby="story-chart">
      <h2 id="story-chart">{measure ? KIND_LABELS[measure.kind] : 'Outcome measure'}</h2>
      {measures.isPending && <Loading label="Loading the measures…" />}
      {measures.isError && (
        <StoryError
          title="Could not load the measures"
          error={measures.error}
          retry={measures.refetch}
        />
      )}
      {measures.isSuccess && !measure && <p className="story__none">No measures yet.</p>}
      {measure && chart.isPending && <Loading label={`Loading the chart of ${measure.name}…`} />}
      {measure && chart.isError && (
        <StoryError
          title={`Could not load the chart of ${measure.name}`}
          error={chart.error}
          retry={chart.refetch}
        />
      )}
      {measure && chart.data && <StoryChartBody measure={measure} chart={chart.data} />}
    </section>
  );
}

function StoryChartBody({ measure, chart }: { measure: Measure; chart: MeasureChart }) {
  if (chart.points.length === 0) {
    return <p className="story__none">No data for “{measure.name}” yet.</p>;
  }
  const notes = chart.annotations.filter((a) => a.point_index !== null);
  return (
    <>
      <MeasureChartView chart={chart} title={measure.name} headingLevel={3} />
      {notes.length > 0 && (
        <p className="story__annotations">
          <strong>Annotations:</strong>{' '}
          {notes.map((a, i) => (
            <span key={a.id}>
              {i > 0 && ' · '}
              {periodName(measure.frequency, chart.periods[a.point_index ?? 0] ?? '')}: {a.label}
            </span>
          ))}
        </p>
      )}
    </>
  );
}

// ---- PDSA ramps ----------------------------------------------------------------------------------

/** The first sentence (or line) of a study summary: the cycle's learning in one line. */
export function oneLine(text: string, max = 160): string {
  const first =
    text
      .trim()
      .split(/\n|(?<=[.!?])\s/)[0]
      ?.trim() ?? '';
  return first.length > max ? `${first.slice(0, max - 1).trimEnd()}…` : first;
}

export function StoryCycles({ project }: { project: Project }) {
  const cycles = useProjectCycles(project.id);
  const items = cycles.data?.items ?? [];
  const ramps = rampsOfCycles(items);
  const chains = ramps.filter((r) => rampSize(r) > 1);
  // Oldest first, ramp by ramp (a ramp's cycles together), then the single cycles.
  const ordered: PdsaCycle[] = [];
  const byId = new Map(items.map((c) => [c.id, c]));
  const walk = (node: (typeof ramps)[number]) => {
    const c = node.cycle ? byId.get(node.cycle.id) : undefined;
    if (c) ordered.push(c);
    node.children.forEach(walk);
  };
  [...chains, ...ramps.filter((r) => rampSize(r) === 1)].forEach(walk);
  const shown = ordered.slice(0, MAX_CYCLES);
  return (
    <section className="story__section story__cycles" aria-labelledby="story-cycles">
      <h2 id="story-cycles">PDSA cycles</h2>
      {cycles.isPending && <Loading label="Loading the cycles…" />}
      {cycles.isError && (
        <StoryError
          title="Could not load the PDSA cycles"
          error={cycles.error}
          retry={cycles.refetch}
        />
      )}
      {cycles.isSuccess && items.length === 0 && <p className="story__none">No PDSA cycles yet.</p>}
      {items.length > 0 && (
        <>
          {chains.length === 0 ? (
            <p className="story__none">No ramps yet: each cycle so far stands alone.</p>
          ) : (
            <div className="story__ramps" data-testid="story-ramps">
              {chains.map((root) => (
                <RampView
                  key={root.key}
                  roots={[root]}
                  label={`Ramp starting with ${root.cycle?.title ?? 'a cycle'}`}
                />
              ))}
            </div>
          )}
          <table className="story__learning">
            <caption className="visually-hidden">What each cycle tested and learned</caption>
            <thead>
              <tr>
                <th scope="col">Scale</th>
                <th scope="col">Cycle</th>
                <th scope="col">Decision</th>
                <th scope="col">Learning</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => (
                <tr key={c.id}>
                  <td className="story__nowrap">{c.scale || '—'}</td>
                  <th scope="row">{c.title}</th>
                  <td className="story__nowrap">
                    {c.decision
                      ? DECISION_LABELS[c.decision]
                      : c.state === 'completed'
                        ? '—'
                        : 'In progress'}
                  </td>
                  <td>
                    {c.study.summary.trim() ? (
                      oneLine(c.study.summary)
                    ) : (
                      <span className="story__muted">No study summary yet.</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {ordered.length > shown.length && (
            <p className="story__muted">
              And {ordered.length - shown.length} more in the project’s PDSA log.
            </p>
          )}
        </>
      )}
    </section>
  );
}
