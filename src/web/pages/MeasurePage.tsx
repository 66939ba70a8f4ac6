/**
 * A measure's page (`/measures/:id?team=<uuid>&tab=chart|data|import|definition`): the team's
 * chart with its signals in words and annotations, the data grid with a value's history, the
 * import of a file, and the operational definition (editable by those allowed, If-Match/412).
 */
import { Fragment, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  Badge,
  ButtonLink,
  ErrorState,
  SaveStatus,
  Select,
  Skeleton,
} from '../components/index.ts';
import { confirmLeavingUnsaved } from '../components/useUnsavedChangesGuard.ts';
import { CHART_TYPE_LABELS, RULE_SET_INFO } from '../components/spc/explain.ts';
import { useMe } from '../features/accounts/queries.ts';
import { HistorySection } from '../features/audit/HistorySection.tsx';
import { isConflict, isStatus } from '../features/coalition/forms.ts';
import { useMyRoles } from '../features/coalition/queries.ts';
import { type AnnotationDraft, AnnotationForm } from '../features/measures/AnnotationForm.tsx';
import { AnnotationList } from '../features/measures/AnnotationList.tsx';
import { canChangeAnnotation } from '../features/measures/annotations.ts';
import { DataPanel } from '../features/measures/DataPanel.tsx';
import { ImportPanel } from '../features/measures/ImportPanel.tsx';
import { MeasureChartView } from '../features/measures/MeasureChartView.tsx';
import {
  changedMeasureFields,
  MeasureForm,
  measureFormValuesOf,
} from '../features/measures/MeasureForm.tsx';
import {
  DIRECTION_LABELS,
  FREQUENCY_LABELS,
  formatNumber,
  KIND_HINTS,
  KIND_LABELS,
  type Measure,
  OPERATIONAL_FIELDS,
} from '../features/measures/model.ts';
import {
  useMeasure,
  useMeasureChart,
  useMyTeamIds,
  useReportingTeams,
  useUpdateMeasure,
} from '../features/measures/queries.ts';
import { formatDateTime } from '../lib/format.ts';
import { Page } from '../layout/Page.tsx';
import NotFoundPage from './NotFoundPage.tsx';
import '../styles/measures.css';

const TABS = [
  { key: 'chart', label: 'Chart' },
  { key: 'data', label: 'Data' },
  { key: 'import', label: 'Import' },
  { key: 'definition', label: 'Definition' },
] as const;
type Tab = (typeof TABS)[number]['key'];

const CONFLICT_MESSAGE = 'Someone else changed this measure; reload to see their changes.';

export default function MeasurePage() {
  const { id = '' } = useParams();
  const measure = useMeasure(id);
  const data = measure.data?.data;
  if (!data) {
    if (isStatus(measure.error, 404)) {
      return (
        <NotFoundPage
          record="measure"
          actions={<ButtonLink to="/improve">Go to the improvement workspace</ButtonLink>}
        />
      );
    }
    return (
      <Page heading="Measure" breadcrumbs={[{ to: '/improve', label: 'Improve' }]}>
        {measure.isPending && <Skeleton lines={6} label="Loading the measure…" />}
        {measure.isError && (
          <ErrorState
            title="Could not load this measure"
            error={measure.error}
            onRetry={() => measure.refetch()}
            retrying={measure.isFetching}
          />
        )}
      </Page>
    );
  }
  return (
    <MeasureRecord
      measure={data}
      etag={measure.data?.etag ?? ''}
      reload={measure.refetch}
      reloading={measure.isFetching}
    />
  );
}

