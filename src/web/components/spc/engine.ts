/**
 * Where a chart is computed: through the API (`POST /api/v1/analysis/spc`) for a signed-in user,
 * or by the same engine in the browser otherwise. `analyseSpc()` is the one place that calls the
 * API, so switching it (e.g. to a newly generated client method) touches one function.
 */
import { keepPreviousData, useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import { analyzeSpc, SpcInputInvalid } from '../../../core/spc/index.ts';
import type { SpcInputError, SpcRequest, SpcResponse } from '../../../core/spc/types.ts';
import { ApiError, api } from '../../api/client.ts';

export { ENGINE_VERSION } from '../../../core/spc/index.ts';

/** Asks the Tandem API to analyse one series. Throws ApiError (400 with `errors[]` on bad input). */
export async function analyseSpc(request: SpcRequest, signal?: AbortSignal): Promise<SpcResponse> {
  const { data } = await api.post('/api/v1/analysis/spc', { body: request, signal });
  return data as SpcResponse;
}

export type SpcOutcome =
  | { ok: true; response: SpcResponse }
  | { ok: false; errors: SpcInputError[] };

/** Runs the engine in this browser; bad input becomes the same `errors[]` the API answers. */
export function analyseInBrowser(request: SpcRequest): SpcOutcome {
  try {
    return { ok: true, response: analyzeSpc(request) };
  } catch (error) {
    if (error instanceof SpcInputInvalid) return { ok: false, errors: error.errors };
    throw error;
  }
}

/** A field path of the API (`/body/values/3`) or the engine (`/values/3`) as the engine's. */
export function enginePath(path: string): string {
  return path.replace(/^\/body(?=\/|$)/, '');
}

export interface SpcAnalyses {
  source: 'api' | 'browser';
  /** True while the API has not answered the current requests yet. */
  pending: boolean;
  /** One outcome per request, once known. */
  outcomes: (SpcOutcome | undefined)[];
  /** A failure other than bad input (network, server): show it with a retry. */
  failure: unknown;
  retry: () => void;
}

/**
 * Analyses each request (one per site) through the API when `useApi`, else in the browser.
 * A 400 answer is an outcome (its `errors[]`), not a failure.
 */
export function useSpcAnalyses(requests: readonly SpcRequest[], useApi: boolean): SpcAnalyses {
  const local = useMemo(
    () => (useApi ? null : requests.map((request) => analyseInBrowser(request))),
    [requests, useApi],
  );
  const remote = useQueries({
    queries: (useApi ? requests : []).map((request) => ({
      queryKey: ['analysis', 'spc', request] as const,
      queryFn: ({ signal }: { signal: AbortSignal }) => analyseSpc(request, signal),
      staleTime: Number.POSITIVE_INFINITY,
      gcTime: 5 * 60_000,
      placeholderData: keepPreviousData,
    })),
  });
  if (local) {
    return { source: 'browser', pending: false, outcomes: local, failure: null, retry: () => {} };
  }
  const outcomes: (SpcOutcome | undefined)[] = remote.map((q) => {
    if (q.data && !q.isPlaceholderData) return { ok: true, response: q.data };
    if (q.error instanceof ApiError && q.error.status === 400)
      return {
        ok: false,
        errors: q.error.errors.map((e) => ({ path: enginePath(e.path), message: e.message })),
      };
    if (q.data) return { ok: true, response: q.data };
    return undefined;
  });
  const failed = remote.find(
    (q) => q.isError && !(q.error instanceof ApiError && q.error.status === 400),
  );
  return {
    source: 'api',
    pending: remote.some((q) => q.isFetching),
    outcomes,
    failure: failed?.error ?? null,
    retry: () => {
      for (const q of remote) if (q.isError) void q.refetch();
    },
  };
}
