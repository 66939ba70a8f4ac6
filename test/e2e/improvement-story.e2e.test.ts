/**
 * The one-page improvement story of a project in a real browser against a real server. Built
 * through the API as the admin: a charter in "Early Literacy NIC", a team's project with an aim,
 * a problem statement and a driver diagram, a monthly p measure with twelve values (one far above
 * the limits) and an annotation, and two PDSA cycles forming a ramp (the first completed with
 * "adapt", which plans the second). The story is reached from the project page; it shows the aim
 * with the latest value, the diagram, the chart with its signal and the ramp with each cycle's
 * learning; axe finds nothing; printed, the buttons are hidden and the PDF is one page; "Download
 * as HTML" saves a self-contained file with the aim sentence and the drawings.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastPeriods } from '../../src/core/measures/periods.ts';
import {
  checkA11y,
  launchBrowser,
  MOBILE,
  newPage,
  screenshot,
  skipBrowserTests,
  type TestPage,
} from './support/browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const LITERACY = 'Early Literacy NIC';
const PROJECT = 'Morning phonics groups';
const MEASURE = 'Students reading on grade level';
const NUMERATORS = [20, 22, 19, 21, 18, 20, 23, 21, 19, 60, 22, 20];
const LEARNING = 'Ten minutes of phonics before registration kept every student engaged.';

interface ListPage<T> {
  items: T[];
  next_cursor: string | null;
}
interface Cycle {
  id: string;
  plan: { questions: { id: string; predictions: { id: string }[] }[] };
  next_cycle_ids: string[];
}

/** Pages in a PDF: the page objects, not the /Type /Pages tree. */
function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

