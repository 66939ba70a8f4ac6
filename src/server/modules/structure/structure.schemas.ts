import { type Static, Type } from 'typebox';
import { ROLES } from '../../platform/access.ts';
import { PaginationQuery, pageOf, Timestamps, visibilityOf } from '../../platform/schemas.ts';

const name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const uuid = Type.String({ format: 'uuid' });

export const NETWORK_VISIBILITIES = ['public', 'coalition', 'network', 'private'] as const;
export const TEAM_VISIBILITIES = ['public', 'coalition', 'network', 'team', 'private'] as const;
const NetworkVisibility = visibilityOf(NETWORK_VISIBILITIES, 'NetworkVisibility');
const TeamVisibility = visibilityOf(TEAM_VISIBILITIES, 'TeamVisibility');

export const Network = Type.Object(
  {
    id: uuid,
    name: Type.String(),
    description: Type.String(),
    visibility: NetworkVisibility,
    team_count: Type.Integer({ description: 'Teams in this network that you can see' }),
    ...Timestamps,
  },
  { title: 'Network' },
);

export const CreateNetworkBody = Type.Object(
  {
    name,
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    visibility: Type.Optional(NetworkVisibility),
  },
  { additionalProperties: false, title: 'CreateNetworkBody' },
);

export const UpdateNetworkBody = Type.Object(
  {
    name: Type.Optional(name),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    visibility: Type.Optional(NetworkVisibility),
  },
  { additionalProperties: false, minProperties: 1, title: 'UpdateNetworkBody' },
);

export const ListNetworksQuery = Type.Object(
  {
    ...PaginationQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Case-insensitive name search' })),
  },
  { additionalProperties: false },
);

export const Team = Type.Object(
  {
    id: uuid,
    network_id: uuid,
    network_name: Type.String(),
    organisation_id: Type.Union([uuid, Type.Null()]),
    organisation_name: Type.Union([Type.String(), Type.Null()]),
    name: Type.String(),
    visibility: TeamVisibility,
    ...Timestamps,
  },
  { title: 'Team' },
);

export const CreateTeamBody = Type.Object(
  {
    network_id: uuid,
    name,
    organisation_id: Type.Optional(Type.Union([uuid, Type.Null()])),
    visibility: Type.Optional(TeamVisibility),
  },
  { additionalProperties: false, title: 'CreateTeamBody' },
);

export const UpdateTeamBody = Type.Object(
  {
    name: Type.Optional(name),
    organisation_id: Type.Optional(Type.Union([uuid, Type.Null()])),
    visibility: Type.Optional(TeamVisibility),
  },
  { additionalProperties: false, minProperties: 1, title: 'UpdateTeamBody' },
);

export const ListTeamsQuery = Type.Object(
  {
    ...PaginationQuery,
    network_id: Type.Optional(uuid),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Case-insensitive name search' })),
  },
  { additionalProperties: false },
);

export const Role = Type.Enum([...ROLES], {
  title: 'Role',
  description:
    'hub_facilitator (coalition-wide without network_id, else of that network), team_member (of team_id), reviewer and partner (coalition-wide: partner covers funders and policy makers)',
});

export const Membership = Type.Object(
  {
    id: uuid,
    role: Role,
    scope: Type.Enum(['coalition', 'network', 'team']),
    network_id: Type.Union([uuid, Type.Null()]),
    team_id: Type.Union([uuid, Type.Null()]),
    scope_name: Type.String({ description: 'The coalition, network or team name' }),
    user: Type.Object({
      id: uuid,
      display_name: Type.String(),
      email: Type.Union([Type.String(), Type.Null()], {
        description: 'Shown to people who manage this scope, and to the member',
      }),
    }),
    ...Timestamps,
  },
  { title: 'Membership' },
);

export const CreateMembershipBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320, description: 'An existing account' }),
    role: Role,
    network_id: Type.Optional(uuid),
    team_id: Type.Optional(uuid),
  },
  { additionalProperties: false, title: 'CreateMembershipBody' },
);

export const UpdateMembershipBody = Type.Object(
  { role: Role },
  { additionalProperties: false, title: 'UpdateMembershipBody' },
);

export const ListMembershipsQuery = Type.Object(
  {
    ...PaginationQuery,
    scope: Type.Optional(Type.Enum(['coalition', 'network', 'team'])),
    network_id: Type.Optional(uuid),
    team_id: Type.Optional(uuid),
    user_id: Type.Optional(uuid),
  },
  { additionalProperties: false },
);

export const NetworkPage = pageOf(Network, 'NetworkPage');
export const TeamPage = pageOf(Team, 'TeamPage');
export const MembershipPage = pageOf(Membership, 'MembershipPage');

export type NetworkResponse = Static<typeof Network>;
export type CreateNetworkInput = Static<typeof CreateNetworkBody>;
export type UpdateNetworkInput = Static<typeof UpdateNetworkBody>;
export type ListNetworksInput = Static<typeof ListNetworksQuery>;
export type TeamResponse = Static<typeof Team>;
export type CreateTeamInput = Static<typeof CreateTeamBody>;
export type UpdateTeamInput = Static<typeof UpdateTeamBody>;
export type ListTeamsInput = Static<typeof ListTeamsQuery>;
export type MembershipResponse = Static<typeof Membership>;
export type CreateMembershipInput = Static<typeof CreateMembershipBody>;
export type ListMembershipsInput = Static<typeof ListMembershipsQuery>;
