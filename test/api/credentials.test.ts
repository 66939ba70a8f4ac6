import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/server/modules/accounts/auth.service.ts';
import { createTestApp, type TestApp } from '../support/test-db.ts';

let t: TestApp;
const PASSWORD = 'orange kettle under the bridge';
let ada: string; // Ada's session cookie header
let grace: string; // Grace's
beforeAll(async () => {
  t = await createTestApp();
  await createUser(t.ctx, {
    email: 'ada@example.org',
    display_name: 'Ada Byron',
    password: PASSWORD,
  });
  await createUser(t.ctx, {
    email: 'grace@example.org',
    display_name: 'Grace Hopper',
    password: PASSWORD,
  });
  ada = await signInCookie('ada@example.org');
  grace = await signInCookie('grace@example.org');
});
afterAll(() => t.close());

async function signInCookie(email: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    payload: { email, password: PASSWORD },
  });
  return `tandem_session=${/tandem_session=([^;]*)/.exec(String(res.headers['set-cookie']))?.[1]}`;
}
const as = (cookie: string) => ({ cookie, origin: 'http://localhost' });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const createToken = (headers: Record<string, string>, body: object) =>
  t.app.inject({ method: 'POST', url: '/api/v1/me/tokens', headers, payload: body });

describe('credentials routes need a signed-in caller', () => {
  it.each([
    ['GET', '/api/v1/me/sessions'],
    ['DELETE', '/api/v1/me/sessions/7d0f2b4e-1b7a-4c9e-9a57-2f1b0c9d8e11'],
    ['GET', '/api/v1/me/tokens'],
    ['POST', '/api/v1/me/tokens'],
    ['DELETE', '/api/v1/me/tokens/7d0f2b4e-1b7a-4c9e-9a57-2f1b0c9d8e11'],
  ])('%s %s is 401 without a session or token', async (method, url) => {
    const res = await t.app.inject({
      method: method as 'GET',
      url,
      payload: method === 'POST' ? { name: 'x', scope: 'read' } : undefined,
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthenticated');
  });
});

describe('personal API tokens', () => {
  it('are shown once, stored hashed, listed without the secret, and authenticate as Bearer', async () => {
    const res = await createToken(as(ada), {
      name: 'Analytics notebook',
      scope: 'read_write',
      expires_in_days: 30,
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const created = res.json();
    expect(created.token).toMatch(/^tdm_[A-Za-z0-9_-]{43}$/);
    const row = await t.db
      .selectFrom('api_token')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(created.token).digest('hex'));
    expect(row.last_used_at).toBeNull();

    const list = (await t.app.inject({ url: '/api/v1/me/tokens', headers: as(ada) })).json();
    expect(list.items.map((x: { id: string }) => x.id)).toContain(created.id);
    expect(JSON.stringify(list)).not.toContain(created.token);

    const me = await t.app.inject({ url: '/api/v1/me', headers: bearer(created.token) });
    expect(me.statusCode).toBe(200);
    expect(me.json().email).toBe('ada@example.org');
    const used = await t.db
      .selectFrom('api_token')
      .select('last_used_at')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(used.last_used_at).toBeInstanceOf(Date);

    // A token cannot mint more tokens, and another user cannot revoke it.
    expect(
      (await createToken(bearer(created.token), { name: 'child', scope: 'read' })).statusCode,
    ).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/me/tokens/${created.id}`,
          headers: as(grace),
        })
      ).statusCode,
    ).toBe(404);

    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/tokens/${created.id}`,
      headers: as(ada),
    });
    expect(revoked.statusCode).toBe(204);
    expect(
      await t.db.selectFrom('api_token').selectAll().where('id', '=', created.id).execute(),
    ).toHaveLength(0);
    const after = await t.app.inject({ url: '/api/v1/me', headers: bearer(created.token) });
    expect(after.statusCode).toBe(401);
    expect(after.json().detail).toMatch(/unknown, revoked or expired/);
  });

  it('read tokens cannot write; malformed and expired tokens are refused', async () => {
    const read = (await createToken(as(ada), { name: 'Read only', scope: 'read' })).json();
    expect(
      (await t.app.inject({ url: '/api/v1/me/tokens', headers: bearer(read.token) })).statusCode,
    ).toBe(200);
    const write = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/tokens/${read.id}`,
      headers: bearer(read.token),
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().detail).toMatch(/may only read/);

    expect(
      (await t.app.inject({ url: '/api/v1/me', headers: { authorization: 'Basic abc' } }))
        .statusCode,
    ).toBe(401);
    await t.db
      .updateTable('api_token')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', read.id)
      .execute();
    expect(
      (await t.app.inject({ url: '/api/v1/me', headers: bearer(read.token) })).statusCode,
    ).toBe(401);
  });

  it('validate the body with field paths', async () => {
    const res = await createToken(as(ada), { name: '', scope: 'admin', expires_in_days: 0 });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['/body/expires_in_days', '/body/name', '/body/scope']);
  });

  it('page newest first with a cursor, every token exactly once', async () => {
    for (const name of ['one', 'two', 'three'])
      await createToken(as(grace), { name, scope: 'read' });
    const first = (
      await t.app.inject({ url: '/api/v1/me/tokens?limit=2', headers: as(grace) })
    ).json();
    const second = (
      await t.app.inject({
        url: `/api/v1/me/tokens?limit=2&cursor=${first.next_cursor}`,
        headers: as(grace),
      })
    ).json();
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(1);
    expect(second.next_cursor).toBeNull();
    const items = [...first.items, ...second.items];
    expect(items.map((x: { name: string }) => x.name).sort()).toEqual(['one', 'three', 'two']);
    const times = items.map((x: { created_at: string }) => x.created_at);
    expect(times).toEqual([...times].sort().reverse());
  });
});

describe('sessions', () => {
  it('lists your sessions, marks the current one, and revokes another', async () => {
    const laptop = await signInCookie('ada@example.org');
    const page = (await t.app.inject({ url: '/api/v1/me/sessions', headers: as(ada) })).json();
    expect(page.items.length).toBeGreaterThanOrEqual(2);
    expect(page.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const other = page.items.find((s: { current: boolean }) => !s.current);
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/me/sessions/${other.id}`,
          headers: as(grace),
        })
      ).statusCode,
    ).toBe(404);
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/sessions/${other.id}`,
      headers: as(ada),
    });
    expect(res.statusCode).toBe(204);
    expect(
      await t.db.selectFrom('user_session').selectAll().where('id', '=', other.id).execute(),
    ).toHaveLength(0);
    // Exactly one of Ada's two cookies still works.
    const statuses = await Promise.all(
      [ada, laptop].map(
        async (c) => (await t.app.inject({ url: '/api/v1/me', headers: as(c) })).statusCode,
      ),
    );
    expect(statuses.sort()).toEqual([200, 401]);
  });
});
