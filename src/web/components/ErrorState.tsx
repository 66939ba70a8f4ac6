import type { ReactNode } from 'react';
import { useLocation } from 'react-router';
import { ApiError } from '../api/client.ts';
import { Button, ButtonLink } from './Button.tsx';

export interface ErrorStateProps {
  error: unknown;
  /** Shown as a "Try again" button; leave it out when trying again cannot help. */
  onRetry?: () => void;
  retrying?: boolean;
  /** Overrides the problem's title, e.g. "Could not load the organisations". */
  title?: ReactNode;
  /** Extra actions, e.g. a link back to the list. */
  actions?: ReactNode;
  headingLevel?: 2 | 3;
}

/** Says what went wrong (the problem's title and detail), gives the request id and a retry. */
export function ErrorState({
  error,
  onRetry,
  retrying = false,
  title,
  actions,
  headingLevel = 2,
}: ErrorStateProps) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const location = useLocation();
  const problem = error instanceof ApiError ? error.problem : undefined;
  // No session (it expired, or was signed out elsewhere): signing in is the way on, and back.
  const signIn =
    problem?.status === 401 &&
    problem.code === 'unauthenticated' &&
    location.pathname !== '/sign-in'
      ? `/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`
      : undefined;
  const detail =
    problem?.detail ??
    (problem ? undefined : error instanceof Error ? error.message : 'Something went wrong.');
  return (
    <div className="state state--error" role="alert">
      <Heading className="state__title">
        {title ?? problem?.title ?? 'Something went wrong'}
      </Heading>
      <div className="state__body">
        {title && problem?.title && <p>{problem.title}.</p>}
        {detail && <p>{detail}</p>}
        {problem?.errors && problem.errors.length > 0 && (
          <ul>
            {problem.errors.map((e) => (
              <li key={`${e.path}:${e.message}`}>
                <code>{e.path}</code>: {e.message}
              </li>
            ))}
          </ul>
        )}
        {problem?.request_id && (
          <p className="state__request-id">
            Request id <code>{problem.request_id}</code> — quote it if you report this problem.
          </p>
        )}
      </div>
      {(onRetry || actions || signIn) && (
        <div className="state__actions">
          {signIn && (
            <ButtonLink to={signIn} variant="primary">
              Sign in
            </ButtonLink>
          )}
          {onRetry && !signIn && (
            <Button
              variant="primary"
              onClick={onRetry}
              loading={retrying}
              loadingLabel="Trying again…"
            >
              Try again
            </Button>
          )}
          {actions}
        </div>
      )}
    </div>
  );
}
