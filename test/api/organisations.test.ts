import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createActor, type TestActor } from '../support/actors.ts';
import { createTestApp, type TestApp } from '../support/test-db.ts';

let t: TestApp;
let admin: TestActor;
beforeAll(async () => {
  t = await createTestApp();
  admin = await createActor(t.ctx, { is_admin: true });
});
/** As the instance admin, unless the options say otherwise. */
const inject = (options: InjectOptions) =>
  t.app.inject({ ...options, headers: { ...admin.headers, ...options.headers } });
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.deleteFrom('organisation').execute();
});

const create = (body: unknown) =>
  inject({ method: 'POST', url: '/api/v1/organisations', payload: body as object });
const stored = (id: string) =>
  t.db.selectFrom('organisation').selectAll().where('id', '=', id).executeTakeFirst();

describe('POST /api/v1/organisations', () => {
  it('creates an organisation, returns 201 with ETag and Location, and stores it', async () => {
    const res = await create({
      name: '  Lincoln High School ',
      type: 'school',
      nces_id: '060000000001',
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      name: 'Lincoln High School',
      type: 'school',
      nces_id: '060000000001',
      version: 1,
    });
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(`/api/v1/organisations/${body.id}`);
    const row = await stored(body.id);
    expect(row).toMatchObject({
      name: 'Lincoln High School',
      type: 'school',
      nces_id: '060000000001',
      version: 1,
    });
  });

  it('rejects invalid input with a field path per error, and stores nothing', async () => {
    const res = await create({ name: '', type: 'castle', nces_id: '12', extra: 1 });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = res.json();
    expect(problem.code).toBe('validation_failed');
    const paths = problem.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['/body/extra', '/body/name', '/body/nces_id', '/body/type']);
    expect(problem.request_id).toBe(res.headers['x-request-id']);
    expect(await t.db.selectFrom('organisation').selectAll().execute()).toHaveLength(0);
  });

  it('reports a missing required field by its path', async () => {
    const res = await create({ type: 'school' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: '/body/name', message: 'is required' }]);
  });

  it('refuses a duplicate NCES id with 409 on the field', async () => {
    await create({ name: 'A', type: 'district', nces_id: '0600001' });
    const res = await create({ name: 'B', type: 'district', nces_id: '0600001' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'conflict', errors: [{ path: '/body/nces_id' }] });
    expect(await t.db.selectFrom('organisation').selectAll().execute()).toHaveLength(1);
  });
});

describe('GET /api/v1/organisations/:id', () => {
  it('is 404 problem+json for an unknown id and 400 for a malformed one', async () => {
    const missing = await inject({
      url: '/api/v1/organisations/7d0f2b4e-1b7a-4c9e-9a57-2f1b0c9d8e11',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('not_found');
    const malformed = await inject({ url: '/api/v1/organisations/not-a-uuid' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors[0].path).toBe('/path/id');
  });

  it('returns the record with its ETag', async () => {
    const { id } = (await create({ name: 'Mentor Riverbend', type: 'nonprofit' })).json();
    const res = await inject({ url: `/api/v1/organisations/${id}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.json()).toMatchObject({ id, name: 'Mentor Riverbend', nces_id: null });
  });
});

describe('PATCH /api/v1/organisations/:id (optimistic concurrency)', () => {
  it('requires If-Match (428), refuses a stale one (412), applies a fresh one', async () => {
    const { id } = (await create({ name: 'Old name', type: 'funder' })).json();
    const url = `/api/v1/organisations/${id}`;

    const missing = await inject({ method: 'PATCH', url, payload: { name: 'X' } });
    expect(missing.statusCode).toBe(428);
    expect(missing.json().code).toBe('precondition_required');

    const ok = await inject({
      method: 'PATCH',
      url,
      headers: { 'if-match': '"1"' },
      payload: { name: 'New name' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.json()).toMatchObject({ name: 'New name', version: 2 });

    // A second writer still holding version 1 must not overwrite the first writer's change.
    const stale = await inject({
      method: 'PATCH',
      url,
      headers: { 'if-match': '"1"' },
      payload: { name: 'Lost update' },
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().code).toBe('precondition_failed');
    expect(await stored(id)).toMatchObject({ name: 'New name', version: 2 });
  });

  it('rejects an empty patch and unknown fields', async () => {
    const { id } = (await create({ name: 'A', type: 'agency' })).json();
    const res = await inject({
      method: 'PATCH',
      url: `/api/v1/organisations/${id}`,
      headers: { 'if-match': '"1"' },
      payload: {},
    });
    expect(res.statusCode).toBe(400);
    expect((await stored(id))?.version).toBe(1);
  });

  it('is 404 for an unknown id even with If-Match', async () => {
    const res = await inject({
      method: 'PATCH',
      url: '/api/v1/organisations/7d0f2b4e-1b7a-4c9e-9a57-2f1b0c9d8e11',
      headers: { 'if-match': '"1"' },
      payload: { name: 'X' },
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('DELETE /api/v1/organisations/:id', () => {
  it('needs the current ETag and then removes the row', async () => {
    const { id } = (await create({ name: 'Doomed', type: 'network' })).json();
    const url = `/api/v1/organisations/${id}`;
    expect((await inject({ method: 'DELETE', url })).statusCode).toBe(428);
    expect(
      (await inject({ method: 'DELETE', url, headers: { 'if-match': '"9"' } })).statusCode,
    ).toBe(412);
    expect(await stored(id)).toBeDefined();
    const res = await inject({ method: 'DELETE', url, headers: { 'if-match': '"1"' } });
    expect(res.statusCode).toBe(204);
    expect(await stored(id)).toBeUndefined();
  });
});

describe('GET /api/v1/organisations (cursor pagination)', () => {
  it('walks every row exactly once in name order, across pages', async () => {
    const names = ['delta', 'Alpha', 'charlie', 'Bravo', 'echo', 'alpha', 'Foxtrot'];
    for (const name of names) await create({ name, type: 'school' });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=3&cursor=${cursor}` : 'limit=3';
      const res = await inject({ url: `/api/v1/organisations?${query}` });
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((o: { name: string }) => o.name));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(names.length);
    expect(seen.map((n) => n.toLowerCase())).toEqual([...names].map((n) => n.toLowerCase()).sort());
  });

  it('filters by name and type', async () => {
    await create({ name: 'Riverbend Reads', type: 'nonprofit' });
    await create({ name: 'Riverbend Public Schools', type: 'district' });
    await create({ name: 'Lakeview 100% Club', type: 'nonprofit' });
    const byName = (await inject({ url: '/api/v1/organisations?q=riverbend' })).json();
    expect(byName.items.map((o: { name: string }) => o.name)).toEqual([
      'Riverbend Public Schools',
      'Riverbend Reads',
    ]);
    const byType = (
      await inject({ url: '/api/v1/organisations?q=riverbend&type=district' })
    ).json();
    expect(byType.items).toHaveLength(1);
    // LIKE wildcards in the search text are matched literally.
    const literal = (await inject({ url: '/api/v1/organisations?q=100%25' })).json();
    expect(literal.items.map((o: { name: string }) => o.name)).toEqual(['Lakeview 100% Club']);
  });

  it('rejects a forged cursor and an out-of-range limit with field paths', async () => {
    const forged = await inject({ url: '/api/v1/organisations?cursor=bm9wZQ' });
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({
      code: 'invalid_cursor',
      errors: [{ path: '/query/cursor' }],
    });
    const limit = await inject({ url: '/api/v1/organisations?limit=1000' });
    expect(limit.statusCode).toBe(400);
    expect(limit.json().errors[0].path).toBe('/query/limit');
  });
});
