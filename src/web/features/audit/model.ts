import type { QueryOf, ResponseOf } from '../../api/client.ts';

export type AuditEventPage = ResponseOf<'get', '/api/v1/audit-events'>;
export type AuditEvent = AuditEventPage['items'][number];
export type AuditAction = AuditEvent['action'];
export type AuditChange = AuditEvent['changes'][number];
export type AuditQuery = NonNullable<QueryOf<'get', '/api/v1/audit-events'>>;
export type HistoryEntityType =
  | 'coalition'
  | 'organisation'
  | 'network'
  | 'team'
  | 'user'
  | 'charter'
  | 'project'
  | 'driver_diagram'
  | 'change_idea'
  | 'pdsa_cycle'
  | 'measure'
  | 'annotation';

/** The kinds of record the audit log names, in the words the app uses for them. */
export const ENTITY_TYPE_LABELS: Record<string, string> = {
  coalition: 'Coalition',
  organisation: 'Organisation',
  network: 'Network',
  team: 'Team',
  membership: 'Role (membership)',
  invitation: 'Invitation',
  user: 'Account',
  charter: 'Charter',
  project: 'Project',
  driver_diagram: 'Driver diagram',
  change_idea: 'Change idea',
  pdsa_cycle: 'PDSA cycle',
  attachment: 'PDSA cycle file',
  measure: 'Measure',
  measure_values: 'Measure data',
  measure_value_import: 'Measure data import',
  annotation: 'Annotation',
};

export const ENTITY_TYPE_OPTIONS = Object.entries(ENTITY_TYPE_LABELS).map(([value, label]) => ({
  value,
  label,
}));

export const ACTION_LABELS: Record<AuditAction, string> = {
  create: 'Created',
  update: 'Changed',
  delete: 'Deleted',
};

export const ACTION_OPTIONS = (Object.keys(ACTION_LABELS) as AuditAction[]).map((value) => ({
  value,
  label: ACTION_LABELS[value],
}));

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(ACTION_LABELS, value);
}

export function entityTypeLabel(type: string): string {
  return ENTITY_TYPE_LABELS[type] ?? type;
}

/** Where a record lives in the app, when it has a page. */
export function recordPath(entityType: string, id: string): string | undefined {
  switch (entityType) {
    case 'network':
      return `/networks/${id}`;
    case 'team':
      return `/teams/${id}`;
    case 'organisation':
      return `/map/organisations/${id}`;
    case 'coalition':
      return '/';
    case 'charter':
      return `/charters/${id}`;
    case 'project':
      return `/projects/${id}`;
    case 'change_idea':
      return `/change-ideas/${id}`;
    case 'pdsa_cycle':
      return `/cycles/${id}`;
    case 'measure':
      return `/measures/${id}`;
    default:
      return undefined;
  }
}

const FIELD_LABELS: Record<string, string> = {
  display_name: 'name',
  is_admin: 'instance admin',
  nces_id: 'NCES id',
  organisation_id: 'organisation id',
  organisation_name: 'organisation',
  network_id: 'network id',
  network_name: 'network',
  team_id: 'team id',
  team_count: 'number of teams',
  scope_name: 'where',
  created_at: 'created',
  expires_at: 'expires',
  invited_by_name: 'invited by',
};

/** A field name as words: `display_name` → "name", `visibility` → "visibility". */
export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field.replaceAll('_', ' ');
}

/** A recorded value as text: empty values say so, objects are shown as compact JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null && 'display_name' in value) {
    return String((value as { display_name: unknown }).display_name);
  }
  return JSON.stringify(value);
}

/** The audit log's filters as the page's URL holds them (dates as YYYY-MM-DD, local days). */
export interface AuditFilters {
  entity_type: string;
  entity_id: string;
  action: AuditAction | '';
  actor_id: string;
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilters = {
  entity_type: '',
  entity_id: '',
  action: '',
  actor_id: '',
  from: '',
  to: '',
};

const FILTER_KEYS = Object.keys(EMPTY_AUDIT_FILTERS) as (keyof AuditFilters)[];

export function auditFiltersOf(params: URLSearchParams): AuditFilters {
  const action = params.get('action') ?? '';
  return {
    ...Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key)?.trim() ?? ''])),
    action: isAuditAction(action) ? action : '',
  } as AuditFilters;
}

export function auditSearchParamsOf(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key].trim();
    if (value) params.set(key, value);
  }
  return params;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function validateAuditFilters(filters: AuditFilters): Record<string, string> {
  const errors: Record<string, string> = {};
  if (filters.actor_id && !UUID.test(filters.actor_id))
    errors.actor_id = 'An account id looks like 3f2a…-…: copy it from the Users page or an event.';
  if (filters.entity_id && !UUID.test(filters.entity_id))
    errors.entity_id = 'A record id looks like 3f2a…-…: copy it from the record’s address.';
  if (filters.from && !DAY.test(filters.from)) errors.from = 'Enter a date.';
  if (filters.to && !DAY.test(filters.to)) errors.to = 'Enter a date.';
  if (!errors.from && !errors.to && filters.from && filters.to && filters.from > filters.to)
    errors.to = 'The last day is before the first day.';
  return errors;
}

/** The start of a local day (YYYY-MM-DD) as an instant. */
function startOfDay(day: string, addDays = 0): string | undefined {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  const date = new Date(y, m - 1, d + addDays);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The API's query for these filters: `from` is the start of the first day, `to` the start of the
 * day after the last one (the API's `to` is exclusive), so both days are included. Filters that do
 * not validate are left out.
 */
export function auditQueryOf(filters: AuditFilters): Omit<AuditQuery, 'limit' | 'cursor'> {
  const errors = validateAuditFilters(filters);
  const query: Omit<AuditQuery, 'limit' | 'cursor'> = {};
  if (filters.entity_type) query.entity_type = filters.entity_type;
  if (filters.entity_id && !errors.entity_id) query.entity_id = filters.entity_id;
  if (filters.action) query.action = filters.action;
  if (filters.actor_id && !errors.actor_id) query.actor_id = filters.actor_id;
  if (filters.from && !errors.from) query.from = startOfDay(filters.from);
  if (filters.to && !errors.to) query.to = startOfDay(filters.to, 1);
  return query;
}

/** The CSV download of the same filtered log: a plain link, the browser saves the file. */
export function auditCsvHref(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(auditQueryOf(filters))) {
    if (value) params.set(key, String(value));
  }
  const qs = params.toString();
  return `/api/v1/audit-events/export.csv${qs ? `?${qs}` : ''}`;
}
