/** CSV and XLSX imports: refusals, line-numbered errors, modes, dry run, idempotence, template. */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeXlsx } from '../../../src/core/measures/xlsx.ts';
import type { TestActor } from '../../support/actors.ts';
import { buildImprovementWorld, type ImprovementWorld } from '../../support/improvement-world.ts';
import { createTestApp, type TestApp } from '../../support/test-db.ts';

let t: TestApp;
let w: ImprovementWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await buildImprovementWorld(t);
});
afterAll(() => t.close());

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const call = (actor: TestActor | undefined, options: InjectOptions) =>
  t.app.inject({ ...options, headers: { ...actor?.headers, ...options.headers } });
const upload = (
  actor: TestActor | undefined,
  query: string,
  payload: string | Buffer,
  type = 'text/csv',
) =>
  call(actor, {
    method: 'POST',
    url: `/api/v1/measure-values/import?${query}`,
    payload,
    headers: { 'content-type': type },
  });
const count = async () => (await t.db.selectFrom('measure_value').selectAll().execute()).length;

const GOOD = [
  'measure,period,numerator,denominator,note',
  'On track,2026-09,40,60,',
  'On track,2026-10-01,44,60,after advisory',
  'Advisory minutes,2026-09-07,25,,',
].join('\n');

describe('refusals', () => {
  it('401/404/403 before reading the file', async () => {
    expect([401, 404]).toContain(
      (await upload(undefined, `team_id=${w.ids.A}&dry_run=false`, GOOD)).statusCode,
    );
    expect((await upload(w.memberB, `team_id=${w.ids.A}&dry_run=false`, GOOD)).statusCode).toBe(
      404,
    );
    expect(
      (await upload(w.memberA, `team_id=${w.ids.A}`, '{}', 'application/json')).statusCode,
    ).toBe(415);
    expect(await count()).toBe(0);
  });
  it('refuses student-level columns and repeated team/measure/period lines', async () => {
    const students = await upload(
      w.memberA,
      `team_id=${w.ids.A}&dry_run=false`,
      'student_id,measure,period,numerator\n1,On track,2026-09,1\n',
    );
    expect(students.statusCode).toBe(400);
    expect(students.json().code).toBe('student_level_data');
    expect(students.json().detail).toContain('aggregates only');
    const repeated = await upload(
      w.memberA,
      `team_id=${w.ids.A}&dry_run=false`,
      'measure,period,numerator,denominator\nOn track,2026-09,1,1\nOn track,2026-09-01,0,1\n',
    );
    expect(repeated.json()).toMatchObject({
      code: 'student_level_data',
      errors: [{ path: '/body/line/3' }],
    });
    expect(await count()).toBe(0);
  });
});

describe('behaviour', () => {
  const BAD = `${GOOD}\nOn track,2026-11-15,4,60,\nOn track,2026-12,70,60,\nNope,2026-12,1,2,`;
  it('dry run reports and writes nothing; all_or_nothing writes nothing on one bad row', async () => {
    const dry = await upload(w.memberA, `team_id=${w.ids.A}`, BAD);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ dry_run: true, committed: false, rows: 6, created: 3 });
    expect(dry.json().errors).toEqual([
      { line: 5, column: 'period', message: expect.stringContaining('first of the month') },
      {
        line: 6,
        column: 'numerator',
        message: expect.stringContaining('larger than the denominator'),
      },
      { line: 7, column: 'measure', message: expect.stringContaining('Nope') },
    ]);
    const all = await upload(w.memberA, `team_id=${w.ids.A}&dry_run=false`, BAD);
    expect(all.json()).toMatchObject({ committed: false });
    expect(await count()).toBe(0);
  });
  it('per_row writes the good rows; the same file again changes nothing', async () => {
    const first = await upload(w.memberA, `team_id=${w.ids.A}&dry_run=false&mode=per_row`, BAD);
    expect(first.json()).toMatchObject({ committed: true, created: 3, updated: 0 });
    expect(first.json().errors).toHaveLength(3);
    expect(await count()).toBe(3);
    const again = await upload(w.memberA, `team_id=${w.ids.A}&dry_run=false&mode=per_row`, BAD);
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(await count()).toBe(3);
    const audits = await t.db
      .selectFrom('audit_event')
      .selectAll()
      .where('entity_type', '=', 'measure_value_import')
      .execute();
    expect(audits).toHaveLength(2);
    // PGlite has no autovacuum: an import that adds values refreshes the planner's statistics.
    if (t.ctx.dbMode === 'pglite') {
      const stats = await t.db
        .selectFrom('pg_class' as never)
        .select('reltuples' as never)
        .where('relname' as never, '=', 'measure_value' as never)
        .executeTakeFirstOrThrow();
      expect(Number((stats as { reltuples: number }).reltuples)).toBe(3);
    }
  });
  it('refuses a file with a NUL character, naming the line, and writes nothing', async () => {
    const before = await count();
    const res = await upload(
      w.memberA,
      `team_id=${w.ids.A}&dry_run=false`,
      `${GOOD}\nOn track,2026-11,4\u00000,60,\n`,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { path: '/body/line/5', message: 'contains a NUL character' },
    ]);
    expect(await count()).toBe(before);
  });

  it('corrects through an XLSX file, keeping a revision (source import)', async () => {
    const file = writeXlsx([
      ['Measure', 'Period', 'Numerator', 'Denominator', 'Team'],
      ['On track', '2026-09', 41, 60, 'Team A'],
    ]);
    const res = await upload(w.n1Facilitator, 'dry_run=false', file, XLSX);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ committed: true, updated: 1 });
    const value = await t.db
      .selectFrom('measure_value')
      .selectAll()
      .where('period_start', '=', '2026-09-01')
      .where('measure_id', '=', w.ids.commonMeasure)
      .executeTakeFirstOrThrow();
    expect(value).toMatchObject({ numerator: 41, version: 2 });
    const revisions = await t.db
      .selectFrom('measure_value_revision')
      .selectAll()
      .where('value_id', '=', value.id)
      .execute();
    expect(revisions).toMatchObject([{ numerator: 40, source: 'import' }]);
  });
  it('serves a template with the last 12 periods of each measure', async () => {
    const res = await call(w.memberA, {
      method: 'GET',
      url: `/api/v1/measure-values/template.csv?team_id=${w.ids.A}&measure_id=${w.ids.commonMeasure}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('measure,period,numerator,denominator,note');
    expect(lines).toHaveLength(13);
    expect(lines[1]).toMatch(/^On track,\d{4}-\d{2},,,$/);
    expect(
      (
        await call(w.memberB, {
          method: 'GET',
          url: `/api/v1/measure-values/template.csv?team_id=${w.ids.A}`,
        })
      ).statusCode,
    ).toBe(404);
  });
});
