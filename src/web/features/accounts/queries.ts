import {
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useCallback } from 'react';
import { ApiError, api } from '../../api/client.ts';
import type {
  AcceptInvitationBody,
  Account,
  ChangePasswordBody,
  CreateApiTokenBody,
  Me,
  PasswordResetConfirmBody,
  Session,
  SignInBody,
} from './model.ts';

export const accountKeys = {
  all: ['account'] as const,
  me: ['account', 'me'] as const,
  sessions: ['account', 'sessions'] as const,
  tokens: ['account', 'tokens'] as const,
  signInOptions: ['account', 'sign-in-options'] as const,
  invitation: (token: string) => ['account', 'invitation', token] as const,
  accounts: ['account', 'user'] as const,
  account: (id: string) => ['account', 'user', id] as const,
};

export const PAGE_SIZE = 50;

/** 401 `unauthenticated`: no session (or it ended), as opposed to a wrong password. */
export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.code === 'unauthenticated';
}

/**
 * Who is signed in: the user, `null` when nobody is (a 401 is an answer here, not an error), or
 * `undefined` while loading. Only a failure to ask (network, 5xx) is an error.
 */
export function useMe() {
  return useQuery({
    queryKey: accountKeys.me,
    queryFn: async ({ signal }): Promise<Me | null> => {
      try {
        return (await api.get('/api/v1/me', { signal })).data;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

/**
 * Resets what the cache knows after the signed-in user changed: account data is dropped, the
 * new `me` is set, and every other query is refetched (what is visible may differ per user).
 */
function userChanged(queryClient: QueryClient, me: Me | null) {
  queryClient.removeQueries({ queryKey: accountKeys.sessions });
  queryClient.removeQueries({ queryKey: accountKeys.tokens });
  queryClient.removeQueries({ queryKey: accountKeys.accounts });
  queryClient.setQueryData(accountKeys.me, me);
  return queryClient.invalidateQueries({
    predicate: (query) => query.queryKey[0] !== accountKeys.all[0],
  });
}

/**
 * Any request answered 401 `unauthenticated` means the session has ended (expired, revoked on
 * another device, or signed out in another tab): `me` becomes null so the header and the pages
 * offer to sign in. main.tsx calls this from the query and mutation caches' `onError`.
 */
export function noticeSignedOut(queryClient: QueryClient, error: unknown) {
  if (!isUnauthenticated(error)) return;
  if (queryClient.getQueryData(accountKeys.me) === null) return;
  queryClient.setQueryData(accountKeys.me, null);
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: SignInBody) => (await api.post('/api/v1/auth/sign-in', { body })).data,
    onSuccess: (me) => userChanged(queryClient, me),
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await api.post('/api/v1/auth/sign-out');
    },
    onSuccess: () => userChanged(queryClient, null),
  });
}

export function useMySessions(enabled = true) {
  return useInfiniteQuery({
    queryKey: accountKeys.sessions,
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      (
        await api.get('/api/v1/me/sessions', {
          query: { limit: PAGE_SIZE, cursor: pageParam },
          signal,
        })
      ).data,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/**
 * Signs out one session. Revoking the current one signs this browser out: the caller then moves
 * on (e.g. to the sign-in page) and calls `useForgetUser()`'s function, in that order, so that
 * the page that asked is not replaced by a sign-in prompt before it can move on.
 */
export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (session: Session) => {
      await api.delete('/api/v1/me/sessions/{id}', { params: { id: session.id } });
      return session;
    },
    onSuccess: (session) =>
      session.current
        ? undefined
        : queryClient.invalidateQueries({ queryKey: accountKeys.sessions }),
  });
}

/** Forgets the signed-in user after this browser's session has ended some other way. */
export function useForgetUser() {
  const queryClient = useQueryClient();
  return useCallback(() => userChanged(queryClient, null), [queryClient]);
}

/** A record and the ETag of the version read, to send back as If-Match. */
export interface Versioned<T> {
  data: T;
  etag: string | null;
}

/** Your own account with its version (`GET /api/v1/users/{id}`), for changing your name. */
export function useMyAccount(id: string) {
  return useQuery({
    queryKey: accountKeys.account(id),
    queryFn: async ({ signal }): Promise<Versioned<Account>> => {
      const { data, etag } = await api.get('/api/v1/users/{id}', { params: { id }, signal });
      return { data, etag };
    },
  });
}

/**
 * Renames you: `etag` is that of the version the form was filled from (412 when the account
 * changed since). Afterwards `me` is asked again, so the header shows the new name, and every
 * other query is marked stale: your name may show anywhere (members, history).
 */
export function useRenameMe(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ displayName, etag }: { displayName: string; etag: string }) => {
      const result = await api.patch('/api/v1/users/{id}', {
        params: { id },
        body: { display_name: displayName },
        ifMatch: etag,
      });
      return { data: result.data, etag: result.etag };
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(accountKeys.account(id), updated);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: accountKeys.me }),
        queryClient.invalidateQueries({
          predicate: (query) => query.queryKey[0] !== accountKeys.all[0],
        }),
      ]);
    },
  });
}

