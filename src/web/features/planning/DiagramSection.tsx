/**
 * A charter's or a project's driver diagram on its page: the diagram for readers; for those who
 * may change it, "Edit diagram" opens the editor with Save (PUT with If-Match; a 412 offers to
 * keep a copy and reload), Discard and an unsaved-changes mark; earlier versions can be viewed
 * (and, while editing, taken as the starting point). A project can be compared with its
 * network's diagram.
 */
import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import {
  Badge,
  Button,
  ConfirmDialog,
  EmptyState,
  ErrorState,
  LoadMore,
  Skeleton,
} from '../../components/index.ts';
import { useUnsavedChangesGuard } from '../../components/useUnsavedChangesGuard.ts';
import { DriverDiagramEditor } from '../../components/driver-diagram/DriverDiagramEditor.tsx';
import { DriverDiagramView } from '../../components/driver-diagram/DriverDiagramView.tsx';
import { downloadDiagramJson } from '../../components/driver-diagram/export.ts';
import { KIND_NAMES, type DiagramContent } from '../../components/driver-diagram/model.ts';
import { formatDateTime, plural } from '../../lib/format.ts';
import { isConflict } from '../coalition/forms.ts';
import {
  contentOf,
  type DiagramComparison,
  type DiagramOwner,
  type DiagramRevisionSummary,
  sameContent,
} from './model.ts';
import {
  useChangeIdeaOptions,
  useDiagramComparison,
  useDiagramRevision,
  useDiagramRevisions,
  useDriverDiagram,
  useSaveDriverDiagram,
} from './queries.ts';
import '../../styles/planning.css';

export interface DiagramSectionProps {
  owner: DiagramOwner;
  networkId: string;
  canEdit: boolean;
  /** The section's heading. */
  title: string;
  /** The diagram's own title (its figure heading and the exports' title). */
  diagramTitle: string;
  /** A project linked to a charter: offers the comparison with the network's diagram. */
  charterId?: string | null;
  /** Shown under the heading. */
  lead?: string;
}

const changeIdeaHref = (id: string) => `/change-ideas/${id}`;

/** "Node 3 (“Phonics screening”): …" for the server's `/body/content/nodes/3/…` paths. */
function saveProblems(error: unknown, content: DiagramContent): string[] {
  if (!(error instanceof ApiError) || error.status !== 400) return [];
  return error.errors.map((e) => {
    const node = /^\/body\/content\/nodes\/(\d+)/.exec(e.path);
    const edge = /^\/body\/content\/edges\/(\d+)/.exec(e.path);
    if (node) {
      const n = content.nodes[Number(node[1])];
      return n ? `${KIND_NAMES[n.kind].one} “${n.label}”: ${e.message}` : e.message;
    }
    if (edge) {
      const ed = content.edges[Number(edge[1])];
      const label = (id: string | undefined) =>
        content.nodes.find((n) => n.id === id)?.label ?? id ?? '?';
      return ed ? `Link “${label(ed.from)}” → “${label(ed.to)}”: ${e.message}` : e.message;
    }
    return e.message;
  });
}

