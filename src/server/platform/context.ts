import { randomUUID } from 'node:crypto';
import type { Db, DatabaseMode } from '../db/database.ts';
import type { FileStore } from './file-store.ts';
import { type MailTransport, memoryTransport } from './mail.ts';

/**
 * What services need from the outside world. The clock and the id source are injectable so that
 * the demo seed is deterministic (same seed → same ids and timestamps → same export).
 */
export interface AppContext {
  db: Db;
  dbMode: DatabaseMode;
  version: string;
  now: () => Date;
  newId: () => string;
  /** Where account emails (invitations, password resets) go. */
  mail: MailTransport;
  /**
   * The address people open Tandem at, for links in emails: TANDEM_PUBLIC_URL, else the address
   * the server listens on. Never taken from a request's Host header, which a caller controls.
   */
  publicUrl: string;
  /**
   * Where uploaded files (PDSA attachments) are kept. Absent in contexts that never store files
   * (the CLI's export, import, seed); uploads then answer 503.
   */
  files?: FileStore | undefined;
}

export function createContext(
  db: Db,
  dbMode: DatabaseMode,
  version: string,
  extras: { mail?: MailTransport; publicUrl?: string; files?: FileStore } = {},
): AppContext {
  return {
    db,
    dbMode,
    version,
    now: () => new Date(),
    newId: randomUUID,
    mail: extras.mail ?? memoryTransport(),
    publicUrl: extras.publicUrl ?? 'http://localhost:3000',
    files: extras.files,
  };
}

/**
 * Runs `work` in a transaction, or in the caller's when there already is one (the demo seed runs
 * every service inside its own transaction).
 */
export function inTransaction<T>(
  ctx: AppContext,
  work: (ctx: AppContext) => Promise<T>,
): Promise<T> {
  if (ctx.db.isTransaction) return work(ctx);
  return ctx.db.transaction().execute((trx) => work({ ...ctx, db: trx }));
}
