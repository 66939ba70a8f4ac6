import { type ReactNode, useEffect, useRef } from 'react';
import { Link, useLocation } from 'react-router';
import { useDocumentTitle } from '../lib/hooks.ts';

let firstPageShown = false;

export interface PageProps {
  /** The page's one h1. */
  heading: ReactNode;
  /** The tab title; defaults to the heading when it is text. */
  title?: string;
  lead?: ReactNode;
  /** Buttons on the right of the heading. */
  actions?: ReactNode;
  breadcrumbs?: { to: string; label: string }[];
  children?: ReactNode;
}

/**
 * The frame of every page: breadcrumbs, the h1, a lead paragraph and actions. After a client-side
 * navigation it moves focus to the h1 so screen readers announce the new page.
 */
export function Page({ heading, title, lead, actions, breadcrumbs, children }: PageProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useDocumentTitle(title ?? (typeof heading === 'string' ? heading : ''));

  const { pathname } = useLocation();

  // Keyed on the path, not on mounting: two pages of one component (two areas) reuse it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the page changes
  useEffect(() => {
    if (firstPageShown) headingRef.current?.focus();
    firstPageShown = true;
  }, [pathname]);

  return (
    <>
      <div className="page-header">
        {breadcrumbs && breadcrumbs.length > 0 && (
          <nav className="breadcrumbs" aria-label="Breadcrumbs">
            <ol>
              {breadcrumbs.map((b) => (
                <li key={b.to}>
                  <Link to={b.to}>{b.label}</Link>
                </li>
              ))}
            </ol>
          </nav>
        )}
        <div className="page-header__row">
          <h1 ref={headingRef} tabIndex={-1}>
            {heading}
          </h1>
          {actions && <div className="form-actions">{actions}</div>}
        </div>
        {lead && <p className="page-header__lead">{lead}</p>}
      </div>
      {children}
    </>
  );
}
