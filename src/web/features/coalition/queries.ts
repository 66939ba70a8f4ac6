import { useQuery } from '@tanstack/react-query';
import { api, type ResponseOf } from '../../api/client.ts';

export type Coalition = ResponseOf<'get', '/api/v1/coalition'>;

export const coalitionKey = ['coalition'] as const;

export function useCoalition() {
  return useQuery({
    queryKey: coalitionKey,
    queryFn: async ({ signal }) => (await api.get('/api/v1/coalition', { signal })).data,
    staleTime: 5 * 60_000,
  });
}
