import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/server/modules/accounts/auth.service.ts';
import { createTestApp, type TestApp } from '../support/test-db.ts';

let t: TestApp;
const PASSWORD = 'orange kettle under the bridge';
beforeAll(async () => {
  t = await createTestApp();
  await createUser(t.ctx, {
    email: 'Ada@Example.org',
    display_name: 'Ada Byron',
    password: PASSWORD,
  });
});
afterAll(() => t.close());

const signIn = (email: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password } });
const sessionCookie = (setCookie: string | string[] | undefined) =>
  /tandem_session=([^;]*)/.exec(String(setCookie))?.[1] ?? '';

describe('accounts: creating users', () => {
  it('stores the email lower-cased and only a scrypt hash of the password', async () => {
    const row = await t.db
      .selectFrom('app_user')
      .selectAll()
      .where('email', '=', 'ada@example.org')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$17\$8\$1\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('refuses weak passwords with the reason, and duplicate emails', async () => {
    await expect(
      createUser(t.ctx, { email: 'b@example.org', display_name: 'B', password: 'short' }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [
        { path: '/body/password', message: expect.stringMatching(/at least 12 characters/) },
      ],
    });
    await expect(
      createUser(t.ctx, { email: 'ADA@example.org', display_name: 'Ada 2', password: PASSWORD }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await t.db.selectFrom('app_user').selectAll().execute()).toHaveLength(1);
  });
});

describe('sign-in, sessions, sign-out', () => {
  it('answers a wrong password and an unknown email identically, setting no cookie', async () => {
    const wrong = await signIn('ada@example.org', 'not the password at all');
    const unknown = await signIn('nobody@example.org', 'not the password at all');
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({
        code: 'invalid_credentials',
        detail: 'The email or the password is wrong.',
      });
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(await t.db.selectFrom('user_session').selectAll().execute()).toHaveLength(0);
  });

  it('signs in with an HttpOnly, SameSite=Lax cookie whose secret is stored only hashed', async () => {
    const res = await signIn('  ADA@example.org ', PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      email: 'ada@example.org',
      display_name: 'Ada Byron',
      is_admin: false,
    });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const token = sessionCookie(cookie);
    expect(token.length).toBeGreaterThan(40);
    const sessions = await t.db.selectFrom('user_session').selectAll().execute();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.token_hash).toBe(createHash('sha256').update(token).digest('hex'));

    const me = await t.app.inject({
      url: '/api/v1/me',
      headers: { cookie: `tandem_session=${token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().email).toBe('ada@example.org');

    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: { cookie: `tandem_session=${token}`, origin: 'http://localhost' },
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0/);
    expect(await t.db.selectFrom('user_session').selectAll().execute()).toHaveLength(0);
    const after = await t.app.inject({
      url: '/api/v1/me',
      headers: { cookie: `tandem_session=${token}` },
    });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('unauthenticated');
  });

  it('rejects an expired session', async () => {
    const token = sessionCookie((await signIn('ada@example.org', PASSWORD)).headers['set-cookie']);
    await t.db
      .updateTable('user_session')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    const me = await t.app.inject({
      url: '/api/v1/me',
      headers: { cookie: `tandem_session=${token}` },
    });
    expect(me.statusCode).toBe(401);
    await t.db.deleteFrom('user_session').execute();
  });

  it('locks an account out after 5 failures with 429 and Retry-After, even for the right password', async () => {
    await createUser(t.ctx, {
      email: 'grace@example.org',
      display_name: 'Grace Hopper',
      password: PASSWORD,
    });
    for (let i = 0; i < 5; i++)
      expect((await signIn('grace@example.org', 'wrong password number')).statusCode).toBe(401);
    const locked = await signIn('grace@example.org', PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('rate_limited');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // The lock-out is per account: another account signs in from the same address.
    expect((await signIn('ada@example.org', PASSWORD)).statusCode).toBe(200);
    // An unknown email is locked out the same way, revealing nothing about which emails exist.
    for (let i = 0; i < 5; i++) await signIn('ghost@example.org', 'wrong password number');
    expect((await signIn('ghost@example.org', 'wrong password number')).statusCode).toBe(429);
  });
});
