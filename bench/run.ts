/**
 * `npm run bench`: measurements on this machine, printed with ratios taken in the same run
 * (absolute times on shared machines are noise; ratios within one run are comparable).
 * See bench/README.md for what each figure means and its target.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import zlib from 'node:zlib';
import pg from 'pg';
import { accessBenchmarks } from './access.ts';
import { spcBenchmarks } from './spc.ts';
import { spcRenderBenchmark } from './spc-render.ts';
import { improvementDashboardBenchmark, postgresAdminUrl } from './improvement-dashboard.ts';
import { improvementImportBenchmark } from './improvement-import.ts';
import { buildWeb, REPO_ROOT, WEB_DIST, webBuildIsStale } from '../src/server/web-build.ts';

const BIN = path.join(REPO_ROOT, 'bin/tandem.mjs');
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-'));
const emptyWeb = fs.mkdtempSync(path.join(work, 'web-'));
const cleanups: (() => void | Promise<void>)[] = [
  () => fs.rmSync(work, { recursive: true, force: true }),
];

function tandem(args: string[], env: Record<string, string>) {
  execFileSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
}

interface Server {
  url: string;
  msToFirst200: number;
  stop(): Promise<void>;
}

/** Starts `tandem serve` in its own process and times spawn → first 200 from /api/v1/health. */
async function serve(env: Record<string, string>): Promise<Server> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--no-seed'],
    {
      env: { ...process.env, TANDEM_WEB_ROOT: emptyWeb, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /is running at (http:\/\/\S+) /.exec(output);
      if (match?.[1]) {
        clearInterval(timer);
        resolve(match[1]);
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`server exited: ${output}`));
      }
    }, 5);
  });
  for (;;) {
    const res = await fetch(`${url}/api/v1/health`).catch(() => undefined);
    if (res?.status === 200) break;
  }
  const msToFirst200 = performance.now() - started;
  return {
    url,
    msToFirst200,
    stop: () =>
      new Promise((resolve) => {
        child.on('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(url: string): Promise<LoadResult> {
  const result = await autocannon({ url, connections: 50, duration: DURATION_S });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const fmt = (n: number, digits = 0) => n.toFixed(digits);

/** An admin URL for PostgreSQL (see bench/improvement-dashboard.ts), stopped at the end. */
function postgresUrl(): string | undefined {
  const server = postgresAdminUrl();
  if (server) cleanups.push(server.stop);
  return server?.url;
}

/** Gzip size of the JS and CSS the browser loads for the shell (all of dist/web/assets). */
async function webBundleGzipBytes(): Promise<{ total: number; largest: [string, number] }> {
  if (webBuildIsStale()) await buildWeb();
  const assets = path.join(WEB_DIST, 'assets');
  let total = 0;
  let largest: [string, number] = ['', 0];
  for (const file of fs.readdirSync(assets)) {
    if (!/\.(js|css)$/.test(file)) continue;
    const size = zlib.gzipSync(fs.readFileSync(path.join(assets, file))).length;
    total += size;
    if (size > largest[1]) largest = [file, size];
  }
  return { total, largest };
}

async function main() {
  console.log(
    `Tandem benchmarks — ${os.cpus().length} cores, Node ${process.version}, ${DURATION_S} s per load run\n`,
  );
  const listPath = '/api/v1/organisations?limit=50';

  // PGlite: a data dir with the large directory (10k organisations).
  const dataDir = path.join(work, 'data');
  console.log('Preparing PGlite data dir (seed --size large)…');
  tandem(['seed', '--size', 'large', '--data-dir', dataDir], {});
  const coldStarts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const server = await serve({ TANDEM_DATA_DIR: dataDir });
    coldStarts.push(server.msToFirst200);
    await server.stop();
  }
  const pglite = await serve({ TANDEM_DATA_DIR: dataDir });
  const pgliteLoad = await load(`${pglite.url}${listPath}`);
  await pglite.stop();

  let postgresLoad: LoadResult | undefined;
  let postgresCold: number | undefined;
  const adminUrl = postgresUrl();
  if (adminUrl) {
    const admin = new pg.Pool({ connectionString: adminUrl, max: 1 });
    const name = `tandem_bench_${process.pid}`;
    await admin.query(`create database ${name}`);
    cleanups.unshift(async () => {
      await admin.query(`drop database if exists ${name}`);
      await admin.end();
    });
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    console.log('Preparing PostgreSQL database (seed --size large)…');
    tandem(['seed', '--size', 'large'], { DATABASE_URL: url.toString() });
    const server = await serve({ DATABASE_URL: url.toString() });
    postgresCold = server.msToFirst200;
    postgresLoad = await load(`${server.url}${listPath}`);
    await server.stop();
  }

  const bundle = await webBundleGzipBytes();
  console.log('\n## Web bundle, gzip, all JS + CSS assets (target: shell ≤ 300 kB)');
  console.log(
    `${fmt(bundle.total / 1024, 1)} kB in all; largest ${bundle.largest[0]} ${fmt(bundle.largest[1] / 1024, 1)} kB`,
  );

  console.log(
    '\n## Cold start: spawn `tandem serve` on an existing data dir → first 200 (target ≤ 3000 ms)',
  );
  console.log(
    `PGlite      median of 3: ${fmt(median(coldStarts))} ms  (${coldStarts.map((x) => fmt(x)).join(', ')})`,
  );
  if (postgresCold !== undefined) console.log(`PostgreSQL  one run:      ${fmt(postgresCold)} ms`);

  console.log(`\n## GET ${listPath} on 10k organisations, autocannon -c 50 -d ${DURATION_S}`);
  const row = (label: string, r: LoadResult) =>
    console.log(
      `${label.padEnd(11)} ${fmt(r.rps).padStart(7)} req/s   p50 ${fmt(r.p50)} ms   p99 ${fmt(r.p99)} ms   errors ${r.errors}`,
    );
  row('PGlite', pgliteLoad);
  if (postgresLoad) {
    row('PostgreSQL', postgresLoad);
    console.log(
      `ratio PostgreSQL / PGlite: throughput ×${fmt(postgresLoad.rps / pgliteLoad.rps, 2)}, p99 ×${fmt(postgresLoad.p99 / Math.max(pgliteLoad.p99, 1), 2)}`,
    );
  } else {
    console.log(
      'PostgreSQL  skipped: set BENCH_DATABASE_URL=postgres://…/postgres (or run as root with PostgreSQL 15 binaries installed)',
    );
  }
}

try {
  await main();
  await accessBenchmarks();
  for (const line of spcBenchmarks()) console.log(line);
  for (const line of await spcRenderBenchmark()) console.log(line);
  for (const line of await improvementDashboardBenchmark()) console.log(line);
  for (const line of await improvementImportBenchmark()) console.log(line);
} finally {
  for (const cleanup of cleanups) await cleanup();
}
