import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/client.ts';
import {
  Badge,
  Button,
  ButtonLink,
  ConfirmDialog,
  ErrorState,
  SaveStatus,
  Skeleton,
  VisibilityBadge,
} from '../components/index.ts';
import { signInPath } from '../features/accounts/model.ts';
import { useMe } from '../features/accounts/queries.ts';
import { HistorySection } from '../features/audit/HistorySection.tsx';
import { isConflict } from '../features/coalition/forms.ts';
import { useMyRoles } from '../features/coalition/queries.ts';
import {
  formValuesOf,
  ORGANISATION_VISIBILITY_OPTIONS,
  organisationTypeLabel,
} from '../features/organisations/model.ts';
import { changedFields, OrganisationForm } from '../features/organisations/OrganisationForm.tsx';
import {
  useDeleteOrganisation,
  useOrganisation,
  useUpdateOrganisation,
} from '../features/organisations/queries.ts';
import { formatDateTime } from '../lib/format.ts';
import { Page } from '../layout/Page.tsx';

const CONFLICT_MESSAGE = 'Someone else changed this organisation; reload to see their changes.';

/** Whether this viewer may change the directory, as far as the app can tell (the API decides). */
type EditAccess = 'checking' | 'signed-out' | 'not-allowed' | 'allowed';

function useEditAccess(): EditAccess {
  const me = useMe();
  const roles = useMyRoles();
  if (me.data === null) return 'signed-out';
  // Who is signed in could not be checked: offer the form, and let the API answer.
  if (me.isError) return 'allowed';
  if (!roles.ready) return 'checking';
  return roles.managesCoalition ? 'allowed' : 'not-allowed';
}

export default function OrganisationPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const organisation = useOrganisation(id);
  const update = useUpdateOrganisation(id);
  const remove = useDeleteOrganisation(id);
  const access = useEditAccess();
  const { isAdmin } = useMyRoles();
  const [saved, setSaved] = useState<string | null>(null);
  const [nothingChanged, setNothingChanged] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  const org = organisation.data?.data;
  const etag = organisation.data?.etag ?? '';
  const breadcrumbs = [{ to: '/map', label: 'Map' }];

  if (!org) {
    const notFound = organisation.error instanceof ApiError && organisation.error.status === 404;
    return (
      <Page
        heading={notFound ? 'Organisation not found' : 'Organisation'}
        breadcrumbs={breadcrumbs}
      >
        {organisation.isPending && <Skeleton lines={4} label="Loading the organisation…" />}
        {organisation.isError &&
          (notFound ? (
            <ErrorState
              title="There is no organisation here"
              error={organisation.error}
              actions={<ButtonLink to="/map">Back to the map</ButtonLink>}
            />
          ) : (
            <ErrorState
              title="Could not load this organisation"
              error={organisation.error}
              onRetry={() => organisation.refetch()}
              retrying={organisation.isFetching}
            />
          ))}
      </Page>
    );
  }

  const reload = async () => {
    update.reset();
    setSaved(null);
    await organisation.refetch();
  };

  return (
    <Page
      heading={org.name}
      breadcrumbs={breadcrumbs}
      lead={
        <span className="badge-row">
          <Badge tone="accent">{organisationTypeLabel(org.type)}</Badge>
          <VisibilityBadge visibility={org.visibility} />
        </span>
      }
    >
      <div className="record-grid">
        <section className="card" aria-labelledby="details-heading">
          <h2 id="details-heading">Details</h2>
          <dl className="details">
            <dt>Type</dt>
            <dd>{organisationTypeLabel(org.type)}</dd>
            <dt>NCES id</dt>
            <dd>{org.nces_id ? <span className="mono">{org.nces_id}</span> : 'None'}</dd>
            <dt>Visibility</dt>
            <dd>
              <VisibilityBadge visibility={org.visibility} />
              <span className="card__meta details__help">
                {ORGANISATION_VISIBILITY_OPTIONS.find((o) => o.value === org.visibility)?.hint}
              </span>
            </dd>
            <dt>Added</dt>
            <dd>{formatDateTime(org.created_at)}</dd>
            <dt>Last changed</dt>
            <dd>{formatDateTime(org.updated_at)}</dd>
            <dt>Version</dt>
            <dd>{org.version}</dd>
          </dl>
        </section>

        <section className="card" aria-labelledby="edit-heading">
          <h2 id="edit-heading">Edit organisation</h2>
          {access === 'checking' && <Skeleton lines={4} label="Checking what you may change…" />}
          {access === 'signed-out' && (
            <div data-testid="sign-in-to-edit">
              <p>
                Sign in to change this organisation&rsquo;s details or who can see it. Hub
                facilitators of the whole coalition and instance admins keep the map up to date.
              </p>
              <ButtonLink to={signInPath(`/map/organisations/${org.id}`)} variant="primary">
                Sign in to edit
              </ButtonLink>
            </div>
          )}
          {access === 'not-allowed' && (
            <p data-testid="cannot-edit">
              Only hub facilitators of the whole coalition and instance admins can change the
              organisations on the map. If something here is wrong or out of date, ask one of them
              to change it.
            </p>
          )}
          {access === 'allowed' && (
            <OrganisationForm
              // A new version (after saving or reloading) starts the form afresh.
              key={`${org.id}:${org.version}`}
              initial={formValuesOf(org)}
              submitLabel="Save changes"
              pendingLabel="Saving…"
              pending={update.isPending}
              error={isConflict(update.error) ? undefined : (update.error ?? undefined)}
              onSubmit={(values) => {
                setSaved(null);
                const body = changedFields(formValuesOf(org), values);
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
                  onReload={reload}
                  reloading={organisation.isFetching}
                  saved={saved}
                  nothingChanged={nothingChanged}
                />
              }
            />
          )}
        </section>

        {access === 'allowed' && (
          <section className="card card--danger" aria-labelledby="delete-heading">
            <h2 id="delete-heading">Delete organisation</h2>
            <p>
              Removes {org.name} from the map for everyone in the coalition. This cannot be undone.
            </p>
            <Button variant="danger" onClick={() => setConfirmingDelete(true)}>
              Delete organisation…
            </Button>
          </section>
        )}
      </div>

      <HistorySection
        entityType="organisation"
        id={org.id}
        what="organisation"
        showAuditLink={isAdmin}
      />

      <ConfirmDialog
        open={confirmingDelete}
        title={`Delete ${org.name}?`}
        confirmLabel="Delete organisation"
        busyLabel="Deleting…"
        busy={remove.isPending}
        error={
          remove.error ? (
            isConflict(remove.error) ? (
              CONFLICT_MESSAGE
            ) : (
              <ErrorState error={remove.error} headingLevel={3} />
            )
          ) : undefined
        }
        onCancel={() => {
          setConfirmingDelete(false);
          remove.reset();
        }}
        onConfirm={() =>
          remove.mutate(
            { etag },
            {
              onSuccess: () =>
                navigate('/map', { replace: true, state: { notice: `Deleted ${org.name}.` } }),
            },
          )
        }
      >
        <p>
          {org.name} will be removed from the map for everyone in the coalition. This cannot be
          undone.
        </p>
      </ConfirmDialog>
    </Page>
  );
}
