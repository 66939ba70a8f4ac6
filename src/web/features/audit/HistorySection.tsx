import { Link } from 'react-router';
import { Badge, EmptyState, ErrorState, LoadMore, Skeleton } from '../../components/index.ts';
import { formatDateTime, plural } from '../../lib/format.ts';
import { useMe } from '../accounts/queries.ts';
import { ChangeList } from './ChangeList.tsx';
import { ACTION_LABELS, type AuditEvent, type HistoryEntityType } from './model.ts';
import { useRecordHistory } from './queries.ts';

export interface HistorySectionProps {
  entityType: HistoryEntityType;
  id: string;
  /** "network", "team": how the record is named in the words. */
  what: string;
  /** Admins get a link to the same events in the audit log. */
  showAuditLink?: boolean;
}

/** A record's history: who changed what and when, newest first, each change unfolding. */
export function HistorySection({ entityType, id, what, showAuditLink }: HistorySectionProps) {
  const me = useMe();
  // Histories name the people behind each change: the API shows them to signed-in people only.
  const signedOut = me.data === null;
  const history = useRecordHistory(entityType, id, me.isSuccess && !signedOut);
  const events = history.data?.pages.flatMap((p) => p.items) ?? [];
  const headingId = `history-heading-${entityType}`;
  if (signedOut) {
    return (
      <section className="section" aria-labelledby={headingId}>
        <h2 id={headingId}>History</h2>
        <p className="section__lead">
          <Link to={`/sign-in?next=${encodeURIComponent(window.location.pathname)}`}>Sign in</Link>{' '}
          to see who changed this {what}, and when.
        </p>
      </section>
    );
  }
  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>History</h2>
      <p className="section__lead">
        Every change to this {what}, who made it and when, newest first. Open a change to see the
        values before and after.
        {showAuditLink && (
          <>
            {' '}
            <Link
              to={`/admin/audit?entity_type=${encodeURIComponent(entityType)}&entity_id=${encodeURIComponent(id)}`}
            >
              See it in the audit log
            </Link>
            .
          </>
        )}
      </p>
      {history.isPending && <Skeleton lines={3} label={`Loading the ${what}’s history…`} />}
      {history.isError && !history.isFetchNextPageError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the history"
          error={history.error}
          onRetry={() => history.refetch()}
          retrying={history.isFetching}
        />
      )}
      {history.isSuccess && events.length === 0 && (
        <EmptyState title="No changes recorded yet" headingLevel={3} compact icon="◷">
          <p>
            Changes to this {what} will be listed here as they are made: its name, who can see it
            and more.
          </p>
        </EmptyState>
      )}
      {events.length > 0 && (
        <>
          <ol className="history">
            {events.map((event) => (
              <HistoryItem key={event.id} event={event} />
            ))}
          </ol>
          {history.isFetchNextPageError && (
            <ErrorState
              headingLevel={3}
              title="Could not load older changes"
              error={history.error}
              onRetry={() => history.fetchNextPage()}
            />
          )}
          {(history.hasNextPage || events.length > 10) && (
            <LoadMore
              shownLabel={plural(events.length, 'change')}
              hasMore={history.hasNextPage}
              loading={history.isFetchingNextPage}
              onLoadMore={() => history.fetchNextPage()}
              buttonLabel="Load older changes"
            />
          )}
        </>
      )}
    </section>
  );
}

function HistoryItem({ event }: { event: AuditEvent }) {
  return (
    <li className="history__item">
      <div className="history__meta">
        <time dateTime={event.occurred_at}>{formatDateTime(event.occurred_at)}</time>
        <span aria-hidden="true"> · </span>
        <span>
          {event.actor.display_name}
          {event.actor.deleted && (
            <>
              {' '}
              <Badge>deleted account</Badge>
            </>
          )}
        </span>
        <span aria-hidden="true"> · </span>
        <span>{ACTION_LABELS[event.action]}</span>
      </div>
      <p className="history__summary">{event.summary}</p>
      <ChangeList event={event} />
    </li>
  );
}
