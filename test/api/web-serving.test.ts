import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import type { Api } from '../../src/server/platform/http-types.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

let database: TestDatabase;
let app: Api;
let webRoot: string;
beforeAll(async () => {
  webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-web-'));
  fs.mkdirSync(path.join(webRoot, 'assets'));
  fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Tandem</title>');
  fs.writeFileSync(path.join(webRoot, 'assets/app-abc123.js'), 'console.log(1)');
  database = await createTestDatabase();
  app = await buildApp({ ctx: database.ctx, webRoot });
});
afterAll(async () => {
  await app.close();
  await database.close();
  fs.rmSync(webRoot, { recursive: true, force: true });
});

describe('serving the web app', () => {
  it('serves index.html at / and for client-side routes, never cached', async () => {
    for (const url of ['/', '/map/organisations/123']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<title>Tandem</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('caches fingerprinted assets for good', async () => {
    const res = await app.inject({ url: '/assets/app-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('keeps unknown API paths and missing files as problem+json 404s', async () => {
    const api = await app.inject({ url: '/api/v1/nothing', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/problem\+json/);
    const file = await app.inject({ url: '/assets/missing.js' });
    expect(file.statusCode).toBe(404);
    expect(file.json().code).toBe('not_found');
  });
});
