import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { accountKeys } from '../accounts/queries.ts';
import { etagOf } from '../coalition/model.ts';
import type { UpdateUserBody, User } from './model.ts';

export const userKeys = {
  all: ['users'] as const,
  list: (q: string) => ['users', 'list', { q }] as const,
};

const PAGE_SIZE = 50;

/** Every active account (instance admins only), by name. */
export function useUserList(q: string, enabled = true) {
  return useInfiniteQuery({
    queryKey: userKeys.list(q),
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      (
        await api.get('/api/v1/users', {
          query: { limit: PAGE_SIZE, cursor: pageParam, q: q || undefined },
          signal,
        })
      ).data,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** After an account changed: the lists, roles (they show names), the log, and maybe `me`. */
function usersChanged(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: userKeys.all }),
    queryClient.invalidateQueries({ queryKey: ['memberships'] }),
    queryClient.invalidateQueries({ queryKey: ['audit-events'] }),
    queryClient.invalidateQueries({ queryKey: ['history'] }),
    queryClient.invalidateQueries({ queryKey: accountKeys.me }),
  ]);
}

/** Renames an account or grants/removes admin; `user.version` is the version read (If-Match). */
export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ user, body }: { user: User; body: UpdateUserBody }) =>
      (
        await api.patch('/api/v1/users/{id}', {
          params: { id: user.id },
          body,
          ifMatch: etagOf(user.version),
        })
      ).data,
    onSuccess: () => usersChanged(queryClient),
  });
}

export function useDeleteUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (user: User) => {
      await api.delete('/api/v1/users/{id}', {
        params: { id: user.id },
        ifMatch: etagOf(user.version),
      });
      return user;
    },
    onSuccess: () => usersChanged(queryClient),
  });
}
