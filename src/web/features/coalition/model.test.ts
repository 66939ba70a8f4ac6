import { describe, expect, it } from 'vitest';
import {
  asRole,
  changedNetworkFields,
  changedTeamFields,
  etagOf,
  networkFormValuesOf,
  roleInScope,
  teamFormValuesOf,
  validateEmail,
  validateNetworkForm,
} from './model.ts';

describe('the network form', () => {
  it('sends only what changed', () => {
    const before = {
      name: 'Early Literacy NIC',
      description: '',
      visibility: 'coalition' as const,
    };
    expect(changedNetworkFields(before, { ...before, name: ' Early Literacy NIC ' })).toEqual({});
    expect(changedNetworkFields(before, { ...before, visibility: 'network' })).toEqual({
      visibility: 'network',
    });
  });

  it('needs a name', () => {
    expect(validateNetworkForm(networkFormValuesOf())).toHaveProperty('name');
    expect(validateNetworkForm({ ...networkFormValuesOf(), name: 'A' })).toEqual({});
  });
});

describe('the team form', () => {
  it('clears or changes the organisation', () => {
    const before = { ...teamFormValuesOf(), name: 'Oak', organisation: { id: 'o1', name: 'Oak' } };
    expect(changedTeamFields(before, { ...before, organisation: null })).toEqual({
      organisation_id: null,
    });
    expect(changedTeamFields(before, before)).toEqual({});
    expect(teamFormValuesOf().visibility).toBe('network');
  });
});

describe('roles in words', () => {
  it('name the scope', () => {
    expect(roleInScope({ role: 'hub_facilitator', scope: 'network' })).toBe('Network facilitator');
    expect(asRole({ role: 'team_member', scope: 'team', scope_name: 'Oak team' })).toBe(
      'a member of Oak team',
    );
    expect(asRole({ role: 'hub_facilitator', scope: 'coalition', scope_name: 'Riverbend' })).toBe(
      'a hub facilitator for the whole coalition',
    );
    expect(asRole({ role: 'partner' })).toBe('a partner, funder or policy maker');
  });
});

it('writes the ETag the API issues, and checks emails loosely', () => {
  expect(etagOf(7)).toBe('"7"');
  expect(validateEmail('')).toBeDefined();
  expect(validateEmail('not an email')).toBeDefined();
  expect(validateEmail(' ada@example.org ')).toBeUndefined();
});
