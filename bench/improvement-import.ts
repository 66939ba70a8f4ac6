/**
 * Measure data import at scale: 100,000 rows (500 teams × 5 common measures × 40 months) as one
 * CSV with a `team` column, posted to `POST /api/v1/measure-values/import?dry_run=false` as an
 * instance admin through `app.inject` (the whole request: auth, CSV parsing, validation of every
 * row, the look-ups, batched upserts and one audit event, in one transaction). Then the same file
 * again (every row unchanged: the idempotent path). The baseline is a raw `COPY … FROM STDIN` of
 * the same 100,000 rows into `measure_value` (no parsing, no validation, no conflict handling).
 * Target: ≥ 20,000 rows/s on PostgreSQL; PGlite reported for information (no COPY baseline:
 * PGlite's COPY goes through its virtual file system, not a comparable path).
 *
 * PostgreSQL runs when BENCH_DATABASE_URL is set or as root with PostgreSQL 15 binaries (see
 * bench/improvement-dashboard.ts). Run alone with `npx tsx bench/improvement-import.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { buildApp } from '../src/server/app.ts';
import type { Db } from '../src/server/db/database.ts';
import { openDatabase } from '../src/server/db/connect.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { createCoalition } from '../src/server/modules/coalition/coalition.service.ts';
import { createNetwork } from '../src/server/modules/structure/network.service.ts';
import { SYSTEM } from '../src/server/platform/access.ts';
import { type AppContext, createContext } from '../src/server/platform/context.ts';
import { createActor } from '../test/support/actors.ts';
import { postgresAdminUrl } from './improvement-dashboard.ts';

const TEAMS = 500;
const MEASURES = 5;
const MONTHS = 40;
const ROWS = TEAMS * MEASURES * MONTHS;
const TARGET_ROWS_PER_S = 20_000;

interface World {
  networkId: string;
  teams: { id: string; name: string }[];
  measures: { id: string; name: string; p: boolean }[];
}

/** A network, a charter with 5 common measures, 500 teams each with a project on the charter. */
async function buildWorld(db: Db, ctx: AppContext): Promise<World> {
  await createCoalition(ctx, { name: 'Bench', slug: 'bench', description: '' });
  const network = await createNetwork(ctx, SYSTEM, { name: 'Import network' });
  const now = ctx.now();
  const stamps = { created_at: now, updated_at: now, created_by: null };
  const aim = {
    aim_what: '',
    aim_for_whom: '',
    aim_unit: '',
    aim_baseline: null,
    aim_target: null,
    aim_by: null,
  };
  const charter = ctx.newId();
  await db
    .insertInto('charter')
    .values({
      id: charter,
      network_id: network.id,
      title: 'Bench charter',
      problem_of_practice: '',
      visibility: 'network',
      ...aim,
      ...stamps,
    })
    .execute();
  const measures = Array.from({ length: MEASURES }, (_, i) => ({
    id: ctx.newId(),
    name: `Measure ${i + 1}`,
    p: i < 3,
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
        unit: '',
        improvement_direction: 'increase' as const,
        chart_type: m.p ? ('p' as const) : ('i' as const),
        rule_set: 'anhoej' as const,
        multiply: 1,
        goal: null,
        ...stamps,
      })),
    )
    .execute();
  const teams = Array.from({ length: TEAMS }, (_, i) => ({
    id: ctx.newId(),
    name: `School ${String(i + 1).padStart(3, '0')}`,
  }));
  await db
    .insertInto('team')
    .values(
      teams.map((t) => ({
        ...t,
        network_id: network.id,
        organisation_id: null,
        visibility: 'network' as const,
        ...stamps,
      })),
    )
    .execute();
  await db
    .insertInto('project')
    .values(
      teams.map((t) => ({
        id: ctx.newId(),
        team_id: t.id,
        network_id: network.id,
        charter_id: charter,
        title: `${t.name} on track`,
        problem_statement: '',
        status: 'testing' as const,
        visibility: 'team' as const,
        ...aim,
        ...stamps,
      })),
    )
    .execute();
  return { networkId: network.id, teams, measures };
}

interface Row {
  team: { id: string; name: string };
  measure: { id: string; name: string; p: boolean };
  period: string;
  numerator: number;
  denominator: number | null;
}

function rowsOf(world: World): Row[] {
  const rows: Row[] = [];
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (const team of world.teams)
    for (const measure of world.measures)
      for (let k = 0; k < MONTHS; k++) {
        const period = new Date(Date.UTC(2023, k, 1)).toISOString().slice(0, 10);
        const denominator = measure.p ? 50 + Math.floor(random() * 200) : null;
        const numerator = denominator
          ? Math.floor(denominator * random())
          : Math.round(random() * 1000) / 10;
        rows.push({ team, measure, period, numerator, denominator });
      }
  return rows;
}

