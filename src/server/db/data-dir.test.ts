import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, checkDataDirFormat, DATA_DIR_FORMAT } from './data-dir.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-dd-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('data directory lock', () => {
  it('refuses a second holder in this process, and frees on release', () => {
    const dir = tempDir();
    const lock = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).toThrow(/already open in this process/);
    lock.release();
    expect(fs.existsSync(path.join(dir, 'tandem.lock'))).toBe(false);
    acquireDataDirLock(dir).release();
  });

  it('refuses a directory whose lock names another live process', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'tandem.lock'), JSON.stringify({ pid: process.ppid }));
    expect(() => acquireDataDirLock(dir)).toThrow(/in use by another Tandem process \(pid \d+\)/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'tandem.lock'), 'utf8')).pid).toBe(
      process.ppid,
    );
  });

  it('takes over a lock naming our own pid that we do not hold (pid reused after a restart)', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'tandem.lock'), JSON.stringify({ pid: process.pid }));
    acquireDataDirLock(dir).release();
  });

  it('takes over a stale lock left by a dead process', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'tandem.lock'), JSON.stringify({ pid: deadPid() }));
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'tandem.lock'), 'utf8')).pid).toBe(
      process.pid,
    );
    lock.release();
  });

  it('treats an unreadable lock file as stale', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'tandem.lock'), '{half');
    acquireDataDirLock(dir).release();
  });
});

describe('data directory format', () => {
  it('stamps a new directory and accepts it again', () => {
    const dir = tempDir();
    checkDataDirFormat(dir, '0.1.0');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'tandem-data.json'), 'utf8')).format).toBe(
      DATA_DIR_FORMAT,
    );
    expect(() => checkDataDirFormat(dir, '0.1.0')).not.toThrow();
  });

  it('refuses a directory written by a newer version, with a clear message', () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'tandem-data.json'),
      JSON.stringify({ format: DATA_DIR_FORMAT + 1 }),
    );
    expect(() => checkDataDirFormat(dir, '0.1.0')).toThrow(/written by a newer Tandem/);
  });
});
