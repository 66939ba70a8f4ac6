import { type FormEvent, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/client.ts';
import {
  Badge,
  Button,
  ButtonLink,
  type Column,
  ConfirmDialog,
  EmptyState,
  ErrorState,
  LoadMore,
  SaveStatus,
  Select,
  Skeleton,
  Table,
  TextField,
  VisibilityBadge,
} from '../components/index.ts';
import {
  formErrors,
  isConflict,
  isStatus,
  useFocusFirstInvalid,
} from '../features/coalition/forms.ts';
import { HistorySection } from '../features/audit/HistorySection.tsx';
import { useMyRoles, useTeamList } from '../features/coalition/queries.ts';
import { AimSummary } from '../features/planning/Aim.tsx';
import { DiagramSection } from '../features/planning/DiagramSection.tsx';
import { CharterForm, CommonMeasureForm } from '../features/planning/forms.tsx';
import {
  CHART_TYPE_OPTIONS,
  CHARTER_VISIBILITY_OPTIONS,
  type Charter,
  changedCharterFields,
  charterFormValuesOf,
  FREQUENCY_OPTIONS,
  type Measure,
  measureBodyOf,
  measureFormValues,
  type Project,
  statusLabel,
  TITLE_MAX,
} from '../features/planning/model.ts';
import {
  useCharter,
  useCharterMeasures,
  useCreateCommonMeasure,
  useCreateProject,
  useDeleteCharter,
  useMyTeams,
  useProjectList,
  useUpdateCharter,
} from '../features/planning/queries.ts';
import { formatDateTime, plural } from '../lib/format.ts';
import { Page } from '../layout/Page.tsx';
import NotFoundPage from './NotFoundPage.tsx';
import '../styles/planning.css';

const CONFLICT_MESSAGE = 'Someone else changed this charter; reload to see their changes.';

export default function CharterPage() {
  const { id = '' } = useParams();
  const charter = useCharter(id);
  const data = charter.data?.data;
  if (!data) {
    if (isStatus(charter.error, 404)) {
      return (
        <NotFoundPage
          record="charter"
          actions={<ButtonLink to="/improve">Go to Improve</ButtonLink>}
        />
      );
    }
    return (
      <Page heading="Charter" breadcrumbs={[{ to: '/improve', label: 'Improve' }]}>
        {charter.isPending && <Skeleton lines={4} label="Loading the charter…" />}
        {charter.isError && (
          <ErrorState
            title="Could not load this charter"
            error={charter.error}
            onRetry={() => charter.refetch()}
            retrying={charter.isFetching}
          />
        )}
      </Page>
    );
  }
  return (
    <CharterRecord
      charter={data}
      etag={charter.data?.etag ?? ''}
      reload={charter.refetch}
      reloading={charter.isFetching}
    />
  );
}

function CharterRecord({
  charter,
  etag,
  reload,
  reloading,
}: {
  charter: Charter;
  etag: string;
  reload: () => Promise<unknown>;
  reloading: boolean;
}) {
  const navigate = useNavigate();
  const roles = useMyRoles();
  const update = useUpdateCharter(charter.id);
  const remove = useDeleteCharter(charter);
  const [saved, setSaved] = useState<string | null>(null);
  const [nothingChanged, setNothingChanged] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const canManage = roles.managesNetwork(charter.network_id);
  const networkPath = `/networks/${charter.network_id}`;
  const visibility = CHARTER_VISIBILITY_OPTIONS.find((o) => o.value === charter.visibility);

  return (
    <Page
      heading={charter.title}
      title={`${charter.title} — charter`}
      breadcrumbs={[
        { to: '/improve', label: 'Improve' },
        { to: networkPath, label: charter.network_name },
      ]}
      lead={
        <>
          <VisibilityBadge visibility={charter.visibility} /> The shared charter of{' '}
          <Link to={networkPath}>{charter.network_name}</Link>: the problem, the aim and the theory
          of change every team in it works from.
        </>
      }
      actions={
        <ButtonLink to={`/charters/${charter.id}/dashboard`} variant="primary">
          Network dashboard
        </ButtonLink>
      }
    >
      <div className="record-grid">
        <section className="card" aria-labelledby="charter-aim-heading">
          <h2 id="charter-aim-heading">Problem and aim</h2>
          <h3 className="planning-label">Problem of practice</h3>
          {charter.problem_of_practice ? (
            <p className="planning-prose">{charter.problem_of_practice}</p>
          ) : (
            <p className="card__meta">
              Not written yet.
              {canManage && ' Describe the problem the network works on in the form.'}
            </p>
          )}
          <h3 className="planning-label">Aim</h3>
          <AimSummary
            aim={charter.aim}
            statement={charter.aim_statement}
            emptyText={
              canManage
                ? 'No aim yet: fill in what improves, from what to what, by when.'
                : 'The network’s facilitators have not stated the aim yet.'
            }
          />
          <dl className="details planning-details">
            <dt>Network</dt>
            <dd>
              <Link to={networkPath}>{charter.network_name}</Link>
            </dd>
            <dt>Projects</dt>
            <dd>{plural(charter.project_count, 'team project')}</dd>
            <dt>Who can see it</dt>
            <dd>
              <VisibilityBadge visibility={charter.visibility} />
              <span className="details__help card__meta">{visibility?.hint}</span>
            </dd>
            <dt>Last changed</dt>
            <dd>{formatDateTime(charter.updated_at)}</dd>
            <dt>Version</dt>
            <dd>{charter.version}</dd>
          </dl>
        </section>

        {canManage && (
          <section className="card planning-no-print" aria-labelledby="edit-heading">
            <h2 id="edit-heading">Edit charter</h2>
            <CharterForm
              key={`${charter.id}:${charter.version}`}
              initial={charterFormValuesOf(charter)}
              submitLabel="Save changes"
              pendingLabel="Saving…"
              pending={update.isPending}
              error={isConflict(update.error) ? undefined : (update.error ?? undefined)}
              onSubmit={(values) => {
                setSaved(null);
                const body = changedCharterFields(charterFormValuesOf(charter), values);
                if (Object.keys(body).length === 0) {
                  setNothingChanged(true);
                  return;
                }
                setNothingChanged(false);
                update.mutate(
                  { body, etag },
                  {
                    onSuccess: (r) =>
                      setSaved(`Saved. The charter is now version ${r.data.version}.`),
                  },
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
      </div>

      <DiagramSection
        owner={{ kind: 'charter', id: charter.id }}
        networkId={charter.network_id}
        canEdit={canManage}
        title="Network driver diagram"
        diagramTitle={`Network driver diagram: ${charter.title}`}
        lead="The network’s theory of change: the aim, the primary drivers that lead to it, the secondary drivers under them and the change ideas to test. A team project starts from a copy of it."
      />

      <MeasuresSection charter={charter} canManage={canManage} />

      <ProjectsSection charter={charter} canManage={canManage} />

      {canManage && (
        <section
          className="section card card--danger planning-no-print"
          aria-labelledby="delete-heading"
        >
          <h2 id="delete-heading">Delete charter</h2>
          <p>
            A charter can only be deleted while no team project and no common measure refers to it.
            Its driver diagram goes with it.
          </p>
          <Button
            variant="danger"
            onClick={() => {
              remove.reset();
              setConfirmingDelete(true);
            }}
          >
            Delete charter…
          </Button>
        </section>
      )}

      <HistorySection
        entityType="charter"
        id={charter.id}
        what="charter"
        showAuditLink={roles.isAdmin}
      />

      <ConfirmDialog
        open={confirmingDelete}
        title={`Delete ${charter.title}?`}
        confirmLabel="Delete charter"
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
                    ? 'Projects or measures still use this charter'
                    : 'Could not delete the charter'
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
                navigate(networkPath, {
                  replace: true,
                  state: { notice: `Deleted the charter ${charter.title}.` },
                }),
            },
          )
        }
      >
        <p>
          The charter and its driver diagram will be removed from {charter.network_name}. Its
          history stays in the audit log. This cannot be undone.
        </p>
      </ConfirmDialog>
    </Page>
  );
}

const KIND_LABELS: Record<Measure['kind'], string> = {
  outcome: 'Outcome',
  process: 'Process',
  balancing: 'Balancing',
};

function MeasuresSection({ charter, canManage }: { charter: Charter; canManage: boolean }) {
  const measures = useCharterMeasures(charter.id);
  const create = useCreateCommonMeasure();
  const [formKey, setFormKey] = useState(0);
  const [added, setAdded] = useState<Measure | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const rows = measures.data ?? [];
  const columns: Column<Measure>[] = [
    {
      key: 'name',
      header: 'Measure',
      rowHeader: true,
      className: 'table__cell--primary',
      cell: (m) => <Link to={`/measures/${m.id}`}>{m.name}</Link>,
    },
    { key: 'kind', header: 'Kind', cell: (m) => KIND_LABELS[m.kind] },
    {
      key: 'frequency',
      header: 'Reported',
      cell: (m) => FREQUENCY_OPTIONS.find((o) => o.value === m.frequency)?.label ?? m.frequency,
    },
    {
      key: 'chart',
      header: 'Chart',
      cell: (m) => CHART_TYPE_OPTIONS.find((o) => o.value === m.chart_type)?.label ?? m.chart_type,
    },
    {
      key: 'goal',
      header: 'Goal',
      className: 'table__cell--nowrap',
      cell: (m) =>
        m.goal === null ? (
          <span className="card__meta">None</span>
        ) : (
          `${m.goal.toLocaleString('en')}${m.unit === '%' ? '%' : m.unit ? ` ${m.unit}` : ''}`
        ),
    },
  ];
  return (
    <section className="section" aria-labelledby="measures-heading">
      <h2 id="measures-heading">Common measures</h2>
      <p className="section__lead">
        The measures every team in the network reports the same way, so their charts can be read
        side by side on the network dashboard.
      </p>
      {measures.isPending && <Skeleton lines={3} label="Loading the measures…" />}
      {measures.isError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the measures"
          error={measures.error}
          onRetry={() => measures.refetch()}
        />
      )}
      {measures.isSuccess && rows.length === 0 && (
        <EmptyState
          title="No common measures yet"
          headingLevel={3}
          compact
          icon="◇"
          action={
            canManage && !formOpen ? (
              <Button variant="primary" onClick={() => setFormOpen(true)}>
                Add the first common measure
              </Button>
            ) : undefined
          }
        >
          <p>
            An outcome measure for the aim, a few process measures for the drivers and a balancing
            measure for side effects.
            {canManage ? '' : ' The network’s facilitators define them.'}
          </p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <Table
          caption={`Common measures of ${charter.title}`}
          columns={columns}
          rows={rows}
          rowKey={(m) => m.id}
          busy={measures.isFetching}
        />
      )}
      {canManage && (
        <div className="planning-no-print">
          <div role="status">
            {added && (
              <div className="alert alert--success">
                Added <Link to={`/measures/${added.id}`}>{added.name}</Link>.
              </div>
            )}
          </div>
          {formOpen || rows.length > 0 ? (
            <details
              className="card form-card section planning-add"
              open={formOpen}
              onToggle={(e) => setFormOpen((e.target as HTMLDetailsElement).open)}
            >
              <summary className="planning-add__title">Add a common measure</summary>
              <CommonMeasureForm
                key={formKey}
                idPrefix="new-measure"
                initial={measureFormValues()}
                submitLabel="Add measure"
                pendingLabel="Adding…"
                pending={create.isPending}
                error={create.error ?? undefined}
                onSubmit={(values) => {
                  setAdded(null);
                  create.mutate(measureBodyOf(values, charter.id), {
                    onSuccess: (m) => {
                      setAdded(m);
                      create.reset();
                      setFormKey((k) => k + 1);
                    },
                  });
                }}
              />
            </details>
          ) : null}
        </div>
      )}
    </section>
  );
}

function ProjectsSection({ charter, canManage }: { charter: Charter; canManage: boolean }) {
  const projects = useProjectList({ charterId: charter.id });
  const rows = projects.data?.pages.flatMap((p) => p.items) ?? [];
  const columns: Column<Project>[] = [
    {
      key: 'title',
      header: 'Project',
      rowHeader: true,
      className: 'table__cell--primary',
      cell: (p) => <Link to={`/projects/${p.id}`}>{p.title}</Link>,
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
      key: 'updated',
      header: 'Last changed',
      className: 'table__cell--date',
      cell: (p) => formatDateTime(p.updated_at),
    },
  ];
  return (
    <section className="section" aria-labelledby="projects-heading">
      <h2 id="projects-heading">Team projects</h2>
      <p className="section__lead">
        The teams working on this charter. Each project starts with the network’s aim and a copy of
        its driver diagram, which the team adapts to its school.
      </p>
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
        <EmptyState title="No team projects yet" headingLevel={3} compact icon="◇">
          <p>
            A team starts its project from this charter: choose the team below and give the project
            a title.
          </p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <>
          <Table
            caption={`Projects using ${charter.title}`}
            captionNote="sorted by title"
            columns={columns}
            rows={rows}
            rowKey={(p) => p.id}
            busy={projects.isFetching}
          />
          {projects.hasNextPage && (
            <LoadMore
              shownLabel={plural(rows.length, 'project')}
              hasMore={projects.hasNextPage}
              loading={projects.isFetchingNextPage}
              onLoadMore={() => projects.fetchNextPage()}
              buttonLabel="Load more projects"
            />
          )}
        </>
      )}
      <StartProject charter={charter} canManage={canManage} />
    </section>
  );
}

