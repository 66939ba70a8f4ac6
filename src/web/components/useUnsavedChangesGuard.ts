/**
 * Asks before unsaved work is lost by leaving the page. While `dirty`:
 *
 * - reloading, closing the tab or going to another site: the browser's own "Leave site?" prompt
 *   (`beforeunload`);
 * - a click on a link inside the app (a react-router `<Link>` or a plain same-origin `<a href>`):
 *   the click is caught in the capture phase, before the router sees it, and `window.confirm`
 *   asks; declining cancels the navigation (`preventDefault`, which `<Link>` honours);
 * - the browser's Back and Forward buttons: the URL has already changed when `popstate` arrives,
 *   so one listener, added by `installUnsavedChangesGuard()` before the router's (main.tsx), asks
 *   first; on "stay" it stops the event (the router never hears of it) and moves the history back
 *   to the page's entry with `history.go(±n)`, n from the router's entry index
 *   (`history.state.idx`), swallowing the popstate that move causes. Without an index it pushes
 *   the page's URL and state again instead (the entries ahead are lost then). Not `pushState` by
 *   default: Chromium marks the entry a script pushes from without a user gesture as one Back
 *   skips.
 *
 * Not covered: programmatic `navigate()` calls (there is no `useBlocker` in declarative
 * `<BrowserRouter>` mode); callers ask first with `confirmLeavingUnsaved()` (e.g. a team picker
 * that changes the page's search parameters).
 *
 * Which clicks count is decided by `isGuardedLinkClick`, a pure function of the click and the
 * link (unit-tested without a DOM).
 */
import { useEffect, useRef } from 'react';

/** The parts of a click that decide whether it navigates in this tab. */
export interface LinkClick {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
}

/** The link clicked: its `href` attribute as written (relative or absolute), `target`, `download`. */
export interface LinkTarget {
  href: string | null;
  target: string;
  download: boolean;
}

/**
 * True when going from `fromHref` to `toHref` leaves the page: another path or query on the same
 * origin. The same URL, or one that differs only in its `#fragment` (an in-page anchor, a skip
 * link), stays on the page; another origin is the browser's business (`beforeunload`).
 */
export function leavesPageInApp(fromHref: string, toHref: string): boolean {
  let from: URL;
  let to: URL;
  try {
    from = new URL(fromHref);
    to = new URL(toHref, from);
  } catch {
    return false;
  }
  if (to.protocol !== 'http:' && to.protocol !== 'https:') return false;
  if (to.origin !== from.origin) return false;
  return to.pathname !== from.pathname || to.search !== from.search;
}

/**
 * Whether a click on `link` (null: not on a link) is an in-app navigation in this tab that the
 * guard should ask about: a plain primary-button click (no Ctrl, ⌘, Shift or Alt, which open a
 * new tab or window or download), not already handled, on a link without `download` and with no
 * `target` other than `_self`, to another page of the same origin.
 */
export function isGuardedLinkClick(
  click: LinkClick,
  link: LinkTarget | null,
  currentHref: string,
): boolean {
  if (!link || link.href === null || link.href.trim() === '') return false;
  if (click.defaultPrevented || click.button !== 0) return false;
  if (click.metaKey || click.ctrlKey || click.shiftKey || click.altKey) return false;
  if (link.download) return false;
  const target = link.target.trim().toLowerCase();
  if (target !== '' && target !== '_self') return false;
  return leavesPageInApp(currentHref, link.href);
}

/** Reads the link around a click's target (HTML or SVG `<a>`), as `isGuardedLinkClick` wants it. */
function linkOf(eventTarget: EventTarget | null): LinkTarget | null {
  if (!(eventTarget instanceof Element)) return null;
  const anchor = eventTarget.closest('a');
  if (!anchor) return null;
  return {
    href: anchor.getAttribute('href') ?? anchor.getAttribute('xlink:href'),
    target: anchor.getAttribute('target') ?? '',
    download: anchor.hasAttribute('download'),
  };
}

// Clicks a guard has already asked about: with two dirty guards on a page, one question.
const asked = new WeakSet<Event>();
// After "leave" on a same-origin link that loads a new document, its beforeunload must not ask
// a second time.
let leavingUntil = 0;

interface Here {
  href: string;
  state: unknown;
}

const hereNow = (): Here => ({ href: window.location.href, state: window.history.state });

