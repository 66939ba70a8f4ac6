import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/client.ts';
import { Button, ButtonLink, ErrorState, TextField } from '../components/index.ts';
import { waitText } from '../features/accounts/model.ts';
import { useRequestPasswordReset } from '../features/accounts/queries.ts';
import { Page } from '../layout/Page.tsx';

const timeOfDay = new Intl.DateTimeFormat('en', { timeStyle: 'short' });

/** "Try again in 58 minutes (at 14:05)", from a 429's Retry-After. */
function waitMessage(error: ApiError): string {
  const seconds = error.retryAfterSeconds;
  if (seconds === undefined) return error.problem.detail ?? 'Wait a while before trying again.';
  const at = timeOfDay.format(new Date(Date.now() + seconds * 1000));
  return `To protect your mailbox, Tandem sends only a few reset emails an hour. Try again in ${waitText(seconds)} (at ${at}).`;
}

/**
 * Asks for a password-reset email. The answer never says whether the address has an account
 * (that would tell anyone who has one), so the page says the same either way.
 */
export default function ForgotPasswordPage() {
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [clientError, setClientError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);

  const rateLimited = request.error instanceof ApiError && request.error.status === 429;
  const serverFieldErrors =
    request.error instanceof ApiError && request.error.status === 400
      ? request.error.fieldErrors()
      : {};
  const emailError = clientError ?? serverFieldErrors.email;
  const unexplained =
    request.isError && !rateLimited && !serverFieldErrors.email ? request.error : undefined;

  // After an attempt: to the message that says why it failed, or to the field to fix.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when an attempt's outcome arrives
  useEffect(() => {
    if (attempt === 0) return;
    if (rateLimited) summaryRef.current?.focus();
    else formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt, request.error]);

  // Once sent, the form is gone: continue at the message.
  useEffect(() => {
    if (sentTo) doneRef.current?.focus();
  }, [sentTo]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = email.trim();
    let found: string | undefined;
    if (!trimmed) found = 'Enter the email address of your account.';
    else if (!/^[^@\s]+@[^@\s]+$/.test(trimmed))
      found = 'Enter an email address like name@example.org.';
    setClientError(found);
    setAttempt((n) => n + 1);
    if (found) {
      request.reset();
      return;
    }
    request.mutate(trimmed, { onSuccess: () => setSentTo(trimmed) });
  };

  if (sentTo) {
    return (
      <Page heading="Check your email">
        <div className="card form-card sign-in" data-testid="reset-requested">
          <div ref={doneRef} className="alert alert--success" role="status" tabIndex={-1}>
            <p>
              If an account uses <strong>{sentTo}</strong>, we sent a link to choose a new password
              to that address.
            </p>
          </div>
          <p>
            The link works once, for 60 minutes. If nothing arrives within a few minutes, check your
            spam folder and that the address is the one your account uses.
          </p>
          <div className="form-actions">
            <ButtonLink to="/sign-in" variant="primary">
              Back to sign in
            </ButtonLink>
            <Button
              onClick={() => {
                request.reset();
                setSentTo(null);
              }}
            >
              Use another address
            </Button>
          </div>
        </div>
      </Page>
    );
  }

  return (
    <Page
      heading="Forgot your password?"
      breadcrumbs={[{ to: '/sign-in', label: 'Sign in' }]}
      lead="Enter the email address of your Tandem account and we will email you a link to choose a new password."
    >
      <div className="card form-card sign-in">
        {rateLimited && (
          <div
            ref={summaryRef}
            className="alert alert--error"
            role="alert"
            tabIndex={-1}
            data-testid="reset-request-error"
          >
            <p className="alert__title">Too many reset emails asked for</p>
            <p>{waitMessage(request.error as ApiError)}</p>
          </div>
        )}
        <form
          ref={formRef}
          onSubmit={submit}
          noValidate
          aria-busy={request.isPending || undefined}
          aria-label="Ask for a password reset link"
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
            error={emailError}
          />
          {unexplained !== undefined && (
            <ErrorState error={unexplained} headingLevel={2} title="Could not ask for a link" />
          )}
          <div className="form-actions">
            <Button
              type="submit"
              variant="primary"
              loading={request.isPending}
              loadingLabel="Sending…"
            >
              Email me a reset link
            </Button>
          </div>
        </form>
        <p className="card__meta sign-in__help">
          Remembered it? <Link to="/sign-in">Sign in</Link>. No longer have access to that email
          address? Ask the person who runs this Tandem for help.
        </p>
      </div>
    </Page>
  );
}
