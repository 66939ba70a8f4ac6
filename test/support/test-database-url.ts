import pg from 'pg';

/** The suite runs on PGlite unless TANDEM_TEST_DB=postgres (then TEST_DATABASE_URL is required). */
export function testDatabaseMode(): 'pglite' | 'postgres' {
  if (process.env.TANDEM_TEST_DB !== 'postgres') return 'pglite';
  if (!process.env.TEST_DATABASE_URL) {
    throw new Error('TANDEM_TEST_DB=postgres needs TEST_DATABASE_URL=postgres://…/postgres');
  }
  return 'postgres';
}

/** A pool on the maintenance database, for CREATE/DROP DATABASE. */
export function adminPool(): pg.Pool {
  return new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 2 });
}

export function databaseUrlFor(name: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL as string);
  url.pathname = `/${name}`;
  return url.toString();
}
