import { useNavigate } from 'react-router';
import { ButtonLink } from '../components/index.ts';
import { RequireSignIn } from '../features/accounts/RequireSignIn.tsx';
import { formValuesOf } from '../features/organisations/model.ts';
import { OrganisationForm } from '../features/organisations/OrganisationForm.tsx';
import { useCreateOrganisation } from '../features/organisations/queries.ts';
import { Page } from '../layout/Page.tsx';

export default function NewOrganisationPage() {
  return (
    <RequireSignIn
      heading="Add an organisation"
      next="/map/organisations/new"
      what="the form to add an organisation to the map"
    >
      {() => <NewOrganisation />}
    </RequireSignIn>
  );
}

function NewOrganisation() {
  const navigate = useNavigate();
  const create = useCreateOrganisation();
  return (
    <Page
      heading="Add an organisation"
      breadcrumbs={[{ to: '/map', label: 'Map' }]}
      lead="Add a district, school, nonprofit, funder or other organisation that works with this coalition. You can link it to others once relationships are available."
    >
      <div className="card form-card">
        <OrganisationForm
          initial={formValuesOf()}
          submitLabel="Add organisation"
          pendingLabel="Adding…"
          pending={create.isPending}
          error={create.error ?? undefined}
          onSubmit={(values) => {
            if (!values.type) return;
            create.mutate(
              {
                name: values.name.trim(),
                type: values.type,
                nces_id: values.nces_id.trim() || null,
                visibility: values.visibility,
              },
              { onSuccess: (created) => navigate(`/map/organisations/${created.data.id}`) },
            );
          }}
          secondaryActions={<ButtonLink to="/map">Cancel</ButtonLink>}
        />
      </div>
    </Page>
  );
}
