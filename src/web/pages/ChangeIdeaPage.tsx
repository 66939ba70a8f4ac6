import { useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  Badge,
  ButtonLink,
  type Column,
  EmptyState,
  ErrorState,
  LoadMore,
  SaveStatus,
  Skeleton,
  Table,
  VisibilityBadge,
} from '../components/index.ts';
import { useMe } from '../features/accounts/queries.ts';
import { HistorySection } from '../features/audit/HistorySection.tsx';
import { isConflict, isStatus } from '../features/coalition/forms.ts';
import { useMyRoles } from '../features/coalition/queries.ts';
import { ChangeIdeaForm } from '../features/planning/forms.tsx';
import {
  type ChangeIdea,
  changeIdeaBodyOf,
  changeIdeaFormValuesOf,
  type PdsaCycle,
  SOURCE_KIND_OPTIONS,
  type UpdateChangeIdeaBody,
} from '../features/planning/model.ts';
import {
  useChangeIdea,
  useCyclesOfChangeIdea,
  useUpdateChangeIdea,
} from '../features/planning/queries.ts';
import { formatDateTime, plural } from '../lib/format.ts';
import { Page } from '../layout/Page.tsx';
import NotFoundPage from './NotFoundPage.tsx';
import '../styles/planning.css';

const CONFLICT_MESSAGE = 'Someone else changed this change idea; reload to see their changes.';

export default function ChangeIdeaPage() {
  const { id = '' } = useParams();
  const idea = useChangeIdea(id);
  const data = idea.data?.data;
  if (!data) {
    if (isStatus(idea.error, 404)) {
      return (
        <NotFoundPage
          record="change idea"
          actions={<ButtonLink to="/improve">Go to Improve</ButtonLink>}
        />
      );
    }
    return (
      <Page heading="Change idea" breadcrumbs={[{ to: '/improve', label: 'Improve' }]}>
        {idea.isPending && <Skeleton lines={4} label="Loading the change idea…" />}
        {idea.isError && (
          <ErrorState
            title="Could not load this change idea"
            error={idea.error}
            onRetry={() => idea.refetch()}
            retrying={idea.isFetching}
          />
        )}
      </Page>
    );
  }
  return (
    <ChangeIdeaRecord
      idea={data}
      etag={idea.data?.etag ?? ''}
      reload={idea.refetch}
      reloading={idea.isFetching}
    />
  );
}

/** The body fields that differ from the idea as loaded (PATCH sends only those). */
function changedFields(idea: ChangeIdea, next: UpdateChangeIdeaBody): UpdateChangeIdeaBody {
  const before = changeIdeaBodyOf(changeIdeaFormValuesOf(idea));
  const body: UpdateChangeIdeaBody = {};
  if (next.title !== before.title) body.title = next.title;
  if (next.description !== before.description) body.description = next.description;
  if (JSON.stringify(next.tags) !== JSON.stringify(before.tags)) body.tags = next.tags;
  if (next.visibility !== before.visibility) body.visibility = next.visibility;
  if (JSON.stringify(next.source) !== JSON.stringify(before.source)) body.source = next.source;
  return body;
}

