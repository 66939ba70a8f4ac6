/**
 * PDSA attachments kept in S3-compatible storage: the same API as on disk, with the files in a
 * bucket (the in-process fake S3, which verifies every request's signature). The response, the
 * attachment row and the bucket are all checked, and nothing may land on disk; a bucket that
 * fails leaves no row behind.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { s3FileStore } from '../../../src/server/platform/s3-file-store.ts';
import type { TestActor } from '../../support/actors.ts';
import { type FakeS3, startFakeS3 } from '../../support/fake-s3.ts';
import { buildImprovementWorld, type ImprovementWorld } from '../../support/improvement-world.ts';
import { createTestApp, type TestApp } from '../../support/test-db.ts';

let t: TestApp;
let w: ImprovementWorld;
let s3: FakeS3;
const PREFIX = 'attachments/';

beforeAll(async () => {
  t = await createTestApp();
  w = await buildImprovementWorld(t);
  s3 = await startFakeS3({ buckets: ['tandem'] });
  t.ctx.files = s3FileStore({
    endpoint: s3.endpoint,
    region: s3.region,
    bucket: 'tandem',
    prefix: PREFIX,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
});
beforeEach(() => {
  s3.failWith(undefined);
});

function call(actor: TestActor | undefined, options: InjectOptions) {
  return t.app.inject({ ...options, headers: { ...actor?.headers, ...options.headers } });
}
const upload = (cycleId: string, filename: string, body: string | Buffer, contentType: string) =>
  call(w.memberA, {
    method: 'POST',
    url: `/api/v1/pdsa-cycles/${cycleId}/attachments?filename=${encodeURIComponent(filename)}`,
    payload: body,
    headers: { 'content-type': contentType },
  });
const attachmentRows = (cycleId: string) =>
  t.db.selectFrom('attachment').selectAll().where('pdsa_cycle_id', '=', cycleId).execute();

let unique = 0;
async function newCycle(): Promise<string> {
  const res = await call(w.memberA, {
    method: 'POST',
    url: '/api/v1/pdsa-cycles',
    payload: {
      project_id: w.ids.PA,
      change_idea_id: w.ids.changeIdea,
      title: `S3 attachment test ${++unique}`,
      scale: '1 advisor',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

describe('attachments in S3-compatible storage', () => {
  it('uploads into the bucket, downloads the same bytes, deletes row and object', async () => {
    const cycleId = await newCycle();
    const content = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from([0, 1, 2, 255, 254])]);
    const sha256 = createHash('sha256').update(content).digest('hex');
    s3.requests.length = 0;

    const res = await upload(cycleId, 'Check-in notes.pdf', content, 'application/pdf');
    expect(res.statusCode, res.body).toBe(201);
    const attachment = res.json();
    expect(attachment).toMatchObject({
      pdsa_cycle_id: cycleId,
      filename: 'Check-in notes.pdf',
      content_type: 'application/pdf',
      size_bytes: content.length,
      sha256,
      created_by: w.memberA.id,
      download_url: `/api/v1/attachments/${attachment.id}`,
    });
    const [row, ...others] = await attachmentRows(cycleId);
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      id: attachment.id,
      storage_key: attachment.id,
      sha256,
      size_bytes: content.length,
    });
    // In the bucket under the prefix, signed and verified by the fake; nothing on disk.
    expect(s3.object('tandem', `${PREFIX}${attachment.id}`)?.data.equals(content)).toBe(true);
    expect(s3.requests.map((r) => `${r.method} ${r.url} ${r.status}`)).toEqual([
      `PUT /tandem/${PREFIX}${attachment.id} 200`,
    ]);
    expect(fs.readdirSync(t.filesDir)).toEqual([]);

    const download = await call(w.memberA, { method: 'GET', url: attachment.download_url });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(content)).toBe(true);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-length']).toBe(String(content.length));
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="Check-in notes.pdf"; filename*=UTF-8''Check-in%20notes.pdf`,
    );
    expect(download.headers['repr-digest']).toBe(
      `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`,
    );
    expect(download.headers['x-content-type-options']).toBe('nosniff');

    const removed = await call(w.memberA, { method: 'DELETE', url: attachment.download_url });
    expect(removed.statusCode).toBe(204);
    expect(await attachmentRows(cycleId)).toEqual([]);
    expect(s3.object('tandem', `${PREFIX}${attachment.id}`)).toBeUndefined();
    expect(s3.requests.at(-1)).toMatchObject({ method: 'DELETE', status: 204 });
    expect(
      (await call(w.memberA, { method: 'GET', url: attachment.download_url })).statusCode,
    ).toBe(404);
  });

  it('says so when the object is gone from the bucket', async () => {
    const cycleId = await newCycle();
    const attachment = (await upload(cycleId, 'a.txt', 'hello', 'text/plain')).json();
    s3.buckets.get('tandem')?.delete(`${PREFIX}${attachment.id}`);
    const download = await call(w.memberA, { method: 'GET', url: attachment.download_url });
    expect(download.statusCode).toBe(404);
    expect(download.json().detail).toMatch(/missing from the file store/);
  });

  it('a bucket that fails on PUT: a 5xx problem, no row, no object', async () => {
    const cycleId = await newCycle();
    const objectsBefore = s3.buckets.get('tandem')?.size;
    s3.failWith({ status: 503, code: 'SlowDown', methods: ['PUT'] });
    const res = await upload(cycleId, 'notes.txt', 'Attendance: 4 of 5', 'text/plain');
    expect(res.statusCode).toBeGreaterThanOrEqual(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: res.statusCode, code: 'internal_error' });
    // The S3 details are for the log, not for the client.
    expect(res.body).not.toMatch(/SlowDown|127\.0\.0\.1|tandem\//);
    expect(await attachmentRows(cycleId)).toEqual([]);
    const audit = await t.db
      .selectFrom('audit_event')
      .select('id')
      .where('entity_type', '=', 'attachment')
      .where('summary', 'like', '%notes.txt%')
      .execute();
    expect(audit).toEqual([]);
    // The PUT was refused; the service then deletes the key in case it had landed.
    expect(s3.requests.slice(-2).map((r) => `${r.method} ${r.status} ${r.error ?? ''}`)).toEqual([
      'PUT 503 SlowDown',
      'DELETE 204 ',
    ]);
    expect(s3.buckets.get('tandem')?.size).toBe(objectsBefore);
    expect(fs.readdirSync(t.filesDir)).toEqual([]);

    s3.failWith(undefined);
    expect(
      (await upload(cycleId, 'notes.txt', 'Attendance: 4 of 5', 'text/plain')).statusCode,
    ).toBe(201);
    expect(await attachmentRows(cycleId)).toHaveLength(1);
  });

  it('a bucket that fails on DELETE: the row goes, the object stays behind', async () => {
    const cycleId = await newCycle();
    const attachment = (await upload(cycleId, 'a.txt', 'hello', 'text/plain')).json();
    s3.failWith({ status: 500, code: 'InternalError', methods: ['DELETE'] });
    const removed = await call(w.memberA, { method: 'DELETE', url: attachment.download_url });
    // The record is what the person asked to remove; a file left behind is only storage.
    expect(removed.statusCode).toBe(204);
    expect(await attachmentRows(cycleId)).toEqual([]);
    expect(s3.object('tandem', `${PREFIX}${attachment.id}`)).toBeDefined();
  });
});
