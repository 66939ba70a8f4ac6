import { type FormEvent, type RefObject, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import {
  Badge,
  Button,
  type Column,
  ConfirmDialog,
  EmptyState,
  ErrorState,
  LoadMore,
  RadioGroup,
  Select,
  Skeleton,
  Table,
  TextField,
} from '../../components/index.ts';
import { formatDateTime, plural } from '../../lib/format.ts';
import { useFocusAfterDialog } from '../../lib/hooks.ts';
import { formErrors, isConflict, isStatus, useFocusFirstInvalid } from './forms.ts';
import {
  asRole,
  type CreateMembershipBody,
  type Invitation,
  type Membership,
  type Network,
  ROLE_LABELS,
  roleInScope,
  type Team,
  validateEmail,
} from './model.ts';
import {
  useCreateInvitation,
  useCreateMembership,
  useDeleteMembership,
  useInvitations,
  useMembershipList,
  useRevokeInvitation,
} from './queries.ts';

/** Whose members: a network (its facilitators and the members of its teams) or one team. */
export type MemberScope =
  | { kind: 'network'; network: Network; teams: readonly Team[] }
  | { kind: 'team'; team: Team };

export interface MembersSectionProps {
  scope: MemberScope;
  /** The signed-in user may grant and remove roles here (the API checks again). */
  canManage: boolean;
  /** The signed-in user's id: their own row offers "Leave". */
  meId: string | undefined;
}

const scopeName = (scope: MemberScope) =>
  scope.kind === 'network' ? scope.network.name : scope.team.name;

/** Members of a network or a team: the list, removing (after a confirm), adding and inviting. */
export function MembersSection({ scope, canManage, meId }: MembersSectionProps) {
  const filters =
    scope.kind === 'network' ? { networkId: scope.network.id } : { teamId: scope.team.id };
  const members = useMembershipList(filters);
  const remove = useDeleteMembership();
  const [confirming, setConfirming] = useState<Membership | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusHeading = useFocusAfterDialog(headingRef, confirming !== null);
  const rows = members.data?.pages.flatMap((p) => p.items) ?? [];
  const name = scopeName(scope);
  const inviteRef = useRef<HTMLInputElement>(null);
  const addRef = useRef<HTMLInputElement>(null);

  const columns: Column<Membership>[] = [
    {
      key: 'name',
      header: 'Name',
      rowHeader: true,
      className: 'table__cell--primary',
      cell: (m) => (
        <>
          {m.user.display_name}
          {m.user.id === meId && (
            <>
              {' '}
              <Badge tone="accent">You</Badge>
            </>
          )}
        </>
      ),
    },
    {
      key: 'email',
      header: 'Email',
      cell: (m) =>
        m.user.email ?? (
          <span className="card__meta" title="Shown to the people who manage this scope">
            Not shown
          </span>
        ),
    },
    {
      key: 'role',
      header: 'Role',
      className: 'table__cell--nowrap',
      cell: (m) => roleInScope(m),
    },
    ...(scope.kind === 'network'
      ? [
          {
            key: 'where',
            header: 'Where',
            cell: (m: Membership) =>
              m.team_id ? (
                <Link to={`/teams/${m.team_id}`}>{m.scope_name}</Link>
              ) : (
                <span>The whole network</span>
              ),
          },
        ]
      : []),
    {
      key: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      className: 'table__cell--actions',
      cell: (m) =>
        m.user.id === meId || canManage ? (
          <Button
            onClick={() => {
              remove.reset();
              setDone(null);
              setConfirming(m);
            }}
          >
            <span>
              {m.user.id === meId ? 'Leave' : 'Remove'}
              <span className="visually-hidden">
                {' '}
                {m.user.id === meId ? m.scope_name : `${m.user.display_name} from ${m.scope_name}`}
              </span>
              …
            </span>
          </Button>
        ) : null,
    },
  ];

  const leaving = confirming?.user.id === meId;
  const confirm = () => {
    if (!confirming) return;
    const membership = confirming;
    remove.mutate(membership, {
      onSuccess: () => {
        setConfirming(null);
        setDone(
          membership.user.id === meId
            ? `You left ${membership.scope_name}.`
            : `Removed ${membership.user.display_name} from ${membership.scope_name}.`,
        );
        focusHeading();
      },
    });
  };

  const headingId = `members-heading-${scope.kind}`;
  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        Members
      </h2>
      <p className="section__lead">
        {scope.kind === 'network'
          ? 'The network’s facilitators, who run it, and the members of its teams.'
          : 'The people on this team. The network’s facilitators manage who is on it.'}
      </p>
      <div role="status">{done && <div className="alert alert--success">{done}</div>}</div>
      {members.isPending && <Skeleton lines={3} label="Loading the members…" />}
      {members.isError && !members.isFetchNextPageError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the members"
          error={members.error}
          onRetry={() => members.refetch()}
          retrying={members.isFetching}
        />
      )}
      {members.isSuccess && rows.length === 0 && (
        <EmptyState
          title={scope.kind === 'network' ? 'No members yet' : 'No one is on this team yet'}
          headingLevel={3}
          compact
          icon="◎"
          action={
            canManage ? (
              <Button variant="primary" onClick={() => addRef.current?.focus()}>
                Add the first member
              </Button>
            ) : undefined
          }
        >
          <p>
            {scope.kind === 'network'
              ? 'A network needs a facilitator who runs it, and teams with members who test change ideas. Add people with an account, or invite them by email.'
              : 'Team members plan and run tests of change ideas and report their measures. Add people with an account, or invite them by email.'}
            {!canManage && ' Ask a facilitator of the network to add people.'}
          </p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <>
          <Table
            caption={`Members of ${name}`}
            captionNote="by name"
            columns={columns}
            rows={rows}
            rowKey={(m) => m.id}
            busy={members.isFetching}
          />
          {members.isFetchNextPageError && (
            <ErrorState
              headingLevel={3}
              title="Could not load more members"
              error={members.error}
              onRetry={() => members.fetchNextPage()}
            />
          )}
          {(members.hasNextPage || rows.length > 10) && (
            <LoadMore
              shownLabel={plural(rows.length, 'member')}
              hasMore={members.hasNextPage}
              loading={members.isFetchingNextPage}
              onLoadMore={() => members.fetchNextPage()}
              buttonLabel="Load more members"
            />
          )}
        </>
      )}

      {canManage && (
        <div className="form-grid">
          <GrantForm mode="add" scope={scope} inputRef={addRef} inviteRef={inviteRef} />
          <GrantForm mode="invite" scope={scope} inputRef={inviteRef} />
        </div>
      )}
      {canManage && <OpenInvitations scope={scope} />}

      <ConfirmDialog
        open={confirming !== null}
        title={
          confirming
            ? leaving
              ? `Leave ${confirming.scope_name}?`
              : `Remove ${confirming.user.display_name} from ${confirming.scope_name}?`
            : 'Remove member?'
        }
        confirmLabel={leaving ? 'Leave' : 'Remove member'}
        busyLabel={leaving ? 'Leaving…' : 'Removing…'}
        busy={remove.isPending}
        error={
          remove.error ? (
            isConflict(remove.error) ? (
              <>
                <p className="alert__title">Someone else changed this membership.</p>
                <p>Reload the list to see it as it is now, then try again.</p>
                <div className="alert__actions">
                  <Button
                    onClick={async () => {
                      remove.reset();
                      setConfirming(null);
                      await members.refetch();
                    }}
                  >
                    Reload the members
                  </Button>
                </div>
              </>
            ) : (
              <ErrorState
                error={remove.error}
                headingLevel={3}
                title={
                  isStatus(remove.error, 404)
                    ? 'This membership was already removed'
                    : leaving
                      ? 'Could not leave'
                      : 'Could not remove the member'
                }
              />
            )
          ) : undefined
        }
        onCancel={() => {
          setConfirming(null);
          if (isStatus(remove.error, 404)) members.refetch();
          remove.reset();
        }}
        onConfirm={confirm}
      >
        {confirming && (
          <p>
            {leaving
              ? `You will no longer be ${asRole(confirming)}. `
              : `${confirming.user.display_name} will no longer be ${asRole(confirming)}. `}
            {confirming.scope === 'team'
              ? 'Records visible only to the team will be hidden from them. '
              : 'They will no longer manage its teams and members. '}
            {leaving
              ? 'A facilitator can add you again.'
              : 'Their account and what they wrote stay; you can add them again later.'}
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}

type NetworkRoleChoice = 'facilitator' | 'team_member';

const NETWORK_ROLE_OPTIONS: { value: NetworkRoleChoice; label: string; hint: string }[] = [
  {
    value: 'team_member',
    label: 'Team member',
    hint: 'Works in one team: plans and runs tests of change ideas and reports measures.',
  },
  {
    value: 'facilitator',
    label: 'Network facilitator',
    hint: 'Runs this network: manages its settings, its teams and who is in them.',
  },
];

interface GrantValues {
  email: string;
  /** Null until chosen: team member once the network has teams, its facilitator before. */
  role: NetworkRoleChoice | null;
  teamId: string;
}

function bodyOf(scope: MemberScope, values: GrantValues): CreateMembershipBody {
  const email = values.email.trim();
  if (scope.kind === 'team') return { email, role: 'team_member', team_id: scope.team.id };
  if (values.role === 'facilitator')
    return { email, role: 'hub_facilitator', network_id: scope.network.id };
  return { email, role: 'team_member', team_id: values.teamId };
}

/** The error a server answers for an email without an account (createMembership). */
function hasNoAccount(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status === 400 &&
    error.errors.some((e) => e.path === '/body/email' && /no account|invite/i.test(e.message))
  );
}

const FIELDS = ['email', 'role', 'team_id', 'network_id'] as const;

/** Adds someone with an account (createMembership), or invites them by email (createInvitation). */
function GrantForm({
  mode,
  scope,
  inputRef,
  inviteRef,
}: {
  mode: 'add' | 'invite';
  scope: MemberScope;
  inputRef: RefObject<HTMLInputElement | null>;
  inviteRef?: RefObject<HTMLInputElement | null>;
}) {
  const add = useCreateMembership();
  const invite = useCreateInvitation();
  const mutation = mode === 'add' ? add : invite;
  const teams = scope.kind === 'network' ? scope.teams : [];
  const initial: GrantValues = { email: '', role: null, teamId: '' };
  const [chosen, setValues] = useState<GrantValues>(initial);
  // The teams load after the form: the default follows them until a role is chosen.
  const values: GrantValues & { role: NetworkRoleChoice } = {
    ...chosen,
    role: chosen.role ?? (teams.length > 0 ? 'team_member' : 'facilitator'),
  };
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const noAccount = mode === 'add' && hasNoAccount(add.error);
  // "Invite them instead" uses the other mutation: its failure is shown here too.
  const { errors, unexplained } = formErrors(
    mutation.error ?? (mode === 'add' ? invite.error : undefined),
    clientErrors,
    FIELDS,
  );
  useFocusFirstInvalid(formRef, attempt, mutation.error);

  const validate = () => {
    const found: Record<string, string> = {};
    const emailError = validateEmail(values.email);
    if (emailError) found.email = emailError;
    if (scope.kind === 'network' && values.role === 'team_member' && !values.teamId)
      found.team_id = teams.length ? 'Choose the team.' : 'Add a team to the network first.';
    return found;
  };

  const succeeded = (message: string) => {
    setDone(message);
    setValues((v) => ({ ...initial, role: v.role, teamId: v.teamId }));
    setAttempt(0);
    setClientErrors({});
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    invite.reset();
    const found = validate();
    setClientErrors(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length > 0) return;
    const body = bodyOf(scope, values);
    if (mode === 'add') {
      add.mutate(body, {
        onSuccess: (m) => succeeded(`Added ${m.user.display_name} as ${asRole(m)}.`),
      });
    } else {
      invite.mutate(body, {
        onSuccess: (i) =>
          succeeded(
            `Invitation sent to ${i.email} to join ${i.scope_name} as ${asRole(i)}. The link works until ${formatDateTime(i.expires_at)}.`,
          ),
      });
    }
  };

  const inviteInstead = () => {
    const body = bodyOf(scope, values);
    invite.mutate(body, {
      onSuccess: (i) => {
        add.reset();
        succeeded(
          `${i.email} has no account yet: an invitation to join ${i.scope_name} is on its way. The link works until ${formatDateTime(i.expires_at)}.`,
        );
      },
    });
  };

  const idBase = `${mode}-member-${scope.kind}`;
  const headingId = `${idBase}-heading`;
  return (
    <div className="card">
      <h3 id={headingId}>{mode === 'add' ? 'Add a member' : 'Invite by email'}</h3>
      <p className="card__meta">
        {mode === 'add'
          ? 'For someone who already has a Tandem account: they get the role at once.'
          : 'For someone new: Tandem emails them a link to create their account. It works for 7 days.'}
      </p>
      <form
        ref={formRef}
        onSubmit={submit}
        noValidate
        aria-labelledby={headingId}
        aria-busy={mutation.isPending || undefined}
      >
        <TextField
          ref={inputRef}
          id={`${idBase}-email`}
          label="Email address"
          type="email"
          name="email"
          autoComplete="off"
          spellCheck={false}
          maxLength={320}
          value={values.email}
          onChange={(e) => setValues((v) => ({ ...v, email: e.target.value }))}
          error={
            noAccount
              ? `No account uses ${values.email.trim()}. Invite them instead.`
              : errors.email
          }
        />
        {scope.kind === 'network' && (
          <>
            <RadioGroup
              label="Role"
              name={`${idBase}-role`}
              options={NETWORK_ROLE_OPTIONS}
              value={values.role}
              onChange={(role) => setValues((v) => ({ ...v, role }))}
              error={errors.role}
            />
            {values.role === 'team_member' && (
              <Select
                id={`${idBase}-team`}
                label="Team"
                placeholder={teams.length ? 'Choose a team' : 'No teams yet'}
                options={teams.map((t) => ({ value: t.id, label: t.name }))}
                value={values.teamId}
                onChange={(e) => setValues((v) => ({ ...v, teamId: e.target.value }))}
                error={errors.team_id}
              />
            )}
          </>
        )}
        {noAccount && (
          <div className="alert alert--warning">
            <p>
              {values.email.trim()} has no Tandem account yet. An invitation emails them a link to
              create one and join {scopeName(scope)}.
            </p>
            <div className="alert__actions">
              <Button
                variant="primary"
                onClick={inviteInstead}
                loading={invite.isPending}
                loadingLabel="Sending…"
              >
                Invite {values.email.trim()} instead
              </Button>
              {inviteRef && (
                <Button variant="ghost" onClick={() => inviteRef.current?.focus()}>
                  Go to the invitation form
                </Button>
              )}
            </div>
          </div>
        )}
        {unexplained !== undefined && !noAccount && (
          <ErrorState
            error={unexplained}
            headingLevel={3}
            title={mode === 'add' ? 'Could not add the member' : 'Could not send the invitation'}
          />
        )}
        <div role="status">{done && <div className="alert alert--success">{done}</div>}</div>
        <div className="form-actions">
          <Button
            type="submit"
            variant={mode === 'add' ? 'primary' : 'secondary'}
            loading={mutation.isPending}
            loadingLabel={mode === 'add' ? 'Adding…' : 'Sending…'}
          >
            {mode === 'add' ? 'Add member' : 'Send invitation'}
          </Button>
        </div>
      </form>
    </div>
  );
}

/** Open invitations into this network (or its teams) or this team, with Revoke. */
function OpenInvitations({ scope }: { scope: MemberScope }) {
  const invitations = useInvitations(
    scope.kind === 'network' ? { network_id: scope.network.id } : { team_id: scope.team.id },
  );
  const revoke = useRevokeInvitation();
  const [confirming, setConfirming] = useState<Invitation | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusHeading = useFocusAfterDialog(headingRef, confirming !== null);
  const rows = invitations.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: Column<Invitation>[] = [
    {
      key: 'email',
      header: 'Email',
      rowHeader: true,
      className: 'table__cell--primary',
      cell: (i) => i.email,
    },
    {
      key: 'role',
      header: 'Role',
      cell: (i) =>
        i.role === 'hub_facilitator' && i.network_id ? 'Network facilitator' : ROLE_LABELS[i.role],
    },
    ...(scope.kind === 'network'
      ? [{ key: 'where', header: 'Where', cell: (i: Invitation) => i.scope_name }]
      : []),
    {
      key: 'invited_by',
      header: 'Invited by',
      cell: (i) => i.invited_by_name ?? <span className="card__meta">Unknown</span>,
    },
    {
      key: 'expires_at',
      header: 'Link works until',
      className: 'table__cell--date',
      cell: (i) => formatDateTime(i.expires_at),
    },
    {
      key: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      className: 'table__cell--actions',
      cell: (i) => (
        <Button
          onClick={() => {
            revoke.reset();
            setDone(null);
            setConfirming(i);
          }}
        >
          <span>
            Revoke<span className="visually-hidden"> the invitation of {i.email}</span>…
          </span>
        </Button>
      ),
    },
  ];

  const headingId = `invitations-heading-${scope.kind}`;
  return (
    <section className="section" aria-labelledby={headingId}>
      <h3 id={headingId} ref={headingRef} tabIndex={-1}>
        Open invitations
      </h3>
      <div role="status">{done && <div className="alert alert--success">{done}</div>}</div>
      {invitations.isPending && <Skeleton lines={2} label="Loading the open invitations…" />}
      {invitations.isError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the open invitations"
          error={invitations.error}
          onRetry={() => invitations.refetch()}
          retrying={invitations.isFetching}
        />
      )}
      {invitations.isSuccess && rows.length === 0 && (
        <p className="card__meta">
          No open invitations. Invitations you send are listed here until they are accepted, revoked
          or expire.
        </p>
      )}
      {rows.length > 0 && (
        <Table
          caption={`Open invitations to ${scopeName(scope)}`}
          captionNote="newest first"
          columns={columns}
          rows={rows}
          rowKey={(i) => i.id}
          busy={invitations.isFetching}
        />
      )}
      <ConfirmDialog
        open={confirming !== null}
        title={confirming ? `Revoke the invitation of ${confirming.email}?` : 'Revoke invitation?'}
        confirmLabel="Revoke invitation"
        busyLabel="Revoking…"
        busy={revoke.isPending}
        error={
          revoke.error ? (
            <ErrorState
              error={revoke.error}
              headingLevel={3}
              title="Could not revoke the invitation"
            />
          ) : undefined
        }
        onCancel={() => {
          setConfirming(null);
          revoke.reset();
        }}
        onConfirm={() => {
          if (!confirming) return;
          const invitation = confirming;
          revoke.mutate(invitation, {
            onSuccess: () => {
              setConfirming(null);
              setDone(`Revoked the invitation of ${invitation.email}; its link no longer works.`);
              focusHeading();
            },
          });
        }}
      >
        <p>The link in the email stops working at once. You can send a new invitation later.</p>
      </ConfirmDialog>
    </section>
  );
}
