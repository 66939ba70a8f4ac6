import { Button } from './Button.tsx';

export interface LoadMoreProps {
  /** How many items are shown, e.g. "24 organisations". */
  shownLabel: string;
  /** True while the server gave a `next_cursor`. */
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
  /** Names what loads, e.g. "Load more organisations". */
  buttonLabel?: string;
}

/** Cursor pagination: "Load more" appends the next page, the count is announced. */
export function LoadMore({
  shownLabel,
  hasMore,
  loading,
  onLoadMore,
  buttonLabel = 'Load more',
}: LoadMoreProps) {
  return (
    <div className="pagination">
      <p role="status" aria-live="polite">
        Showing {shownLabel}
        {hasMore ? '' : ' (all)'}
      </p>
      {hasMore && (
        <Button onClick={onLoadMore} loading={loading} loadingLabel="Loading…">
          {buttonLabel}
        </Button>
      )}
    </div>
  );
}
