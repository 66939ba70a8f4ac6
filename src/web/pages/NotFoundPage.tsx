import { useLocation } from 'react-router';
import { ButtonLink } from '../components/index.ts';
import { Page } from '../layout/Page.tsx';

export default function NotFoundPage() {
  const location = useLocation();
  return (
    <Page heading="Page not found">
      <div className="card">
        <p>
          There is no page at <code>{location.pathname}</code>. The link may be old, or the address
          may have a typo.
        </p>
        <ButtonLink to="/" variant="primary">
          Go to the home page
        </ButtonLink>
      </div>
    </Page>
  );
}
