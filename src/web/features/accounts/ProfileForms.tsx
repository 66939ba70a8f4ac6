import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Button, ErrorState, PasswordField, Skeleton, TextField } from '../../components/index.ts';
import { DISPLAY_NAME_MAX, validateDisplayName } from '../admin/model.ts';
import { formErrors, isConflict, useFocusFirstInvalid } from '../coalition/forms.ts';
import { etagOf } from '../coalition/model.ts';
import {
  type Account,
  EMPTY_PASSWORD_CHANGE,
  MAX_PASSWORD_LENGTH,
  type Me,
  PASSWORD_POLICY_HINT,
  type PasswordChangeValues,
  passwordChangeFieldErrors,
  validatePasswordChange,
} from './model.ts';
import { useChangePassword, useMe, useMyAccount, useRenameMe, type Versioned } from './queries.ts';

/** "Your name": renames you, with the ETag of the version read as If-Match. */
export function NameSection({ me }: { me: Me }) {
  const account = useMyAccount(me.id);
  const signedIn = useMe();
  // Bumped by "Reload" after a conflict: the form starts afresh from the version just read.
  const [reloads, setReloads] = useState(0);

  const reload = async () => {
    // The header shows the name too: it is asked again with the account.
    await Promise.all([account.refetch(), signedIn.refetch()]);
    setReloads((n) => n + 1);
  };

  return (
    <section className="card profile-card section" aria-labelledby="name-heading">
      <h2 id="name-heading">Your name</h2>
      <p className="card__meta">
        How everyone in the coalition sees you: in the header, in teams and networks, and next to
        your work.
      </p>
      {account.isPending && <Skeleton lines={2} label="Loading your name…" />}
      {account.isError && !account.data && (
        <ErrorState
          headingLevel={3}
          title="Could not load your name"
          error={account.error}
          onRetry={() => account.refetch()}
          retrying={account.isFetching}
        />
      )}
      {account.data && (
        <NameForm
          key={reloads}
          initial={account.data}
          focusOnMount={reloads > 0}
          onReload={reload}
          reloading={account.isFetching}
        />
      )}
    </section>
  );
}

interface NameFormProps {
  /** The version the form is filled from; its ETag goes with the change. */
  initial: Versioned<Account>;
  focusOnMount: boolean;
  onReload: () => Promise<void>;
  reloading: boolean;
}