const csvOf = (rows: Row[]) =>
  [
    'team,measure,period,numerator,denominator',
    ...rows.map(
      (r) => `${r.team.name},${r.measure.name},${r.period},${r.numerator},${r.denominator ?? ''}`,
    ),
  ].join('\n');

interface ImportTiming {
  firstMs: number;
  againMs: number;
  copyMs?: number;
}

async function timeImport(options: { dataDir?: string; databaseUrl?: string }) {
  const handle = await openDatabase({ ...options, appVersion: 'bench' });
  try {
    await migrateToLatest(handle.db);
    const ctx = createContext(handle.db, handle.mode, 'bench');
    const world = await buildWorld(handle.db, ctx);
    const rows = rowsOf(world);
    const csv = csvOf(rows);
    const admin = await createActor(ctx, { is_admin: true });
    const app = await buildApp({ ctx });
    await app.ready();
    const post = async (expectCreated: number) => {
      const started = performance.now();
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/measure-values/import?dry_run=false&mode=all_or_nothing',
        headers: { ...admin.headers, 'content-type': 'text/csv' },
        payload: csv,
      });
      const ms = performance.now() - started;
      const report = res.json() as { created: number; unchanged: number; errors: unknown[] };
      if (res.statusCode !== 200 || report.errors.length || report.created !== expectCreated)
        throw new Error(`import: ${res.statusCode} ${res.body.slice(0, 500)}`);
      return ms;
    };
    const timing: ImportTiming = { firstMs: await post(ROWS), againMs: await post(0) };
    await app.close();
    if (options.databaseUrl)
      timing.copyMs = await timeCopy(options.databaseUrl, world, rows, admin.id);
    return timing;
  } finally {
    await handle.close();
  }
}

/**
 * The baseline: the same rows as the import writes (ids resolved, author and timestamps set),
 * streamed by COPY into the emptied table, with its keys and indexes.
 */
async function timeCopy(
  databaseUrl: string,
  world: World,
  rows: Row[],
  authorId: string,
): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('truncate measure_value cascade');
    const now = new Date().toISOString();
    const lines = rows.map(
      (r, i) =>
        `${`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`}\t${r.measure.id}\t${r.team.id}\t${world.networkId}\t${r.period}\t${r.numerator}\t${r.denominator ?? '\\N'}\t${authorId}\t${authorId}\t${now}\t${now}\n`,
    );
    const started = performance.now();
    await client.query('begin');
    await pipeline(
      Readable.from(lines),
      client.query(
        copyFrom(
          'copy measure_value (id, measure_id, team_id, network_id, period_start, numerator, denominator, created_by, updated_by, created_at, updated_at) from stdin',
        ),
      ),
    );
    await client.query('commit');
    return performance.now() - started;
  } finally {
    await client.end();
  }
}

export async function improvementImportBenchmark(): Promise<string[]> {
  const perSecond = (ms: number) => Math.round((ROWS / ms) * 1000);
  const lines = [
    `\n## Measure data import: ${ROWS.toLocaleString('en')} CSV rows (${TEAMS} teams × ${MEASURES} measures × ${MONTHS} months) through POST /measure-values/import (target ≥ ${TARGET_ROWS_PER_S.toLocaleString('en')} rows/s on PostgreSQL)`,
  ];
  const row = (label: string, t: ImportTiming) =>
    `${label.padEnd(11)} first import ${(t.firstMs / 1000).toFixed(2)} s = ${perSecond(t.firstMs).toLocaleString('en')} rows/s; same file again (all unchanged) ${(t.againMs / 1000).toFixed(2)} s`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-import-'));
  try {
    lines.push(row('PGlite', await timeImport({ dataDir: dir })));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const server = postgresAdminUrl();
  if (!server) {
    lines.push(
      'PostgreSQL  skipped: set BENCH_DATABASE_URL=postgres://…/postgres (or run as root with PostgreSQL 15 binaries installed)',
    );
    return lines;
  }
  const admin = new pg.Pool({ connectionString: server.url, max: 1 });
  const name = `tandem_bench_import_${process.pid}`;
  try {
    await admin.query(`create database ${name}`);
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    const t = await timeImport({ databaseUrl: url.toString() });
    const verdict = perSecond(t.firstMs) >= TARGET_ROWS_PER_S ? 'within' : 'OVER';
    lines.push(`${row('PostgreSQL', t)} — ${verdict} target`);
    if (t.copyMs !== undefined)
      lines.push(
        `raw COPY of the same rows ${(t.copyMs / 1000).toFixed(2)} s = ${perSecond(t.copyMs).toLocaleString('en')} rows/s; import / COPY time ×${(t.firstMs / t.copyMs).toFixed(1)}`,
      );
  } finally {
    await admin.query(`drop database if exists ${name}`).catch(() => {});
    await admin.end();
    server.stop();
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await improvementImportBenchmark()) console.log(line);
}
