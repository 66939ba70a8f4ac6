import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  Badge,
  type BadgeTone,
  Button,
  ButtonLink,
  buttonClass,
  type Column,
  EmptyState,
  ErrorState,
  LoadMore,
  Select,
  Skeleton,
  Table,
  TextField,
} from '../components/index.ts';
import { RequireSignIn } from '../features/accounts/RequireSignIn.tsx';
import { AdminOnly } from '../features/admin/AdminOnly.tsx';
import { ChangeList } from '../features/audit/ChangeList.tsx';
import {
  ACTION_LABELS,
  ACTION_OPTIONS,
  type AuditAction,
  type AuditEvent,
  type AuditFilters,
  auditCsvHref,
  auditFiltersOf,
  auditQueryOf,
  auditSearchParamsOf,
  EMPTY_AUDIT_FILTERS,
  ENTITY_TYPE_OPTIONS,
  entityTypeLabel,
  isAuditAction,
  recordPath,
  validateAuditFilters,
} from '../features/audit/model.ts';
import { useAuditEvents } from '../features/audit/queries.ts';
import { formatDateTime, plural } from '../lib/format.ts';
import { Page } from '../layout/Page.tsx';

export default function AuditLogPage() {
  return (
    <RequireSignIn heading="Audit log" next="/admin/audit" what="the coalition’s audit log">
      {(me) =>
        me.is_admin ? <AuditLog /> : <AdminOnly heading="Audit log" what="read the audit log" />
      }
    </RequireSignIn>
  );
}

const ACTION_TONES: Record<AuditAction, BadgeTone> = {
  create: 'success',
  update: 'accent',
  delete: 'danger',
};
const ACTION_ICONS: Record<AuditAction, string> = { create: '+', update: '✎', delete: '✕' };

function AuditLog() {
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = auditFiltersOf(searchParams);
  const query = auditQueryOf(filters);
  const events = useAuditEvents(query);
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.keys(query).length > 0;

  const columns: Column<AuditEvent>[] = [
    {
      key: 'when',
      header: 'When',
      className: 'table__cell--date',
      cell: (e) => <time dateTime={e.occurred_at}>{formatDateTime(e.occurred_at)}</time>,
    },
    {
      key: 'summary',
      header: 'Summary',
      rowHeader: true,
      className: 'table__cell--primary table__cell--summary',
      cell: (e) => e.summary,
    },
    {
      key: 'who',
      header: 'Who',
      cell: (e) => (
        <>
          {e.actor.id ? (
            <Link
              to={`/admin/audit?${auditSearchParamsOf({ ...filters, actor_id: e.actor.id })}`}
              title={`Show only what ${e.actor.display_name} did`}
            >
              {e.actor.display_name}
              <span className="visually-hidden">: show only their events</span>
            </Link>
          ) : (
            e.actor.display_name
          )}
          {e.actor.deleted && (
            <>
              {' '}
              <Badge>deleted account</Badge>
            </>
          )}
        </>
      ),
    },
    {
      key: 'what',
      header: 'What',
      className: 'table__cell--nowrap',
      cell: (e) => {
        const path = recordPath(e.entity_type, e.entity_id);
        return (
          <>
            <Badge tone={ACTION_TONES[e.action]}>
              <span aria-hidden="true">{ACTION_ICONS[e.action]}</span> {ACTION_LABELS[e.action]}
            </Badge>{' '}
            {path && e.action !== 'delete' ? (
              <Link to={path}>{entityTypeLabel(e.entity_type)}</Link>
            ) : (
              entityTypeLabel(e.entity_type)
            )}
          </>
        );
      },
    },
    {
      key: 'changes',
      header: 'Changes',
      className: 'table__cell--changes',
      cell: (e) => <ChangeList event={e} />,
    },
  ];

  const csvHref = auditCsvHref(filters);

  return (
    <Page
      heading="Audit log"
      lead="Every change made in this coalition: who made it, when, and the values before and after. Newest first. Use the filters to follow one record or one person, and download what you see as CSV."
      actions={<ButtonLink to="/admin/users">Users and roles</ButtonLink>}
    >
      <AuditFilterForm
        // The form starts again from the URL when it changes (a "Who" link, Back).
        key={searchParams.toString()}
        initial={filters}
        onApply={(next) => setSearchParams(auditSearchParamsOf(next))}
        onClear={() => setSearchParams(new URLSearchParams())}
        filtered={filtered}
      />

      <div className="toolbar toolbar--end">
        <p className="card__meta toolbar__note">
          {filtered ? 'Showing the events that match the filters.' : 'Showing every event.'}
        </p>
        <a className={buttonClass('secondary')} href={csvHref} download>
          <span aria-hidden="true">↓</span> Download CSV
          <span className="visually-hidden">
            {filtered ? ' of the events that match the filters' : ' of every event'}
          </span>
        </a>
      </div>

      {events.isPending && <Skeleton lines={6} label="Loading the audit log…" />}
      {events.isError && !events.isFetchNextPageError && (
        <ErrorState
          title="Could not load the audit log"
          error={events.error}
          onRetry={() => events.refetch()}
          retrying={events.isFetching}
        />
      )}
      {events.isSuccess && rows.length === 0 && (
        <EmptyState
          title={filtered ? 'No events match these filters' : 'No events yet'}
          icon="◷"
          action={
            filtered ? (
              <Button onClick={() => setSearchParams(new URLSearchParams())}>
                Clear the filters
              </Button>
            ) : undefined
          }
        >
          <p>
            {filtered
              ? 'Try a wider date range, another kind of record, or clear the filters.'
              : 'Every change to an organisation, network, team, role or account will be recorded here as it happens.'}
          </p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <>
          <Table
            caption="Audit events"
            captionNote="newest first"
            columns={columns}
            rows={rows}
            rowKey={(e) => e.id}
            busy={events.isFetching}
          />
          {events.isFetchNextPageError && (
            <ErrorState
              headingLevel={3}
              title="Could not load older events"
              error={events.error}
              onRetry={() => events.fetchNextPage()}
            />
          )}
          <LoadMore
            shownLabel={plural(rows.length, 'event')}
            hasMore={events.hasNextPage}
            loading={events.isFetchingNextPage}
            onLoadMore={() => events.fetchNextPage()}
            buttonLabel="Load older events"
          />
        </>
      )}
    </Page>
  );
}

