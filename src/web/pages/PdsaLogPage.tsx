import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  Button,
  type Column,
  EmptyState,
  ErrorState,
  LoadMore,
  Select,
  Skeleton,
  Table,
  TextField,
} from '../components/index.ts';
import { useNetworkList, useTeamList } from '../features/coalition/queries.ts';
import {
  DECISION_LABELS,
  DECISIONS,
  EMPTY_LOG_FILTERS,
  formatDay,
  type LogFilters,
  logFiltersOf,
  logQueryOf,
  logSearchParamsOf,
  type PdsaCycle,
  STATE_LABELS,
  STATES,
  validateLogFilters,
} from '../features/pdsa/model.ts';
import { DecisionBadge, StateBadge } from '../features/pdsa/parts.tsx';
import { useChangeIdea, useNetworkChangeIdeas, usePdsaLog } from '../features/pdsa/queries.ts';
import { plural } from '../lib/format.ts';
import { Page } from '../layout/Page.tsx';

export default function PdsaLogPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = logFiltersOf(searchParams);
  const log = usePdsaLog(filters);
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const query = logQueryOf(filters);
  const filtered = Object.values(query).some((v) => v !== undefined);
  const clear = () => setSearchParams(new URLSearchParams());

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
          <span className="card__meta">Not shared with you</span>
        ),
    },
    {
      key: 'idea',
      header: 'Change idea',
      cell: (c) =>
        c.change_idea_title ? (
          <Link to={`/change-ideas/${c.change_idea_id}`}>{c.change_idea_title}</Link>
        ) : (
          <span className="card__meta">Not shared with you</span>
        ),
    },
    {
      key: 'scale',
      header: 'Scale',
      className: 'table__cell--nowrap',
      cell: (c) => c.scale || '—',
    },
    {
      key: 'state',
      header: 'State',
      className: 'table__cell--nowrap',
      cell: (c) => <StateBadge state={c.state} />,
    },
    {
      key: 'decision',
      header: 'Decision',
      className: 'table__cell--nowrap',
      cell: (c) => (c.decision ? <DecisionBadge decision={c.decision} /> : '—'),
    },
    {
      key: 'start',
      header: 'Planned start',
      className: 'table__cell--date',
      cell: (c) => formatDay(c.planned_start),
    },
  ];

  return (
    <Page
      heading="PDSA log"
      lead="Every PDSA cycle you can see across your networks: what each team tested, at what scale, and what it decided. Filter by network, team, change idea, outcome or dates; the address keeps the filters, so a filtered view can be shared."
    >
      <LogFilterForm
        key={searchParams.toString()}
        initial={filters}
        filtered={filtered}
        onApply={(next) => setSearchParams(logSearchParamsOf(next))}
        onClear={clear}
      />

      {log.isPending && <Skeleton lines={6} label="Loading the PDSA log…" />}
      {log.isError && !log.isFetchNextPageError && (
        <ErrorState
          title="Could not load the PDSA log"
          error={log.error}
          onRetry={() => log.refetch()}
          retrying={log.isFetching}
        />
      )}
      {log.isSuccess && rows.length === 0 && (
        <EmptyState
          title={filtered ? 'No cycles match these filters' : 'No PDSA cycles yet'}
          icon="↻"
          action={filtered ? <Button onClick={clear}>Clear the filters</Button> : undefined}
        >
          {filtered ? (
            <p>Try another team or change idea, a wider date range, or clear the filters.</p>
          ) : (
            <p>
              A PDSA cycle is one small test of a change idea: plan it with predictions, do it,
              study the results and decide. Cycles are planned on a project’s page; open{' '}
              <Link to="/improve">Improve</Link> to find your team’s projects.
            </p>
          )}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <>
          <Table
            caption="PDSA cycles"
            captionNote={filtered ? 'matching the filters, newest first' : 'newest first'}
            columns={columns}
            rows={rows}
            rowKey={(c) => c.id}
            busy={log.isFetching}
          />
          {log.isFetchNextPageError && (
            <ErrorState
              headingLevel={3}
              title="Could not load more cycles"
              error={log.error}
              onRetry={() => log.fetchNextPage()}
            />
          )}
          <LoadMore
            shownLabel={plural(rows.length, 'cycle')}
            hasMore={log.hasNextPage}
            loading={log.isFetchingNextPage}
            onLoadMore={() => log.fetchNextPage()}
            buttonLabel="Load more cycles"
          />
        </>
      )}
    </Page>
  );
}