export function DiagramSection({
  owner,
  networkId,
  canEdit,
  title,
  diagramTitle,
  charterId,
  lead,
}: DiagramSectionProps) {
  const id = useId();
  const diagram = useDriverDiagram(owner);
  const ideas = useChangeIdeaOptions(networkId);
  const save = useSaveDriverDiagram(owner);
  const [draft, setDraft] = useState<DiagramContent | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [comparing, setComparing] = useState(false);
  const [viewing, setViewing] = useState<number | null>(null);
  const compare = useDiagramComparison(owner.id, comparing && owner.kind === 'project');
  const network = useDriverDiagram(
    comparing && charterId ? { kind: 'charter', id: charterId } : null,
  );

  const stored = useMemo(
    () => (diagram.data ? contentOf(diagram.data.data) : null),
    [diagram.data],
  );
  const editing = draft !== null;
  const dirty = draft !== null && stored !== null && !sameContent(draft, stored);
  const changeIdeas = useMemo(
    () => (ideas.data ?? []).map((c) => ({ id: c.id, title: c.title })),
    [ideas.data],
  );
  const compareWith = comparing && network.data ? contentOf(network.data.data) : undefined;

  // Leaving the page with unsaved changes asks first: reload, close, an in-app link or Back.
  useUnsavedChangesGuard(
    dirty,
    'The driver diagram has unsaved changes. Leave this page and lose them?',
  );

  const startEditing = () => {
    if (!stored) return;
    save.reset();
    setSaved(null);
    setDraft(stored);
  };
  const stopEditing = () => {
    save.reset();
    setDraft(null);
    setConfirmDiscard(false);
  };
  const onSave = () => {
    if (!draft || !diagram.data) return;
    setSaved(null);
    save.mutate(
      { content: draft, etag: diagram.data.etag ?? '"0"' },
      {
        onSuccess: (result) => {
          setDraft(contentOf(result.data));
          setSaved(`Saved: version ${result.data.version}.`);
        },
      },
    );
  };
  const reloadTheirs = async () => {
    save.reset();
    const fresh = await diagram.refetch();
    if (fresh.data) setDraft(contentOf(fresh.data.data));
  };

  const headingId = `${id}-heading`;
  const problems = draft ? saveProblems(save.error, draft) : [];
  const linkedIdeas = (draft ?? stored)?.nodes.filter(
    (n) => n.kind === 'change_idea' && n.change_idea_id,
  );

  return (
    <section className="section planning-diagram" aria-labelledby={headingId}>
      <div className="planning-section-header">
        <h2 id={headingId}>{title}</h2>
        <div className="planning-section-header__actions">
          {editing && dirty && (
            <Badge tone="warning">
              <span aria-hidden="true">●</span> Unsaved changes
            </Badge>
          )}
          {charterId && owner.kind === 'project' && (
            <Button aria-pressed={comparing} onClick={() => setComparing((c) => !c)}>
              Compare with the network’s diagram
            </Button>
          )}
          {canEdit && !editing && stored && (
            <Button variant="primary" onClick={startEditing}>
              Edit diagram
            </Button>
          )}
        </div>
      </div>
      {lead && <p className="section__lead">{lead}</p>}

      {diagram.isPending && <Skeleton lines={5} label="Loading the driver diagram…" />}
      {diagram.isError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the driver diagram"
          error={diagram.error}
          onRetry={() => diagram.refetch()}
          retrying={diagram.isFetching}
        />
      )}

      {comparing && <ComparisonSummary compare={compare} />}

      {stored && !editing && (
        <DriverDiagramView
          content={stored}
          title={diagramTitle}
          headingLevel={3}
          compareWith={compareWith}
          changeIdeas={changeIdeas}
          changeIdeaHref={changeIdeaHref}
        />
      )}

      {draft && (
        <>
          <DriverDiagramEditor
            content={draft}
            onChange={(next) => {
              setSaved(null);
              setDraft(next);
            }}
            changeIdeas={changeIdeas}
            compareWith={compareWith}
            title={diagramTitle}
            headingLevel={3}
          />
          <div className="planning-diagram__save" aria-live="polite">
            {isConflict(save.error) && (
              <div className="alert alert--warning" role="alert">
                <p className="alert__title">Someone else saved this diagram after you opened it.</p>
                <p>
                  Reloading shows their version and drops your changes: download yours first to keep
                  a copy.
                </p>
                <div className="alert__actions">
                  <Button
                    onClick={() => downloadDiagramJson(draft, `${diagramTitle} (my changes)`)}
                  >
                    Download my version (JSON)
                  </Button>
                  <Button
                    variant="primary"
                    onClick={reloadTheirs}
                    loading={diagram.isFetching}
                    loadingLabel="Reloading…"
                  >
                    Reload their version
                  </Button>
                </div>
              </div>
            )}
            {problems.length > 0 && (
              <div className="alert alert--error" role="alert">
                <p className="alert__title">The diagram was not saved</p>
                <ul>
                  {problems.map((p, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: messages may repeat
                    <li key={i}>{p}</li>
                  ))}
                </ul>
              </div>
            )}
            {save.error && !isConflict(save.error) && problems.length === 0 && (
              <ErrorState headingLevel={3} title="The diagram was not saved" error={save.error} />
            )}
            <div role="status">
              {saved && !dirty && <div className="alert alert--success">{saved}</div>}
            </div>
            <div className="form-actions">
              <Button
                variant="primary"
                onClick={onSave}
                loading={save.isPending}
                loadingLabel="Saving…"
                aria-disabled={!dirty || undefined}
              >
                Save diagram
              </Button>
              {dirty ? (
                <Button onClick={() => setConfirmDiscard(true)}>Discard changes…</Button>
              ) : (
                <Button onClick={stopEditing}>Close the editor</Button>
              )}
              <span className="card__meta">
                {dirty ? 'Changes are not saved yet.' : 'No unsaved changes.'}
              </span>
            </div>
          </div>
        </>
      )}

      {linkedIdeas && linkedIdeas.length > 0 && (
        <div className="planning-linked-ideas">
          <h3>Change ideas in the library</h3>
          <ul>
            {linkedIdeas.map((n) => (
              <li key={n.id}>
                <Link to={changeIdeaHref(n.change_idea_id as string)}>
                  {changeIdeas.find((c) => c.id === n.change_idea_id)?.title ?? n.label}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      )}

      {stored && (
        <Revisions
          owner={owner}
          current={diagram.data?.data.version ?? 0}
          viewing={viewing}
          onView={setViewing}
          onUse={
            editing
              ? (content) => {
                  setDraft(content);
                  setViewing(null);
                }
              : undefined
          }
        />
      )}

      <ConfirmDialog
        open={confirmDiscard}
        title="Discard your changes to the diagram?"
        confirmLabel="Discard changes"
        onCancel={() => setConfirmDiscard(false)}
        onConfirm={stopEditing}
      >
        <p>The diagram goes back to the last saved version. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}

function ComparisonSummary({ compare }: { compare: ReturnType<typeof useDiagramComparison> }) {
  if (compare.isPending) return <Skeleton lines={2} label="Comparing the diagrams…" />;
  if (compare.isError)
    return (
      <ErrorState
        headingLevel={3}
        title="Could not compare with the network’s diagram"
        error={compare.error}
        onRetry={() => compare.refetch()}
      />
    );
  const c: DiagramComparison = compare.data;
  const nodeLabel = (n: { kind: string; label: string }) =>
    `${KIND_NAMES[n.kind as keyof typeof KIND_NAMES]?.one ?? n.kind}: ${n.label}`;
  return (
    <div className="planning-compare card" role="status">
      <h3>Compared with the network’s diagram</h3>
      <p>
        {plural(c.nodes.both.length, 'item')} in both ·{' '}
        {plural(c.nodes.only_project.length, 'item')} only in this project ·{' '}
        {plural(c.nodes.only_network.length, 'item')} only in the network’s diagram. Items only in
        this project are drawn dashed.
      </p>
      <div className="planning-compare__lists">
        <div>
          <h4>Only in this project</h4>
          {c.nodes.only_project.length === 0 ? (
            <p className="card__meta">Nothing: every item is also in the network’s diagram.</p>
          ) : (
            <ul>
              {c.nodes.only_project.map((n, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: labels may repeat
                <li key={i}>{nodeLabel(n)}</li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h4>Only in the network’s diagram</h4>
          {c.nodes.only_network.length === 0 ? (
            <p className="card__meta">Nothing: the project keeps every network item.</p>
          ) : (
            <ul>
              {c.nodes.only_network.map((n, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: labels may repeat
                <li key={i}>{nodeLabel(n)}</li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </div>
  );
}

function countsOf(r: DiagramRevisionSummary): string {
  const n = r.node_counts;
  return `${plural(n.primary, 'primary driver')}, ${plural(n.secondary, 'secondary driver')}, ${plural(n.change_idea, 'change idea')}`;
}

function Revisions({
  owner,
  current,
  viewing,
  onView,
  onUse,
}: {
  owner: DiagramOwner;
  current: number;
  viewing: number | null;
  onView: (version: number | null) => void;
  onUse: ((content: DiagramContent) => void) | undefined;
}) {
  const [open, setOpen] = useState(false);
  const revisions = useDiagramRevisions(owner, open);
  const rows = revisions.data?.pages.flatMap((p) => p.items) ?? [];
  const revision = useDiagramRevision(owner, viewing);
  return (
    <details
      className="planning-revisions"
      onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
    >
      <summary>Earlier versions</summary>
      {revisions.isPending && open && <Skeleton lines={2} label="Loading the versions…" />}
      {revisions.isError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the versions"
          error={revisions.error}
          onRetry={() => revisions.refetch()}
        />
      )}
      {revisions.isSuccess && rows.length === 0 && (
        <EmptyState title="No saved versions yet" headingLevel={3} compact>
          <p>Each save keeps a version here, so earlier diagrams can be looked at again.</p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <ol className="planning-revisions__list">
          {rows.map((r) => (
            <li key={r.version}>
              <span>
                <strong>Version {r.version}</strong>
                {r.version === current && <Badge tone="accent">Current</Badge>}{' '}
                <span className="card__meta">
                  {formatDateTime(r.saved_at)}
                  {r.saved_by_name ? ` by ${r.saved_by_name}` : ''} · {countsOf(r)}
                </span>
              </span>
              <Button
                variant="ghost"
                aria-pressed={viewing === r.version}
                onClick={() => onView(viewing === r.version ? null : r.version)}
              >
                {viewing === r.version ? 'Hide' : 'View'}
                <span className="visually-hidden"> version {r.version}</span>
              </Button>
            </li>
          ))}
        </ol>
      )}
      {revisions.hasNextPage && (
        <LoadMore
          shownLabel={plural(rows.length, 'version')}
          hasMore={revisions.hasNextPage}
          loading={revisions.isFetchingNextPage}
          onLoadMore={() => revisions.fetchNextPage()}
          buttonLabel="Load earlier versions"
        />
      )}
      {viewing !== null && (
        <div className="planning-revisions__view">
          {revision.isPending && <Skeleton lines={3} label={`Loading version ${viewing}…`} />}
          {revision.isError && (
            <ErrorState
              headingLevel={3}
              title="Could not load the version"
              error={revision.error}
            />
          )}
          {revision.data && (
            <>
              <DriverDiagramView
                content={contentOf(revision.data)}
                title={`Version ${revision.data.version}`}
                headingLevel={3}
                exports={false}
                changeIdeaHref={changeIdeaHref}
              />
              <div className="form-actions">
                {onUse && (
                  <Button onClick={() => revision.data && onUse(contentOf(revision.data))}>
                    Start from this version
                  </Button>
                )}
                <Button variant="ghost" onClick={() => onView(null)}>
                  Close version {revision.data.version}
                </Button>
              </div>
            </>
          )}
        </div>
      )}
    </details>
  );
}
