import { describe, expect, it } from 'vitest';
import {
  auditCsvHref,
  auditFiltersOf,
  auditQueryOf,
  auditSearchParamsOf,
  EMPTY_AUDIT_FILTERS,
  fieldLabel,
  formatValue,
  recordPath,
  validateAuditFilters,
} from './model.ts';

const ID = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';

describe('the audit filters', () => {
  it('round-trip through the URL, dropping empty ones and unknown actions', () => {
    const filters = { ...EMPTY_AUDIT_FILTERS, entity_type: 'user', action: 'update' as const };
    const params = auditSearchParamsOf(filters);
    expect(params.toString()).toBe('entity_type=user&action=update');
    expect(auditFiltersOf(params)).toEqual(filters);
    expect(auditFiltersOf(new URLSearchParams('action=explode')).action).toBe('');
  });

  it('include both days of a date range (the API’s `to` is exclusive)', () => {
    const query = auditQueryOf({ ...EMPTY_AUDIT_FILTERS, from: '2026-03-01', to: '2026-03-31' });
    expect(query.from).toBe(new Date(2026, 2, 1).toISOString());
    expect(query.to).toBe(new Date(2026, 3, 1).toISOString());
  });

  it('leave out what does not validate, and say why', () => {
    const filters = {
      ...EMPTY_AUDIT_FILTERS,
      actor_id: 'Avery',
      from: '2026-04-02',
      to: '2026-04-01',
    };
    expect(validateAuditFilters(filters)).toEqual({
      actor_id: expect.stringContaining('account id'),
      to: 'The last day is before the first day.',
    });
    expect(auditQueryOf(filters).actor_id).toBeUndefined();
    expect(validateAuditFilters({ ...EMPTY_AUDIT_FILTERS, actor_id: ID })).toEqual({});
  });

  it('carry into the CSV link', () => {
    expect(auditCsvHref(EMPTY_AUDIT_FILTERS)).toBe('/api/v1/audit-events/export.csv');
    expect(auditCsvHref({ ...EMPTY_AUDIT_FILTERS, entity_type: 'team', actor_id: ID })).toBe(
      `/api/v1/audit-events/export.csv?entity_type=team&actor_id=${ID}`,
    );
  });
});

describe('audit values', () => {
  it('read as words', () => {
    expect(formatValue(null)).toBe('(empty)');
    expect(formatValue('')).toBe('(empty)');
    expect(formatValue(true)).toBe('yes');
    expect(formatValue(3)).toBe('3');
    expect(formatValue({ id: 'x', display_name: 'Ada' })).toBe('Ada');
    expect(formatValue(['a'])).toBe('["a"]');
    expect(fieldLabel('is_admin')).toBe('instance admin');
    expect(fieldLabel('some_field')).toBe('some field');
  });

  it('link to the record’s page where it has one', () => {
    expect(recordPath('team', ID)).toBe(`/teams/${ID}`);
    expect(recordPath('network', ID)).toBe(`/networks/${ID}`);
    expect(recordPath('membership', ID)).toBeUndefined();
  });
});