function LogFilterForm({
  initial,
  filtered,
  onApply,
  onClear,
}: {
  initial: LogFilters;
  filtered: boolean;
  onApply: (filters: LogFilters) => void;
  onClear: () => void;
}) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>(() => validateLogFilters(initial));
  const networks = useNetworkList('');
  const teams = useTeamList({ networkId: values.network_id }, values.network_id !== '');
  const ideas = useNetworkChangeIdeas(values.network_id);
  const networkOptions = (networks.data?.pages.flatMap((p) => p.items) ?? []).map((n) => ({
    value: n.id,
    label: n.name,
  }));
  const teamOptions = (teams.data?.pages.flatMap((p) => p.items) ?? []).map((t) => ({
    value: t.id,
    label: t.name,
  }));
  const ideaOptions = (ideas.data ?? []).map((i) => ({ value: i.id, label: i.title }));
  // A filter set from a link (e.g. a cycle's "other teams' cycles") before a network is chosen.
  const linkedIdea = useChangeIdea(
    values.change_idea_id,
    values.change_idea_id !== '' && !ideaOptions.some((o) => o.value === values.change_idea_id),
  );
  if (values.change_idea_id && !ideaOptions.some((o) => o.value === values.change_idea_id))
    ideaOptions.unshift({
      value: values.change_idea_id,
      label: linkedIdea.data?.title ?? 'The linked change idea',
    });
  if (values.team_id && !teamOptions.some((o) => o.value === values.team_id))
    teamOptions.unshift({ value: values.team_id, label: 'The linked team' });
  const set = (key: keyof LogFilters) => (value: string) =>
    setValues((v) => ({ ...v, [key]: value }));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validateLogFilters(values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      event.currentTarget.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    onApply(values);
  };

  return (
    <search aria-label="Filter the PDSA log">
      <form className="card filter-card" onSubmit={submit} noValidate>
        <h2 className="filter-card__title">Filters</h2>
        <div className="filter-grid">
          <Select
            label="Network"
            placeholder="All networks"
            options={networkOptions}
            value={values.network_id}
            onChange={(e) =>
              setValues((v) => ({
                ...v,
                network_id: e.target.value,
                team_id: '',
                change_idea_id: '',
              }))
            }
          />
          <Select
            label="Team"
            placeholder="All teams"
            hint={values.network_id ? undefined : 'Choose a network to pick one of its teams.'}
            options={teamOptions}
            value={values.team_id}
            onChange={(e) => set('team_id')(e.target.value)}
          />
          <Select
            label="Change idea"
            placeholder="All change ideas"
            hint={values.network_id ? undefined : 'Choose a network to pick one of its ideas.'}
            options={ideaOptions}
            value={values.change_idea_id}
            onChange={(e) => set('change_idea_id')(e.target.value)}
          />
          <Select
            label="Outcome"
            placeholder="Any decision"
            options={DECISIONS.map((d) => ({ value: d, label: DECISION_LABELS[d] }))}
            value={values.decision}
            onChange={(e) => set('decision')(e.target.value)}
          />
          <Select
            label="State"
            placeholder="Any state"
            options={STATES.map((s) => ({ value: s, label: STATE_LABELS[s] }))}
            value={values.state}
            onChange={(e) => set('state')(e.target.value)}
          />
          <TextField
            label="From"
            type="date"
            hint="Planned start (or creation day), included."
            value={values.from}
            onChange={(e) => set('from')(e.target.value)}
            error={errors.from}
          />
          <TextField
            label="To"
            type="date"
            hint="The last day, included."
            value={values.to}
            onChange={(e) => set('to')(e.target.value)}
            error={errors.to}
          />
          <TextField
            label="Title contains"
            type="search"
            value={values.q}
            onChange={(e) => set('q')(e.target.value)}
            maxLength={200}
            autoComplete="off"
          />
        </div>
        {values.project_id && (
          <p className="card__meta">
            Showing one project’s cycles.{' '}
            <Link to={`/projects/${values.project_id}`}>Open the project</Link>
          </p>
        )}
        <div className="form-actions">
          <Button type="submit" variant="primary">
            Apply filters
          </Button>
          {(filtered || JSON.stringify(values) !== JSON.stringify(EMPTY_LOG_FILTERS)) && (
            <Button
              onClick={() => {
                setValues(EMPTY_LOG_FILTERS);
                setErrors({});
                onClear();
              }}
            >
              Clear filters
            </Button>
          )}
        </div>
      </form>
    </search>
  );
}
