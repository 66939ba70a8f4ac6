import { AppError } from './errors.ts';

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