/**
 * Changes your password (204). The server signs out your other sessions and keeps this one and
 * your API tokens, so the sessions list is asked again.
 */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ChangePasswordBody) => {
      await api.post('/api/v1/me/password', { body });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.sessions }),
  });
}

export function useMyApiTokens(enabled = true) {
  return useInfiniteQuery({
    queryKey: accountKeys.tokens,
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      (
        await api.get('/api/v1/me/tokens', {
          query: { limit: PAGE_SIZE, cursor: pageParam },
          signal,
        })
      ).data,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/**
 * Creates a token. Its secret is only in this mutation's result (never in the query cache):
 * call `reset()` once it has been shown, and it is gone from the app.
 */
export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateApiTokenBody) =>
      (await api.post('/api/v1/me/tokens', { body })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.tokens }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      await api.delete('/api/v1/me/tokens/{id}', { params: { id } });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.tokens }),
  });
}

/** How one can sign in here: the demo roles on offer (none unless this is a demo instance). */
export function useSignInOptions() {
  return useQuery({
    queryKey: accountKeys.signInOptions,
    queryFn: async ({ signal }) => (await api.get('/api/v1/auth/options', { signal })).data,
    staleTime: 10 * 60_000,
  });
}

/** Signs in as one of a demo instance's accounts, by its key ("reviewer"). */
export function useDemoSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (key: string) =>
      (await api.post('/api/v1/auth/demo-sign-in', { body: { key } })).data,
    onSuccess: (me) => userChanged(queryClient, me),
  });
}

/** Asks for a password-reset email; the answer is the same whether or not the address is known. */
export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: async (email: string) => {
      await api.post('/api/v1/auth/password-reset', { body: { email } });
    },
  });
}

/** Sets a new password with an emailed link; the account is then signed out everywhere. */
export function useConfirmPasswordReset() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: PasswordResetConfirmBody) => {
      await api.post('/api/v1/auth/password-reset/confirm', { body });
    },
    onSuccess: () => {
      // If this browser was signed in to that account, its session has just ended.
      if (queryClient.getQueryData(accountKeys.me)) return userChanged(queryClient, null);
      return undefined;
    },
  });
}

/** What an invitation link offers: who invited whom, into what, and whether the account exists. */
export function useInvitationPreview(token: string | null) {
  return useQuery({
    queryKey: accountKeys.invitation(token ?? ''),
    enabled: token !== null,
    queryFn: async ({ signal }) =>
      (await api.post('/api/v1/invitations/preview', { body: { token: token ?? '' }, signal }))
        .data,
    // Never kept once the page is left: the token is a secret, and the answer changes on use.
    gcTime: 0,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Accepts an invitation: creates the account and signs in, or adds the role to the signed-in one. */
export function useAcceptInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: AcceptInvitationBody) =>
      (await api.post('/api/v1/invitations/accept', { body })).data,
    // A new account, or new roles: what is visible has changed either way.
    onSuccess: (me) => userChanged(queryClient, me),
  });
}
