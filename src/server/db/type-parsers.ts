/**
 * One set of result-type conventions for both drivers, so that PGlite and PostgreSQL return the
 * same JavaScript values (architecture note: counts are numbers in PGlite but strings in `pg`).
 *
 * - int8 (count(*), sums of integers) → number. Safe: no table uses int8 identifiers.
 * - numeric → number. Statistics are computed in doubles anyway; exact decimals are not stored.
 * - date → the ISO 'YYYY-MM-DD' string as sent by the server (no local-time-zone Date shift).
 * timestamptz stays a Date in both drivers.
 */
export const TYPE_OIDS = { int8: 20, numeric: 1700, date: 1082 } as const;

export const sharedParsers: Record<number, (value: string) => unknown> = {
  [TYPE_OIDS.int8]: (value) => Number(value),
  [TYPE_OIDS.numeric]: (value) => Number(value),
  [TYPE_OIDS.date]: (value) => value,
};
