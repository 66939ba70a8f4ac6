import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/client.ts';
import {
  Button,
  ButtonLink,
  ErrorState,
  PasswordField,
  Skeleton,
  TextField,
} from '../components/index.ts';
import { forgetLinkToken, useLinkToken } from '../features/accounts/linkToken.ts';
import { LinkProblemPage, linkProblemOf } from '../features/accounts/LinkProblem.tsx';
import {
  INVITED_ROLE_HINTS,
  INVITED_ROLE_LABELS,
  INVITED_ROLE_PHRASES,
  type InvitationPreview,
  MAX_PASSWORD_LENGTH,
  type Me,
  PASSWORD_POLICY_HINT,
  sameEmail,
  signInPath,
  validateNewPassword,
} from '../features/accounts/model.ts';
import { useAcceptInvitation, useInvitationPreview, useMe } from '../features/accounts/queries.ts';
import { formatDateTime } from '../lib/format.ts';
import { Page } from '../layout/Page.tsx';

const PATH = '/accept-invitation';
const NAME_MAX = 200;

/**
 * The page an invitation email links to: `/accept-invitation#<secret>`. It says who invited whom
 * into what, then either creates the account (name and password) or, for an address that already
 * has one, adds the role once its owner is signed in. Going through the sign-in page keeps the
 * link: its secret waits in this tab's sessionStorage.
 */
export default function AcceptInvitationPage() {
  const token = useLinkToken('invitation');
  // A new link starts afresh: nothing of the last one's attempt carries over.
  return <AcceptInvitation key={token ?? ''} token={token} />;
}

function AcceptInvitation({ token }: { token: string | null }) {
  const preview = useInvitationPreview(token);
  const me = useMe();
  // Here rather than in the forms: a link found used or expired on accepting replaces the page.
  const accept = useAcceptInvitation();
  const problemError = linkProblemOf(preview.error) ? preview.error : accept.error;
  const problem = linkProblemOf(problemError);

  useEffect(() => {
    if (problem) forgetLinkToken('invitation');
  }, [problem]);

  if (!token) {
    return (
      <LinkProblemPage
        heading="Open the link from your invitation email"
        remedy="Use the link in the email"
        icon="✉"
        actions={<ButtonLink to="/">Go to the home page</ButtonLink>}
      >
        <p>
          This page accepts an invitation to Tandem with the link from the invitation email. Open
          that link (copy all of it if you paste it). If you cannot find the email, ask the person
          who invited you to send a new invitation.
        </p>
      </LinkProblemPage>
    );
  }

  if (problem) return <InvitationProblem kind={problem} error={problemError} />;

  if (!preview.data || me.isPending) {
    return (
      <Page heading="Your invitation">
        {(preview.isPending || me.isPending) && !preview.isError && (
          <Skeleton lines={4} label="Opening your invitation…" />
        )}
        {preview.isError && (
          <ErrorState
            title="Could not open this invitation"
            error={preview.error}
            onRetry={() => preview.refetch()}
            retrying={preview.isFetching}
          />
        )}
      </Page>
    );
  }

  return (
    <Invitation token={token} invitation={preview.data} me={me.data ?? null} accept={accept} />
  );
}

function InvitationProblem({
  kind,
  error,
}: {
  kind: 'used' | 'expired' | 'unknown' | 'missing';
  error: unknown;
}) {
  const me = useMe();
  const detail = error instanceof ApiError ? error.problem.detail : undefined;
  if (kind === 'used') {
    const signedIn = me.data;
    return (
      <LinkProblemPage
        heading="This invitation was already accepted"
        remedy={signedIn ? 'Carry on where you are' : 'Sign in with your account'}
        icon="✓"
        actions={
          signedIn ? (
            <ButtonLink to="/" variant="primary">
              Go to the home page
            </ButtonLink>
          ) : (
            <ButtonLink to="/sign-in" variant="primary">
              Sign in
            </ButtonLink>
          )
        }
      >
        <p>
          Each invitation link works once, and this one has been used.{' '}
          {signedIn
            ? `You are signed in as ${signedIn.display_name} (${signedIn.email}).`
            : 'If you accepted it, your account is ready: sign in with its email address and password.'}
        </p>
      </LinkProblemPage>
    );
  }
  if (kind === 'expired') {
    return (
      <LinkProblemPage
        heading="This invitation has expired"
        remedy="Ask for a new invitation"
        icon="◷"
        detail={detail}
        actions={<ButtonLink to="/">Go to the home page</ButtonLink>}
      >
        <p>Invitations work for 7 days. Ask the person who invited you to send a new one.</p>
      </LinkProblemPage>
    );
  }
  return (
    <LinkProblemPage
      heading="This invitation link is not valid"
      remedy="Ask for a new invitation"
      actions={<ButtonLink to="/">Go to the home page</ButtonLink>}
    >
      <p>
        Tandem does not know this link. It may have been cut short when it was copied, or the
        invitation was withdrawn. Ask the person who invited you to send a new one.
      </p>
    </LinkProblemPage>
  );
}

type AcceptMutation = ReturnType<typeof useAcceptInvitation>;

interface InvitationProps {
  token: string;
  invitation: InvitationPreview;
  me: Me | null;
  accept: AcceptMutation;
}

