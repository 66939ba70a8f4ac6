import {
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { ApiError, api, type Problem } from '../../api/client.ts';
import { useMe } from '../accounts/queries.ts';
import { structureKeys, type Versioned } from '../coalition/queries.ts';
import type {
  Attachment,
  CreatePdsaCycleBody,
  LogFilters,
  PdsaCycle,
  TransitionBody,
  UpdatePdsaCycleBody,
} from './model.ts';
import { logQueryOf } from './model.ts';

export const pdsaKeys = {
  all: ['pdsa-cycles'] as const,
  list: (query: object) => ['pdsa-cycles', 'list', query] as const,
  cycle: (id: string) => ['pdsa-cycles', 'detail', id] as const,
  ramp: (id: string) => ['pdsa-cycles', 'ramp', id] as const,
  transitions: (id: string) => ['pdsa-cycles', 'transitions', id] as const,
  attachments: (id: string) => ['pdsa-cycles', 'attachments', id] as const,
  changeIdeas: (networkId: string) => ['change-ideas', 'list', { networkId }] as const,
  teamMeasures: (teamId: string) => ['measures', 'list', { teamId }] as const,
};

export const LOG_PAGE_SIZE = 50;

export function usePdsaCycle(id: string) {
  return useQuery({
    queryKey: pdsaKeys.cycle(id),
    queryFn: async ({ signal }): Promise<Versioned<PdsaCycle>> => {
      const { data, etag } = await api.get('/api/v1/pdsa-cycles/{id}', { params: { id }, signal });
      return { data, etag };
    },
  });
}

/** The PDSA log with its filters, newest first, a page at a time. */
export function usePdsaLog(filters: LogFilters) {
  const query = logQueryOf(filters);
  return useInfiniteQuery({
    queryKey: pdsaKeys.list(query),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      (
        await api.get('/api/v1/pdsa-cycles', {
          query: { ...query, limit: LOG_PAGE_SIZE, cursor: pageParam },
          signal,
        })
      ).data,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** A project's cycles (up to 200, newest first): enough to draw its ramps. */
export function useProjectCycles(projectId: string) {
  return useQuery({
    queryKey: pdsaKeys.list({ project_id: projectId, limit: 200 }),
    queryFn: async ({ signal }) =>
      (
        await api.get('/api/v1/pdsa-cycles', {
          query: { project_id: projectId, limit: 200 },
          signal,
        })
      ).data,
  });
}

export function usePdsaRamp(id: string) {
  return useQuery({
    queryKey: pdsaKeys.ramp(id),
    queryFn: async ({ signal }) =>
      (await api.get('/api/v1/pdsa-cycles/{id}/ramp', { params: { id }, signal })).data,
  });
}

export function usePdsaTransitions(id: string) {
  return useInfiniteQuery({
    queryKey: pdsaKeys.transitions(id),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      (
        await api.get('/api/v1/pdsa-cycles/{id}/transitions', {
          params: { id },
          query: { limit: 100, cursor: pageParam },
          signal,
        })
      ).data,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useAttachments(id: string) {
  return useInfiniteQuery({
    queryKey: pdsaKeys.attachments(id),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      (
        await api.get('/api/v1/pdsa-cycles/{id}/attachments', {
          params: { id },
          query: { limit: 100, cursor: pageParam },
          signal,
        })
      ).data,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** The change ideas of a network (up to 200, by title), to pick one for a cycle. */
export function useNetworkChangeIdeas(networkId: string, enabled = true) {
  return useQuery({
    queryKey: pdsaKeys.changeIdeas(networkId),
    enabled: enabled && networkId !== '',
    queryFn: async ({ signal }) =>
      (
        await api.get('/api/v1/change-ideas', {
          query: { network_id: networkId, limit: 200 },
          signal,
        })
      ).data.items,
  });
}

/** The measures a team reports (common and local), to link charts from a study. */
export function useTeamMeasures(teamId: string, enabled = true) {
  return useQuery({
    queryKey: pdsaKeys.teamMeasures(teamId),
    enabled,
    queryFn: async ({ signal }) =>
      (await api.get('/api/v1/measures', { query: { team_id: teamId, limit: 200 }, signal })).data
        .items,
  });
}

/** Whether the signed-in user works in the team (a member, a facilitator of its network, an admin). */
export function useWorksInTeam(teamId: string, networkId: string): boolean {
  const me = useMe();
  const userId = me.data?.id;
  // The same query (and cache entry) as useMyRoles().
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
  if (!me.data) return false;
  if (me.data.is_admin) return true;
  return (memberships.data ?? []).some(
    (m) =>
      (m.role === 'hub_facilitator' &&
        (m.scope === 'coalition' || (m.scope === 'network' && m.network_id === networkId))) ||
      (m.role === 'team_member' && m.team_id === teamId),
  );
}

function invalidateAudit(queryClient: QueryClient) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: ['history'] }),
    queryClient.invalidateQueries({ queryKey: ['audit-events'] }),
  ]);
}

/** After a cycle changed: its lists, ramps, transitions and the change ideas' counts. */
function cyclesChanged(queryClient: QueryClient, id?: string) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: [...pdsaKeys.all, 'list'] }),
    queryClient.invalidateQueries({ queryKey: [...pdsaKeys.all, 'ramp'] }),
    id ? queryClient.invalidateQueries({ queryKey: pdsaKeys.transitions(id) }) : undefined,
    queryClient.invalidateQueries({ queryKey: ['change-ideas'] }),
    invalidateAudit(queryClient),
  ]);
}

