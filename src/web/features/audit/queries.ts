import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { AuditQuery, HistoryEntityType } from './model.ts';

export const auditKeys = {
  history: (entityType: HistoryEntityType, id: string) => ['history', entityType, id] as const,
  events: (query: Omit<AuditQuery, 'limit' | 'cursor'>) => ['audit-events', query] as const,
};

const HISTORY_PAGE_SIZE = 20;
const AUDIT_PAGE_SIZE = 50;

/** A record's change history, newest first (as visible as the record itself). */
export function useRecordHistory(entityType: HistoryEntityType, id: string, enabled = true) {
  return useInfiniteQuery({
    queryKey: auditKeys.history(entityType, id),
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      (
        await api.get('/api/v1/history/{entity_type}/{id}', {
          params: { entity_type: entityType, id },
          query: { limit: HISTORY_PAGE_SIZE, cursor: pageParam },
          signal,
        })
      ).data,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** The admin audit log, newest first. */
export function useAuditEvents(query: Omit<AuditQuery, 'limit' | 'cursor'>, enabled = true) {
  return useInfiniteQuery({
    queryKey: auditKeys.events(query),
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      (
        await api.get('/api/v1/audit-events', {
          query: { ...query, limit: AUDIT_PAGE_SIZE, cursor: pageParam },
          signal,
        })
      ).data,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
