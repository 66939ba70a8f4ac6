import { useEffect, useState } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { AREAS } from '../areas.tsx';
import {
  Button,
  ButtonLink,
  type Column,
  EmptyState,
  ErrorState,
  LoadMore,
  Select,
  Skeleton,
  Table,
  TextField,
} from '../components/index.ts';
import {
  isOrganisationType,
  ORGANISATION_TYPE_OPTIONS,
  type Organisation,
  organisationTypeLabel,
} from '../features/organisations/model.ts';
import { useOrganisationList } from '../features/organisations/queries.ts';
import { plural } from '../lib/format.ts';
import { useDebouncedValue } from '../lib/hooks.ts';
import { Page } from '../layout/Page.tsx';

const MAP_AREA = AREAS.find((a) => a.path === '/map');

const COLUMNS: Column<Organisation>[] = [
  {
    key: 'name',
    header: 'Name',
    rowHeader: true,
    className: 'table__cell--primary',
    cell: (org) => <Link to={`/map/organisations/${org.id}`}>{org.name}</Link>,
  },
  { key: 'type', header: 'Type', cell: (org) => organisationTypeLabel(org.type) },
  {
    key: 'nces_id',
    header: 'NCES id',
    className: 'table__cell--nowrap',
    cell: (org) =>
      org.nces_id ? (
        <span className="mono">{org.nces_id}</span>
      ) : (
        <span className="card__meta">None</span>
      ),
  },
];

export default function MapPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const q = searchParams.get('q') ?? '';
  const typeParam = searchParams.get('type') ?? '';
  const type = isOrganisationType(typeParam) ? typeParam : '';
  const notice = (useLocation().state as { notice?: string } | null)?.notice;

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

  const list = useOrganisationList({ q, type });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = q !== '' || type !== '';

  const clearFilters = () => {
    setSearch('');
    setSearchParams({}, { replace: true });
  };

  return (
    <Page
      heading="Map"
      lead={MAP_AREA?.purpose}
      actions={
        <ButtonLink to="/map/organisations/new" variant="primary">
          Add organisation
        </ButtonLink>
      }
    >
      {notice && (
        <div className="alert alert--success" role="status">
          {notice}
        </div>
      )}
      <search className="toolbar" aria-label="Filter organisations">
        <div className="toolbar__grow">
          <TextField
            label="Search organisations"
            type="search"
            name="q"
            placeholder="Name contains…"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <Select
          label="Type"
          name="type"
          placeholder="All types"
          options={ORGANISATION_TYPE_OPTIONS}
          value={type}
          onChange={(e) =>
            setSearchParams(
              (params) => {
                if (e.target.value) params.set('type', e.target.value);
                else params.delete('type');
                return params;
              },
              { replace: true },
            )
          }
        />
      </search>

      {list.isPending && <Skeleton lines={6} label="Loading organisations…" />}
      {list.isError && (
        <ErrorState
          title="Could not load the organisations"
          error={list.error}
          onRetry={() => list.refetch()}
          retrying={list.isFetching}
        />
      )}
      {list.isSuccess && rows.length === 0 && !filtered && (
        <EmptyState
          title="No organisations on the map yet"
          action={
            <ButtonLink to="/map/organisations/new" variant="primary">
              Add the first organisation
            </ButtonLink>
          }
        >
          <p>
            The map lists the districts, schools, nonprofits, funders, universities and other
            organisations that work with this coalition. Start with the ones your teams belong to.
          </p>
        </EmptyState>
      )}
      {list.isSuccess && rows.length === 0 && filtered && (
        <EmptyState
          title="No organisations match"
          icon="⌕"
          action={<Button onClick={clearFilters}>Clear the search and filter</Button>}
        >
          <p>
            Nothing matches
            {q && (
              <>
                {' '}
                &ldquo;<strong>{q}</strong>&rdquo;
              </>
            )}
            {type && <> of type {organisationTypeLabel(type)}</>}. Check the spelling, or try a
            shorter part of the name.
          </p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <>
          <Table
            caption="Organisations"
            captionNote="sorted by name"
            columns={COLUMNS}
            rows={rows}
            rowKey={(org) => org.id}
            busy={list.isFetching}
          />
          {list.isFetchNextPageError && (
            <ErrorState
              title="Could not load more organisations"
              error={list.error}
              onRetry={() => list.fetchNextPage()}
              headingLevel={3}
            />
          )}
          <LoadMore
            shownLabel={plural(rows.length, 'organisation')}
            hasMore={list.hasNextPage}
            loading={list.isFetchingNextPage}
            onLoadMore={() => list.fetchNextPage()}
            buttonLabel="Load more organisations"
          />
        </>
      )}
    </Page>
  );
}
