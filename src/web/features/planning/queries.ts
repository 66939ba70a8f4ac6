import {
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { DiagramContent } from '../../components/driver-diagram/model.ts';
import { useMe } from '../accounts/queries.ts';
import { structureKeys, type Versioned } from '../coalition/queries.ts';
import type {
  Charter,
  CreateCharterBody,
  CreateMeasureBody,
  CreateProjectBody,
  DiagramOwner,
  DriverDiagram,
  UpdateChangeIdeaBody,
  UpdateCharterBody,
  UpdateProjectBody,
} from './model.ts';

// Charters, projects, driver diagrams and change ideas: the planning side of improvement work.

export const planningKeys = {
  charters: ['charters'] as const,
  charterList: (filters: { networkId?: string }) => ['charters', 'list', filters] as const,
  charter: (id: string) => ['charters', 'detail', id] as const,
  projects: ['projects'] as const,
  projectList: (filters: ProjectFilters) => ['projects', 'list', filters] as const,
  project: (id: string) => ['projects', 'detail', id] as const,
  diagram: (owner: DiagramOwner) => ['driver-diagrams', owner.kind, owner.id] as const,
  revisions: (owner: DiagramOwner) =>
    ['driver-diagrams', owner.kind, owner.id, 'revisions'] as const,
  revision: (owner: DiagramOwner, version: number) =>
    ['driver-diagrams', owner.kind, owner.id, 'revision', version] as const,
  compare: (projectId: string) => ['driver-diagrams', 'compare', projectId] as const,
  changeIdeas: ['change-ideas'] as const,
  changeIdeaList: (filters: { networkId?: string }) => ['change-ideas', 'list', filters] as const,
  changeIdea: (id: string) => ['change-ideas', 'detail', id] as const,
  measureList: (charterId: string) => ['measures', 'list', { charterId }] as const,
  cycleList: (filters: { changeIdeaId?: string }) => ['pdsa-cycles', 'list', filters] as const,
};

const AUDIT_KEYS = [['history'], ['audit-events']] as const;
const PAGE = 50;

function invalidateAudit(queryClient: QueryClient) {
  return Promise.all(
    AUDIT_KEYS.map((queryKey) => queryClient.invalidateQueries({ queryKey: [...queryKey] })),
  );
}

// ---- Charters ----------------------------------------------------------------------------------

export function useCharterList(filters: { networkId?: string }, enabled = true) {
  return useInfiniteQuery({
    queryKey: planningKeys.charterList(filters),
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      (
        await api.get('/api/v1/charters', {
          query: { limit: PAGE, cursor: pageParam, network_id: filters.networkId || undefined },
          signal,
        })
      ).data,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useCharter(id: string) {
  return useQuery({
    queryKey: planningKeys.charter(id),
    queryFn: async ({ signal }): Promise<Versioned<Charter>> => {
      const { data, etag } = await api.get('/api/v1/charters/{id}', { params: { id }, signal });
      return { data, etag };
    },
  });
}

export function useCreateCharter() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateCharterBody) => {
      const { data, etag } = await api.post('/api/v1/charters', { body });
      return { data, etag };
    },
    onSuccess: (created) => {
      queryClient.setQueryData(planningKeys.charter(created.data.id), created);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: [...planningKeys.charters, 'list'] }),
        invalidateAudit(queryClient),
      ]);
    },
  });
}

export function useUpdateCharter(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, etag }: { body: UpdateCharterBody; etag: string }) => {
      const r = await api.patch('/api/v1/charters/{id}', { params: { id }, body, ifMatch: etag });
      return { data: r.data, etag: r.etag };
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(planningKeys.charter(id), updated);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: [...planningKeys.charters, 'list'] }),
        // Projects show their charter's title.
        queryClient.invalidateQueries({ queryKey: planningKeys.projects }),
        invalidateAudit(queryClient),
      ]);
    },
  });
}

export function useDeleteCharter(charter: { id: string }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ etag }: { etag: string }) => {
      await api.delete('/api/v1/charters/{id}', { params: { id: charter.id }, ifMatch: etag });
    },
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: planningKeys.charter(charter.id) });
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: [...planningKeys.charters, 'list'] }),
        invalidateAudit(queryClient),
      ]);
    },
  });
}

