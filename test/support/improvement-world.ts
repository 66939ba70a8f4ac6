/**
 * A small improvement world for API tests, written straight into the database (the services
 * under test are not used to build their own fixtures):
 *
 * - network N1 (network-visible) with teams A and B (team-visible), network N2 with team C;
 * - a charter in N1 (network-visible) with a common monthly p-chart measure ("On track");
 * - projects PA (team A) and PB (team B), team-visible, linked to the charter, each with a local
 *   weekly I-chart measure;
 * - a network change idea in N1 ("Advisory check-ins");
 * - callers: admin, hub (coalition hub facilitator), n1Facilitator, memberA, memberB, memberC,
 *   outsider (signed in, no role), and `readOnlyA`-style tokens are left to the tests.
 */
import { SYSTEM } from '../../src/server/platform/access.ts';
import { createNetwork } from '../../src/server/modules/structure/network.service.ts';
import { createTeam } from '../../src/server/modules/structure/team.service.ts';
import { createActor, type TestActor } from './actors.ts';
import type { TestApp } from './test-db.ts';

export interface ImprovementWorld {
  ids: {
    N1: string;
    N2: string;
    A: string;
    B: string;
    C: string;
    charter: string;
    PA: string;
    PB: string;
    commonMeasure: string;
    localMeasureA: string;
    localMeasureB: string;
    changeIdea: string;
  };
  admin: TestActor;
  hub: TestActor;
  n1Facilitator: TestActor;
  memberA: TestActor;
  memberB: TestActor;
  memberC: TestActor;
  outsider: TestActor;
}

export async function buildImprovementWorld(t: TestApp): Promise<ImprovementWorld> {
  const ctx = t.ctx;
  const suffix = Math.random().toString(36).slice(2, 8);
  const n1 = await createNetwork(ctx, SYSTEM, { name: `N1 ${suffix}`, visibility: 'network' });
  const n2 = await createNetwork(ctx, SYSTEM, { name: `N2 ${suffix}`, visibility: 'network' });
  const team = (network_id: string, name: string) =>
    createTeam(ctx, SYSTEM, { network_id, name, visibility: 'team' });
  const [a, b, c] = [
    await team(n1.id, 'Team A'),
    await team(n1.id, 'Team B'),
    await team(n2.id, 'Team C'),
  ];
  const now = ctx.now();
  const stamps = { created_at: now, updated_at: now };

  const charter = ctx.newId();
  await t.db
    .insertInto('charter')
    .values({
      id: charter,
      network_id: n1.id,
      title: 'Ninth grade on track',
      problem_of_practice: 'Too many ninth graders fall off track in their first term.',
      aim_what: 'the share of 9th graders on track',
      aim_for_whom: '9th graders in network schools',
      aim_unit: '%',
      aim_baseline: 62,
      aim_target: 80,
      aim_by: '2028-06-30',
      visibility: 'network',
      created_by: null,
      ...stamps,
    })
    .execute();

  const project = async (teamId: string, title: string) => {
    const id = ctx.newId();
    await t.db
      .insertInto('project')
      .values({
        id,
        team_id: teamId,
        network_id: n1.id,
        charter_id: charter,
        title,
        problem_statement: '',
        aim_what: '',
        aim_for_whom: '',
        aim_unit: '',
        aim_baseline: null,
        aim_target: null,
        aim_by: null,
        status: 'testing',
        visibility: 'team',
        created_by: null,
        ...stamps,
      })
      .execute();
    return id;
  };
  const PA = await project(a.id, 'On track at A');
  const PB = await project(b.id, 'On track at B');

  const measure = async (
    owner: { charter_id: string } | { project_id: string },
    name: string,
    chart: 'p' | 'i',
    frequency: 'monthly' | 'weekly',
  ) => {
    const id = ctx.newId();
    await t.db
      .insertInto('measure')
      .values({
        id,
        network_id: n1.id,
        charter_id: null,
        project_id: null,
        ...owner,
        name,
        kind: chart === 'p' ? 'outcome' : 'process',
        description: '',
        numerator_definition: chart === 'p' ? '9th graders on track' : '',
        denominator_definition: chart === 'p' ? '9th graders enrolled' : '',
        inclusion: '',
        exclusion: '',
        data_source: 'SIS export',
        frequency,
        unit: chart === 'p' ? '%' : 'minutes',
        improvement_direction: 'increase',
        chart_type: chart,
        rule_set: 'anhoej',
        multiply: chart === 'p' ? 100 : 1,
        goal: chart === 'p' ? 80 : null,
        created_by: null,
        ...stamps,
      })
      .execute();
    return id;
  };
  const commonMeasure = await measure({ charter_id: charter }, 'On track', 'p', 'monthly');
  const localMeasureA = await measure({ project_id: PA }, 'Advisory minutes', 'i', 'weekly');
  const localMeasureB = await measure({ project_id: PB }, 'Check-ins held', 'i', 'weekly');

  const changeIdea = ctx.newId();
  await t.db
    .insertInto('change_idea')
    .values({
      id: changeIdea,
      network_id: n1.id,
      team_id: null,
      title: 'Advisory check-ins',
      description: 'A weekly five-minute check-in with each advisee.',
      source_kind: 'none',
      source_citation: '',
      source_url: null,
      source_cycle_id: null,
      visibility: 'network',
      created_by: null,
      ...stamps,
    })
    .execute();

  const [admin, hub, n1Facilitator, memberA, memberB, memberC, outsider] = [
    await createActor(ctx, { is_admin: true, name: 'Admin' }),
    await createActor(ctx, { name: 'Hub', roles: [{ role: 'hub_facilitator' }] }),
    await createActor(ctx, {
      name: 'N1 facilitator',
      roles: [{ role: 'hub_facilitator', network_id: n1.id }],
    }),
    await createActor(ctx, { name: 'Member A', roles: [{ role: 'team_member', team_id: a.id }] }),
    await createActor(ctx, { name: 'Member B', roles: [{ role: 'team_member', team_id: b.id }] }),
    await createActor(ctx, { name: 'Member C', roles: [{ role: 'team_member', team_id: c.id }] }),
    await createActor(ctx, { name: 'Outsider' }),
  ];
  return {
    ids: {
      N1: n1.id,
      N2: n2.id,
      A: a.id,
      B: b.id,
      C: c.id,
      charter,
      PA,
      PB,
      commonMeasure,
      localMeasureA,
      localMeasureB,
      changeIdea,
    },
    admin,
    hub,
    n1Facilitator,
    memberA,
    memberB,
    memberC,
    outsider,
  };
}
