import { AppError, notFound } from './errors.ts';

/**
 * Optimistic concurrency: every editable record has an integer `version`, bumped on each write.
 * Its ETag is the strong tag `"<version>"`; an update must send it back in If-Match.
 */
export const etagFor = (version: number): string => `"${version}"`;

/** Parses If-Match into the expected version, or fails with 428/412 as RFC 9110/6585 describe. */
export function requireIfMatch(header: string | undefined, what: string): number {
  if (header === undefined || header.trim() === '') {
    throw new AppError(
      'precondition_required',
      `Send the ${what}'s current ETag in an If-Match header, so that a concurrent edit is not overwritten.`,
    );
  }
  const match = /^"(\d+)"$/.exec(header.trim());
  if (!match) {
    throw new AppError(
      'precondition_failed',
      `If-Match ${header} is not an ETag this server issued for the ${what}; reload it and retry.`,
    );
  }
  return Number(match[1]);
}

export const staleWrite = (what: string, current: number) =>
  new AppError(
    'precondition_failed',
    `The ${what} was changed by someone else (it is now at version ${current}). Reload it and apply your edit again.`,
  );

/**
 * The record locked for this write, if the client's If-Match names its current version: 404 when
 * it is gone, 428 without If-Match, 412 when someone changed it since the client read it.
 */
export function ensureCurrentVersion<Row extends { version: number }>(
  row: Row | undefined,
  ifMatch: string | undefined,
  what: string,
  id: string,
): Row {
  const expected = requireIfMatch(ifMatch, what);
  if (!row) throw notFound(what[0]?.toUpperCase() + what.slice(1), id);
  if (row.version !== expected) throw staleWrite(what, row.version);
  return row;
}
