/**
 * One stored value's history (GET /measure-values/{id}/history): the value as stored now on top,
 * then each earlier state, newest first — numerator, denominator, excluded, note, and who stored
 * it, when and how (data grid, file import, API). "Never corrected" when there is no earlier
 * state. Shown in the data panel's history section and in the grid's per-row History dialog.
 */
import { EmptyState, ErrorState, Skeleton } from '../../components/index.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useMe } from '../accounts/queries.ts';
import { SOURCE_LABELS, type ValueState, valueStates } from './history.ts';
import { formatNumber } from './model.ts';
import { useValueHistory } from './queries.ts';

export function ValueHistory({
  valueId,
  unit,
  headingLevel = 3,
}: {
  valueId: string;
  unit: string;
  headingLevel?: 2 | 3;
}) {
  const history = useValueHistory(valueId);
  const me = useMe();
  if (history.isPending) return <Skeleton lines={3} label="Loading the history…" />;
  if (history.isError)
    return (
      <ErrorState
        title="Could not load the history"
        error={history.error}
        onRetry={() => history.refetch()}
        retrying={history.isFetching}
        headingLevel={headingLevel}
      />
    );
  const { value, revisions } = history.data;
  const states = valueStates(history.data);
  const withDenominator = states.some((s) => s.denominator !== null);
  // "Avery Admin, file import"; "Ana Diaz, first entry"; "First entry" when the server wrote it.
  const storedBy = (s: ValueState) => {
    const who = s.storedBy
      ? s.storedBy
      : s.storedById && s.storedById === me.data?.id
        ? 'You'
        : s.firstEntry
          ? null
          : 'Someone';
    const how = s.source ? SOURCE_LABELS[s.source] : 'first entry';
    if (!who) return 'First entry';
    return `${who}, ${how}`;
  };
  return (
    <div className="value-history">
      <section
        className="table-wrap"
        // The wrapper scrolls (on a phone), so keyboard users must be able to focus it (WCAG 2.1.1).
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be keyboard-reachable
        tabIndex={0}
        aria-label="The value’s history"
      >
        <table className="table value-history__table" data-testid="value-history">
          <caption className="visually-hidden">
            The value as stored now, then its earlier states, newest first
          </caption>
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col" className="value-history__number">
                Numerator
              </th>
              {withDenominator && (
                <th scope="col" className="value-history__number">
                  Denominator
                </th>
              )}
              <th scope="col">Excluded</th>
              <th scope="col">Note</th>
              <th scope="col">Stored: when, by whom, how</th>
            </tr>
          </thead>
          <tbody>
            {states.map((s) => (
              <tr key={s.key} className={s.current ? 'value-history__current' : undefined}>
                <th scope="row">{s.current ? `Now (version ${value.version})` : 'Earlier'}</th>
                {/* data-label: the column's name, shown beside the value on a phone. */}
                <td className="value-history__number" data-label="Numerator">
                  {formatNumber(s.numerator)}
                </td>
                {withDenominator && (
                  <td className="value-history__number" data-label="Denominator">
                    {formatNumber(s.denominator)}
                  </td>
                )}
                <td data-label="Excluded">{s.excluded ? 'Yes: left out of the limits' : 'No'}</td>
                <td className="value-history__note" data-label="Note">
                  {s.note || '—'}
                </td>
                <td className="value-history__stored" data-label="Stored">
                  <div>
                    <time dateTime={s.storedAt}>{formatDateTime(s.storedAt)}</time>
                    <span className="value-history__by">{storedBy(s)}</span>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {revisions.length === 0 ? (
        <EmptyState title="Never corrected" headingLevel={headingLevel} compact icon="✓">
          <p>This is the value as first entered, on {formatDateTime(value.created_at)}.</p>
        </EmptyState>
      ) : (
        <p className="card__meta">
          Corrected {revisions.length === 1 ? 'once' : `${revisions.length} times`}; each correction
          kept the value it replaced.
        </p>
      )}
      {unit && (
        <p className="card__meta">Values as entered (counts); the chart shows them in {unit}.</p>
      )}
    </div>
  );
}
