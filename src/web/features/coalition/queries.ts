import {
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, type ResponseOf } from '../../api/client.ts';
import { useMe } from '../accounts/queries.ts';
import {
  type CreateInvitationBody,
  type CreateMembershipBody,
  type CreateNetworkBody,
  type CreateTeamBody,
  etagOf,
  type Invitation,
  type Membership,
  type Network,
  type Role,
  type Team,
  type UpdateNetworkBody,
  type UpdateTeamBody,
} from './model.ts';

export type Coalition = ResponseOf<'get', '/api/v1/coalition'>;

export const coalitionKey = ['coalition'] as const;

export function useCoalition() {
  return useQuery({
    queryKey: coalitionKey,
    queryFn: async ({ signal }) => (await api.get('/api/v1/coalition', { signal })).data,
    staleTime: 5 * 60_000,
  });
}

// Networks, teams, memberships and invitations: the coalition's structure (ADR 0003).

export const structureKeys = {
  networks: ['networks'] as const,
  networkList: (q: string) => ['networks', 'list', { q }] as const,
  network: (id: string) => ['networks', 'detail', id] as const,
  teams: ['teams'] as const,
  teamList: (filters: { networkId?: string; q?: string }) => ['teams', 'list', filters] as const,
  team: (id: string) => ['teams', 'detail', id] as const,
  memberships: ['memberships'] as const,
  membershipList: (filters: MembershipFilters) => ['memberships', 'list', filters] as const,
  myMemberships: (userId: string) => ['memberships', 'mine', userId] as const,
  invitations: ['invitations'] as const,
};

/** Records whose change shows in a history or the audit log: refreshed after every write. */
const AUDIT_KEYS = [['history'], ['audit-events']] as const;

export const LIST_PAGE_SIZE = 50;

/** The record and the ETag of the version read, to send back as If-Match. */
export interface Versioned<T> {
  data: T;
  etag: string | null;
}

function invalidateAudit(queryClient: QueryClient) {
  return Promise.all(
    AUDIT_KEYS.map((queryKey) => queryClient.invalidateQueries({ queryKey: [...queryKey] })),
  );
}

export function useNetworkList(q: string) {
  return useInfiniteQuery({
    queryKey: structureKeys.networkList(q),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      (
        await api.get('/api/v1/networks', {
          query: { limit: LIST_PAGE_SIZE, cursor: pageParam, q: q || undefined },
          signal,
        })
      ).data,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useNetwork(id: string) {
  return useQuery({
    queryKey: structureKeys.network(id),
    queryFn: async ({ signal }): Promise<Versioned<Network>> => {
      const { data, etag } = await api.get('/api/v1/networks/{id}', { params: { id }, signal });
      return { data, etag };
    },
  });
}

export function useCreateNetwork() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateNetworkBody) => {
      const { data, etag } = await api.post('/api/v1/networks', { body });
      return { data, etag };
    },
    onSuccess: (created) => {
      queryClient.setQueryData(structureKeys.network(created.data.id), created);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: [...structureKeys.networks, 'list'] }),
        invalidateAudit(queryClient),
      ]);
    },
  });
}

export function useUpdateNetwork(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, etag }: { body: UpdateNetworkBody; etag: string }) => {
      const result = await api.patch('/api/v1/networks/{id}', {
        params: { id },
        body,
        ifMatch: etag,
      });
      return { data: result.data, etag: result.etag };
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(structureKeys.network(id), updated);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: [...structureKeys.networks, 'list'] }),
        // Teams carry their network's name.
        queryClient.invalidateQueries({ queryKey: structureKeys.teams }),
        invalidateAudit(queryClient),
      ]);
    },
  });
}

export function useDeleteNetwork(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ etag }: { etag: string }) => {
      await api.delete('/api/v1/networks/{id}', { params: { id }, ifMatch: etag });
    },
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: structureKeys.network(id) });
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: [...structureKeys.networks, 'list'] }),
        invalidateAudit(queryClient),
      ]);
    },
  });
}

export function useTeamList(filters: { networkId?: string; q?: string }, enabled = true) {
  return useInfiniteQuery({
    queryKey: structureKeys.teamList(filters),
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      (
        await api.get('/api/v1/teams', {
          query: {
            limit: LIST_PAGE_SIZE,
            cursor: pageParam,
            network_id: filters.networkId || undefined,
            q: filters.q || undefined,
          },
          signal,
        })
      ).data,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useTeam(id: string) {
  return useQuery({
    queryKey: structureKeys.team(id),
    queryFn: async ({ signal }): Promise<Versioned<Team>> => {
      const { data, etag } = await api.get('/api/v1/teams/{id}', { params: { id }, signal });
      return { data, etag };
    },
  });
}

/** After a team changed: its lists, and its network's team count. */
function teamsChanged(queryClient: QueryClient, networkId: string) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: [...structureKeys.teams, 'list'] }),
    queryClient.invalidateQueries({ queryKey: structureKeys.network(networkId) }),
    queryClient.invalidateQueries({ queryKey: [...structureKeys.networks, 'list'] }),
    queryClient.invalidateQueries({ queryKey: structureKeys.memberships }),
    invalidateAudit(queryClient),
  ]);
}

