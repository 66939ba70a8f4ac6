import type { ReactNode } from 'react';
import { ButtonLink, EmptyState, ErrorState, Skeleton } from '../../components/index.ts';
import { Page } from '../../layout/Page.tsx';
import { type Me, signInPath } from './model.ts';
import { useMe } from './queries.ts';

export interface RequireSignInProps {
  /** The page's h1 while nobody is signed in (the signed-in page renders its own `Page`). */
  heading: string;
  /** Where to come back to after signing in, e.g. "/profile". */
  next: string;
  /** What the page shows once signed in, for the prompt: "your profile and sessions". */
  what: ReactNode;
  children: (me: Me) => ReactNode;
}

/** A page for the signed-in user: while nobody is, a prompt to sign in that comes back here. */
export function RequireSignIn({ heading, next, what, children }: RequireSignInProps) {
  const me = useMe();
  if (me.data) return children(me.data);
  return (
    <Page heading={heading}>
      {me.isPending && <Skeleton lines={3} label="Checking whether you are signed in…" />}
      {me.isError && (
        <ErrorState
          title="Could not check whether you are signed in"
          error={me.error}
          onRetry={() => me.refetch()}
          retrying={me.isFetching}
        />
      )}
      {me.data === null && (
        <EmptyState
          title="Sign in to see this page"
          icon="→"
          action={
            <ButtonLink to={signInPath(next)} variant="primary">
              Sign in
            </ButtonLink>
          }
        >
          <p>
            This page shows {what}. Sign in with your Tandem account and you will come back here.
          </p>
        </EmptyState>
      )}
    </Page>
  );
}
