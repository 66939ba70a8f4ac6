import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  Button,
  type Column,
  EmptyState,
  ErrorState,
  LoadMore,
  Skeleton,
  Table,
  VisibilityBadge,
} from '../../components/index.ts';
import { plural } from '../../lib/format.ts';
import { CharterForm } from './forms.tsx';
import { aimBodyOf, type Charter, charterFormValuesOf } from './model.ts';
import { useCharterList, useCreateCharter } from './queries.ts';
import '../../styles/planning.css';

/** The network page's "Charters": the network's charters, and "New charter" for its managers. */
export function NetworkChartersSection({
  network,
  canManage,
}: {
  network: { id: string; name: string };
  canManage: boolean;
}) {
  const navigate = useNavigate();
  const charters = useCharterList({ networkId: network.id });
  const create = useCreateCharter();
  const [formOpen, setFormOpen] = useState(false);
  const rows = charters.data?.pages.flatMap((p) => p.items) ?? [];
  const columns: Column<Charter>[] = [
    {
      key: 'title',
      header: 'Charter',
      rowHeader: true,
      className: 'table__cell--primary',
      cell: (c) => <Link to={`/charters/${c.id}`}>{c.title}</Link>,
    },
    {
      key: 'aim',
      header: 'Aim',
      cell: (c) => c.aim_statement || <span className="card__meta">Not stated yet</span>,
    },
    {
      key: 'projects',
      header: 'Team projects',
      className: 'table__cell--nowrap',
      cell: (c) => plural(c.project_count, 'project'),
    },
    {
      key: 'visibility',
      header: 'Who can see it',
      className: 'table__cell--nowrap',
      cell: (c) => <VisibilityBadge visibility={c.visibility} />,
    },
    {
      key: 'dashboard',
      header: 'Dashboard',
      className: 'table__cell--nowrap',
      cell: (c) => (
        <Link to={`/charters/${c.id}/dashboard`}>
          Dashboard<span className="visually-hidden"> of {c.title}</span>
        </Link>
      ),
    },
  ];

  return (
    <section className="section" aria-labelledby="charters-heading">
      <h2 id="charters-heading">Charters</h2>
      <p className="section__lead">
        The network’s shared problem of practice and aim, with its driver diagram and common
        measures. Teams start their projects from a charter.
      </p>
      {charters.isPending && <Skeleton lines={2} label="Loading the charters…" />}
      {charters.isError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the charters"
          error={charters.error}
          onRetry={() => charters.refetch()}
        />
      )}
      {charters.isSuccess && rows.length === 0 && (
        <EmptyState
          title="No charter yet"
          headingLevel={3}
          compact
          icon="◎"
          action={
            canManage && !formOpen ? (
              <Button variant="primary" onClick={() => setFormOpen(true)}>
                New charter
              </Button>
            ) : undefined
          }
        >
          <p>
            A charter states the problem the network works on and its aim (how much, by when, for
            whom).
            {canManage
              ? ' Write it first; then draw the driver diagram and define the common measures.'
              : ' The network’s facilitators write it.'}
          </p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <>
          <Table
            caption={`Charters of ${network.name}`}
            columns={columns}
            rows={rows}
            rowKey={(c) => c.id}
            busy={charters.isFetching}
          />
          {charters.hasNextPage && (
            <LoadMore
              shownLabel={plural(rows.length, 'charter')}
              hasMore={charters.hasNextPage}
              loading={charters.isFetchingNextPage}
              onLoadMore={() => charters.fetchNextPage()}
              buttonLabel="Load more charters"
            />
          )}
          {canManage && !formOpen && (
            <div className="form-actions section planning-no-print">
              <Button onClick={() => setFormOpen(true)}>New charter</Button>
            </div>
          )}
        </>
      )}
      {canManage && formOpen && (
        <div className="card form-card section planning-no-print">
          <h3>New charter</h3>
          <CharterForm
            idPrefix="new-charter"
            initial={charterFormValuesOf()}
            submitLabel="Create charter"
            pendingLabel="Creating…"
            pending={create.isPending}
            error={create.error ?? undefined}
            onSubmit={(values) =>
              create.mutate(
                {
                  network_id: network.id,
                  title: values.title.trim(),
                  problem_of_practice: values.problem_of_practice,
                  aim: aimBodyOf(values.aim),
                  visibility: values.visibility,
                },
                { onSuccess: (created) => navigate(`/charters/${created.data.id}`) },
              )
            }
            secondaryActions={
              <Button
                onClick={() => {
                  create.reset();
                  setFormOpen(false);
                }}
              >
                Cancel
              </Button>
            }
          />
        </div>
      )}
    </section>
  );
}
