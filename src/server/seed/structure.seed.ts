import { createUser } from '../modules/accounts/auth.service.ts';
import { listOrganisations } from '../modules/directory/organisation.service.ts';
import { setDemoMode } from '../modules/settings/settings.service.ts';
import { grantRole, resolveScope } from '../modules/structure/membership.service.ts';
import { createNetwork } from '../modules/structure/network.service.ts';
import type { NetworkResponse } from '../modules/structure/structure.schemas.ts';
import { createTeam } from '../modules/structure/team.service.ts';
import type { Role } from '../platform/access.ts';
import { hashPassword } from '../platform/secrets.ts';
import type { SeedModule } from './seed-types.ts';

/**
 * The password of every demo account. Printed at first start and in the README: a demo instance
 * is for trying Tandem out, never for real data.
 */
export const DEMO_PASSWORD = 'riverbend-demo-2026';

/** One demo account per role; the sign-in page offers them in demo mode. */
export const DEMO_USERS: {
  key: string;
  email: string;
  display_name: string;
  label: string;
  is_admin?: boolean;
  role?: Role;
  /** Index into the seeded networks (hub facilitator of a network), or of a team. */
  network?: number;
  team?: number;
}[] = [
  {
    key: 'admin',
    email: 'admin@riverbend.demo',
    display_name: 'Avery Admin',
    label: 'Instance admin',
    is_admin: true,
  },
  {
    key: 'hub_facilitator',
    email: 'facilitator@riverbend.demo',
    display_name: 'Fran Okafor',
    label: 'Hub facilitator (whole coalition)',
    role: 'hub_facilitator',
  },
  {
    key: 'network_facilitator',
    email: 'literacy.facilitator@riverbend.demo',
    display_name: 'Nia Castillo',
    label: 'Hub facilitator (Early Literacy NIC)',
    role: 'hub_facilitator',
    network: 0,
  },
  {
    key: 'team_member',
    email: 'member@riverbend.demo',
    display_name: 'Tomás Reyes',
    label: 'Team member',
    role: 'team_member',
    team: 0,
  },
  {
    key: 'reviewer',
    email: 'reviewer@riverbend.demo',
    display_name: 'Rae Lindqvist',
    label: 'Practice reviewer',
    role: 'reviewer',
  },
  {
    key: 'partner',
    email: 'partner@riverbend.demo',
    display_name: 'Pat Mensah',
    label: 'Partner / funder / policy',
    role: 'partner',
  },
];

/** Printed after seeding, so that the person who started the demo can sign in. */
export const demoAccountsNotice = () =>
  `Demo accounts (password "${DEMO_PASSWORD}"): ${DEMO_USERS.map((u) => u.email).join(', ')}. ` +
  'This is a demo instance: do not put real data in it.';

const SMALL_NETWORKS = [
  {
    name: 'Early Literacy NIC',
    description:
      'Networked improvement community of K–3 teams raising the share of 3rd graders reading on grade level.',
    visibility: 'coalition' as const,
  },
  {
    name: '9th Grade On-Track Network',
    description:
      'District and school teams increasing the share of 9th graders on track to graduate.',
    visibility: 'coalition' as const,
  },
  {
    name: 'Redesign PD Community of Practice',
    description: 'Open community of practice on redesigning teacher professional development.',
    visibility: 'public' as const,
  },
];

/** Large seed: 10 networks × 50 teams = 500 teams (the scale the dashboards are benchmarked at). */
const LARGE_NETWORKS = 10;
const LARGE_TEAMS_PER_NETWORK = 50;

export const structureSeed: SeedModule = {
  name: 'networks, teams and demo users',
  async run({ ctx, viewer, size, progress, checkpoint }) {
    const schools = await listOrganisations(ctx, viewer, { type: 'school', limit: 200 });
    const districts = await listOrganisations(ctx, viewer, { type: 'district', limit: 200 });
    const sites = [...districts.items, ...schools.items];

    const networkInputs =
      size === 'small'
        ? SMALL_NETWORKS
        : Array.from({ length: LARGE_NETWORKS }, (_, i) => ({
            ...(SMALL_NETWORKS[i] ?? { description: '', visibility: 'coalition' as const }),
            name: SMALL_NETWORKS[i]?.name ?? `Improvement Network ${i + 1}`,
          }));
    const teamsPerNetwork = size === 'small' ? 4 : LARGE_TEAMS_PER_NETWORK;
    const networks: NetworkResponse[] = [];
    const teamIds: string[] = [];
    let siteIndex = 0;
    const total = networkInputs.length * (teamsPerNetwork + 1) + DEMO_USERS.length;
    let done = 0;
    for (const input of networkInputs) {
      await checkpoint();
      const network = await createNetwork(ctx, viewer, input);
      networks.push(network);
      progress(++done, total);
      for (let t = 0; t < teamsPerNetwork; t++) {
        const site = sites[siteIndex++ % Math.max(1, sites.length)];
        const team = await createTeam(ctx, viewer, {
          network_id: network.id,
          name: site ? `${site.name} team` : `Team ${t + 1}`,
          organisation_id: site?.id ?? null,
          // The last team of each network keeps its work to itself.
          visibility: t === teamsPerNetwork - 1 ? 'team' : 'network',
        });
        teamIds.push(team.id);
        progress(++done, total);
      }
    }

    const passwordHash = await hashPassword(DEMO_PASSWORD);
    for (const demo of DEMO_USERS) {
      await checkpoint();
      const user = await createUser(
        ctx,
        {
          email: demo.email,
          display_name: demo.display_name,
          password: DEMO_PASSWORD,
          is_admin: demo.is_admin ?? false,
        },
        { viewer, passwordHash },
      );
      if (demo.role) {
        const networkId = demo.network !== undefined ? networks[demo.network]?.id : undefined;
        const teamId = demo.team !== undefined ? teamIds[demo.team] : undefined;
        const scope = await resolveScope(ctx, viewer, demo.role, networkId, teamId);
        await grantRole(ctx, viewer, user, demo.role, scope);
      }
      progress(++done, total);
    }
    await setDemoMode(ctx, true);
  },
};