function MeasureRecord({
  measure,
  etag,
  reload,
  reloading,
}: {
  measure: Measure;
  etag: string;
  reload: () => Promise<unknown>;
  reloading: boolean;
}) {
  const [search, setSearch] = useSearchParams();
  const me = useMe();
  const roles = useMyRoles();
  const teams = useReportingTeams(measure);
  const tabParam = search.get('tab');
  const tab: Tab = TABS.some((t) => t.key === tabParam) ? (tabParam as Tab) : 'chart';
  const myTeams = useMyTeamIds();
  const facilitates = roles.managesNetwork(measure.network_id);
  // Facilitators see every team's data; a member sees their own team's.
  const pickable = (teams.data ?? []).filter((t) => facilitates || myTeams.has(t.id));
  const teamId =
    search.get('team') ?? measure.team_id ?? pickable[0]?.id ?? teams.data?.[0]?.id ?? null;
  const chart = useMeasureChart(measure.id, teamId);
  const teamName =
    teams.data?.find((t) => t.id === teamId)?.name ??
    chart.data?.team.name ??
    (teamId ? 'this team' : 'no team');
  const [suggestion, setSuggestion] = useState<AnnotationDraft | null>(null);
  const signedIn = Boolean(me.data);
  // A common measure's definition is the facilitators'; a local one is its team's (the API decides).
  const canEditDefinition = measure.scope === 'common' ? facilitates : signedIn;
  const owner =
    measure.scope === 'common'
      ? { to: `/charters/${measure.charter_id}`, label: measure.owner_title }
      : { to: `/projects/${measure.project_id}`, label: measure.owner_title };

  const hrefFor = (next: { tab?: Tab; team?: string }) => {
    const params = new URLSearchParams(search);
    if (next.tab) {
      if (next.tab === 'chart') params.delete('tab');
      else params.set('tab', next.tab);
    }
    if (next.team) params.set('team', next.team);
    return `?${params}`;
  };

  const acceptPhase = (after: number) => {
    const period = chart.data?.periods[after];
    if (!period) return;
    setSuggestion({
      occurred_on: period,
      label: 'New phase',
      kind: 'phase_change',
      phase_break: true,
    });
  };

  const heading = measure.name;
  return (
    <Page
      heading={heading}
      title={teamId && teams.data ? `${measure.name}: ${teamName}` : measure.name}
      breadcrumbs={[{ to: '/improve', label: 'Improve' }, owner]}
      lead={
        <>
          <Badge tone={measure.kind === 'outcome' ? 'accent' : 'neutral'}>
            {KIND_LABELS[measure.kind]}
          </Badge>{' '}
          {measure.scope === 'common' ? 'A common measure of ' : 'A measure of the project '}
          <Link to={owner.to}>{measure.owner_title}</Link>: {measure.frequency}
          {measure.unit ? `, in ${measure.unit}` : ''},{' '}
          {DIRECTION_LABELS[measure.improvement_direction].toLowerCase()}
          {measure.goal !== null ? `, goal ${formatNumber(measure.goal, measure.unit)}` : ''}.
        </>
      }
    >
      <div className="measure-page__team">
        {pickable.length > 1 ? (
          <Select
            label="Team"
            hint="Whose data is shown: you can see several teams’ data."
            options={pickable.map((t) => ({ value: t.id, label: t.name }))}
            value={teamId ?? ''}
            onChange={(e) => {
              // Another team's data replaces the grid: unsaved cells would be lost.
              if (!confirmLeavingUnsaved()) return;
              setSearch(hrefFor({ team: e.target.value }).slice(1));
            }}
          />
        ) : (
          teamId && (
            <p>
              Data of <strong>{teamName}</strong>
              {teamId && (
                <>
                  {' '}
                  (<Link to={`/teams/${teamId}`}>team page</Link>)
                </>
              )}
              .
            </p>
          )
        )}
      </div>

      <nav className="measure-tabs" aria-label="Measure sections">
        <ul>
          {TABS.map((t) => (
            <li key={t.key}>
              <Link
                to={hrefFor({ tab: t.key })}
                aria-current={t.key === tab ? 'page' : undefined}
                className="measure-tabs__link"
              >
                {t.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {!teamId && tab !== 'definition' && (
        <div className="alert" role="note">
          {teams.isPending
            ? 'Finding the teams that report this measure…'
            : 'No team you can see reports this measure yet: a team reports a common measure once one of its projects links the charter.'}
        </div>
      )}

      {teamId && tab === 'chart' && (
        <section aria-labelledby="chart-heading" className="measure-section">
          <h2 id="chart-heading" className="visually-hidden">
            Chart
          </h2>
          {chart.isPending && <Skeleton lines={8} label="Loading the chart…" />}
          {chart.isError && (
            <ErrorState
              title="Could not load the chart"
              error={chart.error}
              onRetry={() => chart.refetch()}
              retrying={chart.isFetching}
            />
          )}
          {chart.data && (
            <MeasureChartView
              chart={chart.data}
              title={`${measure.name}: ${chart.data.team.name}`}
              headingLevel={2}
              onAcceptPhase={signedIn ? acceptPhase : undefined}
              emptyAction={
                <ButtonLink variant="primary" to={hrefFor({ tab: 'data' })}>
                  Enter data
                </ButtonLink>
              }
            />
          )}
          {chart.data &&
            (chart.data.annotations.length > 0 || (signedIn && chart.data.points.length > 0)) && (
              <AnnotationList
                annotations={chart.data.annotations}
                teamId={teamId}
                measureId={measure.id}
                signedIn={signedIn}
                canChange={(a) => canChangeAnnotation(a, roles.managesNetwork, myTeams)}
                reloadChart={chart.refetch}
              />
            )}
          {signedIn && (
            <div className="card">
              <AnnotationForm teamId={teamId} measureId={measure.id} suggestion={suggestion} />
            </div>
          )}
        </section>
      )}

      {teamId && tab === 'data' && (
        <section aria-labelledby="data-heading" className="measure-section">
          <h2 id="data-heading">Data: {teamName}</h2>
          {/* Keyed by team: unsaved cells of one team must never be saved as another's. */}
          <DataPanel
            key={teamId}
            measure={measure}
            teamId={teamId}
            teamName={teamName}
            readOnly={!signedIn}
          />
        </section>
      )}

      {teamId && tab === 'import' && (
        <section aria-labelledby="import-heading" className="measure-section">
          <h2 id="import-heading">Import a file: {teamName}</h2>
          {signedIn ? (
            <ImportPanel measure={measure} teamId={teamId} teamName={teamName} />
          ) : (
            <p>Sign in to import data.</p>
          )}
        </section>
      )}

      {tab === 'definition' && (
        <>
          <Definition
            measure={measure}
            etag={etag}
            reload={reload}
            reloading={reloading}
            canEdit={canEditDefinition}
          />
          <HistorySection
            entityType="measure"
            id={measure.id}
            what="measure"
            showAuditLink={roles.isAdmin}
          />
        </>
      )}
    </Page>
  );
}

function Definition({
  measure,
  etag,
  reload,
  reloading,
  canEdit,
}: {
  measure: Measure;
  etag: string;
  reload: () => Promise<unknown>;
  reloading: boolean;
  canEdit: boolean;
}) {
  const update = useUpdateMeasure(measure.id);
  const [saved, setSaved] = useState<string | null>(null);
  const [nothingChanged, setNothingChanged] = useState(false);
  const od = measure.operational_definition;
  return (
    <div className="record-grid">
      <section className="card" aria-labelledby="definition-heading">
        <h2 id="definition-heading">Definition</h2>
        {measure.description && <p>{measure.description}</p>}
        <dl className="details">
          <dt>Kind</dt>
          <dd>
            {KIND_LABELS[measure.kind]}: {KIND_HINTS[measure.kind]}
          </dd>
          {OPERATIONAL_FIELDS.map((f) => (
            <Fragment key={f.key}>
              <dt>{f.label}</dt>
              <dd>{od[f.key] || <span className="card__meta">Not given</span>}</dd>
            </Fragment>
          ))}
          <dt>Frequency</dt>
          <dd>{FREQUENCY_LABELS[measure.frequency]}</dd>
          <dt>Unit</dt>
          <dd>{measure.unit || 'None'}</dd>
          <dt>Direction</dt>
          <dd>{DIRECTION_LABELS[measure.improvement_direction]}</dd>
          <dt>Chart type</dt>
          <dd>{CHART_TYPE_LABELS[measure.chart_type]}</dd>
          <dt>Rule set</dt>
          <dd>
            {RULE_SET_INFO[measure.rule_set].label}
            <span className="details__help card__meta">
              {RULE_SET_INFO[measure.rule_set].description}
            </span>
          </dd>
          <dt>Multiplied by</dt>
          <dd>{measure.multiply}</dd>
          <dt>Goal</dt>
          <dd>{measure.goal === null ? 'None' : formatNumber(measure.goal, measure.unit)}</dd>
          <dt>Last changed</dt>
          <dd>
            {formatDateTime(measure.updated_at)} (version {measure.version})
          </dd>
        </dl>
      </section>
      {canEdit && (
        <section className="card" aria-labelledby="edit-measure-heading">
          <h2 id="edit-measure-heading">Edit the definition</h2>
          <MeasureForm
            key={`${measure.id}:${measure.version}`}
            initial={measureFormValuesOf(measure)}
            submitLabel="Save changes"
            pendingLabel="Saving…"
            pending={update.isPending}
            error={isConflict(update.error) ? undefined : (update.error ?? undefined)}
            lockedHint="Once values are stored, the frequency cannot change, and the chart type only to one the stored values fit."
            onSubmit={(values) => {
              setSaved(null);
              const body = changedMeasureFields(measureFormValuesOf(measure), values);
              if (Object.keys(body).length === 0) {
                setNothingChanged(true);
                return;
              }
              setNothingChanged(false);
              update.mutate(
                { body, etag },
                {
                  onSuccess: (r) =>
                    setSaved(`Saved. ${r.data.name} is now version ${r.data.version}.`),
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
  );
}
