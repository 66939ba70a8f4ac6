/**
 * Query hooks for measures: the definition, a team's values (the grid), a value's history, the
 * chart of one team, annotations, imports (a raw CSV/XLSX body, so not through the JSON client)
 * and the charter's network dashboard.
 */
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
import type { AnnotationPatch } from './annotations.ts';
import type {
  Annotation,
  CreateAnnotationBody,
  ImportReport,
  Measure,
  SaveValuesBody,
  UpdateMeasureBody,
} from './model.ts';

export const measureKeys = {
  all: ['measures'] as const,
  measure: (id: string) => ['measures', 'detail', id] as const,
  teamMeasures: (teamId: string) => ['measures', 'team', teamId] as const,
  chart: (id: string, teamId: string) => ['measures', 'chart', id, teamId] as const,
  charts: ['measures', 'chart'] as const,
  values: (teamId: string, measureId: string) => ['measure-values', teamId, measureId] as const,
  allValues: ['measure-values'] as const,
  history: (valueId: string) => ['measure-values', 'history', valueId] as const,
  reportingTeams: (measureId: string) => ['measures', 'reporting-teams', measureId] as const,
  project: (id: string) => ['measures', 'project', id] as const,
  dashboard: (charterId: string) => ['charter-dashboard', charterId] as const,
  annotations: ['annotations'] as const,
  teamAnnotations: (teamId: string, measureId: string) =>
    ['annotations', 'team', teamId, measureId] as const,
};

/** After values or annotations changed: the charts, grids and dashboards that show them. */
function dataChanged(queryClient: QueryClient) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: measureKeys.allValues }),
    queryClient.invalidateQueries({ queryKey: measureKeys.charts }),
    queryClient.invalidateQueries({ queryKey: ['charter-dashboard'] }),
    queryClient.invalidateQueries({ queryKey: ['history'] }),
    queryClient.invalidateQueries({ queryKey: measureKeys.annotations }),
  ]);
}

export function useMeasure(id: string) {
  return useQuery({
    queryKey: measureKeys.measure(id),
    queryFn: async ({ signal }): Promise<Versioned<Measure>> => {
      const { data, etag } = await api.get('/api/v1/measures/{id}', { params: { id }, signal });
      return { data, etag };
    },
  });
}

export function useUpdateMeasure(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, etag }: { body: UpdateMeasureBody; etag: string }) => {
      const { data, etag: next } = await api.patch('/api/v1/measures/{id}', {
        params: { id },
        body,
        ifMatch: etag,
      });
      return { data, etag: next };
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(measureKeys.measure(id), updated);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: [...measureKeys.all, 'team'] }),
        queryClient.invalidateQueries({ queryKey: measureKeys.charts }),
        queryClient.invalidateQueries({ queryKey: ['charter-dashboard'] }),
        queryClient.invalidateQueries({ queryKey: ['history'] }),
      ]);
    },
  });
}

/** The measures a team reports (common ones of its charters and its projects' own), up to 200. */
export function useTeamMeasures(teamId: string) {
  return useQuery({
    queryKey: measureKeys.teamMeasures(teamId),
    enabled: teamId !== '',
    queryFn: async ({ signal }) =>
      (await api.get('/api/v1/measures', { query: { team_id: teamId, limit: 200 }, signal })).data,
  });
}

export function useMeasureChart(id: string, teamId: string | null) {
  return useQuery({
    queryKey: measureKeys.chart(id, teamId ?? ''),
    enabled: Boolean(teamId),
    queryFn: async ({ signal }) =>
      (
        await api.get('/api/v1/measures/{id}/chart', {
          params: { id },
          query: { team: teamId as string },
          signal,
        })
      ).data,
  });
}

export function useTeamValues(teamId: string | null, measureId: string) {
  return useQuery({
    queryKey: measureKeys.values(teamId ?? '', measureId),
    enabled: Boolean(teamId),
    queryFn: async ({ signal }) =>
      (
        await api.get('/api/v1/teams/{team_id}/measure-values', {
          params: { team_id: teamId as string },
          query: { measure_id: measureId },
          signal,
        })
      ).data,
  });
}

export function useSaveValues(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: SaveValuesBody) =>
      (
        await api.put('/api/v1/teams/{team_id}/measure-values', {
          params: { team_id: teamId },
          body,
        })
      ).data,
    // The grid's versions come only from fresh values: refetch them (see the grid's notes).
    onSettled: () => dataChanged(queryClient),
  });
}

export function useValueHistory(valueId: string | null) {
  return useQuery({
    queryKey: measureKeys.history(valueId ?? ''),
    enabled: Boolean(valueId),
    queryFn: async ({ signal }) =>
      (
        await api.get('/api/v1/measure-values/{id}/history', {
          params: { id: valueId as string },
          signal,
        })
      ).data,
  });
}

/**
 * The teams that report a measure: a local measure's own team, or the teams of the projects
 * linked to a common measure's charter (those the reader can see).
 */
