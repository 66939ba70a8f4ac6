import { useNavigate } from 'react-router';
import { ButtonLink, Skeleton } from '../components/index.ts';
import { RequireSignIn } from '../features/accounts/RequireSignIn.tsx';
import { networkFormValuesOf } from '../features/coalition/model.ts';
import { NetworkForm } from '../features/coalition/NetworkForm.tsx';
import { useCreateNetwork, useMyRoles } from '../features/coalition/queries.ts';
import { Page } from '../layout/Page.tsx';

const BREADCRUMBS = [{ to: '/networks', label: 'Networks' }];

export default function NewNetworkPage() {
  return (
    <RequireSignIn heading="New network" next="/networks/new" what="the form to create a network">
      {() => <NewNetwork />}
    </RequireSignIn>
  );
}

function NewNetwork() {
  const navigate = useNavigate();
  const create = useCreateNetwork();
  const roles = useMyRoles();

  if (!roles.ready) {
    return (
      <Page heading="New network" breadcrumbs={BREADCRUMBS}>
        <Skeleton lines={3} label="Checking your roles…" />
      </Page>
    );
  }
  if (!roles.managesCoalition) {
    return (
      <Page heading="New network" breadcrumbs={BREADCRUMBS}>
        <div className="alert alert--warning" role="alert">
          <p className="alert__title">Only hub facilitators and instance admins create networks.</p>
          <p>
            Ask a hub facilitator to create the network; they can then make you its facilitator, and
            you can add its teams and members.
          </p>
          <div className="alert__actions">
            <ButtonLink to="/networks">Back to the networks</ButtonLink>
          </div>
        </div>
      </Page>
    );
  }
  return (
    <Page
      heading="New network"
      breadcrumbs={BREADCRUMBS}
      lead="A network brings teams together around one shared aim. After creating it you can add its teams, its facilitators and its members."
    >
      <div className="card form-card">
        <NetworkForm
          initial={networkFormValuesOf()}
          submitLabel="Create network"
          pendingLabel="Creating…"
          pending={create.isPending}
          error={create.error ?? undefined}
          onSubmit={(values) =>
            create.mutate(
              {
                name: values.name.trim(),
                description: values.description.trim(),
                visibility: values.visibility,
              },
              {
                onSuccess: (created) =>
                  navigate(`/networks/${created.data.id}`, {
                    state: { notice: `Created ${created.data.name}. Add its teams next.` },
                  }),
              },
            )
          }
          secondaryActions={<ButtonLink to="/networks">Cancel</ButtonLink>}
        />
      </div>
    </Page>
  );
}
