import { type FormEvent, useRef, useState } from 'react';
import {
  Button,
  type Column,
  ConfirmDialog,
  EmptyState,
  ErrorState,
  LoadMore,
  Skeleton,
  Table,
} from '../../components/index.ts';
import { ApiError } from '../../api/client.ts';
import { formatDateTime, plural } from '../../lib/format.ts';
import { type Attachment, formatBytes, type PdsaTransition } from './model.ts';
import { StateBadge } from './parts.tsx';
import {
  useAttachments,
  useDeleteAttachment,
  usePdsaTransitions,
  useUploadAttachment,
} from './queries.ts';

/** Every move of the cycle: who, when, from → to, and the reason given for going back. */
export function TransitionLog({ cycleId }: { cycleId: string }) {
  const log = usePdsaTransitions(cycleId);
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const columns: Column<PdsaTransition>[] = [
    {
      key: 'when',
      header: 'When',
      className: 'table__cell--date',
      cell: (t) => <time dateTime={t.occurred_at}>{formatDateTime(t.occurred_at)}</time>,
    },
    { key: 'who', header: 'Who', cell: (t) => t.actor?.display_name ?? 'A deleted account' },
    {
      key: 'move',
      header: 'Move',
      rowHeader: true,
      className: 'table__cell--nowrap',
      cell: (t) => (
        <span className="badge-row">
          <StateBadge state={t.from} />
          <span aria-hidden="true">→</span>
          <span className="visually-hidden">to</span>
          <StateBadge state={t.to} />
        </span>
      ),
    },
    {
      key: 'reason',
      header: 'Reason',
      cell: (t) => t.reason || <span className="card__meta">—</span>,
    },
  ];
  return (
    <section className="section" aria-labelledby="pdsa-log-heading">
      <h2 id="pdsa-log-heading">Transition log</h2>
      {log.isPending && <Skeleton lines={2} label="Loading the transition log…" />}
      {log.isError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the transition log"
          error={log.error}
          onRetry={() => log.refetch()}
        />
      )}
      {log.isSuccess && rows.length === 0 && (
        <p className="section__lead">
          No moves yet: the cycle is still being planned. Each move (Plan → Do → Study → Act →
          Completed, or a step back with its reason) is recorded here.
        </p>
      )}
      {rows.length > 0 && (
        <>
          <Table
            caption="Moves of this cycle"
            captionNote="oldest first"
            columns={columns}
            rows={rows}
            rowKey={(t) => t.id}
          />
          {log.hasNextPage && (
            <LoadMore
              shownLabel={plural(rows.length, 'move')}
              hasMore={log.hasNextPage}
              loading={log.isFetchingNextPage}
              onLoadMore={() => log.fetchNextPage()}
            />
          )}
        </>
      )}
    </section>
  );
}

