import { AppError } from './errors.ts';

/**
 * Opaque keyset cursors: base64url of a small JSON array holding the sort key of the last row
 * returned. Keyset (not offset) pagination stays correct and fast while rows are added.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((part) => typeof part === 'string' || typeof part === 'number')
    ) {
      return key;
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError(
    'invalid_cursor',
    'The cursor is not one this list returned; start again without it.',
    [{ path: '/query/cursor', message: 'not a cursor issued by this list' }],
  );
}

export const DEFAULT_PAGE_SIZE = 50;

/** A list request's page size (default 50) and decoded keyset cursor of `arity` parts. */
export function pageRequest<Key extends (string | number)[]>(
  input: { limit?: number | undefined; cursor?: string | undefined },
  arity: Key['length'],
): { limit: number; after: Key | undefined } {
  return {
    limit: input.limit ?? DEFAULT_PAGE_SIZE,
    after: input.cursor ? (decodeCursor(input.cursor, arity) as Key) : undefined,
  };
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says whether more exist. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => (string | number)[],
  toItem: (row: Row) => Item,
): Page<Item> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(toItem),
    next_cursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null,
  };
}
