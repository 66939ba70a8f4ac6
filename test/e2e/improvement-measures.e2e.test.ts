/**
 * Measures in a real browser against a real server: a common monthly p-chart measure of a charter
 * in the "Early Literacy NIC" network, reported by one team's project. Twelve months are pasted
 * into the data grid and saved (checked through the API), the chart shows the point beyond the
 * limits with its rule and explanation, an import with a bad row is refused on the dry run with
 * its line number (nothing stored), the project's measures section shows the chart, and the
 * network dashboard shows the team's small multiple with a signal badge. Annotations are edited
 * (a 412 offers a reload) and deleted after a confirmation, a value's history opens from its grid
 * row, and an unsaved grid edit holds back an in-app link and Back until the user agrees. axe on
 * every page and dialog.
 */
import type { Browser, Page } from 'playwright-core';
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
const MEASURE = 'Students reading on grade level';
/** Numerators out of 100 each month: the 10th month is far above the others' limits. */
const NUMERATORS = [20, 22, 19, 21, 18, 20, 23, 21, 19, 60, 22, 20];

interface ListPage<T> {
  items: T[];
  next_cursor: string | null;
}

describe.skipIf(skipBrowserTests())('measures, data and dashboards in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const open: TestPage[] = [];
  let teamId = '';
  let teamName = '';
  let otherTeamName = '';
  let charterId = '';
  let projectId = '';
  let measureId = '';
  const periods = lastPeriods('monthly', new Date().toISOString().slice(0, 10), 12);

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
    const [team, other] = teams.body.items;
    if (!team || !other) throw new Error('The literacy network has fewer than two teams');
    teamId = team.id;
    teamName = team.name;
    const charter = await server.json<{ id: string }>('/api/v1/charters', {
      method: 'POST',
      body: JSON.stringify({
        network_id: network.id,
        title: 'Reading by third grade',
        aim: { what: 'students reading on grade level', unit: '%', baseline: 20, target: 40 },
        visibility: 'network',
      }),
    });
    charterId = charter.body.id;
    const project = await server.json<{ id: string }>('/api/v1/projects', {
      method: 'POST',
      body: JSON.stringify({
        team_id: teamId,
        charter_id: charterId,
        title: 'Small-group reading',
      }),
    });
    projectId = project.body.id;
    const measure = await server.json<{ id: string }>('/api/v1/measures', {
      method: 'POST',
      body: JSON.stringify({
        charter_id: charterId,
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
    measureId = measure.body.id;
    // A second team reports the measure too, steadily, through the API: the dashboard compares.
    otherTeamName = other.name;
    await server.json('/api/v1/projects', {
      method: 'POST',
      body: JSON.stringify({ team_id: other.id, charter_id: charterId, title: 'Reading buddies' }),
    });
    await server.json(`/api/v1/teams/${other.id}/measure-values`, {
      method: 'PUT',
      body: JSON.stringify({
        values: periods.map((p, i) => ({
          measure_id: measureId,
          period_start: p,
          numerator: 30 + (i % 3),
          denominator: 100,
        })),
      }),
    });
  });

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

  async function pasteInto(page: Page, selector: string, text: string) {
    await page.locator(selector).focus();
    await page.evaluate(
      ({ selector, text }) => {
        const target = document.querySelector(selector) as HTMLElement;
        const data = new DataTransfer();
        data.setData('text/plain', text);
        target.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
      },
      { selector, text },
    );
  }

  it('enters 12 months by paste, saves them, and shows the signal on the chart in words', async () => {
    const tp = await signedInPage();
    const { page, problems } = tp;
    await page.goto(`/measures/${measureId}?team=${teamId}&tab=data`);
    await page.getByRole('heading', { level: 1, name: MEASURE }).waitFor();
    const grid = page.getByTestId('measure-grid');
    await grid.waitFor();
    await page.waitForLoadState('networkidle');
    await checkA11y(page, 'measure page, empty data grid');
    await screenshot(page, 'measure-data-empty-desktop');

    const first = `[data-testid="measure-grid"] input[data-period="${periods[0]}"][data-part="numerator"]`;
    await pasteInto(page, first, NUMERATORS.map((n) => `${n}\t100`).join('\n'));
    await expect
      .poll(() => page.locator('[data-testid="measure-grid"] input[data-dirty]').count())
      .toBe(24);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved 12 changes.').waitFor();
    await expect
      .poll(() => page.locator('[data-testid="measure-grid"] input[data-dirty]').count())
      .toBe(0);

    const stored = await server.json<{
      items: { period_start: string; numerator: number; denominator: number | null }[];
    }>(`/api/v1/teams/${teamId}/measure-values?measure_id=${measureId}`);
    expect(
      stored.body.items
        .sort((a, b) => a.period_start.localeCompare(b.period_start))
        .map((v) => [v.period_start, v.numerator, v.denominator]),
    ).toEqual(periods.map((p, i) => [p, NUMERATORS[i], 100]));

    // The history of one value: entered once, never corrected.
    await page.getByLabel('Period', { exact: true }).selectOption({ index: 1 });
    await page.getByTestId('value-history').waitFor();
    await checkA11y(page, 'measure page, data grid with values and history');
    await screenshot(page, 'measure-data-saved-desktop');

    // The chart: the 10th month is outside the limits, said in words with its rule id.
    await page.getByRole('link', { name: 'Chart', exact: true }).click();
    const chart = page.getByTestId('spc-chart').first();
    await chart.waitFor();
    const signals = chart.getByTestId('spc-signals');
    await signals.waitFor();
    await expect.poll(() => signals.textContent()).toContain('sigma.outside_limits');
    expect(await signals.textContent()).toContain('Outside the limits');
    // The highlighted point is the 10th, drawn as a special-cause (improvement) point.
    const tenth = chart.locator('.spc-point[data-index="10"]');
    expect(await tenth.count()).toBe(1);
    const label = (await tenth.getAttribute('aria-label')) ?? '';
    expect(label).toMatch(/Special cause/);
    expect(await tenth.getAttribute('data-signal')).toBe('true');
    // The goal line is labelled.
    expect(await chart.textContent()).toContain('Goal');
    await page.waitForLoadState('networkidle');
    await checkA11y(page, 'measure page, chart');
    await screenshot(page, 'measure-chart-desktop');

    // An annotation: a phase change offers "start a new phase here"; a note does not.
    await page.getByLabel('Kind').selectOption('phase_change');
    await page.getByLabel('Start a new phase here').waitFor();
    await page.getByLabel('Date').fill(periods[9] as string);
    await page.getByLabel('Label').fill('Reading coach visited');
    await page.getByLabel('Kind').selectOption('note');
    expect(await page.getByLabel('Start a new phase here').count()).toBe(0);
    await page.getByRole('button', { name: 'Add annotation' }).click();
    await page.getByText('Added “Reading coach visited” to the chart.').waitFor();
    await page.getByRole('heading', { name: 'Annotations on this chart' }).waitFor();
    await chart.getByLabel('Note at point 10: Reading coach visited').first().waitFor();

    // The definition tab.
    await page.getByRole('link', { name: 'Definition', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit the definition' }).waitFor();
    await checkA11y(page, 'measure page, definition');
    await screenshot(page, 'measure-definition-desktop');
    expect(problems).toEqual([]);
  });

  it('checks an import with a bad row: the line number, and nothing stored', async () => {
    const tp = await signedInPage();
    const { page, problems } = tp;
    await page.goto(`/measures/${measureId}?team=${teamId}&tab=import`);
    await page.getByRole('heading', { name: /^Import a file/ }).waitFor();
    const before = await server.json<{ items: unknown[] }>(
      `/api/v1/teams/${teamId}/measure-values?measure_id=${measureId}`,
    );
    const csv = [
      'measure,period,numerator,denominator',
      `${MEASURE},${periods[11]?.slice(0, 7)},25,100`,
      `${MEASURE},not-a-month,30,100`,
    ].join('\n');
    await page.getByLabel('CSV or XLSX file').setInputFiles({
      name: 'values.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    await page.getByRole('button', { name: 'Check the file' }).click();
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    expect(await errors.textContent()).toContain('Line 3');
    expect(await preview.textContent()).toContain('nothing has been stored yet');
    await page.waitForLoadState('networkidle');
    await checkA11y(page, 'measure page, import preview');
    await screenshot(page, 'measure-import-preview-desktop');
    const after = await server.json<{ items: { period_start: string; numerator: number }[] }>(
      `/api/v1/teams/${teamId}/measure-values?measure_id=${measureId}`,
    );
    expect(after.body.items.length).toBe(before.body.items.length);
    expect(after.body.items.find((v) => v.period_start === periods[11])?.numerator).toBe(20);

    // The good row alone: checked, then imported.
    await page.getByLabel('CSV or XLSX file').setInputFiles({
      name: 'fixed.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv.split('\n').slice(0, 2).join('\n'), 'utf8'),
    });
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByRole('button', { name: 'Import 1 row' }).click();
    const done = page.getByTestId('import-done');
    await done.waitFor();
    expect(await done.textContent()).toContain('0 added, 1 changed');
    const imported = await server.json<{ items: { period_start: string; numerator: number }[] }>(
      `/api/v1/teams/${teamId}/measure-values?measure_id=${measureId}`,
    );
    expect(imported.body.items.find((v) => v.period_start === periods[11])?.numerator).toBe(25);
    await screenshot(page, 'measure-import-done-desktop');

    // A file with a row per student is refused, and says so.
    await page.getByLabel('CSV or XLSX file').setInputFiles({
      name: 'students.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        ['student_id,measure,period,numerator', `S1,${MEASURE},${periods[11]?.slice(0, 7)},1`].join(
          '\n',
        ),
        'utf8',
      ),
    });
    await page.getByRole('button', { name: 'Check the file' }).click();
    const refused = page.getByTestId('import-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('student-level data');
    await checkA11y(page, 'measure page, student-level file refused');
    await screenshot(page, 'measure-import-refused-desktop');
    expect(problems).toEqual([]);
  });

  it('edits and deletes annotations, opens a value’s history from the grid, and guards unsaved cells', async () => {
    // Two annotations made through the API, as another person would.
    const made = async (label: string, occurredOn: string, kind: string) =>
      (
        await server.json<{ id: string; version: number }>('/api/v1/annotations', {
          method: 'POST',
          body: JSON.stringify({
            team_id: teamId,
            measure_id: measureId,
            occurred_on: occurredOn,
            label,
            kind,
          }),
        })
      ).body;
    const snow = await made('Snow week', periods[3] as string, 'external');
    const scratch = await made('Temporary note', periods[5] as string, 'note');

    const tp = await signedInPage();
    const { page, problems } = tp;
    await page.goto(`/measures/${measureId}?team=${teamId}`);
    const chart = page.getByTestId('spc-chart').first();
    await chart.waitFor();
    await chart.getByLabel('Note at point 4: Snow week').first().waitFor();

    // Edit: the annotation form, prefilled, in a dialog.
    await page.getByRole('button', { name: 'Edit annotation “Snow week”' }).click();
    const editDialog = page.getByRole('dialog', { name: 'Edit annotation “Snow week”' });
    await editDialog.waitFor();
    expect(await editDialog.getByLabel('Label').inputValue()).toBe('Snow week');
    expect(await editDialog.getByLabel('Date').inputValue()).toBe(periods[3]);
    expect(await editDialog.getByLabel('Kind').inputValue()).toBe('external');
    await checkA11y(page, 'measure page, edit annotation dialog');
    await screenshot(page, 'measure-annotation-edit-desktop', { fullPage: false });
    await editDialog.getByLabel('Label').fill('Snow week (schools closed)');
    await editDialog.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved “Snow week (schools closed)”.').waitFor();
    await editDialog.waitFor({ state: 'detached' });
    await chart.getByLabel('Note at point 4: Snow week (schools closed)').first().waitFor();
    const edited = await server.json<{ label: string; version: number }>(
      `/api/v1/annotations/${snow.id}`,
    );
    expect(edited.body).toMatchObject({ label: 'Snow week (schools closed)', version: 2 });

    // Someone else changes it meanwhile: saving is refused (412) and offers a reload.
    await server.json(`/api/v1/annotations/${snow.id}`, {
      method: 'PATCH',
      headers: { 'if-match': '"2"' },
      body: JSON.stringify({ label: 'Snow days' }),
    });
    await page
      .getByRole('button', { name: 'Edit annotation “Snow week (schools closed)”' })
      .click();
    const staleDialog = page.getByRole('dialog', { name: /^Edit annotation/ });
    await staleDialog.getByLabel('Label').fill('Snow week, all schools');
    await staleDialog.getByRole('button', { name: 'Save changes' }).click();
    await staleDialog
      .getByText('Someone else changed this annotation since you opened it.')
      .waitFor();
    await checkA11y(page, 'measure page, edit annotation conflict');
    await screenshot(page, 'measure-annotation-conflict-desktop', { fullPage: false });
    await staleDialog.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => staleDialog.getByLabel('Label').inputValue()).toBe('Snow days');
    await staleDialog.getByRole('button', { name: 'Cancel' }).click();
    await staleDialog.waitFor({ state: 'detached' });
    await chart.getByLabel('Note at point 4: Snow days').first().waitFor();

    // Delete, after a confirmation naming it.
    await page.getByRole('button', { name: 'Delete annotation “Temporary note”' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete annotation “Temporary note”?' });
    await confirm.waitFor();
    await checkA11y(page, 'measure page, delete annotation confirmation');
    await screenshot(page, 'measure-annotation-delete-desktop', { fullPage: false });
    await confirm.getByRole('button', { name: 'Delete annotation', exact: true }).click();
    await page.getByText('Deleted “Temporary note”.').waitFor();
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => chart.getByLabel('Note at point 6: Temporary note').count()).toBe(0);
    expect(
      await page.locator('.measure-annotations__list').getByText('Temporary note').count(),
    ).toBe(0);
    await expect(server.json(`/api/v1/annotations/${scratch.id}`)).rejects.toThrow(/→ 404/);
    await page.waitForLoadState('networkidle');
    await checkA11y(page, 'measure page, chart after editing annotations');

    // A value's history from its row in the grid: the import corrected the 12th month (20 → 25).
    await page.getByRole('link', { name: 'Data', exact: true }).click();
    const grid = page.getByTestId('measure-grid');
    await grid.waitFor();
    const rowOf = (period: string) =>
      grid.locator('tbody tr').filter({ has: page.locator(`input[data-period="${period}"]`) });
    await rowOf(periods[11] as string)
      .getByRole('button', { name: /^History of / })
      .click();
    const historyDialog = page.getByRole('dialog', { name: /^History of / });
    await historyDialog.waitFor();
    const table = historyDialog.getByTestId('value-history');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    // The current value, stored by the import's correction; the first entry (by whom) below it.
    expect(await rows.nth(0).textContent()).toMatch(/^Now \(version 2\)25100No—.+, file import$/);
    expect(await rows.nth(1).textContent()).toMatch(/^Earlier20100No—.+Avery Admin, first entry$/);
    await checkA11y(page, 'measure page, value history dialog');
    await screenshot(page, 'measure-value-history-desktop', { fullPage: false });
    await historyDialog.getByRole('button', { name: 'Close' }).click();
    await historyDialog.waitFor({ state: 'detached' });
    // Focus is back on the History button that opened it.
    expect(
      await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''),
    ).toMatch(/^History of /);

    // A value never corrected says so.
    await rowOf(periods[0] as string)
      .getByRole('button', { name: /^History of / })
      .click();
    await historyDialog.getByRole('heading', { name: 'Never corrected' }).waitFor();
    expect(await historyDialog.getByTestId('value-history').locator('tbody tr').count()).toBe(1);
    await checkA11y(page, 'measure page, value history dialog, never corrected');
    await page.keyboard.press('Escape');
    await historyDialog.waitFor({ state: 'detached' });

    // An unsaved cell: an in-app link asks first; "stay" keeps the page and the edit.
    const cell = grid.locator(`input[data-period="${periods[0]}"][data-part="numerator"]`);
    await cell.fill('21');
    await grid.locator('input[data-dirty]').first().waitFor();
    const questions: string[] = [];
    const answer = (accept: boolean) =>
      page.once('dialog', (dialog) => {
        questions.push(dialog.message());
        void (accept ? dialog.accept() : dialog.dismiss());
      });
    answer(false);
    await page.getByRole('link', { name: 'Chart', exact: true }).click();
    await expect.poll(() => questions.length).toBe(1);
    expect(questions[0]).toBe('The data grid has 1 unsaved change. Leave this page and lose it?');
    expect(new URL(page.url()).searchParams.get('tab')).toBe('data');
    expect(await cell.inputValue()).toBe('21');
    expect(await cell.getAttribute('data-dirty')).not.toBeNull();

    // Back (to the chart tab) asks too; "stay" puts the URL back and keeps the edit.
    answer(false);
    await page.goBack();
    await expect.poll(() => questions.length).toBe(2);
    await expect.poll(() => new URL(page.url()).searchParams.get('tab')).toBe('data');
    expect(await cell.inputValue()).toBe('21');
    await page.getByRole('heading', { name: /^Data: / }).waitFor();
    // The same history entry as before (the chart tab still behind it), not a new one.
    expect(await page.evaluate(() => (history.state as { idx?: number } | null)?.idx)).toBe(1);

    // "Leave": the link is followed and the edit is dropped, unsaved.
    answer(true);
    await page
      .getByRole('navigation', { name: 'Breadcrumbs' })
      .getByRole('link', { name: 'Improve', exact: true })
      .click();
    await expect.poll(() => questions.length).toBe(3);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/improve');
    const stored = await server.json<{ items: { period_start: string; numerator: number }[] }>(
      `/api/v1/teams/${teamId}/measure-values?measure_id=${measureId}`,
    );
    expect(stored.body.items.find((v) => v.period_start === periods[0])?.numerator).toBe(
      NUMERATORS[0],
    );
    expect(problems).toEqual([]);

    // On a phone: the dialogs fit the width.
    const phone = await signedInPage(MOBILE);
    await phone.page.goto(`/measures/${measureId}?team=${teamId}&tab=data`);
    await phone.page.getByTestId('measure-grid').waitFor();
    await phone.page
      .getByTestId('measure-grid')
      .locator('tbody tr')
      .filter({ has: phone.page.locator(`input[data-period="${periods[11]}"]`) })
      .getByRole('button', { name: /^History of / })
      .click();
    const phoneHistory = phone.page.getByRole('dialog', { name: /^History of / });
    await phoneHistory.getByTestId('value-history').waitFor();
    await checkA11y(phone.page, 'measure page, value history dialog, phone');
    await screenshot(phone.page, 'measure-value-history-phone', { fullPage: false });
    await phone.page.keyboard.press('Escape');
    await phone.page.goto(`/measures/${measureId}?team=${teamId}`);
    await phone.page.getByRole('button', { name: /^Edit annotation “Snow days”/ }).click();
    await phone.page.getByRole('dialog', { name: /^Edit annotation/ }).waitFor();
    await checkA11y(phone.page, 'measure page, edit annotation dialog, phone');
    await screenshot(phone.page, 'measure-annotation-edit-phone', { fullPage: false });
    expect(phone.problems).toEqual([]);
  });

  it('shows the measure on the project section and the network dashboard with a signal badge', async () => {
    const tp = await signedInPage();
    const { page, problems } = tp;
    await page.goto(`/charters/${charterId}/dashboard`);
    await page.getByRole('heading', { level: 1, name: /Network dashboard/ }).waitFor();
    const section = page.getByTestId('dashboard-measure').first();
    await section.waitFor();
    const card = section.getByTestId('dashboard-card').filter({ hasText: teamName });
    await card.waitFor();
    expect(await card.getByTestId('signal-badge').first().textContent()).toContain(
      'Outside the limits',
    );
    expect(await section.textContent()).toContain('sigma.outside_limits');
    const link = card.getByRole('link', { name: new RegExp(teamName) });
    expect(await link.getAttribute('href')).toBe(`/measures/${measureId}?team=${teamId}`);
    const steady = section.getByTestId('dashboard-card').filter({ hasText: otherTeamName });
    expect(await steady.textContent()).toContain('No signals');
    await page.waitForLoadState('networkidle');
    await checkA11y(page, 'network dashboard');
    await screenshot(page, 'network-dashboard-desktop');
    await section.getByLabel(/Free scales/).check();
    await section.getByText('Each chart on its own scale').waitFor();
    await checkA11y(page, 'network dashboard, free scales');

    const phone = await signedInPage(MOBILE);
    await phone.page.goto(`/charters/${charterId}/dashboard`);
    await phone.page.getByTestId('dashboard-card').first().waitFor();
    await phone.page.waitForLoadState('networkidle');
    await checkA11y(phone.page, 'network dashboard, phone');
    await screenshot(phone.page, 'network-dashboard-phone');

    await phone.page.goto(`/measures/${measureId}?team=${teamId}`);
    await phone.page.getByTestId('spc-chart').first().waitFor();
    await phone.page.waitForLoadState('networkidle');
    await checkA11y(phone.page, 'measure page, phone');
    await screenshot(phone.page, 'measure-chart-phone');

    // The project page renders ProjectMeasuresSection (the planning helper's page).
    await page.goto(`/projects/${projectId}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    const measures = page.getByRole('heading', { name: 'Measures', level: 2 });
    if ((await measures.count()) > 0) {
      await page.getByTestId('spc-chart').first().waitFor();
      await page.getByTestId('aim-progress').waitFor();
      await checkA11y(page, 'project page with measures');
      await screenshot(page, 'project-measures-desktop');
    }
    expect(problems).toEqual([]);
    expect(phone.problems).toEqual([]);
  });
});
