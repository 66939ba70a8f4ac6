import type { ReactNode } from 'react';
import { useLocation } from 'react-router';
import { ButtonLink } from '../components/index.ts';
import { Page } from '../layout/Page.tsx';

export interface NotFoundPageProps {
  /** A record's page that answered 404: "team", "network". */
  record?: string;
  /** A way back, e.g. a link to the list the record would be in. */
  actions?: ReactNode;
}

/**
 * No page here. A record that does not exist and one the reader may not see look the same
 * (the API answers 404 for both, so that a hidden record's existence does not leak).
 */
export default function NotFoundPage({ record, actions }: NotFoundPageProps = {}) {
  const location = useLocation();
  return (
    <Page heading="Page not found">
      <div className="card">
        {record ? (
          <p>
            There is no {record} at <code>{location.pathname}</code>, or it is not shared with you:
            it was not found or you cannot see it. If you think you should see it, ask a facilitator
            of its network to add you.
          </p>
        ) : (
          <p>
            There is no page at <code>{location.pathname}</code>. The link may be old, or the
            address may have a typo.
          </p>
        )}
        <div className="form-actions">
          {actions}
          <ButtonLink to="/" variant={actions ? 'secondary' : 'primary'}>
            Go to the home page
          </ButtonLink>
        </div>
      </div>
    </Page>
  );
}
