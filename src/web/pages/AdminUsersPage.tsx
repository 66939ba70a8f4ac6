import {
  type FormEvent,
  type ReactNode,
  type RefObject,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { useSearchParams } from 'react-router';
import {
  Badge,
  Button,
  ButtonLink,
  type Column,
  ConfirmDialog,
  Dialog,
  EmptyState,
  ErrorState,
  LoadMore,
  RadioGroup,
  Skeleton,
  Table,
  TextField,
} from '../components/index.ts';
import type { Me } from '../features/accounts/model.ts';
import { RequireSignIn } from '../features/accounts/RequireSignIn.tsx';
import { AdminOnly } from '../features/admin/AdminOnly.tsx';
import { DISPLAY_NAME_MAX, type User, validateDisplayName } from '../features/admin/model.ts';
import { useDeleteUser, useUpdateUser, useUserList } from '../features/admin/queries.ts';
import {
  formErrors,
  isConflict,
  isStatus,
  useFocusFirstInvalid,
} from '../features/coalition/forms.ts';
import {
  asRole,
  COALITION_ROLE_OPTIONS,
  type CoalitionRole,
  isCoalitionRole,
  type Membership,
  roleInScope,
  validateEmail,
} from '../features/coalition/model.ts';
import {
  useCreateMembership,
  useDeleteMembership,
  useMembershipList,
  useUpdateMembershipRole,
} from '../features/coalition/queries.ts';
import { plural } from '../lib/format.ts';
import { useDebouncedValue, useFocusAfterDialog } from '../lib/hooks.ts';
import { Page } from '../layout/Page.tsx';

export default function AdminUsersPage() {
  return (
    <RequireSignIn
      heading="Users and roles"
      next="/admin/users"
      what="the accounts of this Tandem instance and the coalition-wide roles"
    >
      {(me) =>
        me.is_admin ? (
          <UsersAndRoles me={me} />
        ) : (
          <AdminOnly heading="Users and roles" what="manage accounts and coalition-wide roles" />
        )
      }
    </RequireSignIn>
  );
}

function UsersAndRoles({ me }: { me: Me }) {
  return (
    <Page
      heading="Users and roles"
      lead="Everyone with an account on this Tandem instance, who is an instance admin, and who holds a role across the whole coalition. Roles in one network or team are managed on its page."
      actions={<ButtonLink to="/admin/audit">Audit log</ButtonLink>}
    >
      <Users me={me} />
      <CoalitionRoles me={me} />
    </Page>
  );
}

type UserAction = { kind: 'rename' | 'grant' | 'revoke' | 'delete'; user: User };

const CONFLICT_TEXT =
  'Someone else changed this account since the list was loaded. Reload the list to see it as it is now, then try again.';

function Users({ me }: { me: Me }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const q = searchParams.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const debounced = useDebouncedValue(search.trim(), 300);
  useEffect(() => {
    if (debounced === q) return;
    setSearchParams(
      (params) => {
        if (debounced) params.set('q', debounced);
        else params.delete('q');
        return params;
      },
      { replace: true },
    );
  }, [debounced, q, setSearchParams]);

  const users = useUserList(q);
  const update = useUpdateUser();
  const remove = useDeleteUser();
  const [action, setAction] = useState<UserAction | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusHeading = useFocusAfterDialog(headingRef, action !== null);
  const rows = users.data?.pages.flatMap((p) => p.items) ?? [];

  const start = (kind: UserAction['kind'], user: User) => {
    update.reset();
    remove.reset();
    setDone(null);
    setAction({ kind, user });
  };
  const finish = (message: string) => {
    setAction(null);
    setDone(message);
    focusHeading();
  };
  const cancel = () => {
    const error = update.error ?? remove.error;
    setAction(null);
    update.reset();
    remove.reset();
    if (isConflict(error) || isStatus(error, 404)) users.refetch();
  };
  const reloadAfterConflict = async () => {
    setAction(null);
    update.reset();
    remove.reset();
    await users.refetch();
  };

  const columns: Column<User>[] = [
    {
      key: 'name',
      header: 'Name',
      rowHeader: true,
      className: 'table__cell--primary',
      cell: (u) => (
        <>
          {u.display_name}
          {u.id === me.id && (
            <>
              {' '}
              <Badge tone="accent">You</Badge>
            </>
          )}
        </>
      ),
    },
    { key: 'email', header: 'Email', cell: (u) => u.email },
    {
      key: 'admin',
      header: 'Instance admin',
      className: 'table__cell--nowrap',
      cell: (u) =>
        u.is_admin ? (
          <Badge tone="accent">
            <span aria-hidden="true">★</span> Admin
          </Badge>
        ) : (
          <span className="card__meta">No</span>
        ),
    },
    {
      key: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      className: 'table__cell--actions',
      cell: (u) => (
        <div className="row-actions">
          <Button onClick={() => start('rename', u)}>
            <span>
              Rename<span className="visually-hidden"> {u.display_name}</span>…
            </span>
          </Button>
          <Button onClick={() => start(u.is_admin ? 'revoke' : 'grant', u)}>
            <span>
              {u.is_admin ? 'Remove admin' : 'Make admin'}
              <span className="visually-hidden">
                {u.is_admin ? ` rights of ${u.display_name}` : `: ${u.display_name}`}
              </span>
              …
            </span>
          </Button>
          <Button
            variant="ghost"
            className="button--danger-text"
            onClick={() => start('delete', u)}
          >
            <span>
              Delete<span className="visually-hidden"> the account of {u.display_name}</span>…
            </span>
          </Button>
        </div>
      ),
    },
  ];

  const user = action?.user;
  const conflict = isConflict(update.error) || isConflict(remove.error);
  const conflictNotice = (
    <>
      <p>{CONFLICT_TEXT}</p>
      <div className="alert__actions">
        <Button onClick={reloadAfterConflict} loading={users.isFetching} loadingLabel="Reloading…">
          Reload the list
        </Button>
      </div>
    </>
  );

  return (
    <section className="section" aria-labelledby="users-heading">
      <h2 id="users-heading" ref={headingRef} tabIndex={-1}>
        Accounts
      </h2>
      <div role="status">{done && <div className="alert alert--success">{done}</div>}</div>
      <search className="toolbar" aria-label="Find an account">
        <div className="toolbar__grow">
          <TextField
            label="Search accounts"
            type="search"
            name="q"
            placeholder="Name or email contains…"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
      </search>
      {users.isPending && <Skeleton lines={4} label="Loading the accounts…" />}
      {users.isError && !users.isFetchNextPageError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the accounts"
          error={users.error}
          onRetry={() => users.refetch()}
          retrying={users.isFetching}
        />
      )}
      {users.isSuccess && rows.length === 0 && (
        <EmptyState
          title={q ? 'No accounts match' : 'No accounts yet'}
          headingLevel={3}
          compact
          icon="⌕"
          action={
            q ? (
              <Button
                onClick={() => {
                  setSearch('');
                  setSearchParams({}, { replace: true });
                }}
              >
                Clear the search
              </Button>
            ) : undefined
          }
        >
          <p>
            {q
              ? `No account has “${q}” in its name or email. People join by invitation: invite them from a network or team page.`
              : 'People join by invitation from a network or team page, or are given a role below.'}
          </p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <>
          <Table
            caption="Accounts"
            captionNote="sorted by name"
            columns={columns}
            rows={rows}
            rowKey={(u) => u.id}
            busy={users.isFetching}
          />
          {users.isFetchNextPageError && (
            <ErrorState
              headingLevel={3}
              title="Could not load more accounts"
              error={users.error}
              onRetry={() => users.fetchNextPage()}
            />
          )}
          <LoadMore
            shownLabel={plural(rows.length, 'account')}
            hasMore={users.hasNextPage}
            loading={users.isFetchingNextPage}
            onLoadMore={() => users.fetchNextPage()}
            buttonLabel="Load more accounts"
          />
        </>
      )}

      {action?.kind === 'rename' && user && (
        <RenameDialog
          user={user}
          update={update}
          conflictNotice={conflictNotice}
          onCancel={cancel}
          onDone={(renamed) => finish(`Renamed ${user.display_name} to ${renamed.display_name}.`)}
        />
      )}

      <ConfirmDialog
        open={action?.kind === 'grant' || action?.kind === 'revoke'}
        destructive={action?.kind === 'revoke'}
        title={
          user
            ? action?.kind === 'grant'
              ? `Make ${user.display_name} an instance admin?`
              : `Remove ${user.display_name}’s instance admin rights?`
            : ''
        }
        confirmLabel={action?.kind === 'grant' ? 'Make admin' : 'Remove admin rights'}
        busyLabel="Saving…"
        busy={update.isPending}
        error={
          update.error ? (
            conflict ? (
              conflictNotice
            ) : (
              <ErrorState
                error={update.error}
                headingLevel={3}
                title={
                  isStatus(update.error, 409)
                    ? 'There must be another instance admin'
                    : 'Could not change the admin rights'
                }
              />
            )
          ) : undefined
        }
        onCancel={cancel}
        onConfirm={() => {
          if (!user) return;
          const grant = action?.kind === 'grant';
          update.mutate(
            { user, body: { is_admin: grant } },
            {
              onSuccess: () =>
                finish(
                  grant
                    ? `${user.display_name} is now an instance admin.`
                    : `${user.display_name} is no longer an instance admin.`,
                ),
            },
          );
        }}
      >
        {action?.kind === 'grant' ? (
          <p>
            Instance admins can do everything here: manage every account, network, team and role,
            and read the audit log. Give it only to people who run this Tandem instance.
          </p>
        ) : (
          <p>
            {user?.id === me.id ? 'You' : user?.display_name} will keep their account and roles in
            networks and teams, but can no longer manage accounts or read the audit log.
            {user?.id === me.id && ' You will lose access to this page.'}
          </p>
        )}
      </ConfirmDialog>

      <ConfirmDialog
        open={action?.kind === 'delete'}
        title={user ? `Delete the account of ${user.display_name}?` : ''}
        confirmLabel="Delete account"
        busyLabel="Deleting…"
        busy={remove.isPending}
        error={
          remove.error ? (
            conflict ? (
              conflictNotice
            ) : (
              <ErrorState
                error={remove.error}
                headingLevel={3}
                title={
                  isStatus(remove.error, 409)
                    ? 'There must be another instance admin'
                    : 'Could not delete the account'
                }
              />
            )
          ) : undefined
        }
        onCancel={cancel}
        onConfirm={() => {
          if (!user) return;
          remove.mutate(user, {
            onSuccess: () =>
              finish(
                `Deleted the account of ${user.display_name}. It now shows as “Deleted user”.`,
              ),
          });
        }}
      >
        <p>
          {user?.display_name} ({user?.email}) will be signed out everywhere and can no longer sign
          in. Their API tokens and roles are removed, and their name and email address are erased.
        </p>
        <p>
          What they wrote and the audit log stay, shown as written by &ldquo;Deleted user&rdquo;, so
          the coalition&rsquo;s records keep their history. This cannot be undone; to let them back
          in, invite them again.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function RenameDialog({
  user,
  update,
  conflictNotice,
  onCancel,
  onDone,
}: {
  user: User;
  update: ReturnType<typeof useUpdateUser>;
  conflictNotice: ReactNode;
  onCancel: () => void;
  onDone: (user: User) => void;
}) {
  const [name, setName] = useState(user.display_name);
  const [clientError, setClientError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const formId = useId();
  const { errors, unexplained } = formErrors(
    isConflict(update.error) ? undefined : update.error,
    clientError ? { display_name: clientError } : {},
    ['display_name'],
  );
  useFocusFirstInvalid(formRef, attempt, update.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = validateDisplayName(name);
    setClientError(problem);
    setAttempt((n) => n + 1);
    if (problem) return;
    if (name.trim() === user.display_name) return onCancel();
    update.mutate({ user, body: { display_name: name.trim() } }, { onSuccess: onDone });
  };

  return (
    <Dialog
      open
      onClose={() => {
        if (!update.isPending) onCancel();
      }}
      title={`Rename ${user.display_name}`}
      actions={
        <>
          <Button onClick={onCancel} disabled={update.isPending}>
            Cancel
          </Button>
          <Button
            type="submit"
            form={formId}
            variant="primary"
            loading={update.isPending}
            loadingLabel="Saving…"
          >
            Save name
          </Button>
        </>
      }
    >
      <form id={formId} ref={formRef} onSubmit={submit} noValidate>
        <TextField
          label="Name"
          name="display_name"
          hint="How the person is shown to everyone in the coalition."
          autoComplete="off"
          maxLength={DISPLAY_NAME_MAX}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.display_name}
        />
      </form>
      {isConflict(update.error) && (
        <div className="alert alert--warning" role="alert">
          {conflictNotice}
        </div>
      )}
      {unexplained !== undefined && (
        <ErrorState error={unexplained} headingLevel={3} title="Could not rename the account" />
      )}
    </Dialog>
  );
}

/** Roles held across the whole coalition: hub facilitators, reviewers, partners. */
function CoalitionRoles({ me }: { me: Me }) {
  const roles = useMembershipList({ scope: 'coalition' });
  const change = useUpdateMembershipRole();
  const remove = useDeleteMembership();
  const [changing, setChanging] = useState<Membership | null>(null);
  const [removing, setRemoving] = useState<Membership | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusHeading = useFocusAfterDialog(headingRef, changing !== null || removing !== null);
  const rows = roles.data?.pages.flatMap((p) => p.items) ?? [];
  const grantRef = useRef<HTMLInputElement>(null);

  const columns: Column<Membership>[] = [
    {
      key: 'name',
      header: 'Name',
      rowHeader: true,
      className: 'table__cell--primary',
      cell: (m) => (
        <>
          {m.user.display_name}
          {m.user.id === me.id && (
            <>
              {' '}
              <Badge tone="accent">You</Badge>
            </>
          )}
        </>
      ),
    },
    { key: 'email', header: 'Email', cell: (m) => m.user.email ?? '' },
    { key: 'role', header: 'Role', cell: (m) => roleInScope(m) },
    {
      key: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      className: 'table__cell--actions',
      cell: (m) => (
        <div className="row-actions">
          <Button
            onClick={() => {
              change.reset();
              setDone(null);
              setChanging(m);
            }}
          >
            <span>
              Change role<span className="visually-hidden"> of {m.user.display_name}</span>…
            </span>
          </Button>
          <Button
            onClick={() => {
              remove.reset();
              setDone(null);
              setRemoving(m);
            }}
          >
            <span>
              Remove
              <span className="visually-hidden">
                {' '}
                {m.user.display_name} as {roleInScope(m)}
              </span>
              …
            </span>
          </Button>
        </div>
      ),
    },
  ];

  const reloadAfterConflict = async () => {
    setChanging(null);
    setRemoving(null);
    change.reset();
    remove.reset();
    await roles.refetch();
  };
  const conflictNotice = (
    <>
      <p className="alert__title">Someone else changed this role.</p>
      <p>Reload the list to see it as it is now, then try again.</p>
      <div className="alert__actions">
        <Button onClick={reloadAfterConflict} loading={roles.isFetching} loadingLabel="Reloading…">
          Reload the roles
        </Button>
      </div>
    </>
  );

  return (
    <section className="section" aria-labelledby="coalition-roles-heading">
      <h2 id="coalition-roles-heading" ref={headingRef} tabIndex={-1}>
        Coalition-wide roles
      </h2>
      <p className="section__lead">
        Roles that apply across the whole coalition. Facilitators of one network and team members
        are managed on the network&rsquo;s and the team&rsquo;s pages.
      </p>
      <div role="status">{done && <div className="alert alert--success">{done}</div>}</div>
      {roles.isPending && <Skeleton lines={3} label="Loading the coalition-wide roles…" />}
      {roles.isError && !roles.isFetchNextPageError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the coalition-wide roles"
          error={roles.error}
          onRetry={() => roles.refetch()}
          retrying={roles.isFetching}
        />
      )}
      {roles.isSuccess && rows.length === 0 && (
        <EmptyState
          title="No coalition-wide roles yet"
          headingLevel={3}
          compact
          icon="◎"
          action={
            <Button variant="primary" onClick={() => grantRef.current?.focus()}>
              Give the first role
            </Button>
          }
        >
          <p>
            A hub facilitator runs the coalition&rsquo;s networks; reviewers look after the practice
            library; partners, funders and policy makers follow the work.
          </p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <>
          <Table
            caption="Coalition-wide roles"
            captionNote="by name"
            columns={columns}
            rows={rows}
            rowKey={(m) => m.id}
            busy={roles.isFetching}
          />
          {(roles.hasNextPage || rows.length > 10) && (
            <LoadMore
              shownLabel={plural(rows.length, 'role')}
              hasMore={roles.hasNextPage}
              loading={roles.isFetchingNextPage}
              onLoadMore={() => roles.fetchNextPage()}
              buttonLabel="Load more roles"
            />
          )}
        </>
      )}

      <GrantCoalitionRole inputRef={grantRef} />

      {changing && (
        <ChangeRoleDialog
          membership={changing}
          change={change}
          conflictNotice={conflictNotice}
          onCancel={() => {
            setChanging(null);
            change.reset();
          }}
          onDone={(m) => {
            setChanging(null);
            setDone(`${m.user.display_name} is now ${asRole(m)}.`);
            focusHeading();
          }}
        />
      )}

      <ConfirmDialog
        open={removing !== null}
        title={removing ? `Remove ${removing.user.display_name} as ${roleInScope(removing)}?` : ''}
        confirmLabel="Remove role"
        busyLabel="Removing…"
        busy={remove.isPending}
        error={
          remove.error ? (
            isConflict(remove.error) ? (
              conflictNotice
            ) : (
              <ErrorState error={remove.error} headingLevel={3} title="Could not remove the role" />
            )
          ) : undefined
        }
        onCancel={() => {
          setRemoving(null);
          remove.reset();
        }}
        onConfirm={() => {
          if (!removing) return;
          const m = removing;
          remove.mutate(m, {
            onSuccess: () => {
              setRemoving(null);
              setDone(`${m.user.display_name} is no longer ${asRole(m)}.`);
              focusHeading();
            },
          });
        }}
      >
        <p>
          {removing?.user.display_name} keeps their account and any roles in networks and teams. You
          can give the role again later.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function ChangeRoleDialog({
  membership,
  change,
  conflictNotice,
  onCancel,
  onDone,
}: {
  membership: Membership;
  change: ReturnType<typeof useUpdateMembershipRole>;
  conflictNotice: ReactNode;
  onCancel: () => void;
  onDone: (membership: Membership) => void;
}) {
  const [role, setRole] = useState<CoalitionRole>(
    isCoalitionRole(membership.role) ? membership.role : 'partner',
  );
  const formId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (role === membership.role) return onCancel();
    change.mutate({ membership, role }, { onSuccess: onDone });
  };
  return (
    <Dialog
      open
      onClose={() => {
        if (!change.isPending) onCancel();
      }}
      title={`Change the role of ${membership.user.display_name}`}
      actions={
        <>
          <Button onClick={onCancel} disabled={change.isPending}>
            Cancel
          </Button>
          <Button
            type="submit"
            form={formId}
            variant="primary"
            loading={change.isPending}
            loadingLabel="Saving…"
          >
            Save role
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <RadioGroup
          label="Role across the coalition"
          name="role"
          options={COALITION_ROLE_OPTIONS}
          value={role}
          onChange={setRole}
        />
      </form>
      {change.error &&
        (isConflict(change.error) ? (
          <div className="alert alert--warning" role="alert">
            {conflictNotice}
          </div>
        ) : (
          <ErrorState error={change.error} headingLevel={3} title="Could not change the role" />
        ))}
    </Dialog>
  );
}

function GrantCoalitionRole({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const grant = useCreateMembership();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<CoalitionRole>('hub_facilitator');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const { errors, unexplained } = formErrors(grant.error, clientErrors, ['email', 'role']);
  useFocusFirstInvalid(formRef, attempt, grant.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    const problem = validateEmail(email);
    const found: Record<string, string> = problem ? { email: problem } : {};
    setClientErrors(found);
    setAttempt((n) => n + 1);
    if (problem) return;
    grant.mutate(
      { email: email.trim(), role },
      {
        onSuccess: (m) => {
          setDone(`${m.user.display_name} is now ${asRole(m)}.`);
          setEmail('');
          setAttempt(0);
        },
      },
    );
  };

  return (
    <div className="card form-card section">
      <h3 id="grant-role-heading">Give a coalition-wide role</h3>
      <p className="card__meta">
        For someone who already has an account. To bring in someone new, invite them from a network
        or team page.
      </p>
      <form
        ref={formRef}
        onSubmit={submit}
        noValidate
        aria-labelledby="grant-role-heading"
        aria-busy={grant.isPending || undefined}
      >
        <TextField
          ref={inputRef}
          label="Email address"
          type="email"
          name="email"
          autoComplete="off"
          spellCheck={false}
          maxLength={320}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
        />
        <RadioGroup
          label="Role"
          name="coalition-role"
          options={COALITION_ROLE_OPTIONS}
          value={role}
          onChange={setRole}
          error={errors.role}
        />
        {unexplained !== undefined && (
          <ErrorState error={unexplained} headingLevel={3} title="Could not give the role" />
        )}
        <div role="status">{done && <div className="alert alert--success">{done}</div>}</div>
        <div className="form-actions">
          <Button type="submit" variant="primary" loading={grant.isPending} loadingLabel="Saving…">
            Give role
          </Button>
        </div>
      </form>
    </div>
  );
}
