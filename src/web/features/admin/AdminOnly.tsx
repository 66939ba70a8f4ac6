import { ButtonLink } from '../../components/index.ts';
import { Page } from '../../layout/Page.tsx';

/** What a signed-in user who is not an instance admin sees on an admin page. */
export function AdminOnly({ heading, what }: { heading: string; what: string }) {
  return (
    <Page heading={heading}>
      <div className="alert alert--warning" role="alert">
        <p className="alert__title">Only instance admins can {what}.</p>
        <p>
          Your account is not an instance admin. If you need something changed here, ask one of your
          coalition&rsquo;s instance admins.
        </p>
        <div className="alert__actions">
          <ButtonLink to="/">Go to the home page</ButtonLink>
        </div>
      </div>
    </Page>
  );
}
