import { randomUUID } from 'node:crypto';
import type { Db, DatabaseMode } from '../db/database.ts';

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
}

export function createContext(db: Db, dbMode: DatabaseMode, version: string): AppContext {
  return { db, dbMode, version, now: () => new Date(), newId: randomUUID };
}