interface Guard {
  latest: { current: { message: string; ask: (message: string) => boolean } };
  /** Where the page is: what a declined Back returns to. */
  here: { current: Here | null };
}
// The guards with unsaved changes now, oldest first.
const dirtyGuards = new Set<Guard>();
const newestDirtyGuard = (): Guard | undefined => [...dirtyGuards].at(-1);

/**
 * Before a navigation the guard cannot see (`navigate()`, `setSearchParams()`): asks the newest
 * dirty guard's question, and answers true when there is nothing unsaved or the user chose to
 * leave.
 */
export function confirmLeavingUnsaved(): boolean {
  const guard = newestDirtyGuard();
  return guard ? guard.latest.current.ask(guard.latest.current.message) : true;
}

/**
 * How far to move in the history to get from the entry with state `now` back to the one with
 * state `back`, by React Router's entry index (`state.idx`); null when either has none.
 */
export function historyDelta(back: unknown, now: unknown): number | null {
  const idx = (state: unknown) =>
    typeof state === 'object' && state !== null && 'idx' in state && Number.isInteger(state.idx)
      ? (state.idx as number)
      : null;
  const from = idx(now);
  const to = idx(back);
  return from === null || to === null || from === to ? null : to - from;
}

// Set while the guard's own history.go() (undoing a Back the user declined) is under way.
let restoring: string | null = null;

function onPopState(event: PopStateEvent) {
  if (restoring !== null) {
    const expected = restoring;
    restoring = null;
    // The move back to the page: nobody else needs to hear of it.
    if (!leavesPageInApp(expected, window.location.href)) {
      event.stopImmediatePropagation();
      return;
    }
  }
  const guard = newestDirtyGuard();
  const back = guard?.here.current;
  if (!guard || !back || !leavesPageInApp(back.href, window.location.href)) return;
  if (guard.latest.current.ask(guard.latest.current.message)) return;
  // Stay: the router never hears of it, and the history goes back to the page's entry.
  event.stopImmediatePropagation();
  const delta = historyDelta(back.state, window.history.state);
  if (delta !== null) {
    restoring = back.href;
    window.history.go(delta);
  } else {
    window.history.pushState(back.state, '', back.href);
  }
}

let installed = false;

/**
 * Adds the guards' one `popstate` listener. Call it before the router mounts (main.tsx):
 * browsers call a window's listeners in the order they were added, whatever their capture flag
 * (Chromium 156 does), and the router's listener re-renders the page at once — unmounting the
 * unsaved work — so the guard's must come first. Without it, Back is not guarded (links and
 * reloads still are).
 */
export function installUnsavedChangesGuard(): void {
  if (installed || typeof window === 'undefined') return;
  installed = true;
  window.addEventListener('popstate', onPopState);
}

/**
 * Warns before unsaved changes are lost (see the file's comment). `message` is the question
 * asked on an in-app link or Back, e.g. "You have 3 unsaved changes. Leave this page and lose
 * them?"; the browser's own prompt is used on reload and close (browsers show their own text).
 */
export function useUnsavedChangesGuard(
  dirty: boolean,
  message: string,
  ask: (message: string) => boolean = (m) => window.confirm(m),
): void {
  const latest = useRef({ message, ask });
  latest.current = { message, ask };
  // Where the page is: refreshed on every render of the owner (a search parameter change
  // re-renders it) and after each link the guard let through.
  const here = useRef<Here | null>(null);
  useEffect(() => {
    here.current = hereNow();
  });

  useEffect(() => {
    if (!dirty) return;
    here.current = hereNow();
    const guard: Guard = { latest, here };

    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (Date.now() < leavingUntil) return;
      event.preventDefault();
      // Older browsers need returnValue set.
      event.returnValue = '';
    };

    const onClick = (event: MouseEvent) => {
      if (asked.has(event)) return;
      if (!isGuardedLinkClick(event, linkOf(event.target), window.location.href)) return;
      asked.add(event);
      if (latest.current.ask(latest.current.message)) {
        leavingUntil = Date.now() + 2000;
        // A router navigation changes the URL during this click; the owner may stay mounted.
        setTimeout(() => {
          here.current = hereNow();
        }, 0);
        return;
      }
      // <Link> skips navigating when the click's default is prevented.
      event.preventDefault();
    };

    dirtyGuards.add(guard);
    window.addEventListener('beforeunload', onBeforeUnload);
    window.addEventListener('click', onClick, true);
    return () => {
      dirtyGuards.delete(guard);
      window.removeEventListener('beforeunload', onBeforeUnload);
      window.removeEventListener('click', onClick, true);
    };
  }, [dirty]);
}
