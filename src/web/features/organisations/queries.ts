import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { auditKeys } from '../audit/queries.ts';
import type {
  CreateOrganisationBody,
  Organisation,
  OrganisationType,
  UpdateOrganisationBody,
} from './model.ts';

export const organisationKeys = {
  all: ['organisations'] as const,
  list: (filters: { q: string; type: OrganisationType | '' }) =>
    ['organisations', 'list', filters] as const,
  detail: (id: string) => ['organisations', 'detail', id] as const,
};

export const PAGE_SIZE = 50;

export function useOrganisationList(filters: { q: string; type: OrganisationType | '' }) {
  return useInfiniteQuery({
    queryKey: organisationKeys.list(filters),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) => {
      const { data } = await api.get('/api/v1/organisations', {
        query: {
          limit: PAGE_SIZE,
          cursor: pageParam,
          q: filters.q || undefined,
          type: filters.type || undefined,
        },
        signal,
      });
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** The organisation and the ETag of the version read, to send back as If-Match. */
export interface Versioned<T> {
  data: T;
  etag: string | null;
}

export function useOrganisation(id: string) {
  return useQuery({
    queryKey: organisationKeys.detail(id),
    queryFn: async ({ signal }): Promise<Versioned<Organisation>> => {
      const { data, etag } = await api.get('/api/v1/organisations/{id}', {
        params: { id },
        signal,
      });
      return { data, etag };
    },
  });
}

export function useCreateOrganisation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateOrganisationBody) => {
      const { data, etag } = await api.post('/api/v1/organisations', { body });
      return { data, etag };
    },
    onSuccess: (created) => {
      queryClient.setQueryData(organisationKeys.detail(created.data.id), created);
      return queryClient.invalidateQueries({ queryKey: [...organisationKeys.all, 'list'] });
    },
  });
}

export function useUpdateOrganisation(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, etag }: { body: UpdateOrganisationBody; etag: string }) => {
      const result = await api.patch('/api/v1/organisations/{id}', {
        params: { id },
        body,
        ifMatch: etag,
      });
      return { data: result.data, etag: result.etag };
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(organisationKeys.detail(id), updated);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: [...organisationKeys.all, 'list'] }),
        queryClient.invalidateQueries({ queryKey: auditKeys.history('organisation', id) }),
      ]);
    },
  });
}

export function useDeleteOrganisation(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ etag }: { etag: string }) => {
      await api.delete('/api/v1/organisations/{id}', { params: { id }, ifMatch: etag });
    },
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: organisationKeys.detail(id) });
      return queryClient.invalidateQueries({ queryKey: [...organisationKeys.all, 'list'] });
    },
  });
}

const COUNT_LIMIT = 200;

/** How many organisations there are, up to 200 (the list API has no total yet). */
export function useOrganisationCount() {
  return useQuery({
    queryKey: [...organisationKeys.all, 'list', 'count'],
    queryFn: async ({ signal }) => {
      const { data } = await api.get('/api/v1/organisations', {
        query: { limit: COUNT_LIMIT },
        signal,
      });
      return { count: data.items.length, more: data.next_cursor !== null };
    },
  });
}
