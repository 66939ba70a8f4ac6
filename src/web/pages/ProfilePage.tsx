import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/client.ts';
import {
  Badge,
  Button,
  ButtonLink,
  type Column,
  ConfirmDialog,
  ErrorState,
  LoadMore,
  Skeleton,
  Table,
} from '../components/index.ts';
import {
  describeUserAgent,
  type Me,
  type Session,
  SIGN_IN_PATH,
} from '../features/accounts/model.ts';
import { NameSection, PasswordSection } from '../features/accounts/ProfileForms.tsx';
import { RequireSignIn } from '../features/accounts/RequireSignIn.tsx';
import { useForgetUser, useMySessions, useRevokeSession } from '../features/accounts/queries.ts';
import { formatDateTime, plural } from '../lib/format.ts';
import { useFocusAfterDialog } from '../lib/hooks.ts';
import { Page } from '../layout/Page.tsx';

export default function ProfilePage() {
  return (
    <RequireSignIn
      heading="Profile"
      next="/profile"
      what="your account and where you are signed in"
    >
      {(me) => <Profile me={me} />}
    </RequireSignIn>
  );
}

function Profile({ me }: { me: Me }) {
  return (
    <Page
      heading="Profile"
      lead="Your account, your name and password, and the browsers where you are signed in to Tandem."
      actions={<ButtonLink to="/profile/tokens">API tokens</ButtonLink>}
    >
      <section className="card profile-card" aria-labelledby="account-heading">
        <h2 id="account-heading">Account</h2>
        <dl className="details">
          <dt>Name</dt>
          <dd data-testid="profile-name">{me.display_name}</dd>
          <dt>Email address</dt>
          <dd>{me.email}</dd>
          <dt>Role</dt>
          <dd>
            {me.is_admin ? (
              <Badge tone="accent">
                <span aria-hidden="true">★</span> Administrator
              </Badge>
            ) : (
              <Badge>Member</Badge>
            )}
            <span className="card__meta profile-card__role-help">
              {me.is_admin
                ? 'Administrators can manage accounts and settings for the whole coalition.'
                : 'Members work in the teams and networks they belong to.'}
            </span>
          </dd>
        </dl>
        <p className="card__meta">
          Changing your email address is not available in this version of Tandem yet; ask an
          administrator.
        </p>
      </section>
      <NameSection me={me} />
      <PasswordSection me={me} />
      <Sessions />
    </Page>
  );
}

function Sessions() {
  const sessions = useMySessions();
  const revoke = useRevokeSession();
  const forgetUser = useForgetUser();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState<Session | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusHeading = useFocusAfterDialog(headingRef, confirming !== null);
  const rows = sessions.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: Column<Session>[] = [
    {
      key: 'browser',
      header: 'Browser',
      rowHeader: true,
      className: 'table__cell--primary',
      cell: (s) => (
        <>
          {describeUserAgent(s.user_agent)}
          {s.current && (
            <>
              {' '}
              <Badge tone="success">
                <span aria-hidden="true">●</span> This browser
              </Badge>
            </>
          )}
        </>
      ),
    },
    {
      key: 'created_at',
      header: 'Signed in',
      className: 'table__cell--date',
      cell: (s) => formatDateTime(s.created_at),
    },
    {
      key: 'last_seen_at',
      header: 'Last active',
      className: 'table__cell--date',
      cell: (s) => formatDateTime(s.last_seen_at),
    },
    {
      key: 'expires_at',
      header: 'Expires',
      className: 'table__cell--date',
      cell: (s) => formatDateTime(s.expires_at),
    },
    {
      key: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      className: 'table__cell--actions',
      cell: (s) => (
        <Button
          onClick={() => {
            revoke.reset();
            setDone(null);
            setConfirming(s);
          }}
        >
          {/* One span: the button is a flex box, and each child would get a gap. */}
          <span>
            Sign out
            <span className="visually-hidden">
              {' '}
              {s.current
                ? 'this browser'
                : `${describeUserAgent(s.user_agent)}, signed in ${formatDateTime(s.created_at)}`}
            </span>
            …
          </span>
        </Button>
      ),
    },
  ];

  const confirm = () => {
    if (!confirming) return;
    const session = confirming;
    revoke.mutate(session, {
      onSuccess: () => {
        setConfirming(null);
        if (session.current) {
          navigate(SIGN_IN_PATH, {
            state: { notice: 'You have signed out of this browser.' },
          });
          forgetUser();
          return;
        }
        setDone(
          `Signed out ${describeUserAgent(session.user_agent)}, signed in ${formatDateTime(session.created_at)}.`,
        );
        // The row (and the button that had focus) is gone: continue from the section heading.
        focusHeading();
      },
    });
  };

  const others = rows.filter((s) => !s.current).length;

  return (
    <section className="section" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" ref={headingRef} tabIndex={-1}>
        Active sessions
      </h2>
      <p className="section__lead">
        Each browser where you signed in to Tandem. If you see one you do not recognise, or you
        signed in on a shared or lost computer, sign it out. Sessions end by themselves after 30
        days.
      </p>
      <div role="status">{done && <div className="alert alert--success">{done}</div>}</div>
      {sessions.isPending && <Skeleton lines={3} label="Loading your sessions…" />}
      {sessions.isError && (
        <ErrorState
          headingLevel={3}
          title="Could not load your sessions"
          error={sessions.error}
          onRetry={() => sessions.refetch()}
          retrying={sessions.isFetching}
        />
      )}
      {rows.length > 0 && (
        <>
          <Table
            caption="Sessions"
            captionNote={
              others === 0
                ? 'only this browser'
                : `this browser and ${plural(others, 'other')}, newest first`
            }
            columns={columns}
            rows={rows}
            rowKey={(s) => s.id}
            busy={sessions.isFetching}
          />
          {(sessions.hasNextPage || rows.length > 10) && (
            <LoadMore
              shownLabel={plural(rows.length, 'session')}
              hasMore={sessions.hasNextPage}
              loading={sessions.isFetchingNextPage}
              onLoadMore={() => sessions.fetchNextPage()}
              buttonLabel="Load more sessions"
            />
          )}
        </>
      )}

      <ConfirmDialog
        open={confirming !== null}
        title={confirming?.current ? 'Sign out of this browser?' : 'Sign out this session?'}
        confirmLabel={confirming?.current ? 'Sign out' : 'Sign out session'}
        busyLabel="Signing out…"
        busy={revoke.isPending}
        error={
          revoke.error ? (
            <ErrorState
              error={revoke.error}
              headingLevel={3}
              title={
                revoke.error instanceof ApiError && revoke.error.status === 404
                  ? 'That session has already ended'
                  : 'Could not sign out the session'
              }
            />
          ) : undefined
        }
        onCancel={() => {
          setConfirming(null);
          revoke.reset();
          if (revoke.error instanceof ApiError && revoke.error.status === 404) sessions.refetch();
        }}
        onConfirm={confirm}
      >
        {confirming?.current ? (
          <p>You will need to sign in again to use your account in this browser.</p>
        ) : (
          confirming && (
            <p>
              {describeUserAgent(confirming.user_agent)}, signed in{' '}
              {formatDateTime(confirming.created_at)} and last active{' '}
              {formatDateTime(confirming.last_seen_at)}, will be signed out at once. Whoever uses it
              will need your password to sign in again.
            </p>
          )
        )}
      </ConfirmDialog>
    </section>
  );
}
