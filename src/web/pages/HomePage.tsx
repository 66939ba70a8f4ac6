import { Link } from 'react-router';
import { AREAS } from '../areas.tsx';
import { Badge, ButtonLink, EmptyState, ErrorState, Skeleton } from '../components/index.ts';
import { useCoalition } from '../features/coalition/queries.ts';
import { useOrganisationCount } from '../features/organisations/queries.ts';
import { type Health, useHealth } from '../features/system/queries.ts';
import { plural } from '../lib/format.ts';
import { Page } from '../layout/Page.tsx';

export default function HomePage() {
  const coalition = useCoalition();
  return (
    <Page
      heading={coalition.data?.name ?? 'Home'}
      title="Home"
      lead={coalition.data?.description || undefined}
    >
      {coalition.isPending && <Skeleton lines={2} label="Loading the coalition…" />}
      {coalition.isError && (
        <ErrorState
          title="Could not load this coalition"
          error={coalition.error}
          onRetry={() => coalition.refetch()}
          retrying={coalition.isFetching}
        />
      )}
      <div className="home-grid">
        <section className="section" aria-labelledby="attention-heading">
          <h2 id="attention-heading">What needs my attention</h2>
          <EmptyState
            title="Nothing needs your attention yet"
            headingLevel={3}
            compact
            icon="✓"
            action={<ButtonLink to="/map">Go to the map</ButtonLink>}
          >
            <p>
              Signals on teams&rsquo; charts, teams that have stalled and barriers waiting for an
              owner will show here once improvement work exists in this coalition. Until then, a
              good first step is to put the coalition&rsquo;s organisations on the map.
            </p>
          </EmptyState>
        </section>
        <SystemStatus />
      </div>
      <AreaCards />
    </Page>
  );
}

function AreaCards() {
  const organisations = useOrganisationCount();
  const mapStat = organisations.isSuccess
    ? plural(organisations.data.count, 'organisation') + (organisations.data.more ? ' or more' : '')
    : organisations.isError
      ? 'Count unavailable'
      : 'Counting…';
  return (
    <section className="section" aria-labelledby="areas-heading">
      <h2 id="areas-heading">Areas</h2>
      <ul className="grid card-list">
        {AREAS.map((area) => (
          <li key={area.path}>
            <Link to={area.path} className="card card--link">
              <h3 className="card__title">{area.label}</h3>
              <p className="card__meta">{area.summary}</p>
              <p className="area-status">
                {area.path === '/map' ? <strong>{mapStat}</strong> : <Badge>Not set up yet</Badge>}
              </p>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

const DATABASE_LABELS: Record<Health['database']['mode'], string> = {
  pglite: 'Embedded (PGlite)',
  postgres: 'PostgreSQL server',
};

function SystemStatus() {
  const health = useHealth();
  return (
    <section className="section" aria-labelledby="status-heading">
      <h2 id="status-heading">System status</h2>
      {health.isPending && <Skeleton lines={3} label="Checking the server…" />}
      {health.isError && (
        <ErrorState
          headingLevel={3}
          title="The server did not answer"
          error={health.error}
          onRetry={() => health.refetch()}
          retrying={health.isFetching}
        />
      )}
      {health.data && (
        <div className="card">
          <p>
            <Badge tone={health.data.status === 'ok' ? 'success' : 'warning'}>
              {health.data.status === 'ok' ? '✓ Running' : health.data.status}
            </Badge>
          </p>
          <dl className="details">
            <dt>Version</dt>
            <dd>{health.data.version}</dd>
            <dt>Database</dt>
            <dd>{DATABASE_LABELS[health.data.database.mode] ?? health.data.database.mode}</dd>
            <dt>Migration</dt>
            <dd>
              {health.data.database.migration ? (
                <code>{health.data.database.migration}</code>
              ) : (
                'None applied'
              )}
            </dd>
            <dt>Pending</dt>
            <dd>
              {health.data.database.pending_migrations === 0
                ? 'No pending migrations'
                : plural(health.data.database.pending_migrations, 'pending migration')}
            </dd>
          </dl>
          <p className="card__meta">
            <a href="/api/docs">API documentation</a>
          </p>
        </div>
      )}
    </section>
  );
}
