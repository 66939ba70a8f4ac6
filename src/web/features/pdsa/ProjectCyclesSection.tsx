import { useRef, useState } from 'react';
import { Link } from 'react-router';
import {
  Button,
  type Column,
  EmptyState,
  ErrorState,
  Skeleton,
  Table,
} from '../../components/index.ts';
import { plural } from '../../lib/format.ts';
import { formatDay, type PdsaCycle, rampSize, rampsOfCycles } from './model.ts';
import { NewCycleForm } from './NewCycleForm.tsx';
import { DecisionBadge, RampView, StateBadge } from './parts.tsx';
import { useProjectCycles } from './queries.ts';

const RECENT = 10;

/** A project's PDSA cycles (ramps, recent cycles, "new cycle"), shown on the project page. */
export function ProjectCyclesSection({
  projectId,
  teamId,
  networkId,
  canEdit,
}: {
  projectId: string;
  teamId: string;
  networkId: string;
  canEdit: boolean;
}) {
  const cycles = useProjectCycles(projectId);
  const [adding, setAdding] = useState(false);
  const newButton = useRef<HTMLButtonElement>(null);
  const items = cycles.data?.items ?? [];
  const ramps = rampsOfCycles(items);
  const chains = ramps.filter((r) => rampSize(r) > 1);
  const logHref = `/pdsa?project_id=${projectId}`;

  const columns: Column<PdsaCycle>[] = [
    {
      key: 'title',
      header: 'Cycle',
      rowHeader: true,
      className: 'table__cell--primary',
      cell: (c) => <Link to={`/cycles/${c.id}`}>{c.title}</Link>,
    },
    {
      key: 'idea',
      header: 'Change idea',
      cell: (c) =>
        c.change_idea_title ? (
          <Link to={`/change-ideas/${c.change_idea_id}`}>{c.change_idea_title}</Link>
        ) : (
          'Not shared with you'
        ),
    },
    { key: 'scale', header: 'Scale', cell: (c) => c.scale || '—' },
    {
      key: 'state',
      header: 'State',
      className: 'table__cell--nowrap',
      cell: (c) => (
        <span className="badge-row">
          <StateBadge state={c.state} />
          {c.decision && <DecisionBadge decision={c.decision} />}
        </span>
      ),
    },
    {
      key: 'start',
      header: 'Planned start',
      className: 'table__cell--date',
      cell: (c) => formatDay(c.planned_start),
    },
  ];

  const openForm = () => setAdding(true);
  const closeForm = () => {
    setAdding(false);
    requestAnimationFrame(() => newButton.current?.focus());
  };

  return (
    <section className="section pdsa-project" aria-labelledby="pdsa-cycles-heading">
      <div className="toolbar toolbar--end">
        <h2 id="pdsa-cycles-heading">PDSA cycles</h2>
        <div className="form-actions">
          {items.length > 0 && <Link to={logHref}>All cycles of this project in the PDSA log</Link>}
          {canEdit && !adding && items.length > 0 && (
            <Button ref={newButton} variant="primary" onClick={openForm}>
              New PDSA cycle
            </Button>
          )}
        </div>
      </div>

      {adding && (
        <NewCycleForm
          projectId={projectId}
          teamId={teamId}
          networkId={networkId}
          cycles={items}
          onCancel={closeForm}
        />
      )}

      {cycles.isPending && <Skeleton lines={3} label="Loading the cycles…" />}
      {cycles.isError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the PDSA cycles"
          error={cycles.error}
          onRetry={() => cycles.refetch()}
          retrying={cycles.isFetching}
        />
      )}

      {cycles.isSuccess && items.length === 0 && !adding && (
        <EmptyState
          headingLevel={3}
          icon="↻"
          title="No PDSA cycles yet"
          action={
            canEdit ? (
              <Button ref={newButton} variant="primary" onClick={openForm}>
                Plan your first cycle
              </Button>
            ) : undefined
          }
        >
          <p>
            A PDSA cycle is one small, quick test of a change idea: <strong>Plan</strong> it
            (questions and what you predict), <strong>Do</strong> it, <strong>Study</strong> the
            results against the predictions, then <strong>Act</strong>: adopt, adapt or abandon the
            change. Start with one student or one class and ramp up.
          </p>
          {!canEdit && <p>The team’s members plan and record the cycles of this project.</p>}
        </EmptyState>
      )}

      {items.length > 0 && (
        <>
          <h3>Ramps</h3>
          {chains.length === 0 ? (
            <p className="section__lead">
              No ramps yet: a ramp forms when a cycle builds on an earlier one (“1 student → 1 class
              → 1 grade”). Choose “Follows cycle” when planning, or adapt a cycle and plan the next
              one when completing it.
            </p>
          ) : (
            <ul className="pdsa-ramps">
              {chains.map((root) => (
                <li key={root.key} className="card pdsa-ramps__item">
                  <p className="card__meta">
                    {root.cycle?.id
                      ? (items.find((c) => c.id === root.cycle?.id)?.change_idea_title ??
                        'Change idea not shared with you')
                      : ''}{' '}
                    · {plural(rampSize(root), 'cycle')}
                  </p>
                  <RampView
                    roots={[root]}
                    label={`Ramp starting with ${root.cycle?.title ?? 'a cycle'}`}
                  />
                </li>
              ))}
            </ul>
          )}
          <Table
            caption="Recent cycles"
            captionNote={
              items.length > RECENT ? `newest first, ${RECENT} of ${items.length}` : 'newest first'
            }
            columns={columns}
            rows={items.slice(0, RECENT)}
            rowKey={(c) => c.id}
            busy={cycles.isFetching}
          />
        </>
      )}
    </section>
  );
}