/** "Start a team project": one of the network's teams the reader may work in, and a title. */
function StartProject({ charter, canManage }: { charter: Charter; canManage: boolean }) {
  const navigate = useNavigate();
  const mine = useMyTeams();
  const networkTeams = useTeamList({ networkId: charter.network_id }, canManage);
  const create = useCreateProject();
  const [teamId, setTeamId] = useState('');
  const [title, setTitle] = useState('');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const { errors, unexplained } = formErrors(create.error, clientErrors, [
    'team_id',
    'title',
    'charter_id',
  ]);
  useFocusFirstInvalid(formRef, attempt, create.error);

  const teams = canManage
    ? (networkTeams.data?.pages.flatMap((p) => p.items) ?? []).map((t) => ({
        id: t.id,
        name: t.name,
      }))
    : mine.teams.filter((t) => t.networkId === charter.network_id);
  if (!canManage && mine.ready && teams.length === 0) {
    return (
      <p className="card__meta planning-no-print">
        Teams of {charter.network_name} start their projects here. You are not in one of its teams.
      </p>
    );
  }
  if (teams.length === 0) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const chosen = teamId || (teams.length === 1 ? (teams[0]?.id ?? '') : '');
    if (!chosen) found.team_id = 'Choose the team whose project this is.';
    if (!title.trim()) found.title = 'Enter the project’s title.';
    setClientErrors(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length > 0) return;
    create.mutate(
      { team_id: chosen, charter_id: charter.id, title: title.trim() },
      {
        onSuccess: (created) =>
          navigate(`/projects/${created.data.id}`, {
            state: {
              notice: `Started ${created.data.title}, with the network’s aim and a copy of its driver diagram.`,
            },
          }),
      },
    );
  };

  return (
    <div className="card form-card section planning-no-print">
      <h3 id="start-project-heading">Start a team project</h3>
      <p className="card__meta">
        The project takes the charter’s aim and a copy of the network’s driver diagram; the team can
        adapt both.
      </p>
      <form
        ref={formRef}
        onSubmit={submit}
        noValidate
        aria-labelledby="start-project-heading"
        aria-busy={create.isPending || undefined}
      >
        <Select
          id="start-project-team"
          label="Team"
          name="team_id"
          placeholder={teams.length === 1 ? undefined : 'Choose a team'}
          options={teams.map((t) => ({ value: t.id, label: t.name }))}
          value={teamId || (teams.length === 1 ? (teams[0]?.id ?? '') : '')}
          onChange={(e) => setTeamId(e.target.value)}
          error={errors.team_id}
        />
        <TextField
          id="start-project-title"
          label="Project title"
          name="title"
          autoComplete="off"
          hint="e.g. “Reading at grade level in K–2 at Maple Grove”"
          maxLength={TITLE_MAX}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={errors.title ?? errors.charter_id}
        />
        {unexplained !== undefined && <ErrorState error={unexplained} headingLevel={3} />}
        <div className="form-actions">
          <Button
            type="submit"
            variant="primary"
            loading={create.isPending}
            loadingLabel="Starting…"
          >
            Start project
          </Button>
        </div>
      </form>
    </div>
  );
}
