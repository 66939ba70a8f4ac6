import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/client.ts';
import {
  Button,
  ButtonLink,
  ErrorState,
  PasswordField,
  Skeleton,
  TextField,
} from '../components/index.ts';
import { type DemoRole, safeNextPath, waitText } from '../features/accounts/model.ts';
import {
  useDemoSignIn,
  useMe,
  useSignIn,
  useSignInOptions,
  useSignOut,
} from '../features/accounts/queries.ts';
import { Page } from '../layout/Page.tsx';

const timeOfDay = new Intl.DateTimeFormat('en', { timeStyle: 'short' });

/** The words for a failed sign-in that no field explains, or undefined for a generic error. */
function failureMessage(error: unknown): { title: string; body: string } | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.status === 401) {
    return {
      title: 'The email address or password is not right',
      body: 'Check both and try again. Passwords are case-sensitive: the Show button lets you check what you typed.',
    };
  }
  if (error.status === 429) {
    const seconds = error.retryAfterSeconds;
    if (seconds === undefined) {
      return {
        title: 'Too many sign-in attempts',
        body: error.problem.detail ?? 'Wait a few minutes before trying again.',
      };
    }
    const at = timeOfDay.format(new Date(Date.now() + seconds * 1000));
    return {
      title: 'Too many sign-in attempts',
      body: `For your account's safety, signing in is paused. Try again in ${waitText(seconds)} (at ${at}).`,
    };
  }
  return undefined;
}

export default function SignInPage() {
  const me = useMe();
  const signIn = useSignIn();
  const demoSignIn = useDemoSignIn();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = safeNextPath(searchParams.get('next'));
  const notice = (useLocation().state as { notice?: string } | null)?.notice;

  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  // After "Sign out to use another account" the button is gone: continue at the email field.
  const [focusEmail, setFocusEmail] = useState(false);
  useEffect(() => {
    if (!focusEmail) return;
    const field = formRef.current?.querySelector<HTMLInputElement>('input[name="email"]');
    if (!field) return;
    field.focus();
    setFocusEmail(false);
  });

  const failure = failureMessage(signIn.error);
  const serverFieldErrors =
    signIn.error instanceof ApiError && signIn.error.status === 400
      ? signIn.error.fieldErrors()
      : {};
  const fieldErrors = { ...serverFieldErrors, ...errors };
  const unexplained =
    signIn.isError && !failure && Object.keys(serverFieldErrors).length === 0
      ? signIn.error
      : undefined;

  // After a failed attempt, take the keyboard to what needs attention: the message that says why,
  // or the first field to fix.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when an attempt's outcome arrives
  useEffect(() => {
    if (attempt === 0) return;
    if (failure) summaryRef.current?.focus();
    else formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt, signIn.error]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!email.trim()) found.email = 'Enter your email address.';
    else if (!/^[^@\s]+@[^@\s]+$/.test(email.trim()))
      found.email = 'Enter an email address like name@example.org.';
    if (!password) found.password = 'Enter your password.';
    setErrors(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length > 0) {
      signIn.reset();
      return;
    }
    signIn.mutate(
      { email: email.trim(), password },
      { onSuccess: () => navigate(next, { replace: true }) },
    );
  };

  if (me.isPending) {
    return (
      <Page heading="Sign in">
        <Skeleton lines={3} label="Checking whether you are signed in…" />
      </Page>
    );
  }

  // Already signed in (and not in the middle of signing in here): say so, offer the way on.
  const signingIn =
    signIn.isSuccess || signIn.isPending || demoSignIn.isSuccess || demoSignIn.isPending;
  if (me.data && !signingIn) {
    return (
      <Page heading="You are signed in">
        <div className="card form-card">
          <p>
            You are signed in as <strong>{me.data.display_name}</strong> ({me.data.email}).
          </p>
          <div className="form-actions">
            <ButtonLink to={next} variant="primary">
              {next === '/' ? 'Go to the home page' : 'Continue'}
            </ButtonLink>
            <Button
              onClick={() => signOut.mutate(undefined, { onSuccess: () => setFocusEmail(true) })}
              loading={signOut.isPending}
              loadingLabel="Signing out…"
            >
              Sign out to use another account
            </Button>
          </div>
        </div>
      </Page>
    );
  }

  return (
    <Page
      heading="Sign in"
      lead={
        next === '/'
          ? 'Sign in with the email address and password of your Tandem account.'
          : 'Sign in to continue: the page you asked for needs an account.'
      }
    >
      <div className="card form-card sign-in">
        {notice && !signIn.isError && (
          <div className="alert alert--success" role="status">
            {notice}
          </div>
        )}
        {me.isError && (
          <ErrorState
            headingLevel={2}
            title="Could not check whether you are signed in"
            error={me.error}
            onRetry={() => me.refetch()}
            retrying={me.isFetching}
          />
        )}
        {failure && (
          <div
            ref={summaryRef}
            className="alert alert--error"
            role="alert"
            tabIndex={-1}
            data-testid="sign-in-error"
          >
            <p className="alert__title">{failure.title}</p>
            <p>{failure.body}</p>
          </div>
        )}
        <form
          ref={formRef}
          onSubmit={submit}
          noValidate
          aria-busy={signIn.isPending || undefined}
          aria-label="Sign in"
        >
          <TextField
            label="Email address"
            name="email"
            type="email"
            autoComplete="username"
            inputMode="email"
            spellCheck={false}
            autoCapitalize="none"
            maxLength={320}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={fieldErrors.email}
          />
          <PasswordField
            label="Password"
            name="password"
            autoComplete="current-password"
            maxLength={256}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fieldErrors.password}
          />
          <p className="sign-in__forgot">
            <Link to="/forgot-password">Forgot your password?</Link>
          </p>
          {unexplained !== undefined && (
            <ErrorState error={unexplained} headingLevel={2} title="Could not sign in" />
          )}
          <div className="form-actions">
            <Button
              type="submit"
              variant="primary"
              loading={signIn.isPending}
              loadingLabel="Signing in…"
            >
              Sign in
            </Button>
          </div>
        </form>
        <p className="card__meta sign-in__help">
          No account yet? Accounts are by invitation: ask a facilitator of your network or the
          person who runs this Tandem to invite you, and follow the link in their email.
        </p>
      </div>
      <DemoRoles demoSignIn={demoSignIn} onSignedIn={() => navigate(next, { replace: true })} />
    </Page>
  );
}

