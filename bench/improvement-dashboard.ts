/**
 * The charter network dashboard at scale: 500 teams × 5 common measures (3 p charts, 2 I charts)
 * × 36 monthly values = 90,000 rows, written in bulk straight into the tables; then
 * `GET /api/v1/charters/{id}/dashboard?limit=500` as an instance admin through `app.inject`
 * (the whole request: auth, 5 reads, serialisation), median of 5 after a first request that
 * charts all 2,500 series (later requests reuse each unchanged series' engine result); also the
 * median of 3 requests that chart every series again (an empty cache, warm code). Targets:
 * ≤ 500 ms on PostgreSQL, ≤ 1,500 ms on PGlite.
 *
 * PostgreSQL runs when BENCH_DATABASE_URL is set (an admin URL: a database is created and
 * dropped), or as root with PostgreSQL 15 binaries (a throwaway cluster). Run alone with
 * `npx tsx bench/improvement-dashboard.ts`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../src/server/app.ts';
import type { Insertable } from 'kysely';
import type { Db, MeasureValueTable } from '../src/server/db/database.ts';
import { openDatabase } from '../src/server/db/connect.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { createCoalition } from '../src/server/modules/coalition/coalition.service.ts';
import { createNetwork } from '../src/server/modules/structure/network.service.ts';
import { SYSTEM } from '../src/server/platform/access.ts';
import { createContext } from '../src/server/platform/context.ts';
import { REPO_ROOT } from '../src/server/web-build.ts';
import { createActor } from '../test/support/actors.ts';

const TEAMS = 500;
const MEASURES = 5;
const MONTHS = 36;
const RUNS = 5;
const TARGET_PG_MS = 500;
const TARGET_PGLITE_MS = 1500;
const BATCH = 2000;

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const fmt = (n: number, digits = 0) => n.toFixed(digits);

/** A small deterministic PRNG (mulberry32), so both databases get the same data. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Timing {
  rows: number;
  loadMs: number;
  coldMs: number;
  medianMs: number;
  runs: number[];
  bytes: number;
}

export async function buildDataset(db: Db, ctx: ReturnType<typeof createContext>) {
  await createCoalition(ctx, { name: 'Bench', slug: 'bench', description: '' });
  const network = await createNetwork(ctx, SYSTEM, { name: 'Dashboard network' });
  const now = ctx.now();
  const stamps = { created_at: now, updated_at: now };
  const charter = ctx.newId();
  await db
    .insertInto('charter')
    .values({
      id: charter,
      network_id: network.id,
      title: 'Ninth grade on track',
      problem_of_practice: '',
      aim_what: '',
      aim_for_whom: '',
      aim_unit: '',
      aim_baseline: null,
      aim_target: null,
      aim_by: null,
      visibility: 'network',
      created_by: null,
      ...stamps,
    })
    .execute();
  const measures = Array.from({ length: MEASURES }, (_, i) => ({
    id: ctx.newId(),
    chart: i < 3 ? ('p' as const) : ('i' as const),
    name: i < 3 ? `Share ${i + 1}` : `Minutes ${i - 2}`,
  }));
  await db
    .insertInto('measure')
    .values(
      measures.map((m) => ({
        id: m.id,
        network_id: network.id,
        charter_id: charter,
        project_id: null,
        name: m.name,
        kind: 'outcome' as const,
        description: '',
        numerator_definition: '',
        denominator_definition: '',
        inclusion: '',
        exclusion: '',
        data_source: '',
        frequency: 'monthly' as const,
        unit: m.chart === 'p' ? '%' : 'minutes',
        improvement_direction: 'increase' as const,
        chart_type: m.chart,
        rule_set: 'anhoej' as const,
        multiply: m.chart === 'p' ? 100 : 1,
        goal: m.chart === 'p' ? 80 : null,
        created_by: null,
        ...stamps,
      })),
    )
    .execute();
  const teams = Array.from({ length: TEAMS }, (_, i) => ({
    id: ctx.newId(),
    network_id: network.id,
    organisation_id: null,
    name: `School ${String(i + 1).padStart(3, '0')}`,
    visibility: 'network' as const,
    created_by: null,
    ...stamps,
  }));
  for (let i = 0; i < teams.length; i += BATCH) {
    await db
      .insertInto('team')
      .values(teams.slice(i, i + BATCH))
      .execute();
  }
  const random = prng(42);
  const months = Array.from({ length: MONTHS }, (_, k) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (MONTHS - 1 - k), 1))
      .toISOString()
      .slice(0, 10),
  );
  let batch: Insertable<MeasureValueTable>[] = [];
  let rows = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await db.insertInto('measure_value').values(batch).execute();
    rows += batch.length;
    batch = [];
  };
  for (const team of teams) {
    const level = 0.4 + random() * 0.4;
    for (const m of measures) {
      for (const [k, period] of months.entries()) {
        const shift = k >= 24 && random() < 0.5 ? 0.08 : 0; // some teams improve in year 3
        const denominator = 40 + Math.floor(random() * 40);
        const numerator =
          m.chart === 'p'
            ? Math.min(
                denominator,
                Math.round(denominator * (level + shift + (random() - 0.5) * 0.1)),
              )
            : Math.round(100 * (level + shift) + random() * 20);
        batch.push({
          id: ctx.newId(),
          measure_id: m.id,
          team_id: team.id,
          network_id: network.id,
          period_start: period,
          numerator,
          denominator: m.chart === 'p' ? denominator : null,
          created_by: null,
          updated_by: null,
          ...stamps,
        });
        if (batch.length >= BATCH) await flush();
      }
    }
  }
  await flush();
  return { charter, rows };
}

async function timeDashboard(options: { dataDir?: string; databaseUrl?: string }): Promise<Timing> {
  const handle = await openDatabase({ ...options, appVersion: 'bench' });
  try {
    await migrateToLatest(handle.db);
    const ctx = createContext(handle.db, handle.mode, 'bench');
    const loadStarted = performance.now();
    const { charter, rows } = await buildDataset(handle.db, ctx);
    const loadMs = performance.now() - loadStarted;
    const admin = await createActor(ctx, { is_admin: true });
    const app = await buildApp({ ctx });
    await app.ready();
    const url = `/api/v1/charters/${charter}/dashboard?limit=500`;
    let bytes = 0;
    const once = async (on = app) => {
      const started = performance.now();
      const res = await on.inject({ url, headers: admin.headers });
      const ms = performance.now() - started;
      if (res.statusCode !== 200) throw new Error(`dashboard: ${res.statusCode} ${res.body}`);
      const body = res.json() as { series: { points: unknown[] }[] };
      if (body.series.length !== TEAMS * MEASURES || body.series[0]?.points.length !== MONTHS)
        throw new Error('dashboard: unexpected shape');
      bytes = res.rawPayload.length;
      return ms;
    };
    // The first request charts every series (the series cache is empty); later ones find each
    // series' engine result cached under the same stamp (dashboard.service.ts).
    await once();
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once());
    await app.close();
    // Every series charted again, with warm code: the cache is per database handle, so a second
    // app on an equivalent handle starts with an empty one (as after data changed everywhere).
    const cold: number[] = [];
    for (let i = 0; i < 3; i++) {
      const fresh = handle.db.withPlugin({
        transformQuery: (args) => args.node,
        transformResult: async (args) => args.result,
      });
      const other = await buildApp({ ctx: { ...ctx, db: fresh } });
      await other.ready();
      cold.push(await once(other));
      await other.close();
    }
    return { rows, loadMs, coldMs: median(cold), medianMs: median(runs), runs, bytes };
  } finally {
    await handle.close();
  }
}

/** An admin URL for PostgreSQL, and how to clean up after it; undefined when none is at hand. */
export function postgresAdminUrl(): { url: string; stop: () => void } | undefined {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop() {} };
  if (process.getuid?.() !== 0 || !fs.existsSync('/usr/lib/postgresql/15/bin/initdb'))
    return undefined;
  const script = path.join(REPO_ROOT, 'scripts/throwaway-postgres.sh');
  const [dir, url] = execFileSync(script).toString().trim().split('\n');
  return { url: url as string, stop: () => void execFileSync(script, ['stop', dir as string]) };
}

