/**
 * The access rules exist twice: `canSee()` for one loaded record and `visibleTo()` as SQL for
 * lists. This property test keeps them equal on random viewers and records, on the real database.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleTo } from '../../src/server/db/visibility.ts';
import {
  ANONYMOUS,
  canSee,
  type Role,
  type Scoped,
  VISIBILITIES,
  type Viewer,
  visibilityScope,
} from '../../src/server/platform/access.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const id = (prefix: string, n: number) => `${prefix}0000000-0000-4000-8000-00000000000${n}`;
const NETWORKS = [1, 2, 3].map((n) => id('a', n));
const TEAMS = [1, 2, 3, 4].map((n) => id('b', n));
/** Teams 1–2 are in network 1, team 3 in network 2, team 4 in network 3. */
const TEAM_NETWORK = [NETWORKS[0], NETWORKS[0], NETWORKS[1], NETWORKS[2]] as string[];
const USERS = [1, 2, 3].map((n) => id('c', n));

const viewerArb = fc
  .record({
    signedIn: fc.boolean(),
    userIndex: fc.integer({ min: 0, max: 2 }),
    isAdmin: fc.boolean(),
    coalitionRoles: fc.subarray<Role>(['hub_facilitator', 'reviewer', 'partner']),
    facilitated: fc.subarray(NETWORKS),
    teamIndexes: fc.subarray([0, 1, 2, 3]),
  })
  .map(({ signedIn, userIndex, isAdmin, coalitionRoles, facilitated, teamIndexes }): Viewer => {
    if (!signedIn) return ANONYMOUS;
    const teams = teamIndexes.map((i) => TEAMS[i] as string);
    return {
      actor: undefined,
      userId: USERS[userIndex],
      isAdmin,
      coalitionRoles: new Set(coalitionRoles),
      facilitatedNetworks: new Set(facilitated),
      memberNetworks: new Set([
        ...facilitated,
        ...teamIndexes.map((i) => TEAM_NETWORK[i] as string),
      ]),
      teams: new Set(teams),
    };
  });

const recordArb = fc
  .record({
    visibility: fc.constantFrom(...VISIBILITIES),
    teamIndex: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    networkIndex: fc.integer({ min: 0, max: 2 }),
    author: fc.option(fc.constantFrom(...USERS), { nil: null }),
  })
  .map(({ visibility, teamIndex, networkIndex, author }): Scoped => {
    // As stored: a team's records carry the team's network.
    const teamId = visibility === 'team' || teamIndex !== undefined ? TEAMS[teamIndex ?? 0] : null;
    const networkId =
      teamId !== null && teamId !== undefined
        ? (TEAM_NETWORK[TEAMS.indexOf(teamId)] as string)
        : (NETWORKS[networkIndex] as string);
    return { visibility, networkId, teamId: teamId ?? null, authorId: author };
  });

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

describe('visibility: SQL and in-memory rules agree', () => {
  it('on random viewers and records', async () => {
    await fc.assert(
      fc.asyncProperty(
        viewerArb,
        fc.array(recordArb, { minLength: 1, maxLength: 12 }),
        async (viewer, records) => {
          const rows = sql.join(
            records.map(
              (r, i) =>
                sql`(${i}::int, ${r.visibility}::text, ${r.networkId}::uuid, ${r.teamId}::uuid, ${r.authorId}::uuid)`,
            ),
          );
          const condition = visibleTo(visibilityScope(viewer), {
            visibility: 'r.visibility',
            networkId: 'r.network_id',
            teamId: 'r.team_id',
            authorId: 'r.author_id',
          });
          const result = await sql<{ i: number }>`
          select r.i from (values ${rows}) as r(i, visibility, network_id, team_id, author_id)
          where ${condition} order by r.i`.execute(t.db);
          const expected = records.flatMap((r, i) => (canSee(viewer, r) ? [i] : []));
          expect(result.rows.map((row) => row.i)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('examples: who sees a team-visible record', () => {
    const record: Scoped = {
      visibility: 'team',
      networkId: NETWORKS[0] as string,
      teamId: TEAMS[0] as string,
      authorId: null,
    };
    const member: Viewer = {
      ...ANONYMOUS,
      userId: USERS[0],
      teams: new Set([TEAMS[0] as string]),
      memberNetworks: new Set([NETWORKS[0] as string]),
    };
    const otherTeam: Viewer = { ...member, teams: new Set([TEAMS[1] as string]) };
    const networkFacilitator: Viewer = {
      ...ANONYMOUS,
      userId: USERS[1],
      facilitatedNetworks: new Set([NETWORKS[0] as string]),
      memberNetworks: new Set([NETWORKS[0] as string]),
    };
    const partner: Viewer = {
      ...ANONYMOUS,
      userId: USERS[2],
      coalitionRoles: new Set<Role>(['partner']),
    };
    expect(
      [member, otherTeam, networkFacilitator, partner, ANONYMOUS].map((v) => canSee(v, record)),
    ).toEqual([true, false, true, false, false]);
  });
});
