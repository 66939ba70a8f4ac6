import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/connect.ts';
import { migrations } from '../../src/server/db/migrations/index.ts';
import { startFakeS3 } from '../support/fake-s3.ts';

const BIN = path.resolve('bin/tandem.mjs');
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-cli-'));
  dirs.push(dir);
  return dir;
};
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  output: () => string;
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  exit: Promise<number | null>;
}

function start(args: string[], env: Record<string, string | undefined> = {}): Started {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, DATABASE_URL: undefined, TANDEM_DATA_DIR: undefined, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  child.stdout?.on('data', (d) => (text += d));
  child.stderr?.on('data', (d) => (text += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => text,
    exit,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${pattern}; output:\n${text}`)),
          timeoutMs,
        );
        const check = () => {
          const match = text.match(pattern);
          if (match) {
            clearTimeout(timer);
            resolve(match);
          } else if (child.exitCode !== null) {
            clearTimeout(timer);
            reject(new Error(`exited ${child.exitCode} before ${pattern}; output:\n${text}`));
          } else setTimeout(check, 50);
        };
        check();
      }),
  };
}

async function run(args: string[], env: Record<string, string | undefined> = {}) {
  const started = start(args, env);
  const code = await started.exit;
  return { code, output: started.output() };
}

// Each case starts real processes (tsx, PGlite's WASM, a demo seed): slow on a busy 2-core
// machine, so twice the suite's default timeout.
describe('tandem CLI', { timeout: 120_000 }, () => {
  it('has --help for the program and every command, and rejects unknown options', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['serve', 'migrate', 'seed', 'export', 'import'])
      expect(help.output).toContain(command);
    const seedHelp = await run(['seed', '--help']);
    expect(seedHelp.output).toMatch(/--size small\|large/);
    const bad = await run(['seed', '--sise', 'large']);
    expect(bad.code).toBe(2);
    expect(bad.output).toMatch(/Unknown option '--sise'/);
    expect(bad.output).toMatch(/Usage: tandem seed/);
  });

  it('exits with one clear line when DATABASE_URL is unreachable', async () => {
    const result = await run(['migrate'], {
      DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/none',
    });
    expect(result.code).toBe(1);
    const lines = result.output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^tandem migrate: Cannot connect to PostgreSQL at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none/,
    );
    expect(result.output).not.toContain('secret');
  });

  it('migrate --status lists migrations; a second process on the same data dir is refused', async () => {
    const dataDir = tempDir();
    const status = await run(['migrate', '--status', '--data-dir', dataDir]);
    expect(status.code).toBe(0);
    expect(status.output).toMatch(/pending {2}20261123090000_coalition_and_organisations/);
    expect((await run(['migrate', '--data-dir', dataDir])).output).toMatch(
      /Applied: 20261123090000/,
    );
    expect((await run(['migrate', '--status', '--data-dir', dataDir])).output).toContain(
      `${Object.keys(migrations).length} applied, 0 pending`,
    );

    fs.writeFileSync(path.join(dataDir, 'tandem.lock'), JSON.stringify({ pid: process.pid }));
    const refused = await run(['migrate', '--data-dir', dataDir]);
    expect(refused.code).toBe(1);
    expect(refused.output.trim()).toMatch(
      /^tandem migrate: The data directory .* is in use by another Tandem process \(pid \d+\)/,
    );
  });

  it('serves, then shuts down cleanly on Ctrl-C and releases the lock', async () => {
    const dataDir = tempDir();
    const server = start(['serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], {
      TANDEM_WEB_ROOT: tempDir(),
    });
    const [, url] = await server.waitFor(/is running at (http:\/\/\S+) /);
    const health = await fetch(`${url}/api/v1/health`);
    expect(health.status).toBe(200);
    expect((await health.json()).database.mode).toBe('pglite');
    const coalition = await (await fetch(`${url}/api/v1/coalition`)).json();
    expect(coalition.name).toBe('Riverbend Education Partnership');
    expect(fs.existsSync(path.join(dataDir, 'tandem.lock'))).toBe(true);
    server.child.kill('SIGINT');
    expect(await server.exit).toBe(0);
    expect(server.output()).toMatch(/Stopped cleanly/);
    expect(fs.existsSync(path.join(dataDir, 'tandem.lock'))).toBe(false);
  });

  it('survives being killed during a seed: the restart opens a consistent, empty database', async () => {
    const dataDir = tempDir();
    // A pause at each seed checkpoint makes "during the seed" a certainty, not a race.
    const seeding = start(['seed', '--size', 'large', '--data-dir', dataDir], {
      TANDEM_SEED_STEP_DELAY_MS: '400',
    });
    await seeding.waitFor(/seed directory: [1-9]\d*%/);
    seeding.child.kill('SIGKILL');
    await seeding.exit;
    // The lock's owner is dead: it is taken over. The seed's transaction never committed.
    const again = await run(['seed', '--data-dir', dataDir]);
    expect(again.output).toMatch(/Seeded the small demo coalition/);
    expect(again.code).toBe(0);
    const out = path.join(dataDir, 'backup.jsonl');
    const exported = await run(['export', '--out', out, '--data-dir', dataDir]);
    expect(exported.code).toBe(0);
    const header = JSON.parse(fs.readFileSync(out, 'utf8').split('\n')[0] as string);
    expect(header.counts.coalition).toBe(1);
    expect(header.counts.organisation).toBeLessThan(100);
  });

  it('Ctrl-C during a seed stops it, keeps nothing and releases the lock', async () => {
    const dataDir = tempDir();
    // A pause at each seed checkpoint makes "during the seed" a certainty, not a race.
    const seeding = start(['seed', '--size', 'large', '--data-dir', dataDir], {
      TANDEM_SEED_STEP_DELAY_MS: '400',
    });
    await seeding.waitFor(/seed directory: [1-9]\d*%/);
    seeding.child.kill('SIGINT');
    expect(await seeding.exit).toBe(130);
    expect(seeding.output()).toMatch(/interrupted; nothing was written/);
    expect(fs.existsSync(path.join(dataDir, 'tandem.lock'))).toBe(false);
    const status = await run(['migrate', '--status', '--data-dir', dataDir]);
    expect(status.code).toBe(0);
  });

  it('user create makes an account from a piped password, and refuses a weak one by field', async () => {
    const dataDir = tempDir();
    const created = start([
      'user',
      'create',
      '--email',
      'Admin@Example.org',
      '--name',
      'First Admin',
      '--admin',
      '--password-stdin',
      '--data-dir',
      dataDir,
    ]);
    const ok = await new Promise<{ code: number | null; output: string }>((resolve) => {
      created.child.stdin?.end('orange kettle under the bridge\n');
      void created.exit.then((code) => resolve({ code, output: created.output() }));
    });
    expect(ok.output).toMatch(/Created admin account admin@example.org/);
    expect(ok.code).toBe(0);
    const weak = start([
      'user',
      'create',
      '--email',
      'b@example.org',
      '--name',
      'B',
      '--password-stdin',
      '--data-dir',
      dataDir,
    ]);
    weak.child.stdin?.end('short\n');
    expect(await weak.exit).toBe(2);
    expect(weak.output()).toMatch(/--password: Use at least 12 characters/);
  });

  it('round-trips export and import between data directories', async () => {
    const source = tempDir();
    expect((await run(['seed', '--data-dir', source])).code).toBe(0);
    const file = path.join(source, 'backup.jsonl');
    expect((await run(['export', '--out', file, '--data-dir', source])).code).toBe(0);
    const target = tempDir();
    const restored = await run(['import', '--in', file, '--data-dir', target]);
    expect(restored.code).toBe(0);
    expect(restored.output).toMatch(/Restored .*: .*\b1 coalition\b/);
    expect(restored.output).toMatch(/Restored .*: .*\b\d+ organisation\b/);
    expect(restored.output).toMatch(
      /Restored .*: .*\b3 network\b.*\b6 app_user\b|\b6 app_user\b.*\b3 network\b/,
    );
    const refused = await run(['import', '--in', file, '--data-dir', target]);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/not empty/);
  });

  it('carries attachment files from the data directory into an S3 bucket', async () => {
    const source = tempDir();
    expect((await run(['seed', '--data-dir', source])).code).toBe(0);
    // An attachment as the server leaves it: the row, and the file in <data dir>/files.
    const data = Buffer.from('%PDF-1.4 check-in notes');
    const id = randomUUID();
    const handle = await openDatabase({ dataDir: source, appVersion: 'test' });
    try {
      const cycle = await handle.db
        .selectFrom('pdsa_cycle')
        .select('id')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      await handle.db
        .insertInto('attachment')
        .values({
          id,
          pdsa_cycle_id: cycle.id,
          filename: 'notes.pdf',
          content_type: 'application/pdf',
          size_bytes: data.length,
          sha256: createHash('sha256').update(data).digest('hex'),
          storage_key: id,
          created_by: null,
          created_at: new Date(),
        })
        .execute();
    } finally {
      await handle.close();
    }
    fs.mkdirSync(path.join(source, 'files'));
    fs.writeFileSync(path.join(source, 'files', id), data);

    const file = path.join(source, 'backup.jsonl');
    const exported = await run(['export', '--out', file, '--data-dir', source]);
    expect(exported.output).toMatch(/Wrote .*\b1 attachment,.*; 1 attachment file$/m);
    expect(exported.code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain(`{"file":"${id}"`);

    const s3 = await startFakeS3({ buckets: ['backup'] });
    try {
      const env = {
        TANDEM_S3_BUCKET: 'backup',
        TANDEM_S3_ENDPOINT: s3.endpoint,
        TANDEM_S3_ACCESS_KEY_ID: s3.accessKeyId,
        TANDEM_S3_PREFIX: 'attachments/',
      };
      const target = tempDir();
      // Misconfigured: one line naming the variable, nothing opened.
      const misconfigured = await run(['import', '--in', file, '--data-dir', target], env);
      expect(misconfigured.code).toBe(1);
      expect(misconfigured.output.trim()).toBe(
        'tandem import: TANDEM_S3_BUCKET is set, so attachments go to S3, but TANDEM_S3_SECRET_ACCESS_KEY is not set.',
      );
      const restored = await run(['import', '--in', file, '--data-dir', target], {
        ...env,
        TANDEM_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      });
      expect(restored.output).toMatch(/Restored .*; 1 attachment file\b/);
      expect(restored.output).toMatch(
        /Attachments: S3 bucket backup at http:\/\/127\.0\.0\.1:\d+ \(prefix attachments\/\)/,
      );
      expect(restored.output).not.toContain(s3.secretAccessKey);
      expect(restored.code).toBe(0);
      expect(s3.object('backup', `attachments/${id}`)?.data.equals(data)).toBe(true);
      expect(fs.existsSync(path.join(target, 'files'))).toBe(false);
    } finally {
      await s3.close();
    }
  });
});
