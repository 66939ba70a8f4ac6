import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { tokenFromHash } from './model.ts';

/**
 * Emailed links (password reset, invitation) carry their secret in the URL fragment, which
 * browsers never send to a server, not even in a Referer header. The page reads it once, keeps it
 * in this tab's sessionStorage (so it survives a reload, or a detour through the sign-in page) and
 * takes it out of the address bar, where it would otherwise stay on screen and in the history.
 */
export type LinkKind = 'password-reset' | 'invitation';

const storageKey = (kind: LinkKind) => `tandem:link:${kind}`;

function stash(kind: LinkKind, token: string) {
  try {
    sessionStorage.setItem(storageKey(kind), token);
  } catch {
    // Storage may be off (private mode, policy): the link still works in this page.
  }
}

function stashed(kind: LinkKind): string | null {
  try {
    return sessionStorage.getItem(storageKey(kind));
  } catch {
    return null;
  }
}

/** Forgets a link's secret once it has been used, or cannot be used any more. */
export function forgetLinkToken(kind: LinkKind): void {
  try {
    sessionStorage.removeItem(storageKey(kind));
  } catch {
    // Nothing was stored.
  }
}

/**
 * The secret of the link that opened this page: from the fragment when there is one (a newer
 * link wins, also one pasted into the address bar of this page), else the one this tab kept; null
 * when neither.
 */
export function useLinkToken(kind: LinkKind): string | null {
  const { hash } = useLocation();
  const [token, setToken] = useState(() => {
    const fromLink = tokenFromHash(window.location.hash);
    if (fromLink) {
      stash(kind, fromLink);
      return fromLink;
    }
    return stashed(kind);
  });

  useEffect(() => {
    const fromLink = tokenFromHash(hash);
    if (fromLink) {
      stash(kind, fromLink);
      setToken(fromLink);
    }
    if (!window.location.hash) return;
    const { pathname, search } = window.location;
    // Keep the router's state for this history entry: only the address changes.
    window.history.replaceState(window.history.state, '', `${pathname}${search}`);
  }, [kind, hash]);

  return token;
}
