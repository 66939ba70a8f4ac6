import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src/server/db/migrations/index.ts';
import { createActor } from '../support/actors.ts';
import { createTestApp, type TestApp } from '../support/test-db.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ bodyLimit: 4096 });
});
afterAll(() => t.close());

describe('API conventions', () => {
  it('answers unknown API routes with a 404 problem', async () => {
    const res = await t.app.inject({ url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, code: 'not_found', title: 'Not found' });
  });

  it('says where malformed JSON breaks', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organisations',
      headers: { 'content-type': 'application/json' },
      payload: '{\n  "name": "x",\n  "type": }',
    });
    expect(res.statusCode).toBe(400);
    const problem = res.json();
    expect(problem.code).toBe('malformed_json');
    expect(problem.detail).toMatch(/line 3, column \d+ \(offset \d+\)/);
  });

  it('refuses a NUL character in any JSON string with its path (PostgreSQL cannot store it)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organisations',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "x", "tags": ["ok", "a\\u0000b"], "type": "school"}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: '/body/tags/1', message: expect.stringContaining('NUL') }],
    });
    // The escape sequence as text (a backslash, then u0000) is an ordinary string.
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organisations',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "a\\\\u0000b", "type": "school"}',
    });
    expect(text.statusCode).not.toBe(400);
    // In the query string or the path, %00 is refused the same way.
    const admin = await createActor(t.ctx, { is_admin: true });
    const query = await t.app.inject({
      url: '/api/v1/organisations?q=a%00b',
      headers: admin.headers,
    });
    expect(query.statusCode).toBe(400);
    expect(query.json().errors).toEqual([
      { path: '/query/q', message: expect.stringContaining('NUL') },
    ]);
    const path = await t.app.inject({ url: '/api/v1/organisations/a%00b', headers: admin.headers });
    expect(path.json().errors?.[0]?.path).toBe('/path/id');
  });

  it('refuses oversized bodies with 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organisations',
      payload: { name: 'x'.repeat(10_000), type: 'school' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('payload_too_large');
  });

  it('refuses bodies that are not JSON with 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organisations',
      headers: { 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('unsupported_media_type');
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const kept = await t.app.inject({
      url: '/api/v1/health',
      headers: { 'x-request-id': 'proxy-req-123456' },
    });
    expect(kept.headers['x-request-id']).toBe('proxy-req-123456');
    const replaced = await t.app.inject({
      url: '/api/v1/nope',
      headers: { 'x-request-id': 'bad id\n' },
    });
    expect(replaced.headers['x-request-id']).not.toBe('bad id\n');
    expect(replaced.json().request_id).toBe(replaced.headers['x-request-id']);
  });

  it('reports health with the database mode and migration level', async () => {
    const res = await t.app.inject({ url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      version: 'test',
      database: {
        mode: t.mode,
        migration: Object.keys(migrations).at(-1),
        pending_migrations: 0,
      },
    });
  });

  it('serves the OpenAPI 3.1 document and the interactive viewer', async () => {
    const spec = await t.app.inject({ url: '/api/v1/openapi.json' });
    expect(spec.statusCode).toBe(200);
    const doc = spec.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/organisations/{id}');
    expect(doc.components.schemas.Problem).toBeDefined();
    const docs = await t.app.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });

  it('puts every list route on cursor pagination', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    for (const [route, item] of Object.entries<
      Record<string, { parameters?: { name: string }[]; responses: Record<string, unknown> }>
    >(doc.paths)) {
      const get = item.get;
      const schema = JSON.stringify(get?.responses?.['200'] ?? {});
      if (!schema.includes('next_cursor')) continue;
      const names = (get?.parameters ?? []).map((p) => p.name);
      expect(names, route).toEqual(expect.arrayContaining(['limit', 'cursor']));
    }
  });

  it('sets security headers', async () => {
    const res = await t.app.inject({ url: '/api/v1/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).not.toContain(
      "script-src 'self' 'unsafe-inline'",
    );
    expect(res.headers['x-frame-options']).toBe('DENY');
    // Plain http: no HSTS (browsers ignore it there, and it would pin localhost to https).
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends HSTS and Secure cookies behind a TLS-terminating proxy it trusts', async () => {
    const proxied = await createTestApp({ trustProxy: true });
    try {
      const res = await proxied.app.inject({
        url: '/api/v1/health',
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      const signOut = await proxied.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-out',
        headers: { 'x-forwarded-proto': 'https', origin: 'https://localhost:80' },
      });
      expect(String(signOut.headers['set-cookie'])).toMatch(/; Secure/);
      // Without trusting the proxy, the same header changes nothing.
      const direct = await t.app.inject({
        url: '/api/v1/health',
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(direct.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await proxied.close();
    }
  });
});

describe('coalition', () => {
  it('is 404 with guidance before setup, then editable with If-Match', async () => {
    const before = await t.app.inject({ url: '/api/v1/coalition' });
    expect(before.statusCode).toBe(404);
    expect(before.json().detail).toMatch(/tandem seed/);
    await t.db
      .insertInto('coalition')
      .values({
        id: '0b8e4a52-1c3e-4f5a-9d2b-6a7c8e9f0a1b',
        name: 'Hub',
        slug: 'hub',
        description: '',
        created_at: new Date(),
        updated_at: new Date(),
      })
      .execute();
    const read = await t.app.inject({ url: '/api/v1/coalition' });
    expect(read.headers.etag).toBe('"1"');
    const facilitator = await createActor(t.ctx, { roles: [{ role: 'hub_facilitator' }] });
    const partner = await createActor(t.ctx, { roles: [{ role: 'partner' }] });
    const patch = (headers: Record<string, string>, payload: object) =>
      t.app.inject({ method: 'PATCH', url: '/api/v1/coalition', headers, payload });
    const etag = read.headers.etag as string;
    expect((await patch({ 'if-match': etag }, { description: 'x' })).statusCode).toBe(401);
    expect(
      (await patch({ ...partner.headers, 'if-match': etag }, { description: 'x' })).json(),
    ).toMatchObject({ status: 403, code: 'forbidden' });

    const patched = await patch(
      { ...facilitator.headers, 'if-match': etag },
      { description: 'Better' },
    );
    expect(patched.statusCode).toBe(200);
    expect(
      (await t.db.selectFrom('coalition').selectAll().executeTakeFirstOrThrow()).description,
    ).toBe('Better');
    const audit = await t.db
      .selectFrom('audit_event')
      .selectAll()
      .where('entity_type', '=', 'coalition')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'update', actor_id: facilitator.id });
    expect(audit.before).toMatchObject({ description: '' });
    expect(audit.after).toMatchObject({ description: 'Better' });

    const stale = await patch({ ...facilitator.headers, 'if-match': '"1"' }, { name: 'Other' });
    expect(stale.statusCode).toBe(412);
  });
});