describe.skipIf(skipBrowserTests())('the improvement story in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const open: TestPage[] = [];
  let projectId = '';
  let aimStatement = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startTestServer({ seed: 'small' });
    const networks = await server.json<ListPage<{ id: string; name: string }>>(
      '/api/v1/networks?limit=200',
    );
    const network = networks.body.items.find((n) => n.name === LITERACY);
    if (!network) throw new Error(`The demo seed has no network "${LITERACY}"`);
    const teams = await server.json<ListPage<{ id: string; name: string }>>(
      `/api/v1/teams?network_id=${network.id}&limit=200`,
    );
    const team = teams.body.items[0];
    if (!team) throw new Error('The literacy network has no team');
    const charter = await server.json<{ id: string }>('/api/v1/charters', {
      method: 'POST',
      body: JSON.stringify({
        network_id: network.id,
        title: 'Reading by third grade',
        aim: { what: 'students reading on grade level', unit: '%', baseline: 20, target: 40 },
        visibility: 'network',
      }),
    });
    const project = await server.json<{ id: string; aim_statement: string }>('/api/v1/projects', {
      method: 'POST',
      body: JSON.stringify({
        team_id: team.id,
        charter_id: charter.body.id,
        title: PROJECT,
        problem_statement:
          'Only one in five of our second graders reads on grade level, and the students who start behind fall further behind each term.',
        aim: {
          what: 'the share of second graders reading on grade level',
          for_whom: 'second graders',
          unit: '%',
          baseline: 20,
          target: 40,
          by: '2027-06-30',
        },
      }),
    });
    projectId = project.body.id;
    aimStatement = project.body.aim_statement;
    expect(aimStatement).not.toBe('');

    const diagramUrl = `/api/v1/projects/${projectId}/driver-diagram`;
    const current = await server.json(diagramUrl);
    await server.json(diagramUrl, {
      method: 'PUT',
      headers: { 'if-match': current.etag ?? '"0"' },
      body: JSON.stringify({
        content: {
          aim: 'Second graders reading on grade level: 20% → 40% by June 2027',
          nodes: [
            { id: 'p1', kind: 'primary', label: 'Daily phonics practice' },
            { id: 'p2', kind: 'primary', label: 'Families reading at home' },
            { id: 's1', kind: 'secondary', label: 'Small-group instruction' },
            { id: 's2', kind: 'secondary', label: 'Take-home books' },
            { id: 'c1', kind: 'change_idea', label: 'Morning phonics groups' },
            { id: 'c2', kind: 'change_idea', label: 'Book bags on Fridays' },
          ],
          edges: [
            { from: 'p1', to: 's1' },
            { from: 'p2', to: 's2' },
            { from: 's1', to: 'c1' },
            { from: 's2', to: 'c2' },
          ],
        },
      }),
    });

    const measure = await server.json<{ id: string }>('/api/v1/measures', {
      method: 'POST',
      body: JSON.stringify({
        project_id: projectId,
        name: MEASURE,
        kind: 'outcome',
        frequency: 'monthly',
        chart_type: 'p',
        unit: '%',
        multiply: 100,
        goal: 40,
        improvement_direction: 'increase',
        operational_definition: {
          numerator_definition: 'Students at or above the benchmark',
          denominator_definition: 'Students assessed',
        },
      }),
    });
    const periods = lastPeriods('monthly', new Date().toISOString().slice(0, 10), 12);
    await server.json(`/api/v1/teams/${team.id}/measure-values`, {
      method: 'PUT',
      body: JSON.stringify({
        values: periods.map((p, i) => ({
          measure_id: measure.body.id,
          period_start: p,
          numerator: NUMERATORS[i],
          denominator: 100,
        })),
      }),
    });

    const idea = await server.json<{ id: string }>('/api/v1/change-ideas', {
      method: 'POST',
      body: JSON.stringify({ network_id: network.id, title: 'Morning phonics groups' }),
    });
    // The first cycle, through plan → do → study → act → completed with "adapt": that plans
    // the second cycle of the ramp.
    const created = await server.json<Cycle>('/api/v1/pdsa-cycles', {
      method: 'POST',
      body: JSON.stringify({
        project_id: projectId,
        change_idea_id: idea.body.id,
        title: 'Phonics warm-up with one student',
        scale: '1 student',
        plan: {
          questions: [
            {
              text: 'Will a student stay engaged for ten minutes?',
              predictions: [{ text: 'Yes, for at least eight minutes' }],
            },
          ],
        },
      }),
    });
    const cycleUrl = `/api/v1/pdsa-cycles/${created.body.id}`;
    let etag = created.etag ?? '"1"';
    const step = async (init: { method: string; body: unknown }, url = cycleUrl) => {
      const r = await server.json<Cycle>(url, {
        method: init.method,
        headers: { 'if-match': etag },
        body: JSON.stringify(init.body),
      });
      etag = r.etag ?? etag;
      return r.body;
    };
    const prediction = created.body.plan.questions[0]?.predictions[0]?.id ?? '';
    await step({ method: 'POST', body: { to: 'do' } }, `${cycleUrl}/transitions`);
    await step({ method: 'PATCH', body: { execution: { what_happened: 'Done on Monday.' } } });
    await step({ method: 'POST', body: { to: 'study' } }, `${cycleUrl}/transitions`);
    await step({
      method: 'PATCH',
      body: {
        study: {
          results: [{ prediction_id: prediction, outcome: 'confirmed' }],
          summary: `${LEARNING} The second half needs a shorter text.`,
        },
      },
    });
    await step({ method: 'POST', body: { to: 'act' } }, `${cycleUrl}/transitions`);
    await step({
      method: 'PATCH',
      body: { act: { decision: 'adapt', reason: 'Try it with a whole class.' } },
    });
    const completed = await step(
      {
        method: 'POST',
        body: {
          to: 'completed',
          next_cycle: { title: 'Phonics warm-up with one class', scale: '1 class' },
        },
      },
      `${cycleUrl}/transitions`,
    );
    expect(completed.next_cycle_ids).toHaveLength(1);
    await server.json('/api/v1/annotations', {
      method: 'POST',
      body: JSON.stringify({
        team_id: team.id,
        measure_id: measure.body.id,
        occurred_on: periods[8],
        label: 'Phonics groups start',
        kind: 'pdsa',
        pdsa_cycle_id: created.body.id,
      }),
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(open.map((p) => p.close()));
    await browser?.close();
    await server?.close();
  });

  async function signedInPage(viewport?: { width: number; height: number }) {
    const tp = await newPage(browser, {
      baseURL: server.url,
      ...(viewport ? { viewport } : {}),
    });
    open.push(tp);
    await server.signIn(tp.context);
    return tp;
  }

  it('shows the story, prints it on one page and downloads it as HTML', async () => {
    const { page, problems } = await signedInPage();
    await page.goto(`/projects/${projectId}`);
    await page.getByRole('link', { name: 'Improvement story' }).click();
    await page.waitForURL(`**/projects/${projectId}/story`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(PROJECT);
    const story = page.getByRole('article', { name: `Improvement story: ${PROJECT}` });
    await expect.poll(() => story.getByTestId('story-aim').textContent()).toBe(aimStatement);
    await expect.poll(() => story.getByTestId('story-latest').textContent()).toContain('20%');
    await story.getByTestId('driver-diagram-view').locator('svg').first().waitFor();
    expect(await story.getByText('Daily phonics practice').count()).toBeGreaterThan(0);
    await story.getByTestId('spc-chart').locator('svg').first().waitFor();
    expect(await story.getByTestId('spc-signals').locator('li').count()).toBeGreaterThan(0);
    expect(await story.getByText('Phonics groups start').count()).toBeGreaterThan(0);
    const ramp = story.getByTestId('story-ramps');
    expect(await ramp.getByRole('listitem').count()).toBe(2);
    expect(await story.getByRole('row', { name: /1 student/ }).textContent()).toContain(LEARNING);
    expect(await story.getByRole('row', { name: /1 class/ }).textContent()).toContain(
      'No study summary yet',
    );
    expect(await story.textContent()).toMatch(/Exported from Tandem on .+ · aggregates only/);
    await checkA11y(page, 'improvement story');
    await screenshot(page, 'story-desktop');

    // Printed: no buttons, and one page.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible()).toBe(
      false,
    );
    expect(await page.getByRole('button', { name: 'Download as HTML' }).isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: 'Back to the project' }).isVisible()).toBe(false);
    // The A4 content box (210 mm less 12 mm margins) at 96 dpi, for the screenshot.
    await page.setViewportSize({ width: 703, height: 1031 });
    await page.waitForTimeout(200);
    await screenshot(page, 'story-print');
    const pdf = await page.pdf({ format: 'A4' });
    if (process.env.TANDEM_SCREENSHOTS === '1' && process.env.TANDEM_SCREENSHOTS_DIR) {
      await writeFile(join(process.env.TANDEM_SCREENSHOTS_DIR, 'story-a4.pdf'), pdf);
    }
    expect(pdfPageCount(pdf)).toBe(1);
    const letter = await page.pdf({ format: 'Letter' });
    expect(pdfPageCount(letter)).toBe(1);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1366, height: 768 });
    // Just before printing, a story that fits is left at its size (a longer one would shrink).
    const zoom = await page.evaluate(() => {
      window.dispatchEvent(new Event('beforeprint'));
      const z = (document.querySelector('.story') as HTMLElement).style.zoom;
      window.dispatchEvent(new Event('afterprint'));
      return z;
    });
    expect(zoom).toBe('');
    // A story 400 px too long is shrunk to fit, and printed on one page all the same.
    const shrunk = await page.evaluate(() => {
      const sheet = document.querySelector('.story') as HTMLElement;
      const filler = document.createElement('div');
      filler.id = 'filler';
      filler.style.height = '400px';
      sheet.append(filler);
      window.dispatchEvent(new Event('beforeprint'));
      return sheet.style.zoom;
    });
    expect(Number(shrunk)).toBeGreaterThan(0.6);
    expect(Number(shrunk)).toBeLessThan(1);
    await page.emulateMedia({ media: 'print' });
    expect(pdfPageCount(await page.pdf({ format: 'Letter' }))).toBe(1);
    await page.emulateMedia({ media: 'screen' });
    const restored = await page.evaluate(() => {
      window.dispatchEvent(new Event('afterprint'));
      document.getElementById('filler')?.remove();
      return (document.querySelector('.story') as HTMLElement).style.zoom;
    });
    expect(restored).toBe('');

    // Download as HTML: one file with the aim sentence and the drawings inline.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download as HTML' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^improvement-story-morning-phonics-groups-.+\.html$/,
    );
    const path = await download.path();
    const html = await readFile(path, 'utf8');
    expect(html).toContain(aimStatement);
    expect(html).toContain('<svg');
    expect(html).toContain('<style>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('Download as HTML');
    // The file opens on its own and looks like the story.
    const file = await signedInPage();
    await file.page.setContent(html);
    expect(await file.page.getByRole('heading', { level: 1 }).textContent()).toBe(PROJECT);
    // The chart survived the round trip: its points are drawn, the annotation is in the SVG.
    expect(await file.page.locator('.spc-points path, .spc-points circle').count()).toBe(12);
    expect(await file.page.locator('svg .spc-annotation').count()).toBe(1);
    await checkA11y(file.page, 'the exported HTML story');
    await screenshot(file.page, 'story-exported-html');

    await page.getByRole('link', { name: 'Back to the project' }).click();
    await page.waitForURL(`**/projects/${projectId}`);
    expect(problems).toEqual([]);
  }, 120_000);

  it('is readable on a phone', async () => {
    const { page, problems } = await signedInPage(MOBILE);
    await page.goto(`/projects/${projectId}/story`);
    await page.getByTestId('story-aim').waitFor();
    await page.getByTestId('spc-chart').locator('svg').first().waitFor();
    await checkA11y(page, 'improvement story on a phone');
    await screenshot(page, 'story-mobile');
    expect(problems).toEqual([]);
  }, 60_000);
});
