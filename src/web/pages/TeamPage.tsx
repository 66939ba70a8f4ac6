import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  Button,
  ButtonLink,
  ConfirmDialog,
  ErrorState,
  SaveStatus,
  Skeleton,
  VisibilityBadge,
} from '../components/index.ts';
import { useMe } from '../features/accounts/queries.ts';
import { HistorySection } from '../features/audit/HistorySection.tsx';
import { isConflict, isStatus } from '../features/coalition/forms.ts';
import { MembersSection } from '../features/coalition/MembersSection.tsx';
import {
  changedTeamFields,
  TEAM_VISIBILITY_OPTIONS,
  type Team,
  teamFormValuesOf,
} from '../features/coalition/model.ts';
import {
  useDeleteTeam,
  useMyRoles,
  useTeam,
  useUpdateTeam,
} from '../features/coalition/queries.ts';
import { TeamForm } from '../features/coalition/TeamForm.tsx';
import { formatDateTime } from '../lib/format.ts';
import { Page } from '../layout/Page.tsx';
import NotFoundPage from './NotFoundPage.tsx';

const CONFLICT_MESSAGE = 'Someone else changed this team; reload to see their changes.';

export default function TeamPage() {
  const { id = '' } = useParams();
  const team = useTeam(id);
  const data = team.data?.data;

  if (!data) {
    // Not there, or not shared with this reader: the API answers 404 for both.
    if (isStatus(team.error, 404)) {
      return (
        <NotFoundPage
          record="team"
          actions={<ButtonLink to="/networks">See the networks you can see</ButtonLink>}
        />
      );
    }
    return (
      <Page heading="Team" breadcrumbs={[{ to: '/networks', label: 'Networks' }]}>
        {team.isPending && <Skeleton lines={4} label="Loading the team…" />}
        {team.isError && (
          <ErrorState
            title="Could not load this team"
            error={team.error}
            onRetry={() => team.refetch()}
            retrying={team.isFetching}
          />
        )}
      </Page>
    );
  }
  return (
    <TeamRecord
      team={data}
      etag={team.data?.etag ?? ''}
      reload={team.refetch}
      reloading={team.isFetching}
    />
  );
}

function TeamRecord({
  team,
  etag,
  reload,
  reloading,
}: {
  team: Team;
  etag: string;
  reload: () => Promise<unknown>;
  reloading: boolean;
}) {
  const navigate = useNavigate();
  const me = useMe();
  const roles = useMyRoles();
  const update = useUpdateTeam(team.id);
  const remove = useDeleteTeam(team);
  const [saved, setSaved] = useState<string | null>(null);
  const [nothingChanged, setNothingChanged] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const canManage = roles.managesNetwork(team.network_id);
  const visibility = TEAM_VISIBILITY_OPTIONS.find((o) => o.value === team.visibility);
  const networkPath = `/networks/${team.network_id}`;

  const reloadAfterConflict = async () => {
    update.reset();
    setSaved(null);
    await reload();
  };

  return (
    <Page
      heading={team.name}
      breadcrumbs={[
        { to: '/networks', label: 'Networks' },
        { to: networkPath, label: team.network_name },
      ]}
      lead={
        <>
          <VisibilityBadge visibility={team.visibility} /> A team in{' '}
          <Link to={networkPath}>{team.network_name}</Link>
          {team.organisation_id && (
            <>
              {' '}
              at{' '}
              <Link to={`/map/organisations/${team.organisation_id}`}>
                {team.organisation_name}
              </Link>
            </>
          )}
          .
        </>
      }
    >
      <div className="record-grid">
        <section className="card" aria-labelledby="details-heading">
          <h2 id="details-heading">Details</h2>
          <dl className="details">
            <dt>Network</dt>
            <dd>
              <Link to={networkPath}>{team.network_name}</Link>
            </dd>
            <dt>Organisation</dt>
            <dd>
              {team.organisation_id ? (
                <Link to={`/map/organisations/${team.organisation_id}`}>
                  {team.organisation_name}
                </Link>
              ) : (
                'None'
              )}
            </dd>
            <dt>Who can see it</dt>
            <dd>
              <VisibilityBadge visibility={team.visibility} />
              <span className="details__help card__meta">{visibility?.hint}</span>
            </dd>
            <dt>Created</dt>
            <dd>{formatDateTime(team.created_at)}</dd>
            <dt>Last changed</dt>
            <dd>{formatDateTime(team.updated_at)}</dd>
            <dt>Version</dt>
            <dd>{team.version}</dd>
          </dl>
          {!canManage && roles.ready && (
            <p className="card__meta">
              The facilitators of {team.network_name} manage this team and its members.
            </p>
          )}
        </section>

        {canManage && (
          <section className="card" aria-labelledby="edit-heading">
            <h2 id="edit-heading">Edit team</h2>
            <TeamForm
              key={`${team.id}:${team.version}`}
              initial={teamFormValuesOf(team)}
              submitLabel="Save changes"
              pendingLabel="Saving…"
              pending={update.isPending}
              error={isConflict(update.error) ? undefined : (update.error ?? undefined)}
              onSubmit={(values) => {
                setSaved(null);
                const body = changedTeamFields(teamFormValuesOf(team), values);
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

        {canManage && (
          <section className="card card--danger" aria-labelledby="delete-heading">
            <h2 id="delete-heading">Delete team</h2>
            <p>
              Removes {team.name} from {team.network_name}, with all its memberships. This cannot be
              undone.
            </p>
            <Button
              variant="danger"
              onClick={() => {
                remove.reset();
                setConfirmingDelete(true);
              }}
            >
              Delete team…
            </Button>
          </section>
        )}
      </div>

      <MembersSection scope={{ kind: 'team', team }} canManage={canManage} meId={me.data?.id} />

      <HistorySection entityType="team" id={team.id} what="team" showAuditLink={roles.isAdmin} />

      <ConfirmDialog
        open={confirmingDelete}
        title={`Delete ${team.name}?`}
        confirmLabel="Delete team"
        busyLabel="Deleting…"
        busy={remove.isPending}
        error={
          remove.error ? (
            isConflict(remove.error) ? (
              CONFLICT_MESSAGE
            ) : (
              <ErrorState error={remove.error} headingLevel={3} title="Could not delete the team" />
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
                navigate(networkPath, {
                  replace: true,
                  state: { notice: `Deleted ${team.name} and its memberships.` },
                }),
            },
          )
        }
      >
        <p>
          {team.name} will be removed from {team.network_name}, and its members will lose their
          place in it. Its history stays in the audit log. This cannot be undone.
        </p>
      </ConfirmDialog>
    </Page>
  );
}