function ChangeIdeaRecord({
  idea,
  etag,
  reload,
  reloading,
}: {
  idea: ChangeIdea;
  etag: string;
  reload: () => Promise<unknown>;
  reloading: boolean;
}) {
  const me = useMe();
  const roles = useMyRoles();
  const update = useUpdateChangeIdea(idea.id);
  const [saved, setSaved] = useState<string | null>(null);
  const [nothingChanged, setNothingChanged] = useState(false);
  const canEdit =
    roles.managesNetwork(idea.network_id) ||
    (me.data?.id !== undefined && me.data.id === idea.created_by_id);
  const source = idea.source;
  const sourceLabel = SOURCE_KIND_OPTIONS.find((o) => o.value === source.kind)?.label;
  const owner = idea.team_id ? (
    idea.team_name ? (
      <Link to={`/teams/${idea.team_id}`}>{idea.team_name}</Link>
    ) : (
      'a team'
    )
  ) : (
    <Link to={`/networks/${idea.network_id}`}>{idea.network_name}</Link>
  );

  return (
    <Page
      heading={idea.title}
      title={`${idea.title} — change idea`}
      breadcrumbs={[
        { to: '/improve', label: 'Improve' },
        { to: `/networks/${idea.network_id}`, label: idea.network_name },
      ]}
      lead={
        <>
          <VisibilityBadge visibility={idea.visibility} /> A change idea of {owner}
          {idea.team_id ? (
            <>
              {' '}
              in <Link to={`/networks/${idea.network_id}`}>{idea.network_name}</Link>
            </>
          ) : null}
          .
        </>
      }
    >
      <div className="record-grid">
        <section className="card" aria-labelledby="idea-heading">
          <h2 id="idea-heading">The idea</h2>
          {idea.description ? (
            <p className="planning-prose">{idea.description}</p>
          ) : (
            <p className="card__meta">No description yet.</p>
          )}
          <dl className="details planning-details">
            <dt>Tags</dt>
            <dd>
              {idea.tags.length === 0 ? (
                <span className="card__meta">None</span>
              ) : (
                <ul className="badge-row planning-tags">
                  {idea.tags.map((t) => (
                    <li key={t}>
                      <Badge>{t}</Badge>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>Source</dt>
            <dd>
              {source.kind === 'none' && !source.citation && !source.url ? (
                <span className="card__meta">Not recorded</span>
              ) : (
                <>
                  {sourceLabel}
                  {source.citation && <span className="details__help">{source.citation}</span>}
                  {source.url && (
                    <span className="details__help">
                      <a href={source.url} rel="noopener noreferrer" target="_blank">
                        {source.url}
                        <span className="visually-hidden"> (opens in a new tab)</span>
                      </a>
                    </span>
                  )}
                  {source.cycle_id && (
                    <span className="details__help">
                      <Link to={`/cycles/${source.cycle_id}`}>The PDSA cycle it came from</Link>
                    </span>
                  )}
                </>
              )}
            </dd>
            <dt>Belongs to</dt>
            <dd>{idea.team_id ? <>Team {owner}</> : <>The network {owner}</>}</dd>
            <dt>Last changed</dt>
            <dd>{formatDateTime(idea.updated_at)}</dd>
          </dl>
        </section>

        <section className="card" aria-labelledby="drivers-heading">
          <h2 id="drivers-heading">Drivers it serves</h2>
          {idea.drivers.length === 0 ? (
            <p className="card__meta">
              No driver diagram links to this idea yet. In a driver diagram, link a change idea box
              to this record (“Link to…”), under the drivers it serves.
            </p>
          ) : (
            <ul className="planning-drivers">
              {idea.drivers.map((d) => (
                <li key={`${d.owner_kind}:${d.owner_id}:${d.node_id}`}>
                  <span className="planning-drivers__label">{d.label}</span>{' '}
                  <span className="card__meta">
                    ({d.kind === 'primary' ? 'primary' : 'secondary'} driver in{' '}
                    <Link
                      to={
                        d.owner_kind === 'charter'
                          ? `/charters/${d.owner_id}`
                          : `/projects/${d.owner_id}?tab=diagram`
                      }
                    >
                      {d.owner_kind === 'charter' ? 'the network diagram: ' : ''}
                      {d.owner_title}
                    </Link>
                    )
                  </span>
                </li>
              ))}
            </ul>
          )}
          <h3 className="planning-label">Teams testing it</h3>
          {idea.teams_testing.length === 0 ? (
            <p className="card__meta">No team has a PDSA cycle of this idea yet.</p>
          ) : (
            <ul className="planning-drivers">
              {idea.teams_testing.map((t) => (
                <li key={t.team_id}>
                  <Link to={`/teams/${t.team_id}`}>{t.team_name}</Link>{' '}
                  <span className="card__meta">({plural(t.cycle_count, 'cycle')})</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <CyclesSection idea={idea} />

      {canEdit && (
        <section
          className="section card form-card planning-no-print"
          aria-labelledby="edit-heading"
        >
          <h2 id="edit-heading">Edit change idea</h2>
          <ChangeIdeaForm
            key={`${idea.id}:${idea.version}`}
            initial={changeIdeaFormValuesOf(idea)}
            submitLabel="Save changes"
            pendingLabel="Saving…"
            pending={update.isPending}
            error={isConflict(update.error) ? undefined : (update.error ?? undefined)}
            onSubmit={(values) => {
              setSaved(null);
              const body = changedFields(idea, changeIdeaBodyOf(values));
              if (Object.keys(body).length === 0) {
                setNothingChanged(true);
                return;
              }
              setNothingChanged(false);
              update.mutate(
                { body, etag },
                { onSuccess: (r) => setSaved(`Saved. The idea is now version ${r.data.version}.`) },
              );
            }}
            status={
              <SaveStatus
                conflict={isConflict(update.error) ? CONFLICT_MESSAGE : null}
                onReload={async () => {
                  update.reset();
                  setSaved(null);
                  await reload();
                }}
                reloading={reloading}
                saved={saved}
                nothingChanged={nothingChanged}
              />
            }
          />
        </section>
      )}

      <HistorySection
        entityType="change_idea"
        id={idea.id}
        what="change idea"
        showAuditLink={roles.isAdmin}
      />
    </Page>
  );
}

const STATE_LABELS: Record<string, string> = {
  plan: 'Plan',
  do: 'Do',
  study: 'Study',
  act: 'Act',
  completed: 'Completed',
  abandoned: 'Abandoned',
};

function CyclesSection({ idea }: { idea: ChangeIdea }) {
  const cycles = useCyclesOfChangeIdea(idea.id);
  const rows = cycles.data?.pages.flatMap((p) => p.items) ?? [];
  const columns: Column<PdsaCycle>[] = [
    {
      key: 'title',
      header: 'Cycle',
      rowHeader: true,
      className: 'table__cell--primary',
      cell: (c) => <Link to={`/cycles/${c.id}`}>{c.title}</Link>,
    },
    {
      key: 'team',
      header: 'Team',
      cell: (c) =>
        c.team_name ? (
          <Link to={`/teams/${c.team_id}`}>{c.team_name}</Link>
        ) : (
          <span className="card__meta">Another team</span>
        ),
    },
    {
      key: 'project',
      header: 'Project',
      cell: (c) =>
        c.project_title ? (
          <Link to={`/projects/${c.project_id}`}>{c.project_title}</Link>
        ) : (
          <span className="card__meta">Not shared</span>
        ),
    },
    {
      key: 'state',
      header: 'Stage',
      className: 'table__cell--nowrap',
      cell: (c) => (
        <>
          {STATE_LABELS[c.state] ?? c.state}
          {c.decision && <span className="table__cell-note">Decision: {c.decision}</span>}
        </>
      ),
    },
    {
      key: 'scale',
      header: 'Scale',
      cell: (c) => c.scale || <span className="card__meta">—</span>,
    },
    {
      key: 'start',
      header: 'Planned start',
      className: 'table__cell--date',
      cell: (c) => c.planned_start ?? <span className="card__meta">—</span>,
    },
  ];
  return (
    <section className="section" aria-labelledby="cycles-heading">
      <h2 id="cycles-heading">PDSA cycles testing it</h2>
      <p className="section__lead">
        Every test of this idea across the teams you can see: what they learned and what they
        decided (adapt, adopt or abandon).
      </p>
      {cycles.isPending && <Skeleton lines={3} label="Loading the cycles…" />}
      {cycles.isError && !cycles.isFetchNextPageError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the cycles"
          error={cycles.error}
          onRetry={() => cycles.refetch()}
        />
      )}
      {cycles.isSuccess && rows.length === 0 && (
        <EmptyState
          title="No PDSA cycles yet"
          headingLevel={3}
          compact
          icon="◇"
          action={<ButtonLink to="/pdsa">Open the PDSA log</ButtonLink>}
        >
          <p>
            Plan the first test of this change idea: a small cycle in one classroom, with a
            prediction to check. A team plans it from its project.
          </p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <>
          <Table
            caption={`PDSA cycles of ${idea.title}`}
            columns={columns}
            rows={rows}
            rowKey={(c) => c.id}
            busy={cycles.isFetching}
          />
          {cycles.hasNextPage && (
            <LoadMore
              shownLabel={plural(rows.length, 'cycle')}
              hasMore={cycles.hasNextPage}
              loading={cycles.isFetchingNextPage}
              onLoadMore={() => cycles.fetchNextPage()}
              buttonLabel="Load more cycles"
            />
          )}
        </>
      )}
    </section>
  );
}
