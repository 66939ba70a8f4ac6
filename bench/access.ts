/**
 * Access-check overhead and password-hashing cost, in process on PGlite (see bench/README.md).
 *
 * Overhead: the list route pages through 1,000 network-visible teams (5 pages of 200) as an
 * instance admin (whose visibility condition is `true`: no filtering) and as a team member (the
 * full condition over network and team ids). Both requests authenticate and load the caller's
 * memberships; the difference is the cost of filtering, reported as a share of the admin's time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/server/app.ts';
import { openDatabase } from '../src/server/db/connect.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { createCoalition } from '../src/server/modules/coalition/coalition.service.ts';
import { createNetwork } from '../src/server/modules/structure/network.service.ts';
import { createTeam } from '../src/server/modules/structure/team.service.ts';
import { SYSTEM } from '../src/server/platform/access.ts';
import { createContext } from '../src/server/platform/context.ts';
import { hashPassword, verifyPassword } from '../src/server/platform/secrets.ts';
import { createActor } from '../test/support/actors.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const fmt = (n: number, digits = 0) => n.toFixed(digits);

export async function accessBenchmarks(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-access-'));
  const handle = await openDatabase({ dataDir: dir, appVersion: 'bench' });
  try {
    await migrateToLatest(handle.db);
    const ctx = createContext(handle.db, handle.mode, 'bench');
    await createCoalition(ctx, { name: 'Bench', slug: 'bench', description: '' });
    const teamIds: string[] = [];
    for (let n = 0; n < 2; n++) {
      const network = await createNetwork(ctx, SYSTEM, { name: `Network ${n}` });
      for (let i = 0; i < 500; i++) {
        const team = await createTeam(ctx, SYSTEM, {
          network_id: network.id,
          name: `Team ${n}-${String(i).padStart(3, '0')}`,
          visibility: 'network',
        });
        teamIds.push(team.id);
      }
    }
    const admin = await createActor(ctx, { is_admin: true });
    const member = await createActor(ctx, {
      roles: [
        { role: 'team_member', team_id: teamIds[0] as string },
        { role: 'team_member', team_id: teamIds[500] as string },
      ],
    });
    const app = await buildApp({ ctx });
    const listAll = async (headers: Record<string, string>) => {
      let cursor: string | null = null;
      let count = 0;
      const started = performance.now();
      do {
        const url: string = `/api/v1/teams?limit=200${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await app.inject({ url, headers });
        const page = res.json() as { items: unknown[]; next_cursor: string | null };
        count += page.items.length;
        cursor = page.next_cursor;
      } while (cursor);
      if (count !== 1000) throw new Error(`expected 1,000 teams, listed ${count}`);
      return performance.now() - started;
    };
    for (let i = 0; i < 3; i++) {
      await listAll(admin.headers);
      await listAll(member.headers);
    }
    const asAdmin: number[] = [];
    const asMember: number[] = [];
    // Interleaved, so that drift on a noisy machine hits both alike.
    for (let i = 0; i < 16; i++) {
      if (i % 2) {
        asAdmin.push(await listAll(admin.headers));
        asMember.push(await listAll(member.headers));
      } else {
        asMember.push(await listAll(member.headers));
        asAdmin.push(await listAll(admin.headers));
      }
    }
    await app.close();
    const overhead = median(asMember) / median(asAdmin) - 1;
    console.log(
      '\n## Access check overhead: list 1,000 teams (5 pages × 200) through the API, PGlite (target ≤ 10 %)',
    );
    console.log(
      `admin (no filter) median ${fmt(median(asAdmin), 1)} ms; team member (visibility filter) median ${fmt(median(asMember), 1)} ms; overhead ${fmt(overhead * 100, 1)} %`,
    );
  } finally {
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const hashes: number[] = [];
  const verifies: number[] = [];
  let hash = '';
  for (let i = 0; i < 5; i++) {
    let started = performance.now();
    hash = await hashPassword('correct horse battery staple');
    hashes.push(performance.now() - started);
    started = performance.now();
    await verifyPassword('correct horse battery staple', hash);
    verifies.push(performance.now() - started);
  }
  const parallel = performance.now();
  await Promise.all(Array.from({ length: 4 }, () => hashPassword('four at once, as at 9 am')));
  const parallelMs = performance.now() - parallel;
  console.log('\n## Password hashing: scrypt N=2^17, r=8, p=1 (OWASP), 128 MiB per hash');
  console.log(
    `hash median ${fmt(median(hashes))} ms, verify median ${fmt(median(verifies))} ms; 4 concurrent sign-ins ${fmt(parallelMs)} ms (libuv pool of ${process.env.UV_THREADPOOL_SIZE ?? 4}, ${os.cpus().length} cores)`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await accessBenchmarks();
