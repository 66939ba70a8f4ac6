import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildImprovementWorld, type ImprovementWorld } from '../../support/improvement-world.ts';
import { createTestApp, type TestApp } from '../../support/test-db.ts';

let t: TestApp;
let w: ImprovementWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await buildImprovementWorld(t);
});
afterAll(() => t.close());

it('builds the improvement world the other improvement tests rely on', async () => {
  const projects = await t.db.selectFrom('project').select(['id', 'team_id']).execute();
  expect(projects.map((p) => p.id).sort()).toEqual([w.ids.PA, w.ids.PB].sort());
  const measures = await t.db.selectFrom('measure').select('id').execute();
  expect(measures).toHaveLength(3);
});
