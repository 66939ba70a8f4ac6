import { useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { buttonClass } from '../../components/index.ts';
import { initialsOf, SIGN_IN_PATH, signInPath } from './model.ts';
import { useMe, useSignOut } from './queries.ts';

/**
 * The header's account control. Signed out: a "Sign in" link that comes back here afterwards.
 * Signed in: a disclosure button with the user's name that opens links to the profile and API
 * tokens and a Sign out button. A disclosure rather than an ARIA menu: Tab moves through it like
 * any other links, Esc closes it and returns focus to the button, and so does clicking outside.
 */
export function AccountMenu() {
  const me = useMe();
  const signOut = useSignOut();
  const location = useLocation();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  // A followed link closes the menu.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every navigation
  useEffect(() => setOpen(false), [location.pathname]);

  // While open: a click or tap elsewhere, or Tab out of it, closes it; Esc closes it and gives
  // the focus back to the button.
  useEffect(() => {
    const root = rootRef.current;
    if (!open || !root) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!root.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    const onFocusOut = (event: FocusEvent) => {
      const next = event.relatedTarget as Node | null;
      if (next && !root.contains(next)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    root.addEventListener('focusout', onFocusOut);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
      root.removeEventListener('focusout', onFocusOut);
    };
  }, [open]);

  // While we do not know yet, show nothing rather than a "Sign in" that may be wrong.
  if (me.isPending) return <div className="account" />;

  if (!me.data) {
    if (location.pathname === SIGN_IN_PATH) return <div className="account" />;
    return (
      <div className="account">
        <Link
          to={signInPath(`${location.pathname}${location.search}`)}
          className={buttonClass('secondary', 'account__sign-in')}
        >
          Sign in
        </Link>
      </div>
    );
  }

  const user = me.data;
  return (
    <div className="account" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="account__button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="account__avatar" aria-hidden="true">
          {initialsOf(user.display_name)}
        </span>
        {/* Named by its content: the user's name (on a phone kept for screen readers only, the
            initials standing in for it) and what the button is for. */}
        <span className="account__name" data-testid="account-name">
          {user.display_name}
        </span>
        <span className="visually-hidden">, your account</span>
        <span className="account__caret" aria-hidden="true">
          ▾
        </span>
      </button>
      <div id={panelId} className="account__panel" hidden={!open}>
        <p className="account__who">
          Signed in as <strong>{user.display_name}</strong>
          <br />
          <span className="account__email">{user.email}</span>
        </p>
        <ul className="account__links">
          <li>
            <Link to="/profile" className="account__link">
              Profile
            </Link>
          </li>
          <li>
            <Link to="/profile/tokens" className="account__link">
              API tokens
            </Link>
          </li>
        </ul>
        {user.is_admin && (
          <>
            <p className="account__group" id={`${panelId}-admin`}>
              Administration
            </p>
            <ul className="account__links" aria-labelledby={`${panelId}-admin`}>
              <li>
                <Link to="/admin/users" className="account__link">
                  Users and roles
                </Link>
              </li>
              <li>
                <Link to="/admin/audit" className="account__link">
                  Audit log
                </Link>
              </li>
            </ul>
          </>
        )}
        {signOut.isError && (
          <p className="field__error" role="alert">
            Could not sign out: {signOut.error.message}
          </p>
        )}
        <button
          type="button"
          className="account__link account__sign-out"
          aria-busy={signOut.isPending || undefined}
          onClick={() => {
            if (signOut.isPending) return;
            signOut.mutate(undefined, {
              onSuccess: () =>
                navigate(SIGN_IN_PATH, { state: { notice: 'You have signed out.' } }),
            });
          }}
        >
          {signOut.isPending ? 'Signing out…' : 'Sign out'}
        </button>
      </div>
    </div>
  );
}
