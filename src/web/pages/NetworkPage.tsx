import { useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/client.ts';
import {
  Button,
  ButtonLink,
  type Column,
  ConfirmDialog,
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
import { MembersSection } from '../features/coalition/MembersSection.tsx';
import {
  changedNetworkFields,
  NETWORK_VISIBILITY_OPTIONS,
  type Network,
  networkFormValuesOf,
  type Team,
  teamFormValuesOf,
} from '../features/coalition/model.ts';
import { NetworkForm } from '../features/coalition/NetworkForm.tsx';
import { NetworkChartersSection } from '../features/planning/NetworkChartersSection.tsx';
import {
  useCreateTeam,
  useDeleteNetwork,
  useMyRoles,
  useNetwork,
  useTeamList,
  useUpdateNetwork,
} from '../features/coalition/queries.ts';
import { TeamForm } from '../features/coalition/TeamForm.tsx';
import { formatDateTime, plural } from '../lib/format.ts';
import { Page } from '../layout/Page.tsx';
import NotFoundPage from './NotFoundPage.tsx';

const BREADCRUMBS = [{ to: '/networks', label: 'Networks' }];
const CONFLICT_MESSAGE = 'Someone else changed this network; reload to see their changes.';

export default function NetworkPage() {
  const { id = '' } = useParams();
  const network = useNetwork(id);
  const net = network.data?.data;

  if (!net) {
    if (isStatus(network.error, 404)) {
      return (
        <NotFoundPage
          record="network"
          actions={<ButtonLink to="/networks">See the networks you can see</ButtonLink>}
        />
      );
    }
    return (
      <Page heading="Network" breadcrumbs={BREADCRUMBS}>
        {network.isPending && <Skeleton lines={4} label="Loading the network…" />}
        {network.isError && (
          <ErrorState
            title="Could not load this network"
            error={network.error}
            onRetry={() => network.refetch()}
            retrying={network.isFetching}
          />
        )}
      </Page>
    );
  }
  return (
    <NetworkRecord
      network={net}
      etag={network.data?.etag ?? ''}
      reload={network.refetch}
      reloading={network.isFetching}
    />
  );
}

function NetworkRecord({
  network,
  etag,
  reload,
  reloading,
}: {
  network: Network;
  etag: string;
  reload: () => Promise<unknown>;
  reloading: boolean;
}) {
  const navigate = useNavigate();
  const me = useMe();
  const roles = useMyRoles();
  const update = useUpdateNetwork(network.id);
  const remove = useDeleteNetwork(network.id);
  const teams = useTeamList({ networkId: network.id });
  const teamRows = teams.data?.pages.flatMap((p) => p.items) ?? [];
  const [saved, setSaved] = useState<string | null>(null);
  const [nothingChanged, setNothingChanged] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const canManage = roles.managesNetwork(network.id);
  const visibility = NETWORK_VISIBILITY_OPTIONS.find((o) => o.value === network.visibility);

  const reloadAfterConflict = async () => {
    update.reset();
    setSaved(null);
    await reload();
  };

  return (
    <Page
      heading={network.name}
      breadcrumbs={BREADCRUMBS}
      lead={
        <>
          <VisibilityBadge visibility={network.visibility} />{' '}
          {network.description || 'No description yet.'}
        </>
      }
    >
      {notice && (
        <div className="alert alert--success" role="status">
          {notice}
        </div>
      )}
      <div className="record-grid">
        <section className="card" aria-labelledby="details-heading">
          <h2 id="details-heading">Details</h2>
          <dl className="details">
            <dt>Who can see it</dt>
            <dd>
              <VisibilityBadge visibility={network.visibility} />
              <span className="details__help card__meta">{visibility?.hint}</span>
            </dd>
            <dt>Teams</dt>
            <dd>{plural(network.team_count, 'team')}</dd>
            <dt>Created</dt>
            <dd>{formatDateTime(network.created_at)}</dd>
            <dt>Last changed</dt>
            <dd>{formatDateTime(network.updated_at)}</dd>
            <dt>Version</dt>
            <dd>{network.version}</dd>
          </dl>
          {!canManage && roles.ready && (
            <p className="card__meta">
              The network&rsquo;s facilitators and the hub manage this network, its teams and its
              members.
            </p>
          )}
        </section>

        {canManage && (
          <section className="card" aria-labelledby="edit-heading">
            <h2 id="edit-heading">Edit network</h2>
            <NetworkForm
              // A new version (after saving or reloading) starts the form afresh.
              key={`${network.id}:${network.version}`}
              initial={networkFormValuesOf(network)}
              submitLabel="Save changes"
              pendingLabel="Saving…"
              pending={update.isPending}
              error={isConflict(update.error) ? undefined : (update.error ?? undefined)}
              onSubmit={(values) => {
                setSaved(null);
                const body = changedNetworkFields(networkFormValuesOf(network), values);
                if (Object.keys(body).length === 0) {
                  setNothingChanged(true);
                  return;
                }
                setNothingChanged(false);
                update.mutate(
                  { body, etag },
                  {
                    onSuccess: (result) =>
                      setSaved(`Saved. ${result.data.name} is now version ${result.data.version}.`),
                  },
                );
              }}
              status={
                <SaveStatus
                  conflict={isConflict(update.error) ? CONFLICT_MESSAGE : null}
                  onReload={reloadAfterConflict}
                  reloading={reloading}
                  saved={saved}
                  nothingChanged={nothingChanged}
                />
              }
            />
          </section>
        )}

        {roles.managesCoalition && (
          <section className="card card--danger" aria-labelledby="delete-heading">
            <h2 id="delete-heading">Delete network</h2>
            <p>
              {network.team_count > 0
                ? `A network can only be deleted once it has no teams: delete its ${plural(network.team_count, 'team')} first.`
                : `Removes ${network.name} for everyone in the coalition. This cannot be undone.`}
            </p>
            <Button
              variant="danger"
              onClick={() => {
                remove.reset();
                setConfirmingDelete(true);
              }}
            >
              Delete network…
            </Button>
          </section>
        )}
      </div>

      <NetworkChartersSection network={network} canManage={canManage} />

      <TeamsSection network={network} teams={teams} rows={teamRows} canManage={canManage} />

      <MembersSection
        scope={{ kind: 'network', network, teams: teamRows }}
        canManage={canManage}
        meId={me.data?.id}
      />

      <HistorySection
        entityType="network"
        id={network.id}
        what="network"
        showAuditLink={roles.isAdmin}
      />

      <ConfirmDialog
        open={confirmingDelete}
        title={`Delete ${network.name}?`}
        confirmLabel="Delete network"
        busyLabel="Deleting…"
        busy={remove.isPending}
        error={
          remove.error ? (
            isConflict(remove.error) ? (
              CONFLICT_MESSAGE
            ) : (
              <ErrorState
                error={remove.error}
                headingLevel={3}
                title={
                  remove.error instanceof ApiError && remove.error.status === 409
                    ? 'This network still has teams'
                    : 'Could not delete the network'
                }
              />
            )
          ) : undefined
        }
        onCancel={() => {
          setConfirmingDelete(false);
          if (isConflict(remove.error)) reload();
          remove.reset();
        }}
        onConfirm={() =>
          remove.mutate(
            { etag },
            {
              onSuccess: () =>
                navigate('/networks', {
                  replace: true,
                  state: { notice: `Deleted ${network.name}.` },
                }),
            },
          )
        }
      >
        <p>
          {network.name} will be removed for everyone in the coalition, with its facilitators&rsquo;
          roles. Its history stays in the audit log. This cannot be undone.
        </p>
      </ConfirmDialog>
    </Page>
  );
}

function TeamsSection({
  network,
  teams,
  rows,
  canManage,
}: {
  network: Network;
  teams: ReturnType<typeof useTeamList>;
  rows: Team[];
  canManage: boolean;
}) {
  const create = useCreateTeam();
  const [added, setAdded] = useState<Team | null>(null);
  const [formKey, setFormKey] = useState(0);
  const formCardRef = useRef<HTMLDivElement>(null);

  const columns: Column<Team>[] = [
    {
      key: 'name',
      header: 'Team',
      rowHeader: true,
      className: 'table__cell--primary',
      cell: (t) => <Link to={`/teams/${t.id}`}>{t.name}</Link>,
    },
    {
      key: 'organisation',
      header: 'Organisation',
      cell: (t) =>
        t.organisation_id ? (
          <Link to={`/map/organisations/${t.organisation_id}`}>{t.organisation_name}</Link>
        ) : (
          <span className="card__meta">None</span>
        ),
    },
    {
      key: 'visibility',
      header: 'Who can see it',
      className: 'table__cell--nowrap',
      cell: (t) => <VisibilityBadge visibility={t.visibility} />,
    },
  ];

  const focusAddForm = () =>
    formCardRef.current?.querySelector<HTMLInputElement>('input[name="name"]')?.focus();

  return (
    <section className="section" aria-labelledby="teams-heading">
      <h2 id="teams-heading">Teams</h2>
      <p className="section__lead">
        The school and district teams in this network. Each tests change ideas and reports the
        network&rsquo;s common measures.
      </p>
      {teams.isPending && <Skeleton lines={3} label="Loading the teams…" />}
      {teams.isError && !teams.isFetchNextPageError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the teams"
          error={teams.error}
          onRetry={() => teams.refetch()}
          retrying={teams.isFetching}
        />
      )}
      {teams.isSuccess && rows.length === 0 && (
        <EmptyState
          title="No teams yet"
          headingLevel={3}
          compact
          icon="◇"
          action={
            canManage ? (
              <Button variant="primary" onClick={focusAddForm}>
                Add the first team
              </Button>
            ) : undefined
          }
        >
          <p>
            Teams are where the work happens: a school or district team that tests change ideas in
            short cycles and reports the network&rsquo;s measures.
            {canManage
              ? ' Add the first team, then add its members.'
              : ' The network’s facilitators add teams.'}
          </p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <>
          <Table
            caption={`Teams in ${network.name}`}
            captionNote="sorted by name"
            columns={columns}
            rows={rows}
            rowKey={(t) => t.id}
            busy={teams.isFetching}
          />
          {teams.isFetchNextPageError && (
            <ErrorState
              headingLevel={3}
              title="Could not load more teams"
              error={teams.error}
              onRetry={() => teams.fetchNextPage()}
            />
          )}
          {(teams.hasNextPage || rows.length > 10) && (
            <LoadMore
              shownLabel={plural(rows.length, 'team')}
              hasMore={teams.hasNextPage}
              loading={teams.isFetchingNextPage}
              onLoadMore={() => teams.fetchNextPage()}
              buttonLabel="Load more teams"
            />
          )}
        </>
      )}
      {canManage && (
        <div className="card form-card section" ref={formCardRef}>
          <h3 id="add-team-heading">Add a team</h3>
          <div role="status">
            {added && (
              <div className="alert alert--success">
                Added <Link to={`/teams/${added.id}`}>{added.name}</Link>. Open it to add its
                members, or add another team.
              </div>
            )}
          </div>
          <TeamForm
            key={formKey}
            idPrefix="new-team"
            initial={teamFormValuesOf()}
            submitLabel="Add team"
            pendingLabel="Adding…"
            pending={create.isPending}
            error={create.error ?? undefined}
            onSubmit={(values) => {
              setAdded(null);
              create.mutate(
                {
                  network_id: network.id,
                  name: values.name.trim(),
                  organisation_id: values.organisation?.id ?? null,
                  visibility: values.visibility,
                },
                {
                  onSuccess: (created) => {
                    setAdded(created.data);
                    create.reset();
                    // A fresh form for the next team; the keyboard stays in it.
                    setFormKey((k) => k + 1);
                    requestAnimationFrame(focusAddForm);
                  },
                },
              );
            }}
          />
        </div>
      )}
    </section>
  );
}