export function useCreateTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateTeamBody) => {
      const { data, etag } = await api.post('/api/v1/teams', { body });
      return { data, etag };
    },
    onSuccess: (created) => {
      queryClient.setQueryData(structureKeys.team(created.data.id), created);
      return teamsChanged(queryClient, created.data.network_id);
    },
  });
}

export function useUpdateTeam(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, etag }: { body: UpdateTeamBody; etag: string }) => {
      const result = await api.patch('/api/v1/teams/{id}', { params: { id }, body, ifMatch: etag });
      return { data: result.data, etag: result.etag };
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(structureKeys.team(id), updated);
      return teamsChanged(queryClient, updated.data.network_id);
    },
  });
}

export function useDeleteTeam(team: { id: string; network_id: string }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ etag }: { etag: string }) => {
      await api.delete('/api/v1/teams/{id}', { params: { id: team.id }, ifMatch: etag });
    },
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: structureKeys.team(team.id) });
      return teamsChanged(queryClient, team.network_id);
    },
  });
}

export interface MembershipFilters {
  scope?: 'coalition' | 'network' | 'team';
  networkId?: string;
  teamId?: string;
}

export function useMembershipList(filters: MembershipFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: structureKeys.membershipList(filters),
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      (
        await api.get('/api/v1/memberships', {
          query: {
            limit: LIST_PAGE_SIZE,
            cursor: pageParam,
            scope: filters.scope,
            network_id: filters.networkId,
            team_id: filters.teamId,
          },
          signal,
        })
      ).data,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

function membershipsChanged(queryClient: QueryClient) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: structureKeys.memberships }),
    invalidateAudit(queryClient),
  ]);
}

export function useCreateMembership() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateMembershipBody) =>
      (await api.post('/api/v1/memberships', { body })).data,
    onSuccess: () => membershipsChanged(queryClient),
  });
}

/** Changes a coalition-wide role; `membership.version` is the version read (sent as If-Match). */
export function useUpdateMembershipRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ membership, role }: { membership: Membership; role: Role }) =>
      (
        await api.patch('/api/v1/memberships/{id}', {
          params: { id: membership.id },
          body: { role },
          ifMatch: etagOf(membership.version),
        })
      ).data,
    onSuccess: () => membershipsChanged(queryClient),
  });
}

export function useDeleteMembership() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (membership: Membership) => {
      await api.delete('/api/v1/memberships/{id}', {
        params: { id: membership.id },
        ifMatch: etagOf(membership.version),
      });
      return membership;
    },
    onSuccess: () => membershipsChanged(queryClient),
  });
}

/**
 * Open invitations into one network (and its teams) or one team, among the scopes the signed-in
 * user manages (403 for everyone else).
 */
export function useInvitations(scope: { network_id?: string; team_id?: string }, enabled = true) {
  return useInfiniteQuery({
    queryKey: [...structureKeys.invitations, scope],
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      (
        await api.get('/api/v1/invitations', {
          query: { limit: 200, cursor: pageParam, ...scope },
          signal,
        })
      ).data,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useCreateInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateInvitationBody) =>
      (await api.post('/api/v1/invitations', { body })).data,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: structureKeys.invitations }),
        invalidateAudit(queryClient),
      ]),
  });
}

export function useRevokeInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (invitation: Invitation) => {
      await api.delete('/api/v1/invitations/{id}', { params: { id: invitation.id } });
      return invitation;
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: structureKeys.invitations }),
        invalidateAudit(queryClient),
      ]),
  });
}

/** What the signed-in user may manage, from `useMe()` and their own memberships. */
export interface MyRoles {
  /** False until both are known: hide management controls until then. */
  ready: boolean;
  signedIn: boolean;
  isAdmin: boolean;
  /** Admins and coalition-wide hub facilitators: networks, every team and role. */
  managesCoalition: boolean;
  /** Also the facilitators of this network: its settings, teams and their members. */
  managesNetwork: (networkId: string) => boolean;
  /** Manages at least one scope (sees the open invitations). */
  managesAnything: boolean;
}

/**
 * The UI's guess at what the user may do, to hide controls that would only be refused. The API
 * has the last word: a 403 it answers is still shown with its detail.
 */
export function useMyRoles(): MyRoles {
  const me = useMe();
  const userId = me.data?.id;
  const memberships = useQuery({
    queryKey: structureKeys.myMemberships(userId ?? ''),
    enabled: userId !== undefined,
    queryFn: async ({ signal }) =>
      (
        await api.get('/api/v1/memberships', {
          query: { user_id: userId, limit: 200 },
          signal,
        })
      ).data.items,
    staleTime: 60_000,
  });
  const isAdmin = me.data?.is_admin ?? false;
  const mine = memberships.data ?? [];
  const managesCoalition =
    isAdmin || mine.some((m) => m.role === 'hub_facilitator' && m.scope === 'coalition');
  const facilitated = new Set(
    mine
      .filter((m) => m.role === 'hub_facilitator' && m.scope === 'network' && m.network_id)
      .map((m) => m.network_id as string),
  );
  return {
    // On an error the controls stay hidden, and the API still answers what is allowed.
    ready:
      me.data === null ||
      (me.data !== undefined && (isAdmin || memberships.isSuccess || memberships.isError)),
    signedIn: Boolean(me.data),
    isAdmin,
    managesCoalition,
    managesNetwork: (networkId) => managesCoalition || facilitated.has(networkId),
    managesAnything: managesCoalition || facilitated.size > 0,
  };
}
