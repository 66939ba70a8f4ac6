import { type KeyboardEvent, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/client.ts';
import {
  Button,
  ButtonLink,
  ConfirmDialog,
  ErrorState,
  SaveStatus,
  Select,
  Skeleton,
  VisibilityBadge,
} from '../components/index.ts';
import { isConflict, isStatus } from '../features/coalition/forms.ts';
import { HistorySection } from '../features/audit/HistorySection.tsx';
import { useMyRoles } from '../features/coalition/queries.ts';
import { ProjectMeasuresSection } from '../features/measures/ProjectMeasuresSection.tsx';
import { ProjectCyclesSection } from '../features/pdsa/ProjectCyclesSection.tsx';
import { AimSummary } from '../features/planning/Aim.tsx';
import { DiagramSection } from '../features/planning/DiagramSection.tsx';
import { ProjectForm } from '../features/planning/forms.tsx';
import {
  changedProjectFields,
  PROJECT_STATUS_OPTIONS,
  PROJECT_VISIBILITY_OPTIONS,
  type Project,
  type ProjectStatus,
  projectFormValuesOf,
  statusLabel,
} from '../features/planning/model.ts';
import {
  useDeleteProject,
  useMyTeams,
  useProject,
  useUpdateProject,
} from '../features/planning/queries.ts';
import { formatDateTime } from '../lib/format.ts';
import { Page } from '../layout/Page.tsx';
import NotFoundPage from './NotFoundPage.tsx';
import '../styles/planning.css';

const CONFLICT_MESSAGE = 'Someone else changed this project; reload to see their changes.';

export default function ProjectPage() {
  const { id = '' } = useParams();
  const project = useProject(id);
  const data = project.data?.data;
  if (!data) {
    // Not there, or not shared with this reader: the API answers 404 for both.
    if (isStatus(project.error, 404)) {
      return (
        <NotFoundPage
          record="project"
          actions={<ButtonLink to="/improve">See your projects</ButtonLink>}
        />
      );
    }
    return (
      <Page heading="Project" breadcrumbs={[{ to: '/improve', label: 'Improve' }]}>
        {project.isPending && <Skeleton lines={5} label="Loading the project…" />}
        {project.isError && (
          <ErrorState
            title="Could not load this project"
            error={project.error}
            onRetry={() => project.refetch()}
            retrying={project.isFetching}
          />
        )}
      </Page>
    );
  }
  return (
    <ProjectRecord
      project={data}
      etag={project.data?.etag ?? ''}
      reload={project.refetch}
      reloading={project.isFetching}
    />
  );
}

type Tab = 'overview' | 'diagram' | 'settings';
const TAB_LABELS: Record<Tab, string> = {
  overview: 'Overview',
  diagram: 'Driver diagram',
  settings: 'Edit project',
};

function ProjectRecord({
  project,
  etag,
  reload,
  reloading,
}: {
  project: Project;
  etag: string;
  reload: () => Promise<unknown>;
  reloading: boolean;
}) {
  const navigate = useNavigate();
  const roles = useMyRoles();
  const mine = useMyTeams();
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const [params, setParams] = useSearchParams();
  const canEdit = roles.managesNetwork(project.network_id) || mine.has(project.team_id);
  const tabs: Tab[] = canEdit ? ['overview', 'diagram', 'settings'] : ['overview', 'diagram'];
  const asked = params.get('tab') as Tab | null;
  const tab: Tab = asked && tabs.includes(asked) ? asked : 'overview';
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});
  const teamPath = `/teams/${project.team_id}`;

  const choose = (next: Tab) => {
    setParams(next === 'overview' ? {} : { tab: next }, {
      replace: true,
      preventScrollReset: true,
    });
  };
  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    const i = tabs.indexOf(tab);
    let next: Tab | undefined;
    if (event.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
    else if (event.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
    else if (event.key === 'Home') next = tabs[0];
    else if (event.key === 'End') next = tabs[tabs.length - 1];
    if (!next) return;
    event.preventDefault();
    choose(next);
    tabRefs.current[next]?.focus();
  };

  return (
    <Page
      heading={project.title}
      title={`${project.title} — project`}
      breadcrumbs={[
        { to: '/improve', label: 'Improve' },
        { to: teamPath, label: project.team_name },
      ]}
      lead={
        <>
          <VisibilityBadge visibility={project.visibility} /> A project of{' '}
          <Link to={teamPath}>{project.team_name}</Link> in{' '}
          <Link to={`/networks/${project.network_id}`}>{project.network_name}</Link>.
        </>
      }
      actions={
        <>
          <ButtonLink className="planning-no-print" to={`/projects/${project.id}/story`}>
            Improvement story
          </ButtonLink>
          <Button className="planning-no-print" onClick={() => window.print()}>
            Print
          </Button>
        </>
      }
    >
      {notice && (
        <div className="alert alert--success planning-no-print" role="status">
          {notice}
        </div>
      )}

      <ProjectSummary
        project={project}
        etag={etag}
        canEdit={canEdit}
        reload={reload}
        reloading={reloading}
      />

      <div className="planning-tabs planning-no-print" role="tablist" aria-label="Project">
        {tabs.map((t) => (
          <button
            key={t}
            ref={(el) => {
              tabRefs.current[t] = el;
            }}
            type="button"
            role="tab"
            id={`project-tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`project-panel-${t}`}
            tabIndex={tab === t ? 0 : -1}
            className="planning-tabs__tab"
            onClick={() => choose(t)}
            onKeyDown={onTabKey}
          >
            {TAB_LABELS[t]}
          </button>
        ))}
      </div>

      <div
        role="tabpanel"
        id="project-panel-overview"
        aria-labelledby="project-tab-overview"
        hidden={tab !== 'overview'}
        className="planning-panel"
      >
        <ProjectMeasuresSection
          projectId={project.id}
          teamId={project.team_id}
          networkId={project.network_id}
          charterId={project.charter_id}
          canEdit={canEdit}
        />
        <ProjectCyclesSection
          projectId={project.id}
          teamId={project.team_id}
          networkId={project.network_id}
          canEdit={canEdit}
        />
        <p className="card__meta planning-no-print">
          The team’s theory of change is on the{' '}
          <Link to="?tab=diagram" replace>
            Driver diagram
          </Link>{' '}
          tab.
        </p>
      </div>

      <div
        role="tabpanel"
        id="project-panel-diagram"
        aria-labelledby="project-tab-diagram"
        hidden={tab !== 'diagram'}
        className="planning-panel planning-panel--print"
      >
        <DiagramSection
          owner={{ kind: 'project', id: project.id }}
          networkId={project.network_id}
          canEdit={canEdit}
          charterId={project.charter_title !== null ? project.charter_id : null}
          title="Driver diagram"
          diagramTitle={`Driver diagram: ${project.title}`}
          lead={
            project.charter_id
              ? 'The team’s theory of change, started from a copy of the network’s diagram. Compare them to see what the team has adapted.'
              : 'The team’s theory of change: the aim, the drivers that lead to it and the change ideas to test.'
          }
        />
      </div>

      {canEdit && (
        <div
          role="tabpanel"
          id="project-panel-settings"
          aria-labelledby="project-tab-settings"
          hidden={tab !== 'settings'}
          className="planning-panel planning-no-print"
        >
          <EditProject
            project={project}
            etag={etag}
            reload={reload}
            reloading={reloading}
            onDeleted={() =>
              navigate(teamPath, {
                replace: true,
                state: { notice: `Deleted the project ${project.title}.` },
              })
            }
          />
        </div>
      )}

      <div className="planning-no-print">
        <HistorySection
          entityType="project"
          id={project.id}
          what="project"
          showAuditLink={roles.isAdmin}
        />
      </div>
    </Page>
  );
}

function ProjectSummary({
  project,
  etag,
  canEdit,
  reload,
  reloading,
}: {
  project: Project;
  etag: string;
  canEdit: boolean;
  reload: () => Promise<unknown>;
  reloading: boolean;
}) {
  const update = useUpdateProject(project.id);
  const [saved, setSaved] = useState<string | null>(null);
  const status = PROJECT_STATUS_OPTIONS.find((o) => o.value === project.status);
  return (
    <div className="record-grid planning-summary">
      <section className="card" aria-labelledby="aim-heading">
        <h2 id="aim-heading">Aim</h2>
        <AimSummary
          aim={project.aim}
          statement={project.aim_statement}
          emptyText={
            canEdit
              ? 'No aim yet: state it under “Edit project”: what improves, from what to what, by when.'
              : 'The team has not stated its aim yet.'
          }
        />
        {project.charter_id && (
          <p className="planning-linked">
            <span aria-hidden="true">↗</span> Linked to the network aim:{' '}
            {project.charter_title !== null ? (
              <Link to={`/charters/${project.charter_id}`}>{project.charter_title}</Link>
            ) : (
              <span className="card__meta">a charter you cannot see</span>
            )}
          </p>
        )}
        <h3 className="planning-label">Problem statement</h3>
        {project.problem_statement ? (
          <p className="planning-prose">{project.problem_statement}</p>
        ) : (
          <p className="card__meta">Not written yet.</p>
        )}
      </section>
      <section className="card" aria-labelledby="about-heading">
        <h2 id="about-heading">About the project</h2>
        <dl className="details planning-details">
          <dt>Status</dt>
          <dd>
            {canEdit ? (
              <div className="planning-status">
                <Select
                  id="project-status"
                  label={<span className="visually-hidden">Project status</span>}
                  options={PROJECT_STATUS_OPTIONS}
                  value={project.status}
                  aria-busy={update.isPending || undefined}
                  onChange={(e) => {
                    setSaved(null);
                    const next = e.target.value as ProjectStatus;
                    update.mutate(
                      { body: { status: next }, etag },
                      { onSuccess: () => setSaved(`Status changed to ${statusLabel(next)}.`) },
                    );
                  }}
                />
                <SaveStatus
                  conflict={isConflict(update.error) ? CONFLICT_MESSAGE : null}
                  onReload={async () => {
                    update.reset();
                    await reload();
                  }}
                  reloading={reloading}
                  saved={saved}
                  nothingChanged={false}
                />
                {update.error && !isConflict(update.error) && (
                  <ErrorState
                    headingLevel={3}
                    title="Could not change the status"
                    error={update.error}
                  />
                )}
              </div>
            ) : (
              <strong>{statusLabel(project.status)}</strong>
            )}
            <span className="details__help card__meta">{status?.hint}</span>
          </dd>
          <dt>Team</dt>
          <dd>
            <Link to={`/teams/${project.team_id}`}>{project.team_name}</Link>
          </dd>
          <dt>Members</dt>
          <dd>
            {project.members.length === 0 ? (
              <span className="card__meta">No team members yet.</span>
            ) : (
              <ul className="planning-members">
                {project.members.map((m) => (
                  <li key={m.user_id}>{m.display_name}</li>
                ))}
              </ul>
            )}
          </dd>
          <dt>Who can see it</dt>
          <dd>
            <VisibilityBadge visibility={project.visibility} />
          </dd>
          <dt>Last changed</dt>
          <dd>{formatDateTime(project.updated_at)}</dd>
        </dl>
      </section>
    </div>
  );
}

function EditProject({
  project,
  etag,
  reload,
  reloading,
  onDeleted,
}: {
  project: Project;
  etag: string;
  reload: () => Promise<unknown>;
  reloading: boolean;
  onDeleted: () => void;
}) {
  const update = useUpdateProject(project.id);
  const remove = useDeleteProject(project.id);
  const closeInstead = useUpdateProject(project.id);
  const [saved, setSaved] = useState<string | null>(null);
  const [nothingChanged, setNothingChanged] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const inUse = remove.error instanceof ApiError && remove.error.status === 409;
  const visibility = PROJECT_VISIBILITY_OPTIONS.find((o) => o.value === project.visibility);
  return (
    <>
      <div className="record-grid">
        <section className="card" aria-labelledby="edit-heading">
          <h2 id="edit-heading">Edit project</h2>
          <ProjectForm
            key={`${project.id}:${project.version}`}
            initial={projectFormValuesOf(project)}
            submitLabel="Save changes"
            pendingLabel="Saving…"
            pending={update.isPending}
            error={isConflict(update.error) ? undefined : (update.error ?? undefined)}
            onSubmit={(values) => {
              setSaved(null);
              const body = changedProjectFields(projectFormValuesOf(project), values);
              if (Object.keys(body).length === 0) {
                setNothingChanged(true);
                return;
              }
              setNothingChanged(false);
              update.mutate(
                { body, etag },
                {
                  onSuccess: (r) =>
                    setSaved(`Saved. The project is now version ${r.data.version}.`),
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
        <section className="card" aria-labelledby="details-heading">
          <h2 id="details-heading">Record</h2>
          <dl className="details">
            <dt>Network</dt>
            <dd>
              <Link to={`/networks/${project.network_id}`}>{project.network_name}</Link>
            </dd>
            <dt>Who can see it</dt>
            <dd>
              <VisibilityBadge visibility={project.visibility} />
              <span className="details__help card__meta">{visibility?.hint}</span>
            </dd>
            <dt>Created</dt>
            <dd>{formatDateTime(project.created_at)}</dd>
            <dt>Version</dt>
            <dd>{project.version}</dd>
          </dl>
        </section>
        <section className="card card--danger" aria-labelledby="delete-heading">
          <h2 id="delete-heading">Delete project</h2>
          <p>
            Only a project without PDSA cycles or measures of its own can be deleted: cycles and
            measure data are the record of the team’s work. To end a project, set its status to
            Closed instead.
          </p>
          <Button
            variant="danger"
            onClick={() => {
              remove.reset();
              setConfirmingDelete(true);
            }}
          >
            Delete project…
          </Button>
        </section>
      </div>
      <ConfirmDialog
        open={confirmingDelete}
        title={`Delete ${project.title}?`}
        confirmLabel="Delete project"
        busyLabel="Deleting…"
        busy={remove.isPending}
        error={
          remove.error ? (
            isConflict(remove.error) ? (
              CONFLICT_MESSAGE
            ) : inUse ? (
              <>
                <p className="alert__title">This project has PDSA cycles or measures</p>
                <p>
                  {remove.error instanceof ApiError && remove.error.problem.detail
                    ? `${remove.error.problem.detail} `
                    : ''}
                  They are the record of the team’s work, so the project stays. Close it instead: it
                  keeps its history and leaves the active lists.
                </p>
                {project.status !== 'closed' && (
                  <div className="alert__actions">
                    <Button
                      variant="primary"
                      loading={closeInstead.isPending}
                      loadingLabel="Closing…"
                      onClick={() =>
                        closeInstead.mutate(
                          { body: { status: 'closed' }, etag },
                          {
                            onSuccess: () => {
                              setConfirmingDelete(false);
                              remove.reset();
                            },
                          },
                        )
                      }
                    >
                      Close the project instead
                    </Button>
                  </div>
                )}
              </>
            ) : (
              <ErrorState
                error={remove.error}
                headingLevel={3}
                title="Could not delete the project"
              />
            )
          ) : undefined
        }
        onCancel={() => {
          setConfirmingDelete(false);
          if (isConflict(remove.error)) reload();
          remove.reset();
        }}
        onConfirm={() => remove.mutate({ etag }, { onSuccess: onDeleted })}
      >
        <p>
          {project.title} and its driver diagram will be removed from {project.team_name}. Its
          history stays in the audit log. This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  );
}
