import { Link } from 'react-router';
import { Badge } from '../../components/index.ts';
import '../../styles/pdsa.css';
import {
  DECISION_ICONS,
  DECISION_LABELS,
  DECISION_TONES,
  formatDay,
  OUTCOME_ICONS,
  OUTCOME_LABELS,
  OUTCOME_TONES,
  type PdsaDecision,
  type PdsaState,
  type PredictionOutcome,
  type RampNode,
  STATE_ICONS,
  STATE_LABELS,
  STATE_TONES,
} from './model.ts';

/** Where a cycle is: the word and a shape, never the colour alone. */
export function StateBadge({ state }: { state: PdsaState }) {
  return (
    <Badge tone={STATE_TONES[state]}>
      <span aria-hidden="true">{STATE_ICONS[state]}</span>
      <span>
        <span className="visually-hidden">State: </span>
        {STATE_LABELS[state]}
      </span>
    </Badge>
  );
}

export function DecisionBadge({ decision }: { decision: PdsaDecision }) {
  return (
    <Badge tone={DECISION_TONES[decision]}>
      <span aria-hidden="true">{DECISION_ICONS[decision]}</span>
      <span>
        <span className="visually-hidden">Decision: </span>
        {DECISION_LABELS[decision]}
      </span>
    </Badge>
  );
}

export function OutcomeBadge({ outcome }: { outcome: PredictionOutcome }) {
  return (
    <Badge tone={OUTCOME_TONES[outcome]}>
      <span aria-hidden="true">{OUTCOME_ICONS[outcome]}</span>
      <span>{OUTCOME_LABELS[outcome]}</span>
    </Badge>
  );
}

/** A ramp's step as a small card: title (a link), scale, state and decision badges. */
function RampStep({ node, currentId }: { node: RampNode; currentId?: string | undefined }) {
  const c = node.cycle;
  if (!c) {
    return (
      <div className="ramp__step ramp__step--hidden">
        <span className="ramp__scale">A cycle you cannot see</span>
      </div>
    );
  }
  const current = c.id === currentId;
  return (
    <div className={current ? 'ramp__step ramp__step--current' : 'ramp__step'}>
      <span className="ramp__scale">{c.scale || 'Scale not set'}</span>
      {current ? (
        <span className="ramp__title" aria-current="page">
          {c.title} <span className="card__meta">(this cycle)</span>
        </span>
      ) : (
        <Link className="ramp__title" to={`/cycles/${c.id}`}>
          {c.title}
        </Link>
      )}
      <span className="badge-row">
        <StateBadge state={c.state} />
        {c.decision && <DecisionBadge decision={c.decision} />}
      </span>
      {c.planned_start && <span className="card__meta">From {formatDay(c.planned_start)}</span>}
    </div>
  );
}

function RampBranch({ node, currentId }: { node: RampNode; currentId?: string | undefined }) {
  return (
    <li className="ramp__item">
      <RampStep node={node} currentId={currentId} />
      {node.children.length > 0 && (
        <ol className={node.children.length > 1 ? 'ramp__list ramp__list--branch' : 'ramp__list'}>
          {node.children.map((child) => (
            <RampBranch key={child.key} node={child} currentId={currentId} />
          ))}
        </ol>
      )}
    </li>
  );
}

/**
 * A ramp of cycles, each built on the one before ("1 student → 1 class → 1 grade"): a chain read
 * left to right (top to bottom on a phone); a cycle followed by two shows them as branches.
 */
export function RampView({
  roots,
  currentId,
  label,
}: {
  roots: RampNode[];
  currentId?: string;
  label: string;
}) {
  return (
    <ol className="ramp" aria-label={label}>
      {roots.map((root) => (
        <RampBranch key={root.key} node={root} currentId={currentId} />
      ))}
    </ol>
  );
}
