import { CompiledQuery } from 'kysely';
import type { Db } from './database.ts';

/**
 * Bulk loading with COPY … FROM STDIN, PostgreSQL's fastest way in: rows go as one text stream,
 * parsed once, inserted in batches by the server, without the executor's per-row work of an
 * INSERT … SELECT. Both databases take it inside the caller's transaction: the rows ride as the
 * one parameter of the query, a CopyPayload, which the PostgreSQL client (connect.ts) streams
 * with pg-copy-streams and the PGlite dialect hands to PGlite as its `/dev/blob`.
 *
 * Text format (PostgreSQL docs, "COPY", File Formats → Text Format): fields separated by tabs,
 * rows by newlines, `\N` for null, and a backslash escapes backslash, tab, newline and carriage
 * return inside a value.
 */
export class CopyPayload {
  constructor(readonly text: string) {}
}

export type CopyValue = string | number | boolean | null;

const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field in COPY's text format. Numbers must be finite (checked by the callers' rules). */
export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`COPY cannot carry the number ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return value.replace(SPECIAL, (c) => ESCAPES[c] as string);
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Appends the rows to `table` (columns in the order of each row's values); returns how many. */
export async function copyRows(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<number> {
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`Not a plain identifier: ${name}`);
  }
  const lines: string[] = [];
  for (const row of rows) lines.push(row.map(copyField).join('\t'));
  if (lines.length === 0) return 0;
  await db.executeQuery(
    CompiledQuery.raw(`copy ${table} (${columns.join(', ')}) from stdin`, [
      new CopyPayload(`${lines.join('\n')}\n`),
    ]),
  );
  return lines.length;
}

/** The COPY statement and its rows when a query is a copyRows one, else undefined. */
export function copyRequest(
  sqlText: string,
  parameters: readonly unknown[],
): { sql: string; payload: CopyPayload } | undefined {
  const payload = parameters[0];
  return payload instanceof CopyPayload && parameters.length === 1
    ? { sql: sqlText, payload }
    : undefined;
}
