/**
 * The chart studio in a real browser against a real server: signed out the chart is computed in
 * the browser (no request to the API), signed in through `POST /api/v1/analysis/spc`. The example,
 * the signals in words, the data table, the tooltip on keyboard focus, exports, CSV and engine
 * errors next to the fields, an accepted phase suggestion, small multiples (6 sites × 60 points,
 * render time logged, not asserted: speed targets live in bench/) and axe (WCAG 2.1 AA) at both
 * viewports.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_VERSION } from '../../src/core/spc/index.ts';
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

const SPC_PATH = '/api/v1/analysis/spc';

describe.skipIf(skipBrowserTests())('chart studio in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const open: TestPage[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startTestServer({ seed: 'small' });
  });

  afterAll(async () => {
    await Promise.all(open.map((p) => p.close()));
    await browser?.close();
    await server?.close();
  });

  async function openPage(
    path: string,
    options: { viewport?: { width: number; height: number }; signedIn?: boolean } = {},
  ) {
    const tp = await newPage(browser, {
      baseURL: server.url,
      ...(options.viewport ? { viewport: options.viewport } : {}),
    });
    open.push(tp);
    if (options.signedIn) await server.signIn(tp.context);
    await tp.page.goto(path);
    await tp.page.getByRole('heading', { level: 1, name: 'Chart studio' }).waitFor();
    return tp;
  }

  /** Every request the page makes to the SPC route. */
  function spcRequests(page: Page): Request[] {
    const seen: Request[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === SPC_PATH) seen.push(request);
    });
    return seen;
  }

  const chart = (page: Page) => page.getByTestId('spc-chart').first();
  const points = (page: Page) => chart(page).locator('.spc-point');
  const focusedIndex = (page: Page) =>
    page.evaluate(() => document.activeElement?.getAttribute('data-index') ?? null);

  it('draws the example signed out, in the browser: signals in words, data table, keyboard tooltip', async () => {
    const tp = await openPage('/chart-studio');
    const { page, problems } = tp;
    const requests = spcRequests(page);
    expect(await page.title()).toBe('Chart studio — Tandem');
    // The empty state says what to paste, and offers the example.
    await page.getByRole('heading', { name: 'Paste your numbers to draw a chart' }).waitFor();
    await page.waitForLoadState('networkidle');
    await checkA11y(page, 'chart studio, empty');
    await screenshot(page, 'chart-studio-empty-desktop');

    await page.getByRole('button', { name: 'Load example', exact: true }).first().click();
    expect(await page.getByLabel('Chart type').inputValue()).toBe('p');
    await page.getByLabel('IHI rules').check();
    await chart(page).getByRole('heading', { name: '9th graders on track' }).waitFor();
    await page.getByText('12 points in a row above the centre line, points 13–24').waitFor();
    expect(await points(page).count()).toBe(24);

    // The signals in words: the engine's sentence, naming the rule and the points.
    const signals = page.getByTestId('spc-signals');
    const shift = signals.getByRole('listitem').filter({ hasText: 'points 13–24' });
    expect(await shift.textContent()).toMatch(
      /Shift: 8 on one side.*12 points in a row above the centre line, points 13–24 \(Nov 2024 to Dec 2025\): a shift \(IHI rule: 8 or more on one side\)\..*ihi\.eight_one_side/,
    );
    // Points 1–12 are a shift down (orange diamonds: higher is better), 13–24 a shift up (blue
    // triangles); the class is in each point's name too, so colour is not the only carrier.
    const label = (i: number) =>
      points(page)
        .nth(i - 1)
        .getAttribute('aria-label');
    expect(await label(3)).toMatch(/^Point 3, Nov 2023: .*Special cause: concern\./);
    expect(await label(20)).toMatch(/^Point 20, Jun 2025: .*Special cause: improvement\./);
    expect(await chart(page).locator('path.spc-point[data-signal]').count()).toBe(24);
    // The engine's phase suggestion, and where the chart was computed.
    await page.getByText('A sustained shift starts at point 13.').waitFor();
    expect(await page.getByTestId('spc-computed').textContent()).toContain(
      `Computed in your browser by Tandem SPC engine v${ENGINE_VERSION}; sign in to use the API.`,
    );
    expect(requests).toHaveLength(0);

    // The data table alternative.
    const toggle = page.getByRole('button', { name: 'Show data table' });
    await toggle.click();
    const table = page.getByRole('table', { name: '9th graders on track' });
    await table.waitFor();
    expect(
      await page.getByRole('button', { name: 'Hide data table' }).getAttribute('aria-expanded'),
    ).toBe('true');
    expect(await table.locator('tbody tr').count()).toBe(24);
    const row13 = table.locator('tbody tr').nth(12);
    expect(await row13.textContent()).toMatch(/13.*Nov 2024.*%.*ihi\.eight_one_side/);

    // Keyboard: one tab stop for the points, arrows move, the tooltip names the rule.
    await chart(page).getByRole('link', { name: 'How to read this chart' }).focus();
    await page.keyboard.press('Tab');
    expect(await focusedIndex(page)).toBe('1');
    await page.keyboard.press('End');
    expect(await focusedIndex(page)).toBe('24');
    const tooltip = page.getByRole('tooltip');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toMatch(/Point 24 · Dec 2025.*sigma\.outside_limits/);
    await page.keyboard.press('ArrowLeft');
    expect(await focusedIndex(page)).toBe('23');
    expect(await tooltip.textContent()).toContain('Point 23 · Nov 2025');
    expect(await tooltip.textContent()).toContain('ihi.eight_one_side');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(
      /^Point 23, Nov 2025: .*Special cause: improvement\..*ihi\.eight_one_side/,
    );
    await checkA11y(page, 'chart studio with a chart, table and tooltip');
    await page.keyboard.press('Escape');
    await tooltip.waitFor({ state: 'detached' });
    // The mouse shows the same tooltip on hover (keyboard focus moved away first, so that only
    // the pointer decides what is shown).
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await points(page).nth(4).hover();
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toMatch(/Point 5 · Jan 2024.*sigma\.outside_limits/);
    await page.mouse.move(0, 0, { steps: 5 });
    await tooltip.waitFor({ state: 'detached' });
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'chart-studio-desktop');

    // Accepting the suggestion starts phase 2 after point 12: the shift is explained.
    await page.getByRole('button', { name: 'Start a new phase after point 12' }).click();
    expect(await page.getByLabel('Start a new phase after points').inputValue()).toBe('12');
    await chart(page).getByText('Phase 2', { exact: true }).first().waitFor();
    await page.getByText(/Phase 2, points 13–24: centre line 70\.4%/).waitFor();
    expect(requests).toHaveLength(0);
    expect(problems).toEqual([]);
  });

  it('exports the chart as SVG and PNG, and prints it alone', async () => {
    const { page, problems } = await openPage('/chart-studio?example=on-track');
    await points(page).first().waitFor();

    const [svgDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download SVG of 9th graders on track' }).click(),
    ]);
    expect(svgDownload.suggestedFilename()).toBe('9th-graders-on-track.svg');
    const svg = await readFile((await svgDownload.path()) as string, 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('9th graders on track');
    expect(svg).toContain('Higher is better');
    expect(svg).not.toContain('tabindex');

    const [pngDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download PNG of 9th graders on track' }).click(),
    ]);
    expect(pngDownload.suggestedFilename()).toBe('9th-graders-on-track.png');
    const png = await readFile((await pngDownload.path()) as string);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(5000);

    // Print: the chart alone (the rest of the page is hidden while printing).
    await page.evaluate(() => {
      const w = window as unknown as { printedAlone?: boolean };
      window.print = () => {
        w.printedAlone =
          document.body.hasAttribute('data-spc-print') &&
          document.querySelector('[data-spc-print-target]') !== null;
      };
    });
    await page.getByRole('button', { name: 'Print 9th graders on track' }).click();
    expect(await page.evaluate(() => (window as { printedAlone?: boolean }).printedAlone)).toBe(
      true,
    );
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.studio__panel--data').isVisible()).toBe(false);
    expect(await page.getByRole('banner').isVisible()).toBe(false);
    expect(await chart(page).locator('svg').first().isVisible()).toBe(true);
    await screenshot(page, 'chart-studio-print');
    await page.emulateMedia({ media: 'screen' });
    expect(problems).toEqual([]);
  });

  it('says which CSV line and which field is wrong', async () => {
    const { page, problems } = await openPage('/chart-studio');
    const data = page.getByLabel('Data (CSV)');
    await data.fill('month,value\nJan,12\nFeb,twelve\nMar,14\nApr,n/a\n');
    const errors = page.getByTestId('data-errors');
    await errors.waitFor();
    expect(await errors.textContent()).toContain('Line 3: value "twelve" is not a number');
    expect(await data.getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('studio-problems').getByText('The chart cannot be drawn yet').waitFor();
    expect(await page.getByTestId('spc-chart').count()).toBe(0);
    await checkA11y(page, 'chart studio, CSV error');
    await screenshot(page, 'chart-studio-csv-error-desktop');

    // A p chart's numerator larger than its denominator: the engine's error, by point and label.
    await page.getByLabel('Chart type').selectOption('p');
    await data.fill('month,on track,students\nJan,30,20\nFeb,12,20\n');
    await expect
      .poll(() => errors.textContent())
      .toContain('Point 1 (Jan): numerator 30 is larger than its denominator 20 (/values/0)');

    // A phase break out of range: next to its field, with the request's path.
    await data.fill(
      Array.from({ length: 10 }, (_, i) => `W${i + 1},${10 + (i % 3)},40`).join('\n'),
    );
    await page.getByLabel('Start a new phase after points').fill('12');
    const phases = page.getByLabel('Start a new phase after points');
    await expect.poll(() => phases.getAttribute('aria-invalid')).toBe('true');
    await page.getByText('12: must be between 1 and 9 (/partEnds/0)').waitFor();
    await page.getByLabel('Start a new phase after points').fill('five');
    await page.getByText('“five” is not a point number').waitFor();
    expect(problems).toEqual([]);
  });

  it('computes through the API when signed in, with 400 problems next to the fields', async () => {
    const tp = await newPage(browser, { baseURL: server.url });
    open.push(tp);
    await server.signIn(tp.context);
    const { page, problems } = tp;
    const answers: { status: number; body: unknown }[] = [];
    page.on('response', async (response) => {
      if (new URL(response.url()).pathname !== SPC_PATH) return;
      answers.push({ status: response.status(), body: await response.json().catch(() => null) });
    });
    const requests = spcRequests(page);
    await page.goto('/chart-studio?example=on-track');
    await page.getByText('Computed by the Tandem API').waitFor();
    expect(requests.length).toBeGreaterThan(0);
    const first = requests[0] as Request;
    expect(first.method()).toBe('POST');
    expect(JSON.parse(first.postData() ?? '{}')).toMatchObject({
      chart: 'p',
      multiply: 100,
      ruleSet: 'anhoej',
      improvementDirection: 'increase',
    });
    await expect.poll(() => answers.some((a) => a.status === 200)).toBe(true);
    expect(await points(page).count()).toBe(24);
    await page.getByText('12 points in a row above the centre line, points 13–24').waitFor();

    // The API's 400 answer: its errors[] next to the field they are about.
    await page.getByLabel('Freeze the limits after point').fill('40');
    await expect.poll(() => answers.some((a) => a.status === 400)).toBe(true);
    const freeze = page.getByLabel('Freeze the limits after point');
    expect(await freeze.getAttribute('aria-invalid')).toBe('true');
    await page.getByText(/must be between 1 and 24 \(\/baselineLastPoint\)/).waitFor();
    await checkA11y(page, 'chart studio signed in, API 400');
    // 4xx answers the test provoked are not problems; nothing else went wrong.
    expect(problems).toEqual([]);
  });

  it('draws six sites as small multiples on a shared scale, free on request (render time logged)', async () => {
    const { page, problems } = await openPage('/chart-studio?example=schools');
    const grid = page.getByTestId('spc-small-multiples');
    await grid.locator('svg').nth(5).waitFor();
    const charts = grid.getByTestId('spc-chart');
    expect(await charts.count()).toBe(6);
    for (let i = 0; i < 6; i++) expect(await charts.nth(i).locator('.spc-point').count()).toBe(60);
    const initial = Number(await grid.getAttribute('data-render-ms'));

    const yTicks = (i: number) =>
      charts
        .nth(i)
        .locator('svg text')
        .evaluateAll((nodes) => nodes.map((n) => n.textContent).filter((t) => t?.endsWith('%')));
    const shared = await yTicks(2);
    expect(await yTicks(0)).toEqual(shared);
    const toggles: number[] = [];
    for (let k = 0; k < 6; k++) {
      await page.getByLabel('Free scales').click();
      await page.waitForTimeout(50);
      toggles.push(Number(await grid.getAttribute('data-render-ms')));
    }
    await page.getByLabel('Free scales').check();
    expect(await yTicks(0)).not.toEqual(await yTicks(2));
    const sorted = [...toggles].sort((a, b) => a - b);
    console.log(
      `[bench] small multiples 6 × 60 points: first render ${initial.toFixed(1)} ms; ` +
        `re-render (scale toggle) median ${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(1)} ms ` +
        `(${toggles.map((t) => t.toFixed(1)).join(', ')}) — target ≤ 50 ms, measured in bench/, not asserted here`,
    );
    await page.getByLabel('Free scales').uncheck();

    // A small multiple is one tab stop too; arrows move between its points, with the tooltip.
    await charts.nth(3).locator('.spc-point[tabindex="0"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await focusedIndex(page)).toBe('3');
    expect(await page.getByRole('tooltip').textContent()).toContain('Point 3 · Week 3');
    await page.keyboard.press('Escape');

    // The site shown in full under the grid.
    await page.getByLabel('Site shown in full').selectOption({ label: 'Delta Academy' });
    await page.getByRole('heading', { name: 'Weekly attendance rate: Delta Academy' }).waitFor();
    await page.waitForLoadState('networkidle');
    await checkA11y(page, 'chart studio, small multiples');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'chart-studio-small-multiples-desktop');
    expect(problems).toEqual([]);
  });

  it('fits a phone without sideways scrolling', async () => {
    const { page, problems } = await openPage('/chart-studio?example=on-track', {
      viewport: MOBILE,
    });
    await points(page).first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      MOBILE.width,
    );
    await page.waitForLoadState('networkidle');
    await checkA11y(page, 'chart studio (phone)');
    await screenshot(page, 'chart-studio-mobile');
    expect(problems).toEqual([]);
  });
});