// ---- Projects ----------------------------------------------------------------------------------

export interface ProjectFilters {
  teamId?: string;
  networkId?: string;
  charterId?: string;
}

export function useProjectList(filters: ProjectFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: planningKeys.projectList(filters),
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      (
        await api.get('/api/v1/projects', {
          query: {
            limit: PAGE,
            cursor: pageParam,
            team_id: filters.teamId || undefined,
            network_id: filters.networkId || undefined,
            charter_id: filters.charterId || undefined,
          },
          signal,
        })
      ).data,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useProject(id: string) {
  return useQuery({
    queryKey: planningKeys.project(id),
    queryFn: async ({ signal }) => {
      const { data, etag } = await api.get('/api/v1/projects/{id}', { params: { id }, signal });
      return { data, etag };
    },
  });
}

function projectsChanged(queryClient: QueryClient) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: [...planningKeys.projects, 'list'] }),
    // The charter counts its projects.
    queryClient.invalidateQueries({ queryKey: planningKeys.charters }),
    invalidateAudit(queryClient),
  ]);
}

export function useCreateProject() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateProjectBody) => {
      const { data, etag } = await api.post('/api/v1/projects', { body });
      return { data, etag };
    },
    onSuccess: (created) => {
      queryClient.setQueryData(planningKeys.project(created.data.id), created);
      return projectsChanged(queryClient);
    },
  });
}

export function useUpdateProject(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, etag }: { body: UpdateProjectBody; etag: string }) => {
      const r = await api.patch('/api/v1/projects/{id}', { params: { id }, body, ifMatch: etag });
      return { data: r.data, etag: r.etag };
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(planningKeys.project(id), updated);
      return projectsChanged(queryClient);
    },
  });
}

export function useDeleteProject(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ etag }: { etag: string }) => {
      await api.delete('/api/v1/projects/{id}', { params: { id }, ifMatch: etag });
    },
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: planningKeys.project(id) });
      return projectsChanged(queryClient);
    },
  });
}

// ---- Driver diagrams ---------------------------------------------------------------------------

async function getDiagram(owner: DiagramOwner, signal: AbortSignal) {
  const { data, etag } =
    owner.kind === 'charter'
      ? await api.get('/api/v1/charters/{id}/driver-diagram', { params: { id: owner.id }, signal })
      : await api.get('/api/v1/projects/{id}/driver-diagram', { params: { id: owner.id }, signal });
  return { data, etag } as Versioned<DriverDiagram>;
}

export function useDriverDiagram(owner: DiagramOwner | null) {
  return useQuery({
    queryKey: planningKeys.diagram(owner ?? { kind: 'charter', id: '' }),
    enabled: owner !== null,
    queryFn: ({ signal }) => getDiagram(owner as DiagramOwner, signal),
  });
}

export function useSaveDriverDiagram(owner: DiagramOwner) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ content, etag }: { content: DiagramContent; etag: string }) => {
      const body = {
        content: {
          aim: content.aim,
          nodes: content.nodes.map((n) => ({
            id: n.id,
            kind: n.kind,
            label: n.label,
            change_idea_id: n.change_idea_id ?? null,
          })),
          edges: content.edges.map((e) => ({ from: e.from, to: e.to })),
        },
      };
      const r =
        owner.kind === 'charter'
          ? await api.put('/api/v1/charters/{id}/driver-diagram', {
              params: { id: owner.id },
              body,
              ifMatch: etag,
            })
          : await api.put('/api/v1/projects/{id}/driver-diagram', {
              params: { id: owner.id },
              body,
              ifMatch: etag,
            });
      return { data: r.data, etag: r.etag } as Versioned<DriverDiagram>;
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(planningKeys.diagram(owner), saved);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: planningKeys.revisions(owner) }),
        queryClient.invalidateQueries({ queryKey: ['driver-diagrams', 'compare'] }),
        // Change ideas list the drivers they serve.
        queryClient.invalidateQueries({ queryKey: planningKeys.changeIdeas }),
        invalidateAudit(queryClient),
      ]);
    },
  });
}