/** Files attached to the cycle: photos of student work, data sheets, notes. */
export function AttachmentsSection({
  cycleId,
  canEdit,
  completed,
}: {
  cycleId: string;
  canEdit: boolean;
  completed: boolean;
}) {
  const list = useAttachments(cycleId);
  const upload = useUploadAttachment(cycleId);
  const remove = useDeleteAttachment(cycleId);
  const [file, setFile] = useState<File | null>(null);
  const [uploaded, setUploaded] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Attachment | null>(null);
  const [chooseError, setChooseError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const writable = canEdit && !completed;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setUploaded(null);
    if (!file) {
      setChooseError('Choose a file to attach.');
      inputRef.current?.focus();
      return;
    }
    setChooseError(null);
    upload.mutate(file, {
      onSuccess: (a) => {
        setUploaded(`Attached ${a.filename} (${formatBytes(a.size_bytes)}).`);
        setFile(null);
        if (inputRef.current) inputRef.current.value = '';
      },
    });
  };

  const columns: Column<Attachment>[] = [
    {
      key: 'name',
      header: 'File',
      rowHeader: true,
      className: 'table__cell--primary',
      cell: (a) => (
        <a href={a.download_url} download={a.filename}>
          {a.filename}
          <span className="visually-hidden"> (download)</span>
        </a>
      ),
    },
    {
      key: 'size',
      header: 'Size',
      className: 'table__cell--nowrap',
      cell: (a) => formatBytes(a.size_bytes),
    },
    {
      key: 'added',
      header: 'Added',
      className: 'table__cell--date',
      cell: (a) => <time dateTime={a.created_at}>{formatDateTime(a.created_at)}</time>,
    },
    ...(writable
      ? [
          {
            key: 'actions',
            header: <span className="visually-hidden">Actions</span>,
            className: 'table__cell--actions',
            cell: (a: Attachment) => (
              <Button
                variant="ghost"
                onClick={() => {
                  remove.reset();
                  setDeleting(a);
                }}
              >
                Delete<span className="visually-hidden"> {a.filename}</span>…
              </Button>
            ),
          },
        ]
      : []),
  ];

  const fileError =
    chooseError ??
    (upload.error instanceof ApiError
      ? (upload.error.problem.detail ?? upload.error.problem.title)
      : upload.error
        ? String(upload.error)
        : null);

  return (
    <section className="section" aria-labelledby="pdsa-files-heading">
      <h2 id="pdsa-files-heading" ref={headingRef} tabIndex={-1}>
        Attachments
      </h2>
      {list.isPending && <Skeleton lines={2} label="Loading the attachments…" />}
      {list.isError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the attachments"
          error={list.error}
          onRetry={() => list.refetch()}
        />
      )}
      {list.isSuccess && rows.length === 0 && (
        <EmptyState headingLevel={3} compact icon="○" title="No files attached">
          <p>
            Attach what the test produced: photos of student work, a tally sheet, the notes of a
            debrief.
          </p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <Table
          caption="Attached files"
          captionNote="oldest first"
          columns={columns}
          rows={rows}
          rowKey={(a) => a.id}
        />
      )}
      {list.hasNextPage && (
        <LoadMore
          shownLabel={plural(rows.length, 'file')}
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          onLoadMore={() => list.fetchNextPage()}
        />
      )}
      {writable && (
        <form className="pdsa-upload" onSubmit={submit} noValidate>
          <div className="field">
            <label className="field__label" htmlFor="pdsa-file">
              Attach a file
            </label>
            <div className="field__hint" id="pdsa-file-hint">
              Any type, up to the server’s size limit (10 MB unless your hub changed it).
            </div>
            <input
              ref={inputRef}
              id="pdsa-file"
              type="file"
              className="input"
              aria-describedby={
                fileError ? 'pdsa-file-hint pdsa-file-error' : 'pdsa-file-hint pdsa-file-size'
              }
              aria-invalid={fileError ? true : undefined}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setChooseError(null);
                upload.reset();
              }}
            />
            {file && (
              <div className="field__hint" id="pdsa-file-size">
                {file.name}: {formatBytes(file.size)}
              </div>
            )}
            {fileError && (
              <div className="field__error" id="pdsa-file-error">
                {fileError}
              </div>
            )}
          </div>
          <Button type="submit" loading={upload.isPending} loadingLabel="Uploading…">
            Upload
          </Button>
        </form>
      )}
      {canEdit && completed && (
        <p className="card__meta">The cycle is completed: reopen it to add or remove files.</p>
      )}
      <div role="status">{uploaded && <div className="alert alert--success">{uploaded}</div>}</div>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.filename ?? 'the file'}?`}
        confirmLabel="Delete file"
        busyLabel="Deleting…"
        busy={remove.isPending}
        error={
          remove.error ? (
            <ErrorState error={remove.error} headingLevel={3} title="Could not delete the file" />
          ) : undefined
        }
        onCancel={() => setDeleting(null)}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting, {
            onSuccess: (a) => {
              setDeleting(null);
              setUploaded(`Deleted ${a.filename}.`);
              requestAnimationFrame(() => headingRef.current?.focus());
            },
          })
        }
      >
        <p>The file is removed from this cycle for everyone. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}
