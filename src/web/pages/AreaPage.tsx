import type { Area } from '../areas.tsx';
import { EmptyState } from '../components/index.ts';
import { Page } from '../layout/Page.tsx';

/** An area that has no data in this version: what it is for, and an honest empty state. */
export default function AreaPage({ area }: { area: Area }) {
  return (
    <Page heading={area.label} lead={area.purpose}>
      <EmptyState title={area.emptyTitle} icon="◌">
        {area.emptyBody}
      </EmptyState>
    </Page>
  );
}