export function useDiagramRevisions(owner: DiagramOwner, enabled = true) {
  return useInfiniteQuery({
    queryKey: planningKeys.revisions(owner),
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) => {
      const query = { limit: 20, cursor: pageParam };
      return owner.kind === 'charter'
        ? (
            await api.get('/api/v1/charters/{id}/driver-diagram/revisions', {
              params: { id: owner.id },
              query,
              signal,
            })
          ).data
        : (
            await api.get('/api/v1/projects/{id}/driver-diagram/revisions', {
              params: { id: owner.id },
              query,
              signal,
            })
          ).data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useDiagramRevision(owner: DiagramOwner, version: number | null) {
  return useQuery({
    queryKey: planningKeys.revision(owner, version ?? 0),
    enabled: version !== null,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async ({ signal }) => {
      const params = { id: owner.id, version: version ?? 0 };
      return owner.kind === 'charter'
        ? (
            await api.get('/api/v1/charters/{id}/driver-diagram/revisions/{version}', {
              params,
              signal,
            })
          ).data
        : (
            await api.get('/api/v1/projects/{id}/driver-diagram/revisions/{version}', {
              params,
              signal,
            })
          ).data;
    },
  });
}

export function useDiagramComparison(projectId: string, enabled: boolean) {
  return useQuery({
    queryKey: planningKeys.compare(projectId),
    enabled,
    queryFn: async ({ signal }) =>
      (
        await api.get('/api/v1/projects/{id}/driver-diagram/compare', {
          params: { id: projectId },
          signal,
        })
      ).data,
  });
}

// ---- Change ideas ------------------------------------------------------------------------------

/** The network's change ideas the reader can see (for linking diagram nodes to records). */
export function useChangeIdeaOptions(networkId: string | undefined) {
  return useQuery({
    queryKey: planningKeys.changeIdeaList({ networkId }),
    enabled: Boolean(networkId),
    queryFn: async ({ signal }) =>
      (
        await api.get('/api/v1/change-ideas', {
          query: { network_id: networkId, limit: 200 },
          signal,
        })
      ).data.items,
  });
}

export function useChangeIdea(id: string) {
  return useQuery({
    queryKey: planningKeys.changeIdea(id),
    queryFn: async ({ signal }) => {
      const { data, etag } = await api.get('/api/v1/change-ideas/{id}', { params: { id }, signal });
      return { data, etag };
    },
  });
}

export function useUpdateChangeIdea(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, etag }: { body: UpdateChangeIdeaBody; etag: string }) => {
      const r = await api.patch('/api/v1/change-ideas/{id}', {
        params: { id },
        body,
        ifMatch: etag,
      });
      return { data: r.data, etag: r.etag };
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(planningKeys.changeIdea(id), updated);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: [...planningKeys.changeIdeas, 'list'] }),
        invalidateAudit(queryClient),
      ]);
    },
  });
}

// ---- Measures and cycles (read here; their own pages belong to the measures and PDSA features) --

export function useCharterMeasures(charterId: string) {
  return useQuery({
    queryKey: planningKeys.measureList(charterId),
    queryFn: async ({ signal }) =>
      (await api.get('/api/v1/measures', { query: { charter_id: charterId, limit: 200 }, signal }))
        .data.items,
  });
}

export function useCreateCommonMeasure() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateMeasureBody) =>
      (await api.post('/api/v1/measures', { body })).data,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['measures'] }),
        invalidateAudit(queryClient),
      ]),
  });
}

export function useCyclesOfChangeIdea(changeIdeaId: string) {
  return useInfiniteQuery({
    queryKey: planningKeys.cycleList({ changeIdeaId }),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      (
        await api.get('/api/v1/pdsa-cycles', {
          query: { change_idea_id: changeIdeaId, limit: PAGE, cursor: pageParam },
          signal,
        })
      ).data,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

// ---- Where I may work --------------------------------------------------------------------------

/**
 * The teams the signed-in user belongs to (team-scope memberships), from the same query as
 * `useMyRoles()`. The API decides; this only hides controls it would refuse.
 */
export function useMyTeams() {
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
  const teams = (memberships.data ?? [])
    .filter((m) => m.scope === 'team' && m.team_id)
    .map((m) => ({ id: m.team_id as string, name: m.scope_name, networkId: m.network_id }));
  return {
    ready: me.data === null || memberships.isSuccess || memberships.isError,
    teams,
    has: (teamId: string) => teams.some((t) => t.id === teamId),
  };
}