/**
 * On a demo instance only: one button per demo account, so that a visitor can see what each role
 * sees without an account. Nothing is shown when the instance is not a demo (or the options
 * cannot be loaded: the form above still works).
 */
function DemoRoles({
  demoSignIn,
  onSignedIn,
}: {
  demoSignIn: ReturnType<typeof useDemoSignIn>;
  onSignedIn: () => void;
}) {
  const options = useSignInOptions();
  const roles = options.data?.demo_roles ?? [];
  if (roles.length === 0) return null;

  const signInAs = (role: DemoRole) => {
    if (demoSignIn.isPending) return;
    demoSignIn.mutate(role.key, { onSuccess: onSignedIn });
  };

  return (
    <section className="card form-card sign-in demo-roles" aria-labelledby="demo-roles-heading">
      <h2 id="demo-roles-heading">Try a demo role</h2>
      <p>
        This is a demonstration of Tandem with made-up people and data: do not enter real
        information. Sign in as one of the demo people to see what each role sees and can do.
      </p>
      <p className="card__meta" data-testid="demo-password">
        Every demo account&rsquo;s password is{' '}
        <code className="demo-roles__password">{options.data?.demo_password}</code>, if you prefer
        to use the form above.
      </p>
      <ul className="demo-roles__list">
        {roles.map((role) => (
          <li key={role.key}>
            <Button
              className="demo-roles__button"
              onClick={() => signInAs(role)}
              loading={demoSignIn.isPending && demoSignIn.variables === role.key}
              loadingLabel={`Signing in as ${role.label}…`}
            >
              {/* One span: the button is a flex box, and each child would get a gap. */}
              <span className="demo-roles__text">
                <span className="visually-hidden">Sign in as </span>
                <span className="demo-roles__label">{role.label}</span>
                <span className="demo-roles__email">{role.email}</span>
              </span>
            </Button>
          </li>
        ))}
      </ul>
      {demoSignIn.isError && (
        <ErrorState
          error={demoSignIn.error}
          headingLevel={3}
          title="Could not sign in as that demo role"
        />
      )}
    </section>
  );
}
