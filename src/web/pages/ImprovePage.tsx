import { Link } from 'react-router';
import {
  Badge,
  ButtonLink,
  type Column,
  EmptyState,
  ErrorState,
  LoadMore,
  Skeleton,
  Table,
  VisibilityBadge,
} from '../components/index.ts';
import { useMe } from '../features/accounts/queries.ts';
import { useMyRoles } from '../features/coalition/queries.ts';
import { type Charter, type Project, statusLabel } from '../features/planning/model.ts';
import { useCharterList, useMyTeams, useProjectList } from '../features/planning/queries.ts';
import { formatDateTime, plural } from '../lib/format.ts';
import { Page } from '../layout/Page.tsx';
import '../styles/planning.css';

/** /improve: what needs my attention in the improvement work — my teams' projects, the charters. */
export default function ImprovePage() {
  const me = useMe();
  const signedIn = Boolean(me.data);
  return (
    <Page
      heading="Improve"
      lead="Improve together: a network states a problem and an aim in a charter; each team adapts its driver diagram, tests change ideas in PDSA cycles and reports the common measures."
      actions={
        <>
          <ButtonLink to="/pdsa">PDSA log</ButtonLink>
          <ButtonLink to="/chart-studio">Chart studio</ButtonLink>
        </>
      }
    >
      {signedIn && <MyProjects />}
      <Charters signedIn={signedIn} />
    </Page>
  );
}

function MyProjects() {
  const mine = useMyTeams();
  const roles = useMyRoles();
  const projects = useProjectList({});
  const all = projects.data?.pages.flatMap((p) => p.items) ?? [];
  // My teams' projects first; a facilitator (no team of their own) sees every project they can.
  const myTeamIds = new Set(mine.teams.map((t) => t.id));
  const rows = myTeamIds.size > 0 ? all.filter((p) => myTeamIds.has(p.team_id)) : all;
  const heading = myTeamIds.size > 0 ? 'My teams’ projects' : 'Projects you can see';
  const columns: Column<Project>[] = [
    {
      key: 'title',
      header: 'Project',
      rowHeader: true,
      className: 'table__cell--primary',
      cell: (p) => (
        <>
          <Link to={`/projects/${p.id}`}>{p.title}</Link>
          {p.aim_statement && <span className="table__cell-note">{p.aim_statement}</span>}
        </>
      ),
    },
    {
      key: 'team',
      header: 'Team',
      cell: (p) => <Link to={`/teams/${p.team_id}`}>{p.team_name}</Link>,
    },
    {
      key: 'status',
      header: 'Status',
      className: 'table__cell--nowrap',
      cell: (p) => (
        <Badge tone={p.status === 'closed' ? 'neutral' : 'accent'}>{statusLabel(p.status)}</Badge>
      ),
    },
    {
      key: 'links',
      header: 'Go to',
      className: 'table__cell--nowrap',
      cell: (p) => (
        <span className="planning-row-links">
          <Link to={`/projects/${p.id}?tab=diagram`}>
            Driver diagram<span className="visually-hidden"> of {p.title}</span>
          </Link>
          {p.charter_id && p.charter_title && (
            <Link to={`/charters/${p.charter_id}`}>
              Charter<span className="visually-hidden"> {p.charter_title}</span>
            </Link>
          )}
        </span>
      ),
    },
    {
      key: 'updated',
      header: 'Last changed',
      className: 'table__cell--date',
      cell: (p) => formatDateTime(p.updated_at),
    },
  ];
  return (
    <section className="section" aria-labelledby="my-projects-heading">
      <h2 id="my-projects-heading">{heading}</h2>
      {projects.isPending && <Skeleton lines={3} label="Loading the projects…" />}
      {projects.isError && !projects.isFetchNextPageError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the projects"
          error={projects.error}
          onRetry={() => projects.refetch()}
        />
      )}
      {projects.isSuccess && rows.length === 0 && (
        <EmptyState title="No projects yet" headingLevel={3} compact icon="◇">
          <p>
            A project is a team’s improvement work: its aim, its driver diagram, its measures and
            its PDSA cycles. To start one, open your network’s charter below and choose “Start a
            team project”.
            {roles.managesAnything &&
              ' No charter yet? Create one on the network’s page (Charters → New charter).'}
          </p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <>
          <Table
            caption={heading}
            captionNote="sorted by title"
            columns={columns}
            rows={rows}
            rowKey={(p) => p.id}
            busy={projects.isFetching}
          />
          {projects.hasNextPage && (
            <LoadMore
              shownLabel={plural(all.length, 'project')}
              hasMore={projects.hasNextPage}
              loading={projects.isFetchingNextPage}
              onLoadMore={() => projects.fetchNextPage()}
              buttonLabel="Load more projects"
            />
          )}
        </>
      )}
    </section>
  );
}

function Charters({ signedIn }: { signedIn: boolean }) {
  const roles = useMyRoles();
  const charters = useCharterList({});
  const rows = charters.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="section" aria-labelledby="charters-heading">
      <h2 id="charters-heading">Network charters</h2>
      <p className="section__lead">
        A charter is a network’s shared problem of practice, aim, driver diagram and common
        measures. Teams start their projects from it.
      </p>
      {charters.isPending && <Skeleton lines={3} label="Loading the charters…" />}
      {charters.isError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the charters"
          error={charters.error}
          onRetry={() => charters.refetch()}
        />
      )}
      {charters.isSuccess && rows.length === 0 && (
        <EmptyState
          title="No charters yet"
          headingLevel={3}
          icon="◎"
          action={
            roles.managesAnything ? (
              <ButtonLink to="/networks" variant="primary">
                Choose a network
              </ButtonLink>
            ) : !signedIn ? (
              <ButtonLink to="/sign-in?next=%2Fimprove" variant="primary">
                Sign in
              </ButtonLink>
            ) : undefined
          }
        >
          <p>
            How to start: a network facilitator creates the charter on the network’s page — the
            problem of practice, the aim and the driver diagram. Then each team starts its project
            from the charter and tests change ideas in PDSA cycles.
          </p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <ul className="grid card-list planning-charters">
          {rows.map((c: Charter) => (
            <li key={c.id}>
              <article className="card">
                <h3 className="card__title">
                  <Link to={`/charters/${c.id}`}>{c.title}</Link>
                </h3>
                <p className="card__meta">
                  <VisibilityBadge visibility={c.visibility} /> {c.network_name} ·{' '}
                  {plural(c.project_count, 'team project')}
                </p>
                {c.aim_statement ? (
                  <p className="planning-charters__aim">{c.aim_statement}</p>
                ) : (
                  <p className="card__meta">No aim stated yet.</p>
                )}
                <p className="planning-row-links">
                  <Link to={`/charters/${c.id}/dashboard`}>
                    Dashboard<span className="visually-hidden"> of {c.title}</span>
                  </Link>
                </p>
              </article>
            </li>
          ))}
        </ul>
      )}
      {charters.hasNextPage && (
        <LoadMore
          shownLabel={plural(rows.length, 'charter')}
          hasMore={charters.hasNextPage}
          loading={charters.isFetchingNextPage}
          onLoadMore={() => charters.fetchNextPage()}
          buttonLabel="Load more charters"
        />
      )}
    </section>
  );
}