function AuditFilterForm({
  initial,
  onApply,
  onClear,
  filtered,
}: {
  initial: AuditFilters;
  onApply: (filters: AuditFilters) => void;
  onClear: () => void;
  filtered: boolean;
}) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>(() => validateAuditFilters(initial));
  const set = (key: keyof AuditFilters) => (value: string) =>
    setValues((v) => ({ ...v, [key]: value }));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validateAuditFilters(values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      event.currentTarget.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    onApply(values);
  };

  return (
    <search aria-label="Filter the audit log">
      <form className="card filter-card" onSubmit={submit} noValidate>
        <h2 className="filter-card__title">Filters</h2>
        <div className="filter-grid">
          <Select
            label="Kind of record"
            name="entity_type"
            placeholder="All records"
            options={ENTITY_TYPE_OPTIONS}
            value={values.entity_type}
            onChange={(e) => set('entity_type')(e.target.value)}
          />
          <Select
            label="Action"
            name="action"
            placeholder="All actions"
            options={ACTION_OPTIONS}
            value={values.action}
            onChange={(e) => set('action')(isAuditAction(e.target.value) ? e.target.value : '')}
          />
          <TextField
            label="From"
            type="date"
            name="from"
            hint="The first day, included."
            value={values.from}
            onChange={(e) => set('from')(e.target.value)}
            error={errors.from}
          />
          <TextField
            label="To"
            type="date"
            name="to"
            hint="The last day, included."
            value={values.to}
            onChange={(e) => set('to')(e.target.value)}
            error={errors.to}
          />
          <TextField
            label="Account id"
            name="actor_id"
            hint="Only what this account did. Or pick a name in the Who column."
            autoComplete="off"
            spellCheck={false}
            className="mono"
            value={values.actor_id}
            onChange={(e) => set('actor_id')(e.target.value.trim())}
            error={errors.actor_id}
          />
          <TextField
            label="Record id"
            name="entity_id"
            hint="Only changes to one record, e.g. from a network’s address."
            autoComplete="off"
            spellCheck={false}
            className="mono"
            value={values.entity_id}
            onChange={(e) => set('entity_id')(e.target.value.trim())}
            error={errors.entity_id}
          />
        </div>
        <div className="form-actions">
          <Button type="submit" variant="primary">
            Apply filters
          </Button>
          {(filtered || JSON.stringify(values) !== JSON.stringify(EMPTY_AUDIT_FILTERS)) && (
            <Button
              onClick={() => {
                setValues(EMPTY_AUDIT_FILTERS);
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