export async function improvementDashboardBenchmark(): Promise<string[]> {
  const lines = [
    `\n## Network dashboard: GET /charters/{id}/dashboard?limit=500, ${TEAMS} teams × ${MEASURES} measures × ${MONTHS} months, median of ${RUNS} (targets: PostgreSQL ≤ ${TARGET_PG_MS} ms, PGlite ≤ ${TARGET_PGLITE_MS} ms)`,
  ];
  const row = (label: string, r: Timing, target: number) =>
    `${label.padEnd(11)} median ${fmt(r.medianMs)} ms (${r.runs.map((x) => fmt(x)).join(', ')}) ${r.medianMs <= target ? 'within' : 'OVER'} target; every series charted (empty cache) ${fmt(r.coldMs)} ms; ${fmt(r.bytes / 1024 / 1024, 1)} MB JSON; ${r.rows.toLocaleString('en')} rows loaded in ${fmt(r.loadMs / 1000, 1)} s`;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-dashboard-'));
  let pglite: Timing;
  try {
    pglite = await timeDashboard({ dataDir: dir });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  lines.push(row('PGlite', pglite, TARGET_PGLITE_MS));

  const server = postgresAdminUrl();
  if (!server) {
    lines.push(
      'PostgreSQL  skipped: set BENCH_DATABASE_URL=postgres://…/postgres (or run as root with PostgreSQL 15 binaries installed)',
    );
    return lines;
  }
  const admin = new pg.Pool({ connectionString: server.url, max: 1 });
  const name = `tandem_bench_dashboard_${process.pid}`;
  try {
    await admin.query(`create database ${name}`);
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    const postgres = await timeDashboard({ databaseUrl: url.toString() });
    lines.push(row('PostgreSQL', postgres, TARGET_PG_MS));
    lines.push(`ratio PostgreSQL / PGlite: ×${fmt(postgres.medianMs / pglite.medianMs, 2)}`);
  } finally {
    await admin.query(`drop database if exists ${name}`).catch(() => {});
    await admin.end();
    server.stop();
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await improvementDashboardBenchmark()) console.log(line);
}
