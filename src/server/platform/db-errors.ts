/** PostgreSQL SQLSTATE codes we translate into user-facing errors (both drivers expose `code`). */
const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e?.code !== UNIQUE_VIOLATION) return false;
  if (!constraint) return true;
  return e.constraint === constraint || String(e.message ?? '').includes(constraint);
}
