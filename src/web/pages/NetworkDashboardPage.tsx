/**
 * A charter's network dashboard (`/charters/:id/dashboard`), for its facilitators: every team ×
 * every common measure as small multiples on one scale per measure, with signal badges (the rule
 * ids, explained in words), each team's last reported date, the teams silent for 60 days and the
 * PDSA cycles per month. Teams come 50 at a time ("Load more"); cards off screen are not laid out
 * (`content-visibility`), so a 500-team network stays usable.
 */
import { Fragment, useId, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  Badge,
  ButtonLink,
  EmptyState,
  ErrorState,
  LoadMore,
  Skeleton,
} from '../components/index.ts';
import { directionWords, RULE_NAMES } from '../components/spc/explain.ts';
import type { ImprovementDirection, RuleId } from '../../core/spc/types.ts';
import { isStatus } from '../features/coalition/forms.ts';
import {
  type Dashboard,
  type DashboardMeasure,
  type DashboardSeries,
  formatDate,
  formatNumber,
  periodName,
} from '../features/measures/model.ts';
import { Sparkline } from '../features/measures/Sparkline.tsx';
import { useCharter, useCharterDashboard } from '../features/measures/queries.ts';
import { formatDateTime, plural } from '../lib/format.ts';
import { Page } from '../layout/Page.tsx';
import NotFoundPage from './NotFoundPage.tsx';
import '../styles/spc.css';
import '../styles/measures.css';

const ruleName = (rule: string) => RULE_NAMES[rule as RuleId] ?? rule;