function Invitation({ token, invitation, me, accept }: InvitationProps) {
  const inviter = invitation.invited_by_name ?? 'A facilitator';
  const rolePhrase = INVITED_ROLE_PHRASES[invitation.role];
  const signedInAsInvitee = me !== null && sameEmail(me.email, invitation.email);

  return (
    <Page
      heading={`Join ${invitation.scope_name} on Tandem`}
      title="Accept your invitation"
      lead={
        <span data-testid="invitation-summary">
          {inviter} invited you to join <strong>{invitation.scope_name}</strong> as {rolePhrase}.
        </span>
      }
    >
      <div className="card form-card sign-in invitation">
        <dl className="details invitation__details">
          <dt>Invited address</dt>
          <dd>
            <strong>{invitation.email}</strong>
          </dd>
          <dt>Role</dt>
          <dd>
            <strong>{INVITED_ROLE_LABELS[invitation.role]}</strong>
            <span className="card__meta details__help">{INVITED_ROLE_HINTS[invitation.role]}</span>
          </dd>
          <dt>Link valid until</dt>
          <dd>{formatDateTime(invitation.expires_at)}</dd>
        </dl>
        {!invitation.account_exists && (
          <CreateAccountForm token={token} invitation={invitation} me={me} accept={accept} />
        )}
        {invitation.account_exists && signedInAsInvitee && (
          <AcceptAsSignedIn token={token} invitation={invitation} accept={accept} />
        )}
        {invitation.account_exists && !signedInAsInvitee && (
          <div className="invitation__sign-in">
            <p>
              {invitation.email} already has a Tandem account.
              {me && (
                <>
                  {' '}
                  You are signed in as <strong>{me.email}</strong>: sign out first, then sign in as{' '}
                  {invitation.email}.
                </>
              )}{' '}
              After signing in you will come back here to accept.
            </p>
            <div className="form-actions">
              <ButtonLink to={signInPath(PATH)} variant="primary">
                Sign in as {invitation.email} to accept
              </ButtonLink>
            </div>
          </div>
        )}
      </div>
    </Page>
  );
}

/** The address already has an account and its owner is signed in: one button adds the role. */
function AcceptAsSignedIn({ token, invitation, accept }: Omit<InvitationProps, 'me'>) {
  const navigate = useNavigate();
  return (
    <>
      <p>
        You are signed in as <strong>{invitation.email}</strong>. Accepting adds this role to your
        account.
      </p>
      {accept.isError && (
        <ErrorState error={accept.error} headingLevel={2} title="Could not accept the invitation" />
      )}
      <div className="form-actions">
        <Button
          variant="primary"
          loading={accept.isPending}
          loadingLabel="Accepting…"
          onClick={() =>
            accept.mutate(
              { token },
              {
                onSuccess: () => {
                  forgetLinkToken('invitation');
                  navigate('/', { replace: true });
                },
              },
            )
          }
        >
          Accept the invitation
        </Button>
      </div>
    </>
  );
}

/** A new address: the account is created with a name and a password, and signed in. */
function CreateAccountForm({ token, invitation, me, accept }: InvitationProps) {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  const serverFieldErrors =
    accept.error instanceof ApiError && accept.error.status === 400
      ? accept.error.fieldErrors()
      : {};
  const fieldErrors = { ...serverFieldErrors, ...errors };
  const unexplained =
    accept.isError && Object.keys(serverFieldErrors).length === 0 ? accept.error : undefined;

  // After a failed attempt, take the keyboard to the first field to fix.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when an attempt's outcome arrives
  useEffect(() => {
    if (attempt === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt, accept.error]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const trimmed = name.trim();
    if (!trimmed) found.display_name = 'Enter your name as colleagues know it.';
    else if (trimmed.length > NAME_MAX) found.display_name = `Use at most ${NAME_MAX} characters.`;
    Object.assign(found, validateNewPassword(password, confirm));
    setErrors(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length > 0) {
      accept.reset();
      return;
    }
    accept.mutate(
      { token, display_name: trimmed, password },
      {
        onSuccess: () => {
          forgetLinkToken('invitation');
          navigate('/', { replace: true });
        },
      },
    );
  };

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      aria-busy={accept.isPending || undefined}
      aria-labelledby="create-account-heading"
    >
      <h2 id="create-account-heading" className="invitation__form-title">
        Create your account
      </h2>
      {me && !accept.isPending && !accept.isSuccess && (
        <div className="alert alert--warning">
          You are signed in as <strong>{me.email}</strong>. Creating this account signs you in as{' '}
          {invitation.email} instead.
        </div>
      )}
      {/* For password managers: the account the new password belongs to. */}
      <input
        type="email"
        name="username"
        autoComplete="username"
        value={invitation.email}
        readOnly
        hidden
      />
      <TextField
        label="Your name"
        name="display_name"
        autoComplete="name"
        hint="As colleagues in the coalition know you; they will see it next to your work."
        maxLength={NAME_MAX}
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fieldErrors.display_name}
      />
      <PasswordField
        label="Password"
        name="password"
        autoComplete="new-password"
        hint={PASSWORD_POLICY_HINT}
        maxLength={MAX_PASSWORD_LENGTH}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldErrors.password}
      />
      <PasswordField
        label="Confirm the password"
        name="confirm"
        autoComplete="new-password"
        maxLength={MAX_PASSWORD_LENGTH}
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={fieldErrors.confirm}
      />
      {unexplained !== undefined && (
        <ErrorState error={unexplained} headingLevel={2} title="Could not create your account" />
      )}
      <div className="form-actions">
        <Button type="submit" variant="primary" loading={accept.isPending} loadingLabel="Creating…">
          Create account and join
        </Button>
      </div>
    </form>
  );
}
