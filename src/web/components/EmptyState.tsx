import type { ReactNode } from 'react';

export interface EmptyStateProps {
  /** What is missing, in plain words: "No organisations yet". */
  title: ReactNode;
  /** What belongs here and why it matters. */
  children: ReactNode;
  /** The first action to take, e.g. a ButtonLink "Add the first organisation". */
  action?: ReactNode;
  icon?: ReactNode;
  headingLevel?: 2 | 3;
  compact?: boolean;
}

/** An empty place that teaches: what belongs here, and the first step to fill it. */
export function EmptyState({
  title,
  children,
  action,
  icon = '○',
  headingLevel = 2,
  compact = false,
}: EmptyStateProps) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className={compact ? 'state state--compact' : 'state'}>
      <div className="state__icon" aria-hidden="true">
        {icon}
      </div>
      <Heading className="state__title">{title}</Heading>
      <div className="state__body">{children}</div>
      {action && <div className="state__actions">{action}</div>}
    </div>
  );
}