export function useCreatePdsaCycle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreatePdsaCycleBody) => {
      const { data, etag } = await api.post('/api/v1/pdsa-cycles', { body });
      return { data, etag };
    },
    onSuccess: (created) => {
      queryClient.setQueryData(pdsaKeys.cycle(created.data.id), created);
      return cyclesChanged(queryClient);
    },
  });
}

export function useCreateChangeIdea() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { network_id: string; team_id: string | null; title: string }) =>
      (await api.post('/api/v1/change-ideas', { body })).data,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['change-ideas'] }),
        invalidateAudit(queryClient),
      ]),
  });
}

export function useUpdatePdsaCycle(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, etag }: { body: UpdatePdsaCycleBody; etag: string }) => {
      const result = await api.patch('/api/v1/pdsa-cycles/{id}', {
        params: { id },
        body,
        ifMatch: etag,
      });
      return { data: result.data, etag: result.etag };
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(pdsaKeys.cycle(id), updated);
      return cyclesChanged(queryClient);
    },
  });
}

/**
 * Moves the cycle on (or back). With `save`, the section being edited is saved first (If-Match),
 * and the move is made on the version that save returned.
 */
export function useTransitionPdsaCycle(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({
      body,
      etag,
      save,
    }: {
      body: TransitionBody;
      etag: string;
      save?: UpdatePdsaCycleBody;
    }) => {
      let ifMatch = etag;
      if (save) {
        const saved = await api.patch('/api/v1/pdsa-cycles/{id}', {
          params: { id },
          body: save,
          ifMatch,
        });
        queryClient.setQueryData(pdsaKeys.cycle(id), { data: saved.data, etag: saved.etag });
        ifMatch = saved.etag ?? ifMatch;
      }
      const result = await api.post('/api/v1/pdsa-cycles/{id}/transitions', {
        params: { id },
        body,
        ifMatch,
      });
      return { data: result.data, etag: result.etag };
    },
    onSuccess: (moved) => {
      queryClient.setQueryData(pdsaKeys.cycle(id), moved);
      return cyclesChanged(queryClient, id);
    },
    // A save that went through before a refused move still changed the record.
    onError: () => queryClient.invalidateQueries({ queryKey: [...pdsaKeys.all, 'list'] }),
  });
}

/** Uploads a file as is (raw body, its own content type); the API names it `filename`. */
export function useUploadAttachment(cycleId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (file: File): Promise<Attachment> => {
      const url = `/api/v1/pdsa-cycles/${encodeURIComponent(cycleId)}/attachments?${new URLSearchParams({ filename: file.name })}`;
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            accept: 'application/json',
            'content-type': file.type || 'application/octet-stream',
          },
          body: file,
          credentials: 'same-origin',
        });
      } catch {
        throw new ApiError({
          type: 'about:blank',
          title: 'Could not reach the Tandem server',
          status: 0,
          code: 'network_error',
          detail: 'Check your connection, then try again.',
        });
      }
      const text = await response.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      if (!response.ok) {
        const problem =
          typeof body === 'object' && body !== null && 'title' in body
            ? (body as Problem)
            : {
                type: 'about:blank',
                title: response.statusText || `HTTP ${response.status}`,
                status: response.status,
                code: 'http_error',
              };
        throw new ApiError({
          ...problem,
          code: problem.code ?? 'http_error',
          status: problem.status ?? response.status,
        });
      }
      return body as Attachment;
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: pdsaKeys.attachments(cycleId) }),
        invalidateAudit(queryClient),
      ]),
  });
}

export function useDeleteAttachment(cycleId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (attachment: Attachment) => {
      await api.delete('/api/v1/attachments/{id}', { params: { id: attachment.id } });
      return attachment;
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: pdsaKeys.attachments(cycleId) }),
        invalidateAudit(queryClient),
      ]),
  });
}

/** One change idea (its title for a filter set from a link). */
export function useChangeIdea(id: string, enabled = true) {
  return useQuery({
    queryKey: ['change-ideas', 'detail', id],
    enabled: enabled && id !== '',
    queryFn: async ({ signal }) =>
      (await api.get('/api/v1/change-ideas/{id}', { params: { id }, signal })).data,
    staleTime: 60_000,
  });
}

/** Deletes a cycle still in 'plan' (tested cycles are kept as history). */
export function useDeletePdsaCycle(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ etag }: { etag: string }) => {
      await api.delete('/api/v1/pdsa-cycles/{id}', { params: { id }, ifMatch: etag });
    },
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: pdsaKeys.cycle(id) });
      return cyclesChanged(queryClient);
    },
  });
}
