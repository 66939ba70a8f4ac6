import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH, passwordProblem } from './password-policy.ts';

describe('passwordProblem', () => {
  it('refuses anything shorter than the minimum length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: MIN_PASSWORD_LENGTH - 1 }), (p) => {
        expect(passwordProblem(p)).toMatch(/at least 12 characters/);
      }),
    );
  });

  it('refuses common passwords whatever their case, and repeated characters', () => {
    expect(passwordProblem('Password1234')).toMatch(/commonly used/);
    expect(passwordProblem('zzzzzzzzzzzzzz')).toMatch(/commonly used/);
  });

  it('refuses passwords built from the email or name', () => {
    expect(passwordProblem('maria.lopez-2026!', { email: 'maria.lopez@example.org' })).toMatch(
      /name or email/,
    );
    expect(passwordProblem('xxMariaLopez99', { name: 'Maria Lopez' })).toMatch(/name or email/);
  });

  it('accepts a long passphrase', () => {
    expect(
      passwordProblem('orange kettle under the bridge', { email: 'a@b.org', name: 'Al' }),
    ).toBeUndefined();
  });
});
