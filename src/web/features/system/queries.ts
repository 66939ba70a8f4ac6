import { useQuery } from '@tanstack/react-query';
import { api, type ResponseOf } from '../../api/client.ts';

export type Health = ResponseOf<'get', '/api/v1/health'>;

export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: async ({ signal }) => (await api.get('/api/v1/health', { signal })).data,
  });
}
