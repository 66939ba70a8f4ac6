import type { ReactNode } from 'react';

export type SortDirection = 'ascending' | 'descending';
export interface SortState {
  key: string;
  direction: SortDirection;
}

export interface Column<T> {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** The cell that names the row (rendered as a row header `<th scope="row">`). */
  rowHeader?: boolean;
  /** Shows a sort button in the header; the caller sorts (often on the server). */
  sortable?: boolean;
  className?: string;
}

export interface TableProps<T> {
  caption: ReactNode;
  /** Extra words after the caption, e.g. "sorted by name". */
  captionNote?: ReactNode;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  sort?: SortState;
  onSortChange?: (sort: SortState) => void;
  busy?: boolean;
}

/** A data table with a caption and a header that stays in view while the body scrolls. */
export function Table<T>({
  caption,
  captionNote,
  columns,
  rows,
  rowKey,
  sort,
  onSortChange,
  busy,
}: TableProps<T>) {
  return (
    <section
      className="table-wrap"
      // The wrapper scrolls, so keyboard users must be able to focus it to scroll it (WCAG 2.1.1).
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be keyboard-reachable
      tabIndex={0}
      aria-label={typeof caption === 'string' ? caption : undefined}
    >
      <table className="table" aria-busy={busy || undefined}>
        <caption>
          {caption}
          {/* The space keeps the caption's words apart for screen readers ("API tokens newest first"). */}
          {captionNote && <span className="table__caption-note"> {captionNote}</span>}
        </caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const sorted = sort?.key === column.key ? sort.direction : undefined;
              return (
                <th
                  key={column.key}
                  scope="col"
                  aria-sort={column.sortable ? (sorted ?? 'none') : undefined}
                >
                  {column.sortable && onSortChange ? (
                    <button
                      type="button"
                      className="table__sort"
                      onClick={() =>
                        onSortChange({
                          key: column.key,
                          direction: sorted === 'ascending' ? 'descending' : 'ascending',
                        })
                      }
                    >
                      {column.header}
                      <span aria-hidden="true">
                        {sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : '↕'}
                      </span>
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) =>
                column.rowHeader ? (
                  <th key={column.key} scope="row" className={column.className}>
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={column.key} className={column.className}>
                    {column.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