function NameForm({ initial, focusOnMount, onReload, reloading }: NameFormProps) {
  const rename = useRenameMe(initial.data.id);
  // The version this form changes: the one read, then each one saved from here. A refetch in
  // the background does not replace it, so a change made elsewhere meanwhile is a conflict.
  const [base, setBase] = useState(initial);
  const [name, setName] = useState(initial.data.display_name);
  const [clientError, setClientError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const [saved, setSaved] = useState<string | null>(null);
  const [nothingChanged, setNothingChanged] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const conflict = isConflict(rename.error);
  const { errors, unexplained } = formErrors(
    conflict ? undefined : rename.error,
    clientError ? { display_name: clientError } : {},
    ['display_name'],
  );
  useFocusFirstInvalid(formRef, attempt, rename.error);

  // After "Reload" the button is gone: continue in the name field.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the form first shows
  useEffect(() => {
    if (focusOnMount)
      formRef.current?.querySelector<HTMLElement>('input[name="display_name"]')?.focus();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    setNothingChanged(false);
    const problem = validateDisplayName(name);
    setClientError(problem);
    setAttempt((n) => n + 1);
    if (problem) {
      rename.reset();
      return;
    }
    const displayName = name.trim();
    if (displayName === base.data.display_name) {
      rename.reset();
      setNothingChanged(true);
      return;
    }
    rename.mutate(
      { displayName, etag: base.etag ?? etagOf(base.data.version) },
      {
        onSuccess: (updated) => {
          setBase(updated);
          setName(updated.data.display_name);
          setSaved(
            `Saved. Everyone in the coalition now sees you as ${updated.data.display_name}.`,
          );
        },
      },
    );
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-busy={rename.isPending || undefined}>
      <TextField
        label="Name"
        name="display_name"
        autoComplete="name"
        hint="Your full name, as colleagues know you."
        maxLength={DISPLAY_NAME_MAX}
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.display_name}
      />
      {conflict && (
        <div className="alert alert--warning" role="alert">
          <p className="alert__title">
            Your account was changed elsewhere since this page loaded; reload to see it as it is
            now.
          </p>
          <p>
            It may have been you in another tab, or an administrator. Reloading puts the saved name
            in the field; then change it again if you still want to.
          </p>
          <div className="alert__actions">
            <Button
              variant="primary"
              onClick={() => {
                rename.reset();
                void onReload();
              }}
              loading={reloading}
              loadingLabel="Reloading…"
            >
              Reload
            </Button>
          </div>
        </div>
      )}
      {unexplained !== undefined && (
        <ErrorState error={unexplained} headingLevel={3} title="Could not change your name" />
      )}
      <div role="status">
        {saved && <div className="alert alert--success">{saved}</div>}
        {nothingChanged && <div className="alert">Nothing to save: that is already your name.</div>}
      </div>
      <div className="form-actions">
        <Button type="submit" variant="primary" loading={rename.isPending} loadingLabel="Saving…">
          Save name
        </Button>
      </div>
    </form>
  );
}

const PASSWORD_FIELDS = ['current_password', 'new_password', 'confirm'] as const;

/** "Change password": the current one, the new one twice; other sessions are signed out. */
export function PasswordSection({ me }: { me: Me }) {
  const change = useChangePassword();
  const [values, setValues] = useState<PasswordChangeValues>(EMPTY_PASSWORD_CHANGE);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [done, setDone] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const found = formErrors(change.error, clientErrors, PASSWORD_FIELDS);
  const errors = passwordChangeFieldErrors(found.errors);
  useFocusFirstInvalid(formRef, attempt, change.error);

  const set = (field: keyof PasswordChangeValues) => (value: string) =>
    setValues((v) => ({ ...v, [field]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    const problems = validatePasswordChange(values);
    setClientErrors(problems);
    setAttempt((n) => n + 1);
    if (Object.keys(problems).length > 0) {
      change.reset();
      return;
    }
    change.mutate(
      { current_password: values.current_password, new_password: values.new_password },
      {
        onSuccess: () => {
          setValues(EMPTY_PASSWORD_CHANGE);
          setDone(true);
        },
      },
    );
  };

  return (
    <section className="card profile-card section" aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      <p className="card__meta">
        Changing your password signs you out on every other browser where you are signed in. This
        browser stays signed in, and your API tokens keep working.
      </p>
      <form ref={formRef} onSubmit={submit} noValidate aria-busy={change.isPending || undefined}>
        {/* For password managers: the account the new password belongs to. */}
        <input
          type="email"
          name="username"
          autoComplete="username"
          value={me.email}
          readOnly
          hidden
        />
        <PasswordField
          label="Current password"
          name="current_password"
          autoComplete="current-password"
          maxLength={MAX_PASSWORD_LENGTH}
          value={values.current_password}
          onChange={(e) => set('current_password')(e.target.value)}
          error={errors.current_password}
        />
        <PasswordField
          label="New password"
          name="new_password"
          autoComplete="new-password"
          hint={PASSWORD_POLICY_HINT}
          maxLength={MAX_PASSWORD_LENGTH}
          value={values.new_password}
          onChange={(e) => set('new_password')(e.target.value)}
          error={errors.new_password}
        />
        <PasswordField
          label="Confirm the new password"
          name="confirm"
          autoComplete="new-password"
          maxLength={MAX_PASSWORD_LENGTH}
          value={values.confirm}
          onChange={(e) => set('confirm')(e.target.value)}
          error={errors.confirm}
        />
        {found.unexplained !== undefined && (
          <ErrorState
            error={found.unexplained}
            headingLevel={3}
            title="Could not change your password"
          />
        )}
        <div role="status">
          {done && (
            <div className="alert alert--success">
              <p className="alert__title">Your password has been changed.</p>
              <p>
                Tandem signed you out on every other browser where you were signed in; sign in there
                with the new password. This browser stays signed in.
              </p>
            </div>
          )}
        </div>
        <div className="form-actions">
          <Button
            type="submit"
            variant="primary"
            loading={change.isPending}
            loadingLabel="Changing…"
          >
            Change password
          </Button>
        </div>
      </form>
    </section>
  );
}
