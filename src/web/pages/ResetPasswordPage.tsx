import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { Button, ButtonLink, ErrorState, PasswordField } from '../components/index.ts';
import { forgetLinkToken, useLinkToken } from '../features/accounts/linkToken.ts';
import { LinkProblemPage, linkProblemOf } from '../features/accounts/LinkProblem.tsx';
import {
  MAX_PASSWORD_LENGTH,
  PASSWORD_POLICY_HINT,
  validateNewPassword,
} from '../features/accounts/model.ts';
import { useConfirmPasswordReset } from '../features/accounts/queries.ts';
import { Page } from '../layout/Page.tsx';

const NEW_LINK = (
  <ButtonLink to="/forgot-password" variant="primary">
    Ask for a new link
  </ButtonLink>
);

/**
 * The page a password-reset email links to: `/reset-password#<secret>`. It asks for the new
 * password twice; the server applies the password policy and signs the account out everywhere.
 */
export default function ResetPasswordPage() {
  const token = useLinkToken('password-reset');
  // A new link starts afresh: nothing of the last one's attempt carries over.
  return <ResetPassword key={token ?? ''} token={token} />;
}

function ResetPassword({ token }: { token: string | null }) {
  const confirmReset = useConfirmPasswordReset();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  const problem = linkProblemOf(confirmReset.error);
  const serverFieldErrors =
    confirmReset.error instanceof ApiError && confirmReset.error.status === 400
      ? confirmReset.error.fieldErrors()
      : {};
  const fieldErrors = { ...serverFieldErrors, ...errors };
  const unexplained =
    confirmReset.isError && !problem && Object.keys(serverFieldErrors).length === 0
      ? confirmReset.error
      : undefined;

  // The link is spent (or was never good): nothing more to do with it in this tab.
  useEffect(() => {
    if (problem || confirmReset.isSuccess) forgetLinkToken('password-reset');
  }, [problem, confirmReset.isSuccess]);

  // After a failed attempt, take the keyboard to the first field to fix.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when an attempt's outcome arrives
  useEffect(() => {
    if (attempt === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt, confirmReset.error]);

  if (!token) {
    return (
      <LinkProblemPage
        heading="Open the link from your email"
        remedy="Use the link in the email, or ask for a new one"
        actions={NEW_LINK}
        icon="✉"
      >
        <p>
          This page sets a new password with the link from a &ldquo;Reset your Tandem
          password&rdquo; email. Open that link (copy all of it if you paste it), or ask for a new
          email.
        </p>
      </LinkProblemPage>
    );
  }

  if (problem === 'used') {
    return (
      <LinkProblemPage
        heading="This reset link was already used"
        remedy="Sign in, or ask for a new link"
        actions={
          <>
            <ButtonLink to="/sign-in" variant="primary">
              Sign in
            </ButtonLink>
            <ButtonLink to="/forgot-password">Ask for a new link</ButtonLink>
          </>
        }
      >
        <p>
          Each reset link works once. If you chose a new password with it, sign in with that
          password. If you did not, ask for a new link: someone else may have used this one, so also
          check that your email account is safe.
        </p>
      </LinkProblemPage>
    );
  }
  if (problem === 'expired') {
    return (
      <LinkProblemPage
        heading="This reset link has expired"
        remedy="Ask for a new link"
        actions={NEW_LINK}
        icon="◷"
      >
        <p>
          Reset links work for 60 minutes after they are sent. Ask for a new one and use it within
          the hour; your password has not changed.
        </p>
      </LinkProblemPage>
    );
  }
  if (problem === 'unknown') {
    return (
      <LinkProblemPage
        heading="This reset link is not valid"
        remedy="Ask for a new link"
        actions={NEW_LINK}
      >
        <p>
          Tandem does not know this link. It may have been cut short when it was copied, or the
          account no longer exists. Ask for a new link and open it straight from the email.
        </p>
      </LinkProblemPage>
    );
  }

  if (confirmReset.isSuccess) {
    return (
      <Page heading="Your password has been changed">
        <div className="card form-card sign-in" data-testid="reset-done">
          <div className="alert alert--success" role="status">
            <p>
              Your new password is set. For your safety, Tandem signed your account out on every
              browser and revoked its API tokens.
            </p>
          </div>
          <p>Sign in with your email address and the new password.</p>
          <div className="form-actions">
            <ButtonLink to="/sign-in" variant="primary">
              Sign in
            </ButtonLink>
          </div>
        </div>
      </Page>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateNewPassword(password, confirm);
    setErrors(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length > 0) {
      confirmReset.reset();
      return;
    }
    confirmReset.mutate({ token, password });
  };

  return (
    <Page
      heading="Choose a new password"
      lead="Choose the new password for your Tandem account. You will then sign in with it."
    >
      <div className="card form-card sign-in">
        <form
          ref={formRef}
          onSubmit={submit}
          noValidate
          aria-busy={confirmReset.isPending || undefined}
          aria-label="Choose a new password"
        >
          <PasswordField
            label="New password"
            name="password"
            autoComplete="new-password"
            hint={PASSWORD_POLICY_HINT}
            maxLength={MAX_PASSWORD_LENGTH}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fieldErrors.password}
          />
          <PasswordField
            label="Confirm the new password"
            name="confirm"
            autoComplete="new-password"
            maxLength={MAX_PASSWORD_LENGTH}
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            error={fieldErrors.confirm}
          />
          {unexplained !== undefined && (
            <ErrorState
              error={unexplained}
              headingLevel={2}
              title="Could not set the new password"
            />
          )}
          <div className="form-actions">
            <Button
              type="submit"
              variant="primary"
              loading={confirmReset.isPending}
              loadingLabel="Saving…"
            >
              Set new password
            </Button>
          </div>
        </form>
      </div>
    </Page>
  );
}
