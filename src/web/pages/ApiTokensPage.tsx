import { type FormEvent, type RefObject, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import {
  Badge,
  Button,
  type Column,
  ConfirmDialog,
  CopyField,
  EmptyState,
  ErrorState,
  LoadMore,
  RadioGroup,
  Select,
  Skeleton,
  Table,
  TextField,
} from '../components/index.ts';
import {
  type ApiToken,
  type CreatedApiToken,
  EMPTY_TOKEN_FORM,
  EXPIRY_OPTIONS,
  isExpired,
  isExpiryChoice,
  SCOPE_LABELS,
  SCOPE_OPTIONS,
  TOKEN_NAME_MAX,
  type TokenFormValues,
  tokenBodyOf,
  validateTokenForm,
} from '../features/accounts/model.ts';
import { RequireSignIn } from '../features/accounts/RequireSignIn.tsx';
import { useFocusAfterDialog } from '../lib/hooks.ts';
import {
  useCreateApiToken,
  useMyApiTokens,
  useRevokeApiToken,
} from '../features/accounts/queries.ts';
import { formatDateTime, plural } from '../lib/format.ts';
import { Page } from '../layout/Page.tsx';

const BREADCRUMBS = [{ to: '/profile', label: 'Profile' }];

export default function ApiTokensPage() {
  return (
    <RequireSignIn heading="API tokens" next="/profile/tokens" what="your personal API tokens">
      {() => <ApiTokens />}
    </RequireSignIn>
  );
}

function ApiTokens() {
  const create = useCreateApiToken();
  const nameRef = useRef<HTMLInputElement>(null);
  return (
    <Page
      heading="API tokens"
      breadcrumbs={BREADCRUMBS}
      lead={
        <>
          A personal API token lets a script, a spreadsheet or another system use the{' '}
          <a href="/api/docs">Tandem API</a> as you, without your password. Send it in the{' '}
          <code>Authorization: Bearer …</code> header. Give each tool its own token with only the
          access it needs, and revoke it when the tool no longer needs it.
        </>
      }
    >
      {create.data && <NewTokenSecret created={create.data} onDone={() => create.reset()} />}
      <TokenList onCreateFirst={() => nameRef.current?.focus()} />
      <CreateTokenForm create={create} nameRef={nameRef} />
    </Page>
  );
}

/** The secret of the token just created: shown once, here, and never again. */
function NewTokenSecret({ created, onDone }: { created: CreatedApiToken; onDone: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Take the keyboard (and a screen reader) straight to the secret.
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <section className="alert alert--warning new-token" aria-labelledby="new-token-heading">
      <h2 id="new-token-heading" ref={headingRef} tabIndex={-1} className="new-token__title">
        Copy your new token now
      </h2>
      <p>
        <strong>This is the only time Tandem shows this token.</strong> Store it somewhere safe,
        such as a password manager or your tool&rsquo;s secret settings. If you lose it, revoke it
        and create another. Anyone who has it can use Tandem as you
        {created.scope === 'read' ? ', read-only' : ''}.
      </p>
      <CopyField label={`Token “${created.name}”`} value={created.token} what="token" />
      <p className="card__meta">
        {SCOPE_LABELS[created.scope]} ·{' '}
        {created.expires_at ? `expires ${formatDateTime(created.expires_at)}` : 'never expires'}
      </p>
      <div className="alert__actions">
        <Button variant="primary" onClick={onDone}>
          I have stored it — hide the token
        </Button>
      </div>
    </section>
  );
}

function TokenList({ onCreateFirst }: { onCreateFirst: () => void }) {
  const tokens = useMyApiTokens();
  const revoke = useRevokeApiToken();
  const [confirming, setConfirming] = useState<ApiToken | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusHeading = useFocusAfterDialog(headingRef, confirming !== null);
  const rows = tokens.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: Column<ApiToken>[] = [
    {
      key: 'name',
      header: 'Name',
      rowHeader: true,
      className: 'table__cell--primary',
      cell: (t) => t.name,
    },
    {
      key: 'scope',
      header: 'Access',
      className: 'table__cell--nowrap',
      cell: (t) =>
        t.scope === 'read' ? (
          <Badge>
            <span aria-hidden="true">◯</span> {SCOPE_LABELS.read}
          </Badge>
        ) : (
          <Badge tone="warning">
            <span aria-hidden="true">✎</span> {SCOPE_LABELS.read_write}
          </Badge>
        ),
    },
    {
      key: 'created_at',
      header: 'Created',
      className: 'table__cell--date',
      cell: (t) => formatDateTime(t.created_at),
    },
    {
      key: 'expires_at',
      header: 'Expires',
      className: 'table__cell--date',
      cell: (t) =>
        t.expires_at === null ? (
          'Never'
        ) : isExpired(t) ? (
          <Badge tone="danger">Expired {formatDateTime(t.expires_at)}</Badge>
        ) : (
          formatDateTime(t.expires_at)
        ),
    },
    {
      key: 'last_used_at',
      header: 'Last used',
      className: 'table__cell--date',
      cell: (t) =>
        t.last_used_at ? (
          formatDateTime(t.last_used_at)
        ) : (
          <span className="card__meta">Never used</span>
        ),
    },
    {
      key: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      className: 'table__cell--actions',
      cell: (t) => (
        <Button
          onClick={() => {
            revoke.reset();
            setDone(null);
            setConfirming(t);
          }}
        >
          {/* One span: the button is a flex box, and each child would get a gap. */}
          <span>
            Revoke<span className="visually-hidden"> {t.name}</span>…
          </span>
        </Button>
      ),
    },
  ];

  return (
    <section className="section" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading" ref={headingRef} tabIndex={-1}>
        Your tokens
      </h2>
      <div role="status">{done && <div className="alert alert--success">{done}</div>}</div>
      {tokens.isPending && <Skeleton lines={3} label="Loading your API tokens…" />}
      {tokens.isError && (
        <ErrorState
          headingLevel={3}
          title="Could not load your API tokens"
          error={tokens.error}
          onRetry={() => tokens.refetch()}
          retrying={tokens.isFetching}
        />
      )}
      {tokens.isSuccess && rows.length === 0 && (
        <EmptyState
          title="No API tokens yet"
          headingLevel={3}
          icon="◇"
          action={
            <Button variant="primary" onClick={onCreateFirst}>
              Create your first token
            </Button>
          }
        >
          <p>
            Tokens you create are listed here with what they may do, when they expire and when they
            were last used. A good first token is a <strong>read-only</strong> one for a report or a
            spreadsheet that pulls your coalition&rsquo;s data; it expires in 90 days unless you
            choose otherwise.
          </p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <>
          <Table
            caption="API tokens"
            captionNote="newest first"
            columns={columns}
            rows={rows}
            rowKey={(t) => t.id}
            busy={tokens.isFetching}
          />
          {(tokens.hasNextPage || rows.length > 10) && (
            <LoadMore
              shownLabel={plural(rows.length, 'token')}
              hasMore={tokens.hasNextPage}
              loading={tokens.isFetchingNextPage}
              onLoadMore={() => tokens.fetchNextPage()}
              buttonLabel="Load more tokens"
            />
          )}
        </>
      )}

      <ConfirmDialog
        open={confirming !== null}
        title={confirming ? `Revoke “${confirming.name}”?` : 'Revoke token?'}
        confirmLabel="Revoke token"
        busyLabel="Revoking…"
        busy={revoke.isPending}
        error={
          revoke.error ? (
            <ErrorState
              error={revoke.error}
              headingLevel={3}
              title={
                revoke.error instanceof ApiError && revoke.error.status === 404
                  ? 'This token was already revoked'
                  : 'Could not revoke the token'
              }
            />
          ) : undefined
        }
        onCancel={() => {
          setConfirming(null);
          if (revoke.error instanceof ApiError && revoke.error.status === 404) tokens.refetch();
          revoke.reset();
        }}
        onConfirm={() => {
          if (!confirming) return;
          const token = confirming;
          revoke.mutate(token.id, {
            onSuccess: () => {
              setConfirming(null);
              setDone(`Revoked “${token.name}”. Anything still using it is now refused.`);
              // The row (and the button that had focus) is gone: continue from the heading.
              focusHeading();
            },
          });
        }}
      >
        <p>
          Anything that uses this token — a script, a spreadsheet, another system — will be refused
          from its next request. This cannot be undone; you can create a new token instead.
        </p>
      </ConfirmDialog>
    </section>
  );
}

const FIELDS = ['name', 'scope', 'expires_in_days'] as const;

function CreateTokenForm({
  create,
  nameRef,
}: {
  create: ReturnType<typeof useCreateApiToken>;
  nameRef: RefObject<HTMLInputElement | null>;
}) {
  const [values, setValues] = useState<TokenFormValues>(EMPTY_TOKEN_FORM);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  const serverErrors =
    create.error instanceof ApiError && create.error.status === 400
      ? create.error.fieldErrors()
      : {};
  const errors = { ...serverErrors, ...clientErrors };
  const explained = FIELDS.some((f) => errors[f]);
  const unexplained = create.isError && !explained ? create.error : undefined;

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when a submit's errors arrive
  useEffect(() => {
    if (attempt === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt, create.error]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateTokenForm(values);
    setClientErrors(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length > 0) return;
    create.mutate(tokenBodyOf(values), {
      onSuccess: () => {
        setValues(EMPTY_TOKEN_FORM);
        setAttempt(0);
      },
    });
  };

  return (
    <section className="section" aria-labelledby="create-token-heading">
      <div className="card form-card">
        <h2 id="create-token-heading">Create a token</h2>
        <form ref={formRef} onSubmit={submit} noValidate aria-busy={create.isPending || undefined}>
          <TextField
            ref={nameRef}
            label="Name"
            name="name"
            hint="What will use it, so that you recognise it later: “Monthly attendance export”."
            autoComplete="off"
            maxLength={TOKEN_NAME_MAX}
            value={values.name}
            onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))}
            error={errors.name}
          />
          <RadioGroup
            label="Access"
            name="scope"
            options={SCOPE_OPTIONS}
            value={values.scope}
            onChange={(scope) => setValues((v) => ({ ...v, scope }))}
            error={errors.scope}
          />
          <Select
            label="Expires after"
            name="expiry"
            hint="After this the token stops working. A token that never expires is riskier: revoke it yourself when it is no longer used."
            options={EXPIRY_OPTIONS}
            value={values.expiry}
            onChange={(e) => {
              const expiry = e.target.value;
              if (isExpiryChoice(expiry)) setValues((v) => ({ ...v, expiry }));
            }}
            error={errors.expires_in_days}
          />
          {unexplained !== undefined && (
            <ErrorState error={unexplained} headingLevel={3} title="Could not create the token" />
          )}
          <div className="form-actions">
            <Button
              type="submit"
              variant="primary"
              loading={create.isPending}
              loadingLabel="Creating…"
            >
              Create token
            </Button>
          </div>
        </form>
      </div>
    </section>
  );
}
