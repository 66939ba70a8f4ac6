import fs from 'node:fs';
import path from 'node:path';
import { StartupError } from '../platform/startup-error.ts';

/** Bumped only when the on-disk layout of a data directory changes incompatibly. */
export const DATA_DIR_FORMAT = 1;
const LOCK_FILE = 'tandem.lock';
const META_FILE = 'tandem-data.json';

/** Directories this process holds: a lock naming our own pid is ours only if listed here. */
const heldHere = new Set<string>();

export interface DataDirLock {
  release(): void;
}

/**
 * PGlite has no cross-process lock on its files, and two processes writing one directory corrupt
 * it. The lock file holds the owner's pid; a lock whose pid is no longer running is stale (the
 * owner was killed) and is taken over.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  if (heldHere.has(lockPath)) {
    throw new StartupError(`The data directory ${dataDir} is already open in this process.`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, started_at: new Date().toISOString() }));
      fs.closeSync(fd);
      heldHere.add(lockPath);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          heldHere.delete(lockPath);
          if (readLockPid(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readLockPid(lockPath);
      // Our own pid here is a leftover of an earlier process that had the same pid (containers
      // restart as pid 1): we do not hold this directory (checked above), so it is stale.
      if (owner !== undefined && owner !== process.pid && isRunning(owner)) {
        throw new StartupError(
          `The data directory ${dataDir} is in use by another Tandem process (pid ${owner}). ` +
            'Stop that process first, or set TANDEM_DATA_DIR to another directory.',
        );
      }
      fs.rmSync(lockPath, { force: true }); // stale: its owner is gone
    }
  }
  throw new StartupError(
    `Could not lock the data directory ${dataDir}; another process keeps taking it.`,
  );
}

function readLockPid(lockPath: string): number | undefined {
  try {
    const pid = Number(JSON.parse(fs.readFileSync(lockPath, 'utf8')).pid);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined; // unreadable or half-written lock: treat as stale
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Refuses a data directory written by a newer Tandem whose layout this version cannot read, and
 * stamps new directories with the current format.
 */
export function checkDataDirFormat(dataDir: string, appVersion: string): void {
  const metaPath = path.join(dataDir, META_FILE);
  if (!fs.existsSync(metaPath)) {
    fs.writeFileSync(
      metaPath,
      `${JSON.stringify({ format: DATA_DIR_FORMAT, created_by: appVersion }, null, 2)}\n`,
    );
    return;
  }
  let meta: { format?: unknown; created_by?: unknown };
  try {
    meta = JSON.parse(fs.readFileSync(metaPath, 'utf8'));
  } catch {
    throw new StartupError(`${metaPath} is not valid JSON; the data directory may be damaged.`);
  }
  if (typeof meta.format !== 'number' || meta.format > DATA_DIR_FORMAT) {
    throw new StartupError(
      `The data directory ${dataDir} was written by a newer Tandem (data format ${String(meta.format)}, ` +
        `this version reads format ${DATA_DIR_FORMAT}). Upgrade Tandem, or restore a backup with \`tandem import\`.`,
    );
  }
}
