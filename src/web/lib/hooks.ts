import { type RefObject, useCallback, useEffect, useState } from 'react';

/** `value`, but only after it has stopped changing for `delayMs` (search boxes). */
export function useDebouncedValue<T>(value: T, delayMs = 300): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

export const PRODUCT_NAME = 'Tandem';

/** Sets the tab's title to "<page> — Tandem". */
export function useDocumentTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} — ${PRODUCT_NAME}` : PRODUCT_NAME;
  }, [title]);
}

/**
 * Moves focus to `target` once a modal dialog has closed: while it is open the page behind is
 * inert and cannot take focus, and the dialog's opener may be gone (a deleted row's button).
 * Returns the function to call when the dialog's action has succeeded.
 */
export function useFocusAfterDialog(
  target: RefObject<HTMLElement | null>,
  dialogOpen: boolean,
): () => void {
  const [pending, setPending] = useState(false);
  useEffect(() => {
    if (!pending || dialogOpen) return;
    target.current?.focus();
    setPending(false);
  }, [pending, dialogOpen, target]);
  return useCallback(() => setPending(true), []);
}
