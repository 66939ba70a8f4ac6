import { useEffect, useState } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import {
  Button,
  ButtonLink,
  type Column,
  EmptyState,
  ErrorState,
  LoadMore,
  Skeleton,
  Table,
  TextField,
  VisibilityBadge,
} from '../components/index.ts';
import type { Network } from '../features/coalition/model.ts';
import { useMyRoles, useNetworkList } from '../features/coalition/queries.ts';
import { plural } from '../lib/format.ts';
import { useDebouncedValue } from '../lib/hooks.ts';
import { Page } from '../layout/Page.tsx';

const COLUMNS: Column<Network>[] = [
  {
    key: 'name',
    header: 'Network',
    rowHeader: true,
    className: 'table__cell--primary',
    cell: (n) => (
      <>
        <Link to={`/networks/${n.id}`}>{n.name}</Link>
        {n.description && <span className="table__cell-note">{n.description}</span>}
      </>
    ),
  },
  {
    key: 'team_count',
    header: 'Teams',
    className: 'table__cell--number',
    cell: (n) => n.team_count.toLocaleString('en'),
  },
  {
    key: 'visibility',
    header: 'Who can see it',
    className: 'table__cell--nowrap',
    cell: (n) => <VisibilityBadge visibility={n.visibility} />,
  },
];

export default function NetworksPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const q = searchParams.get('q') ?? '';
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const roles = useMyRoles();

  // The box updates at once; the URL (and so the query) after typing pauses.
  const [search, setSearch] = useState(q);
  const debouncedSearch = useDebouncedValue(search.trim(), 300);
  useEffect(() => {
    if (debouncedSearch === q) return;
    setSearchParams(
      (params) => {
        if (debouncedSearch) params.set('q', debouncedSearch);
        else params.delete('q');
        return params;
      },
      { replace: true },
    );
  }, [debouncedSearch, q, setSearchParams]);

  const list = useNetworkList(q);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const newNetwork = roles.managesCoalition ? (
    <ButtonLink to="/networks/new" variant="primary">
      New network
    </ButtonLink>
  ) : undefined;

  return (
    <Page
      heading="Networks"
      lead={
        <>
          The coalition&rsquo;s improvement networks. Each network shares an aim and common
          measures; its teams, in schools and districts, test change ideas and learn from each
          other. Open a network to see its teams and members.
        </>
      }
      actions={newNetwork}
    >
      {notice && (
        <div className="alert alert--success" role="status">
          {notice}
        </div>
      )}
      <search className="toolbar" aria-label="Find a network">
        <div className="toolbar__grow">
          <TextField
            label="Search networks"
            type="search"
            name="q"
            placeholder="Name contains…"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
      </search>

      {list.isPending && <Skeleton lines={4} label="Loading networks…" />}
      {list.isError && !list.isFetchNextPageError && (
        <ErrorState
          title="Could not load the networks"
          error={list.error}
          onRetry={() => list.refetch()}
          retrying={list.isFetching}
        />
      )}
      {list.isSuccess && rows.length === 0 && !q && (
        <EmptyState
          title={roles.managesCoalition ? 'No networks yet' : 'No networks to show you yet'}
          icon="◇"
          action={
            roles.managesCoalition ? (
              <ButtonLink to="/networks/new" variant="primary">
                Create the first network
              </ButtonLink>
            ) : undefined
          }
        >
          {roles.managesCoalition ? (
            <p>
              A network brings teams together around one aim, such as &ldquo;more 3rd graders
              reading on grade level&rdquo;. Create it, add its teams, and give it a facilitator.
            </p>
          ) : (
            <p>
              Networks appear here once they are shared with the coalition or a facilitator adds you
              to one of their teams.
              {!roles.signedIn && ' Sign in to see the networks shared with coalition members.'}
            </p>
          )}
        </EmptyState>
      )}
      {list.isSuccess && rows.length === 0 && q && (
        <EmptyState
          title="No networks match"
          icon="⌕"
          action={
            <Button
              onClick={() => {
                setSearch('');
                setSearchParams({}, { replace: true });
              }}
            >
              Clear the search
            </Button>
          }
        >
          <p>
            No network you can see has &ldquo;<strong>{q}</strong>&rdquo; in its name. Check the
            spelling, or try a shorter part of the name.
          </p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <>
          <Table
            caption="Networks"
            captionNote="sorted by name"
            columns={COLUMNS}
            rows={rows}
            rowKey={(n) => n.id}
            busy={list.isFetching}
          />
          {list.isFetchNextPageError && (
            <ErrorState
              title="Could not load more networks"
              error={list.error}
              onRetry={() => list.fetchNextPage()}
              headingLevel={3}
            />
          )}
          <LoadMore
            shownLabel={plural(rows.length, 'network')}
            hasMore={list.hasNextPage}
            loading={list.isFetchingNextPage}
            onLoadMore={() => list.fetchNextPage()}
            buttonLabel="Load more networks"
          />
        </>
      )}
    </Page>
  );
}