export function useReportingTeams(measure: Measure | undefined) {
  return useQuery({
    queryKey: measureKeys.reportingTeams(measure?.id ?? ''),
    enabled: measure !== undefined,
    queryFn: async ({ signal }): Promise<{ id: string; name: string }[]> => {
      const m = measure as Measure;
      const query = m.charter_id
        ? { charter_id: m.charter_id, limit: 200 }
        : { team_id: m.team_id ?? undefined, limit: 200 };
      const { data } = await api.get('/api/v1/projects', { query, signal });
      const teams = new Map<string, string>();
      for (const p of data.items) teams.set(p.team_id, p.team_name);
      return [...teams]
        .map(([id, name]) => ({ id, name }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    staleTime: 60_000,
  });
}

/** The project, for its aim (the planning pages keep their own copy under their own key). */
export function useProjectAim(projectId: string) {
  return useQuery({
    queryKey: measureKeys.project(projectId),
    queryFn: async ({ signal }) =>
      (await api.get('/api/v1/projects/{id}', { params: { id: projectId }, signal })).data,
  });
}

export function useCreateAnnotation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateAnnotationBody) =>
      (await api.post('/api/v1/annotations', { body })).data,
    onSuccess: () => dataChanged(queryClient),
  });
}

/** Pages read at most by `useTeamAnnotations` (200 each): far more than a chart carries. */
const ANNOTATION_PAGES = 10;

/**
 * The annotations shown on a team's charts of a measure, as records (team, network, version):
 * the chart's own list lacks who owns each one and its version, which editing needs.
 */
export function useTeamAnnotations(teamId: string | null, measureId: string, enabled = true) {
  return useQuery({
    queryKey: measureKeys.teamAnnotations(teamId ?? '', measureId),
    enabled: enabled && Boolean(teamId),
    queryFn: async ({ signal }): Promise<Annotation[]> => {
      const all: Annotation[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < ANNOTATION_PAGES; page++) {
        const { data } = await api.get('/api/v1/annotations', {
          query: { team_id: teamId as string, measure_id: measureId, limit: 200, cursor },
          signal,
        });
        all.push(...data.items);
        if (!data.next_cursor) break;
        cursor = data.next_cursor;
      }
      return all;
    },
  });
}

export function useUpdateAnnotation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body, etag }: { id: string; body: AnnotationPatch; etag: string }) =>
      (await api.patch('/api/v1/annotations/{id}', { params: { id }, body, ifMatch: etag })).data,
    onSuccess: () => dataChanged(queryClient),
  });
}

export function useDeleteAnnotation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, etag }: { id: string; etag: string }) => {
      await api.delete('/api/v1/annotations/{id}', { params: { id }, ifMatch: etag });
    },
    onSuccess: () => dataChanged(queryClient),
  });
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ImportRequest {
  file: File;
  teamId: string;
  dryRun: boolean;
  mode: 'all_or_nothing' | 'per_row';
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Problem;
    if (typeof body.title === 'string') return { ...body, code: body.code ?? 'error' };
  } catch {
    // not a problem document
  }
  return {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    code: 'http_error',
    detail: `The server answered ${response.status} without an explanation.`,
  };
}

/**
 * Sends a CSV or XLSX file as the raw body of POST /api/v1/measure-values/import (the JSON client
 * cannot). A dry run reports what would happen; a real run reports what was written.
 */
export async function importValues(request: ImportRequest): Promise<ImportReport> {
  const isXlsx = /\.xlsx$/i.test(request.file.name) || request.file.type === XLSX_TYPE;
  const query = new URLSearchParams({
    team_id: request.teamId,
    dry_run: String(request.dryRun),
    mode: request.mode,
  });
  let response: Response;
  try {
    response = await fetch(`/api/v1/measure-values/import?${query}`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': isXlsx ? XLSX_TYPE : 'text/csv; charset=utf-8',
      },
      body: request.file,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError({
      type: 'about:blank',
      title: 'Could not reach the Tandem server',
      status: 0,
      code: 'network_error',
      detail: 'Check that the server is running and your connection works, then try again.',
    });
  }
  if (!response.ok) throw new ApiError(await problemOf(response));
  return (await response.json()) as ImportReport;
}

export function useImportValues() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: importValues,
    onSuccess: (report) => (report.committed ? dataChanged(queryClient) : undefined),
  });
}

export const DASHBOARD_PAGE = 50;

export function useCharterDashboard(charterId: string) {
  return useInfiniteQuery({
    queryKey: measureKeys.dashboard(charterId),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      (
        await api.get('/api/v1/charters/{id}/dashboard', {
          params: { id: charterId },
          query: { limit: DASHBOARD_PAGE, cursor: pageParam },
          signal,
        })
      ).data,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useCharter(charterId: string) {
  return useQuery({
    queryKey: ['measures', 'charter', charterId],
    queryFn: async ({ signal }) =>
      (await api.get('/api/v1/charters/{id}', { params: { id: charterId }, signal })).data,
  });
}

/**
 * The teams the signed-in user is a member of (the same request and cache entry as
 * `useMyRoles`): a team member's own data is the data they see.
 */
export function useMyTeamIds(): ReadonlySet<string> {
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
  return new Set(
    (memberships.data ?? []).flatMap((m) => (m.scope === 'team' && m.team_id ? [m.team_id] : [])),
  );
}
