/**
 * PDSA cycles in a real browser against the seeded demo: from a project's page an admin plans a
 * cycle of a change idea, writes two questions with predictions, is told why the test cannot
 * start yet (a question without a prediction, as the server says it), starts it, records what
 * happened, attaches and deletes a file, studies the results prediction by prediction, adapts the
 * change with a next cycle at a larger scale and completes it. The ramp shows both cycles, the
 * transition log every move, and the API holds the same; the PDSA log filtered by the change idea
 * (a link to share) lists both; reopening asks for a reason. axe (WCAG 2.1 AA) on every page and
 * dialog, at 1366×768 and 390×844, with screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

interface ListPage<T> {
  items: T[];
  next_cursor: string | null;
}
interface Cycle {
  id: string;
  title: string;
  scale: string;
  state: string;
  decision: string | null;
  previous_cycle_id: string | null;
  next_cycle_ids: string[];
  transition_count: number;
  plan: { questions: { id: string; text: string; predictions: { id: string; text: string }[] }[] };
  execution: { what_happened: string };
  study: {
    results: { prediction_id: string; outcome: string; note: string }[];
    summary: string;
    measure_links: { measure_id: string; team_id: string | null }[];
  };
  act: { decision: string | null; reason: string };
}

const unique = () => Math.random().toString(36).slice(2, 7);

describe.skipIf(skipBrowserTests())('PDSA cycles in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const open: TestPage[] = [];
  const suffix = unique();
  const ideaTitle = `Phonics warm-up ${suffix}`;
  const projectTitle = `Grade 1 reading fluency ${suffix}`;
  let projectId = '';
  let changeIdeaId = '';
  let measureId = '';
  let teamId = '';

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
    if (!team) throw new Error(`${LITERACY} has no teams`);
    const charter = await server.json<{ id: string }>('/api/v1/charters', {
      method: 'POST',
      body: JSON.stringify({
        network_id: network.id,
        title: `Every child reading by grade 3 ${suffix}`,
        visibility: 'network',
      }),
    });
    const project = await server.json<{ id: string }>('/api/v1/projects', {
      method: 'POST',
      body: JSON.stringify({
        team_id: team.id,
        charter_id: charter.body.id,
        title: projectTitle,
        visibility: 'network',
      }),
    });
    projectId = project.body.id;
    const measure = await server.json<{ id: string }>('/api/v1/measures', {
      method: 'POST',
      body: JSON.stringify({
        project_id: projectId,
        name: `New words read correctly ${suffix}`,
        kind: 'process',
        frequency: 'weekly',
        chart_type: 'run',
      }),
    });
    measureId = measure.body.id;
    teamId = team.id;
    const idea = await server.json<{ id: string }>('/api/v1/change-ideas', {
      method: 'POST',
      body: JSON.stringify({ network_id: network.id, title: ideaTitle }),
    });
    changeIdeaId = idea.body.id;
  });

  afterAll(async () => {
    await Promise.all(open.map((p) => p.close()));
    await browser?.close();
    await server?.close();
  });

  const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

  async function signedInPage(viewport?: { width: number; height: number }): Promise<TestPage> {
    const tp = await newPage(browser, { baseURL: server.url, ...(viewport ? { viewport } : {}) });
    open.push(tp);
    await server.signIn(tp.context);
    return tp;
  }

  /** axe and a screenshot here, then the same page on a phone: axe, no sideways scrolling. */
  async function checkPage(tp: TestPage, name: string, ready: (page: Page) => Promise<unknown>) {
    await tp.page.waitForLoadState('networkidle');
    await tp.page.evaluate(() => window.scrollTo(0, 0));
    await checkA11y(tp.page, name);
    await screenshot(tp.page, `${name}-desktop`);
    const phone = await signedInPage(MOBILE);
    const url = new URL(tp.page.url());
    await phone.page.goto(url.pathname + url.search);
    await ready(phone.page);
    await phone.page.waitForLoadState('networkidle');
    const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    // What sticks out, to say where the page is too wide.
    const wide = await phone.page.evaluate(
      (max) =>
        [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > max + 1)
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`),
      MOBILE.width,
    );
    expect(width, `page width of ${name} on a phone (${wide.join(', ')})`).toBeLessThanOrEqual(
      MOBILE.width,
    );
    await checkA11y(phone.page, `${name} (phone)`);
    await screenshot(phone.page, `${name}-mobile`);
    expect(phone.problems).toEqual([]);
    await phone.close();
  }

  /** A full-page screenshot from the top (the sticky header stays at the top). */
  async function shot(page: Page, name: string) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, name);
  }

  const stepSection = (page: Page, name: string) =>
    page.getByRole('region', { name: new RegExp(`^\\d?\\s*${name}$`) });
  const currentStep = (page: Page) =>
    page
      .getByRole('navigation', { name: 'PDSA steps' })
      .locator('[aria-current="step"] .pdsa-stepper__label');

  it('logs a full PDSA cycle with predictions, ramps it up, finds it in the log and reopens it', async () => {
    const tp = await signedInPage();
    const { page, problems } = tp;

    // ---- the project page: no cycles yet, and what a cycle is
    await page.goto(`/projects/${projectId}`);
    await h1(page).filter({ hasText: projectTitle }).waitFor();
    const cyclesSection = page.getByRole('region', { name: 'PDSA cycles' });
    await cyclesSection.getByRole('heading', { name: 'No PDSA cycles yet' }).waitFor();
    await checkPage(tp, 'pdsa-project-empty', (p) =>
      p.getByRole('heading', { name: 'No PDSA cycles yet' }).waitFor(),
    );

    // ---- plan a cycle from the project page
    await cyclesSection.getByRole('button', { name: 'Plan your first cycle' }).click();
    const form = page.getByRole('form', { name: 'New PDSA cycle' });
    await form.getByLabel('Title', { exact: true }).fill('Phonics warm-up with one student');
    await form.getByLabel('Change idea').selectOption({ label: ideaTitle });
    await form.getByLabel(/^Scale/).fill('1 student');
    await form.getByLabel(/^Planned start/).fill('2026-09-07');
    await checkA11y(page, 'new cycle form');
    await shot(page, 'pdsa-new-cycle-desktop');
    await form.getByRole('button', { name: 'Plan the cycle' }).click();
    await page.waitForURL(/\/cycles\/[0-9a-f-]{36}$/);
    const cycleId = new URL(page.url()).pathname.split('/').pop() as string;
    await h1(page).filter({ hasText: 'Phonics warm-up with one student' }).waitFor();
    expect(await currentStep(page).textContent()).toBe('Plan');

    // ---- Plan: two questions with predictions, by keyboard where it helps
    const plan = stepSection(page, 'Plan');
    await plan.getByRole('button', { name: 'Add a question' }).click();
    await page
      .getByRole('textbox', { name: 'Question 1', exact: true })
      .fill('Does a 5-minute warm-up help the student decode new words?');
    await page
      .getByRole('textbox', { name: 'Prediction 1.1', exact: true })
      .fill('The student reads 3 more new words correctly by Friday.');
    // Enter in a prediction adds the next one and moves there.
    await page.keyboard.press('Enter');
    const p12 = page.getByRole('textbox', { name: 'Prediction 1.2', exact: true });
    await p12.waitFor();
    expect(await p12.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('The student asks for the warm-up on day 3.');
    await plan.getByRole('button', { name: 'Add a question' }).click();
    await page
      .getByRole('textbox', { name: 'Question 2', exact: true })
      .fill('Can the teacher fit it into the morning routine?');
    await plan.getByRole('textbox', { name: /^Who/ }).fill('Ms Rivera with one student');
    await plan
      .getByLabel('Data to collect', { exact: false })
      .fill('New words read correctly, daily');

    // Too early: question 2 has no prediction, and the server says so next to the section.
    await plan.getByRole('button', { name: /Start doing/ }).click();
    const notReady = plan.getByRole('alert').filter({ hasText: 'Not ready for Do yet' });
    await notReady.waitFor();
    await notReady.getByText('each question needs at least one prediction').waitFor();
    await plan.getByText('each question needs at least one prediction').first().waitFor();
    expect(await currentStep(page).textContent()).toBe('Plan');
    await checkA11y(page, 'cycle plan, not ready');
    await shot(page, 'pdsa-plan-not-ready-desktop');

    // The plan was saved on the way: add the missing prediction and start.
    await plan.getByRole('button', { name: /Add a prediction\s*to question 2/ }).click();
    await page
      .getByRole('textbox', { name: 'Prediction 2.1', exact: true })
      .fill('Yes, before the first bell, on 4 of 5 days.');
    await plan.getByRole('button', { name: /Start doing/ }).click();
    await page.getByRole('status').getByText('Moved on to Do.').waitFor();
    expect(await currentStep(page).textContent()).toBe('Do');

    // ---- Do: what happened, and a file
    const doStep = stepSection(page, 'Do');
    await doStep
      .getByLabel('What happened', { exact: true })
      .fill('Five mornings of warm-ups; the student read 11 new words by Friday.');
    await doStep.getByLabel(/^Observations/).fill('Day 2 was a fire drill.');
    await doStep.getByLabel(/^Started on/).fill('2026-09-07');
    await doStep.getByLabel(/^Ended on/).fill('2026-09-11');
    await doStep.getByRole('button', { name: 'Save record of the Do' }).click();
    await page.getByText(/Saved the record of the Do/).waitFor();

    const files = page.getByRole('region', { name: 'Attachments' });
    const csv = Buffer.from('day,words\n1,2\n2,0\n3,3\n4,3\n5,3\n');
    await files.getByLabel('Attach a file').setInputFiles({
      name: 'tally-sheet.csv',
      mimeType: 'text/csv',
      buffer: csv,
    });
    await files.getByText(`tally-sheet.csv: ${csv.length} B`).waitFor();
    await files.getByRole('button', { name: 'Upload' }).click();
    await files.getByText(`Attached tally-sheet.csv (${csv.length} B).`).waitFor();
    const fileTable = files.getByRole('table', { name: /Attached files/ });
    await fileTable.getByRole('link', { name: /tally-sheet\.csv/ }).waitFor();
    await fileTable.getByRole('button', { name: /Delete\s*tally-sheet\.csv/ }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete tally-sheet.csv?' });
    await confirm.waitFor();
    await checkA11y(page, 'delete attachment dialog');
    await confirm.getByRole('button', { name: 'Delete file' }).click();
    await files.getByText('Deleted tally-sheet.csv.').waitFor();
    await files.getByRole('heading', { name: 'No files attached' }).waitFor();

    await doStep.getByRole('button', { name: /Study the results/ }).click();
    await page.getByRole('status').getByText('Moved on to Study.').waitFor();

    // ---- Study: a result per prediction, next to the prediction
    const study = stepSection(page, 'Study');
    const result = (n: string) =>
      study.getByRole('group', { name: new RegExp(`^Result of prediction ${n}`) });
    await result('1.1').getByLabel('Confirmed').check();
    await study.getByLabel(/^Note on prediction 1\.1/).fill('11 words, up from 8.');
    await result('1.2').getByLabel('Refuted').check();
    await result('2.1').getByLabel('Partly').check();
    await study.getByLabel(/^Note on prediction 2\.1/).fill('3 of 5 days: the bus was late twice.');
    await study.getByLabel(/^Summary/).fill('Decoding improved; the timing needs another slot.');
    // A chart of the team's measure, to look at while studying.
    await study
      .getByLabel('Link a measure’s chart')
      .selectOption({ label: `New words read correctly ${suffix} (process)` });
    await study.getByRole('button', { name: 'Link the chart' }).click();
    const chartLink = study.getByRole('link', { name: `New words read correctly ${suffix}` });
    expect(await chartLink.getAttribute('href')).toBe(`/measures/${measureId}?team=${teamId}`);
    await checkPage(tp, 'pdsa-cycle-study', (p) =>
      p.getByRole('group', { name: /^Result of prediction 1\.1/ }).waitFor(),
    );
    await study.getByRole('button', { name: /Decide/ }).click();
    await page.getByRole('status').getByText('Moved on to Act.').waitFor();

    // ---- Act: adapt, with the next cycle at a larger scale
    const act = stepSection(page, 'Act');
    await act.getByLabel('Adapt').check();
    await act
      .getByLabel('Reason', { exact: true })
      .fill('It works for one student; move it before the bell and try a whole class.');
    await act.getByLabel('Next cycle’s title').fill('Phonics warm-up with one class');
    await act.getByLabel(/^Next cycle’s scale/).fill('1 class');
    // Read-only predictions vs results in the Study step above.
    await stepSection(page, 'Study').getByText('11 words, up from 8.').waitFor();
    await act.getByRole('button', { name: /Complete the cycle/ }).click();
    const done = stepSection(page, 'Completed');
    await done
      .getByText('Completed the cycle, and planned the next one: “Phonics warm-up with one class”.')
      .waitFor();
    expect(await currentStep(page).textContent()).toBe('Completed');

    // ---- the ramp shows both cycles, the log every move
    const rampCard = page.getByRole('region', { name: 'Ramp' });
    const ramp = rampCard.getByRole('list', { name: 'The ramp of this cycle' });
    await ramp.getByText('Phonics warm-up with one student').waitFor();
    await ramp.getByRole('link', { name: 'Phonics warm-up with one class' }).waitFor();
    await ramp.getByText('1 class').waitFor();
    const log = page.getByRole('table', { name: /Moves of this cycle/ });
    await expect.poll(() => log.locator('tbody tr').count()).toBe(4);
    await checkPage(tp, 'pdsa-cycle-completed', (p) =>
      p.getByRole('table', { name: /Moves of this cycle/ }).waitFor(),
    );

    // ---- what the server holds
    const stored = (await server.json<Cycle>(`/api/v1/pdsa-cycles/${cycleId}`)).body;
    expect(stored.state).toBe('completed');
    expect(stored.decision).toBe('adapt');
    expect(stored.scale).toBe('1 student');
    expect(stored.plan.questions.map((q) => q.predictions.length)).toEqual([2, 1]);
    const predictionIds = stored.plan.questions.flatMap((q) => q.predictions.map((p) => p.id));
    expect(
      Object.fromEntries(stored.study.results.map((r) => [r.prediction_id, r.outcome])),
    ).toEqual({
      [predictionIds[0] as string]: 'confirmed',
      [predictionIds[1] as string]: 'refuted',
      [predictionIds[2] as string]: 'partly',
    });
    expect(stored.execution.what_happened).toContain('11 new words');
    expect(stored.study.measure_links).toEqual([{ measure_id: measureId, team_id: null }]);
    expect(stored.act.reason).toContain('whole class');
    expect(stored.transition_count).toBe(4);
    expect(stored.next_cycle_ids).toHaveLength(1);
    const next = (await server.json<Cycle>(`/api/v1/pdsa-cycles/${stored.next_cycle_ids[0]}`)).body;
    expect(next).toMatchObject({
      title: 'Phonics warm-up with one class',
      scale: '1 class',
      state: 'plan',
      previous_cycle_id: cycleId,
    });
    expect(next.plan.questions).toHaveLength(2);

    // ---- the project page shows the ramp
    await page.goto(`/projects/${projectId}`);
    await h1(page).filter({ hasText: projectTitle }).waitFor();
    const projectRamp = page.getByRole('list', {
      name: 'Ramp starting with Phonics warm-up with one student',
    });
    await projectRamp.getByRole('link', { name: 'Phonics warm-up with one class' }).waitFor();
    await page.getByRole('table', { name: /Recent cycles/ }).waitFor();
    await checkPage(tp, 'pdsa-project-ramp', (p) =>
      p.getByRole('table', { name: /Recent cycles/ }).waitFor(),
    );

    // ---- the PDSA log, filtered by the change idea (from the cycle page's link)
    await page.goto(`/cycles/${cycleId}`);
    await page
      .getByRole('main')
      .getByRole('link', { name: 'Other teams’ cycles on this change idea' })
      .first()
      .click();
    await h1(page).filter({ hasText: 'PDSA log' }).waitFor();
    expect(new URL(page.url()).searchParams.get('change_idea_id')).toBe(changeIdeaId);
    const table = page.getByRole('table', { name: /PDSA cycles/ });
    await table.getByRole('link', { name: 'Phonics warm-up with one student' }).waitFor();
    await table.getByRole('link', { name: 'Phonics warm-up with one class' }).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(2);
    expect(await page.getByLabel('Change idea').inputValue()).toBe(changeIdeaId);
    await checkPage(tp, 'pdsa-log-filtered', (p) =>
      p.getByRole('table', { name: /PDSA cycles/ }).waitFor(),
    );
    // A filter that matches nothing says so, and clears.
    await page.getByLabel('Outcome').selectOption('abandon');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('heading', { name: 'No cycles match these filters' }).waitFor();
    expect(new URL(page.url()).searchParams.get('decision')).toBe('abandon');

    // ---- reopen, with a reason
    await page.goto(`/cycles/${cycleId}`);
    await stepSection(page, 'Completed').getByRole('button', { name: 'Reopen…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reopen the cycle?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Reopen the cycle' }).click();
    await dialog.getByText('Say why the cycle is reopened.').waitFor();
    await checkA11y(page, 'reopen dialog');
    await screenshot(page, 'pdsa-reopen-dialog-desktop', { fullPage: false });
    await dialog.getByLabel('Reason').fill('The class cycle showed a better time slot.');
    await dialog.getByRole('button', { name: 'Reopen the cycle' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Reopened the cycle: it is back at Act.').waitFor();
    expect(await currentStep(page).textContent()).toBe('Act');
    await expect.poll(() => log.locator('tbody tr').count()).toBe(5);
    await log.getByText('The class cycle showed a better time slot.').waitFor();
    const reopened = (await server.json<Cycle>(`/api/v1/pdsa-cycles/${cycleId}`)).body;
    expect(reopened).toMatchObject({ state: 'act', decision: 'adapt', transition_count: 5 });

    expect(problems).toEqual([]);
  }, 180_000);
});
