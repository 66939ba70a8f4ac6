import { describe, expect, it } from 'vitest';
import {
  describeUserAgent,
  initialsOf,
  isExpired,
  passwordChangeFieldErrors,
  safeNextPath,
  sameEmail,
  signInPath,
  tokenBodyOf,
  tokenFromHash,
  validateNewPassword,
  validatePasswordChange,
  validateTokenForm,
  waitText,
} from './model.ts';

describe('safeNextPath', () => {
  it('keeps paths on this site, with their query and fragment', () => {
    expect(safeNextPath('/profile')).toBe('/profile');
    expect(safeNextPath('/map?q=oak&type=school#list')).toBe('/map?q=oak&type=school#list');
    expect(safeNextPath('/map/organisations/../profile')).toBe('/map/profile');
  });

  it('refuses anything that could leave the site, and the sign-in page itself', () => {
    for (const next of [
      null,
      undefined,
      '',
      'profile',
      'https://evil.example/',
      '//evil.example/path',
      '/\\evil.example',
      '/\\/evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      ' /profile',
      '/pro\nfile',
      '/sign-in',
      '/sign-in?next=/profile',
    ]) {
      expect(safeNextPath(next), String(next)).toBe('/');
    }
    expect(safeNextPath('//evil.example', '/home')).toBe('/home');
  });
});

describe('signInPath', () => {
  it('comes back to the page after signing in, when it is worth coming back to', () => {
    expect(signInPath('/profile/tokens')).toBe('/sign-in?next=%2Fprofile%2Ftokens');
    expect(signInPath('/map?q=a b')).toBe('/sign-in?next=%2Fmap%3Fq%3Da%2520b');
    expect(signInPath('/')).toBe('/sign-in');
    expect(signInPath('//evil.example')).toBe('/sign-in');
    expect(signInPath()).toBe('/sign-in');
  });
});

describe('waitText', () => {
  it('says how long to wait in whole minutes, or seconds under a minute', () => {
    expect(waitText(1)).toBe('1 second');
    expect(waitText(40)).toBe('40 seconds');
    expect(waitText(60)).toBe('1 minute');
    expect(waitText(61)).toBe('2 minutes');
    expect(waitText(900)).toBe('15 minutes');
    expect(waitText(3 * 3600)).toBe('3 hours');
  });
});

describe('the token form', () => {
  it('needs a name of at most 100 characters', () => {
    expect(validateTokenForm({ name: '  ', scope: 'read', expiry: '90' })).toHaveProperty('name');
    expect(
      validateTokenForm({ name: 'x'.repeat(101), scope: 'read', expiry: '90' }),
    ).toHaveProperty('name');
    expect(validateTokenForm({ name: 'Export', scope: 'read', expiry: '90' })).toEqual({});
  });

  it('sends expires_in_days, or nothing for a token that never expires', () => {
    expect(tokenBodyOf({ name: ' Export ', scope: 'read', expiry: '30' })).toEqual({
      name: 'Export',
      scope: 'read',
      expires_in_days: 30,
    });
    expect(tokenBodyOf({ name: 'Sync', scope: 'read_write', expiry: 'never' })).toEqual({
      name: 'Sync',
      scope: 'read_write',
    });
  });

  it('knows an expired token', () => {
    const token = {
      id: '1',
      name: 'a',
      scope: 'read' as const,
      created_at: '2026-01-01T00:00:00Z',
      last_used_at: null,
    };
    const now = Date.parse('2026-03-01T00:00:00Z');
    expect(isExpired({ ...token, expires_at: null }, now)).toBe(false);
    expect(isExpired({ ...token, expires_at: '2026-02-01T00:00:00Z' }, now)).toBe(true);
    expect(isExpired({ ...token, expires_at: '2026-04-01T00:00:00Z' }, now)).toBe(false);
  });
});

describe('describeUserAgent', () => {
  it('names the browser and the system in plain words', () => {
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0',
      ),
    ).toBe('Edge on Windows');
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      ),
    ).toBe('Safari on macOS');
    expect(
      describeUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari on iPhone');
    expect(
      describeUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'),
    ).toBe('Firefox on Linux');
    expect(
      describeUserAgent(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome on Linux');
    expect(describeUserAgent('curl/8.5.0')).toBe('curl');
    expect(describeUserAgent(null)).toBe('Unknown browser');
    expect(describeUserAgent('something else')).toBe('Unknown browser');
  });
});

describe('initialsOf', () => {
  it('takes the first letters of the first and last names', () => {
    expect(initialsOf('Ada Lovelace')).toBe('AL');
    expect(initialsOf('  maría  josé   García ')).toBe('MG');
    expect(initialsOf('Cher')).toBe('C');
    expect(initialsOf('')).toBe('?');
  });
});

describe('tokenFromHash', () => {
  it('takes the secret from an emailed link’s fragment', () => {
    const secret = 'q3JxZk2mH1nYvR8tWc4bLp0sEa7uDg9iXo5fNh6kTzA';
    expect(tokenFromHash(`#${secret}`)).toBe(secret);
    expect(tokenFromHash(secret)).toBe(secret);
  });

  it('finds none in an empty, short or mangled fragment', () => {
    for (const hash of [
      '',
      '#',
      '#abc',
      '#has spaces in it, not a token',
      '#a/b/c/d/e/f/g/h/i/j/k',
    ]) {
      expect(tokenFromHash(hash), hash).toBeNull();
    }
  });
});

describe('validateNewPassword', () => {
  it('asks for 12 characters or more, typed the same twice', () => {
    expect(validateNewPassword('', '')).toHaveProperty('password', 'Choose a password.');
    expect(validateNewPassword('short', 'short').password).toMatch(/at least 12 characters/);
    expect(validateNewPassword('copper kettle meadow', '')).toEqual({
      confirm: 'Type the password again.',
    });
    expect(validateNewPassword('copper kettle meadow', 'copper kettle')).toEqual({
      confirm: 'The two passwords are not the same.',
    });
    expect(validateNewPassword('copper kettle meadow', 'copper kettle meadow')).toEqual({});
  });
});

describe('validatePasswordChange', () => {
  const current = 'lantern orchard velvet 42';
  it('asks for the current password and a new one, typed the same twice', () => {
    expect(validatePasswordChange({ current_password: '', new_password: '', confirm: '' })).toEqual(
      { current_password: 'Enter your current password.', new_password: 'Choose a password.' },
    );
    expect(
      validatePasswordChange({
        current_password: current,
        new_password: 'copper kettle meadow',
        confirm: 'copper kettle',
      }),
    ).toEqual({ confirm: 'The two passwords are not the same.' });
    expect(
      validatePasswordChange({
        current_password: current,
        new_password: 'copper kettle meadow',
        confirm: 'copper kettle meadow',
      }),
    ).toEqual({});
  });

  it('refuses the current password as the new one', () => {
    expect(
      validatePasswordChange({ current_password: current, new_password: current, confirm: current })
        .new_password,
    ).toMatch(/different from your current one/);
  });

  it("puts the server's words for a wrong current password as a sentence", () => {
    expect(
      passwordChangeFieldErrors({
        current_password: 'is not your password',
        new_password: 'Do not build the password from your name or email address.',
      }),
    ).toEqual({
      current_password: 'This is not your current password. Check it and type it again.',
      new_password: 'Do not build the password from your name or email address.',
    });
  });
});

describe('sameEmail', () => {
  it('ignores case and surrounding spaces', () => {
    expect(sameEmail(' Ada@Example.org', 'ada@example.org ')).toBe(true);
    expect(sameEmail('ada@example.org', 'grace@example.org')).toBe(false);
  });
});