export default function NetworkDashboardPage() {
  const { id = '' } = useParams();
  const charter = useCharter(id);
  const dashboard = useCharterDashboard(id);
  const pages = dashboard.data?.pages ?? [];
  const first = pages[0];
  const series = useMemo(() => pages.flatMap((p) => p.series), [pages]);
  const title = charter.data?.title ?? 'Charter';

  if (isStatus(charter.error, 404) || isStatus(dashboard.error, 404)) {
    return (
      <NotFoundPage
        record="charter"
        actions={<ButtonLink to="/improve">Go to the improvement workspace</ButtonLink>}
      />
    );
  }

  return (
    <Page
      heading={`Network dashboard: ${title}`}
      title={`Dashboard: ${title}`}
      breadcrumbs={[
        { to: '/improve', label: 'Improve' },
        { to: `/charters/${id}`, label: title },
      ]}
      lead={
        first ? (
          <>
            {plural(first.summary.team_count, 'team')} ×{' '}
            {plural(first.measures.length, 'common measure')}
            {charter.data ? (
              <>
                {' '}
                in{' '}
                <Link to={`/networks/${charter.data.network_id}`}>{charter.data.network_name}</Link>
              </>
            ) : null}
            . Each measure’s small charts share one scale, so levels compare. Computed{' '}
            {formatDateTime(first.generated_at)}.
          </>
        ) : undefined
      }
    >
      {dashboard.isPending && <Skeleton lines={10} label="Loading the dashboard…" />}
      {dashboard.isError && (
        <ErrorState
          title="Could not load the dashboard"
          error={dashboard.error}
          onRetry={() => dashboard.refetch()}
          retrying={dashboard.isFetching}
        />
      )}
      {first && first.measures.length === 0 && (
        <EmptyState
          title="No common measures yet"
          action={<ButtonLink to={`/charters/${id}`}>Go to the charter</ButtonLink>}
        >
          <p>
            The dashboard shows every team’s chart of the charter’s common measures: the numbers
            every team in the network collects the same way. Add the first common measure on the
            charter.
          </p>
        </EmptyState>
      )}
      {first && first.measures.length > 0 && (
        <>
          <Summary dashboard={first} />
          {first.measures.length > 1 && (
            <nav className="dashboard-toc" aria-label="Measures on this dashboard">
              <ul>
                {first.measures.map((m) => (
                  <li key={m.id}>
                    <a href={`#measure-${m.id}`}>{m.name}</a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {first.measures.map((m) => (
            <MeasureSection
              key={m.id}
              measure={m}
              series={series.filter((s) => s.measure_id === m.id)}
              counts={first.summary.signal_counts.find((c) => c.measure_id === m.id)}
            />
          ))}
          <LoadMore
            shownLabel={`${plural(new Set(series.map((s) => s.team_id)).size, 'team')} of ${first.summary.team_count}`}
            hasMore={dashboard.hasNextPage}
            loading={dashboard.isFetchingNextPage}
            onLoadMore={() => dashboard.fetchNextPage()}
            buttonLabel="Load 50 more teams"
          />
        </>
      )}
    </Page>
  );
}

function Summary({ dashboard }: { dashboard: Dashboard }) {
  const { summary, measures } = dashboard;
  return (
    <div className="dashboard-summary">
      <section className="card" aria-labelledby="signals-summary-heading">
        <h2 id="signals-summary-heading">Signals</h2>
        <ul className="dashboard-summary__list">
          {measures.map((m) => {
            const c = summary.signal_counts.find((s) => s.measure_id === m.id);
            return (
              <li key={m.id}>
                <a href={`#measure-${m.id}`}>{m.name}</a>:{' '}
                {c && c.series > 0
                  ? `${c.series_with_signal} of ${plural(c.series, 'team')} with data ${c.series_with_signal === 1 ? 'shows' : 'show'} a signal`
                  : 'no team has data yet'}
                {c && c.rules.length > 0 && (
                  <span className="card__meta">
                    {' '}
                    ({c.rules.map((r) => `${ruleName(r.rule)}: ${r.series}`).join('; ')})
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      </section>
      <section className="card" aria-labelledby="silent-heading" data-testid="silent-teams">
        <h2 id="silent-heading">No data in 60 days</h2>
        {summary.teams_without_recent_data.length === 0 ? (
          <p>Every team has entered or corrected a value in the last 60 days.</p>
        ) : (
          <>
            <p className="card__meta">
              {plural(summary.teams_without_recent_data.length, 'team')} entered no value for a
              recent period in the last 60 days: worth a call.
            </p>
            <ul className="dashboard-summary__silent">
              {summary.teams_without_recent_data.slice(0, 50).map((t) => (
                <li key={t.team_id}>
                  <Link to={`/teams/${t.team_id}`}>{t.team_name}</Link>{' '}
                  <span className="card__meta">
                    {t.last_reported_at
                      ? `last entry ${formatDate(t.last_reported_at)}`
                      : 'no data ever'}
                  </span>
                </li>
              ))}
            </ul>
            {summary.teams_without_recent_data.length > 50 && (
              <p className="card__meta">
                …and {summary.teams_without_recent_data.length - 50} more.
              </p>
            )}
          </>
        )}
      </section>
      <CyclesPerMonth months={summary.cycles_per_month} />
    </div>
  );
}

function CyclesPerMonth({ months }: { months: Dashboard['summary']['cycles_per_month'] }) {
  const max = Math.max(1, ...months.flatMap((m) => [m.started, m.completed]));
  const total = months.reduce((n, m) => n + m.started, 0);
  const W = 24;
  const H = 80;
  return (
    <section className="card cycles-chart" aria-labelledby="cycles-heading">
      <h2 id="cycles-heading">PDSA cycles per month</h2>
      <p className="card__meta">
        {plural(total, 'cycle')} started in the last 12 months. Dark bars: started; light bars:
        completed.
      </p>
      <svg
        viewBox={`0 0 ${months.length * W} ${H + 16}`}
        className="cycles-chart__svg"
        role="img"
        aria-label={`Cycles started and completed per month: ${months
          .map(
            (m) =>
              `${periodName('monthly', `${m.month}-01`)} ${m.started} started, ${m.completed} completed`,
          )
          .join('; ')}`}
      >
        {months.map((m, i) => {
          const hs = (m.started / max) * H;
          const hc = (m.completed / max) * H;
          return (
            <g key={m.month}>
              <rect
                x={i * W + 3}
                y={H - hs}
                width={8}
                height={hs}
                className="cycles-chart__started"
              />
              <rect
                x={i * W + 12}
                y={H - hc}
                width={8}
                height={hc}
                className="cycles-chart__completed"
              />
              <text
                x={i * W + W / 2}
                y={H + 12}
                textAnchor="middle"
                className="cycles-chart__label"
              >
                {m.month.slice(5)}
              </text>
            </g>
          );
        })}
      </svg>
      <details>
        <summary>Show as a table</summary>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">PDSA cycles per month</caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">Started</th>
                <th scope="col">Completed</th>
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{periodName('monthly', `${m.month}-01`)}</th>
                  <td>{m.started}</td>
                  <td>{m.completed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

function MeasureSection({
  measure,
  series,
  counts,
}: {
  measure: DashboardMeasure;
  series: DashboardSeries[];
  counts: Dashboard['summary']['signal_counts'][number] | undefined;
}) {
  const dir = directionWords(measure.improvement_direction as ImprovementDirection);
  const withData = series.filter((s) => s.points.length > 0);
  const withoutData = series.filter((s) => s.points.length === 0);
  const rules = [...new Set(series.flatMap((s) => s.signals))];
  const [free, setFree] = useState(false);
  const toggleId = useId();
  return (
    <section
      className="dashboard-measure"
      id={`measure-${measure.id}`}
      aria-labelledby={`measure-${measure.id}-heading`}
      data-testid="dashboard-measure"
    >
      <div className="dashboard-measure__header">
        <h2 id={`measure-${measure.id}-heading`}>
          {measure.name}{' '}
          <span className="dashboard-measure__direction" title={dir.text}>
            <span aria-hidden="true">{dir.arrow}</span>
            <span className="visually-hidden">{dir.text}</span>
          </span>
        </h2>
        <p className="card__meta">
          {measure.chart_type} chart · {measure.frequency}
          {measure.unit ? ` · ${measure.unit}` : ''} · {dir.text}
          {measure.goal !== null ? ` · goal ${formatNumber(measure.goal, measure.unit)}` : ''} ·
          scale {formatNumber(measure.y_min, measure.unit)} to{' '}
          {formatNumber(measure.y_max, measure.unit)} for every team
          {counts && counts.series > 0
            ? ` · ${counts.series_with_signal} of ${plural(counts.series, 'team')} with data ${counts.series_with_signal === 1 ? 'shows' : 'show'} a signal`
            : ''}
        </p>
      </div>
      {withData.length > 1 && (
        <div className="dashboard-measure__scale">
          <div className="checkbox">
            <input
              id={toggleId}
              type="checkbox"
              className="checkbox__input"
              checked={free}
              onChange={(e) => setFree(e.target.checked)}
            />
            <label htmlFor={toggleId} className="checkbox__label">
              Free scales<span className="visually-hidden"> for {measure.name}</span>
            </label>
          </div>
          <p className="card__meta">
            {free
              ? 'Each chart on its own scale: shapes compare, levels do not.'
              : 'One scale for every team, so that levels compare.'}
          </p>
        </div>
      )}
      {rules.length > 0 && (
        <dl className="dashboard-legend">
          {rules.map((r) => (
            <Fragment key={r}>
              <dt>
                <code>{r}</code>
              </dt>
              <dd>{ruleName(r)}</dd>
            </Fragment>
          ))}
        </dl>
      )}
      {withData.length === 0 ? (
        <p>No team on this page has entered data for {measure.name} yet.</p>
      ) : (
        <ul className="dashboard-grid">
          {withData.map((s) => (
            <li key={s.team_id} className="dashboard-card" data-testid="dashboard-card">
              <SeriesCard measure={measure} series={s} freeScale={free} />
            </li>
          ))}
        </ul>
      )}
      {withoutData.length > 0 && (
        <p className="card__meta dashboard-measure__nodata">
          No data yet:{' '}
          {withoutData.map((s, i) => (
            <Fragment key={s.team_id}>
              {i > 0 && ', '}
              <Link to={`/measures/${measure.id}?team=${s.team_id}`}>{s.team_name}</Link>
            </Fragment>
          ))}
          .
        </p>
      )}
    </section>
  );
}

function SeriesCard({
  measure,
  series,
  freeScale,
}: {
  measure: DashboardMeasure;
  series: DashboardSeries;
  freeScale: boolean;
}) {
  const href = `/measures/${measure.id}?team=${series.team_id}`;
  const last = [...series.points].reverse().find((p) => p.y !== null);
  const labelId = `card-${measure.id}-${series.team_id}`;
  const summary = [
    last
      ? `Latest ${formatNumber(last.y, measure.unit)} (${periodName(measure.frequency, last.period)})`
      : 'No value in range',
    series.signals.length === 0
      ? 'no signals'
      : `signals: ${series.signals.map(ruleName).join(', ')}`,
    series.trial_limits ? 'trial limits (fewer than 12 points)' : null,
    series.phase_breaks.length > 0 ? `${plural(series.phase_breaks.length, 'phase break')}` : null,
  ]
    .filter(Boolean)
    .join('; ');
  return (
    <article aria-labelledby={labelId}>
      <h3 className="dashboard-card__title" id={labelId}>
        <Link to={href}>
          {series.team_name}
          <span className="visually-hidden">: {measure.name}</span>
        </Link>
      </h3>
      <Sparkline measure={measure} series={series} freeScale={freeScale} />
      <p className="visually-hidden">{summary}.</p>
      <div className="dashboard-card__badges">
        {series.error ? (
          <Badge tone="danger">Cannot chart: {series.error}</Badge>
        ) : series.signals.length === 0 ? (
          <Badge>No signals</Badge>
        ) : (
          series.signals.map((r) => (
            <span
              key={r}
              className="signal-badge"
              title={`${ruleName(r)} (${r})`}
              data-testid="signal-badge"
            >
              <span aria-hidden="true">◆</span> {ruleName(r)}
            </span>
          ))
        )}
        {series.trial_limits && <Badge>Trial limits</Badge>}
      </div>
      <p className="dashboard-card__meta">
        {last ? (
          <>
            Latest <strong>{formatNumber(last.y, measure.unit)}</strong> ·{' '}
          </>
        ) : null}
        Last reported {formatDate(series.last_reported_at)}
        {series.last_period ? ` (for ${periodName(measure.frequency, series.last_period)})` : ''}
      </p>
    </article>
  );
}
