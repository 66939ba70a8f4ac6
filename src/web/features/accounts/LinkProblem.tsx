import type { ReactNode } from 'react';
import { ApiError } from '../../api/client.ts';
import { EmptyState } from '../../components/index.ts';
import { Page } from '../../layout/Page.tsx';

/** Why an emailed link cannot be used: none in the address, used, expired, or unknown. */
export type LinkProblemKind = 'missing' | 'used' | 'expired' | 'unknown';

/** The link problem an API error stands for (410 link_used / link_expired, 404), if any. */
export function linkProblemOf(error: unknown): LinkProblemKind | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.status === 410 && error.code === 'link_used') return 'used';
  if (error.status === 410 && error.code === 'link_expired') return 'expired';
  if (error.status === 404) return 'unknown';
  return undefined;
}

export interface LinkProblemPageProps {
  heading: string;
  /** The way on, as the section's heading: "Ask for a new link". */
  remedy: string;
  /** What happened and what to do, in plain words. */
  children: ReactNode;
  /** The server's own words (e.g. who to ask), shown after ours when they add something. */
  detail?: string | undefined;
  actions: ReactNode;
  icon?: string;
}

/** A whole page that explains why the link does not work and offers the way on. */
export function LinkProblemPage({
  heading,
  remedy,
  children,
  detail,
  actions,
  icon = '⚠',
}: LinkProblemPageProps) {
  return (
    <Page heading={heading}>
      <div className="form-card" data-testid="link-problem">
        <EmptyState title={remedy} icon={icon} action={actions}>
          {children}
          {detail && <p>{detail}</p>}
        </EmptyState>
      </div>
    </Page>
  );
}
