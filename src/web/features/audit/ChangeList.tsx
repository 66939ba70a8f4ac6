import { plural } from '../../lib/format.ts';
import { type AuditEvent, fieldLabel, formatValue } from './model.ts';

/**
 * What an audit event changed, folded away by default: "3 changes" opens to one line per field,
 * "name: Old → New". A create lists the values set, a delete the values removed.
 */
export function ChangeList({ event }: { event: AuditEvent }) {
  const { changes, action } = event;
  if (changes.length === 0) return <span className="card__meta">No field changes recorded</span>;
  const count = changes.length;
  const what =
    action === 'create'
      ? `${plural(count, 'value')} set`
      : action === 'delete'
        ? `${plural(count, 'value')} removed`
        : plural(count, 'change');
  return (
    <details className="changes">
      <summary>
        {what}
        <span className="visually-hidden">: {event.summary}</span>
      </summary>
      <ul className="changes__list">
        {changes.map((change) => (
          <li key={change.field} className="changes__item">
            <span className="changes__field">{fieldLabel(change.field)}</span>
            {action === 'create' ? (
              <span className="changes__after">{formatValue(change.after)}</span>
            ) : action === 'delete' ? (
              <span className="changes__before">{formatValue(change.before)}</span>
            ) : (
              <span>
                <span className="visually-hidden">from </span>
                <span className="changes__before">{formatValue(change.before)}</span>
                <span className="changes__arrow" aria-hidden="true">
                  {' → '}
                </span>
                <span className="visually-hidden"> to </span>
                <span className="changes__after">{formatValue(change.after)}</span>
              </span>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}
