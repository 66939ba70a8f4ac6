import type { ReactNode } from 'react';

export type BadgeTone = 'neutral' | 'accent' | 'success' | 'warning' | 'danger';

export function Badge({ tone = 'neutral', children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={`badge badge--${tone}`}>{children}</span>;
}

export type Visibility = 'public' | 'coalition' | 'network' | 'team' | 'private';

const VISIBILITY: Record<
  Visibility,
  { label: string; icon: string; tone: BadgeTone; help: string }
> = {
  public: {
    label: 'Public',
    icon: '◯',
    tone: 'success',
    help: 'Anyone, including the public, can see this.',
  },
  coalition: {
    label: 'Coalition',
    icon: '◐',
    tone: 'accent',
    help: 'Everyone in the coalition can see this.',
  },
  network: {
    label: 'Network',
    icon: '◑',
    tone: 'warning',
    help: 'Only members of this network can see this.',
  },
  team: { label: 'Team', icon: '●', tone: 'neutral', help: 'Only this team can see this.' },
  private: {
    label: 'Private draft',
    icon: '⊘',
    tone: 'danger',
    help: 'A draft: only its author (and instance admins) can see this.',
  },
};

/** Who can see a record. The word and the shape carry the meaning, never the colour alone. */
export function VisibilityBadge({ visibility }: { visibility: Visibility }) {
  const v = VISIBILITY[visibility];
  return (
    <span className={`badge badge--${v.tone}`} title={v.help}>
      <span aria-hidden="true">{v.icon}</span>
      <span>
        <span className="visually-hidden">Visibility: </span>
        {v.label}
      </span>
    </span>
  );
}
