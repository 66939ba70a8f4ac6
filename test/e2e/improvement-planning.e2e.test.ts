/**
 * Improvement planning in a real browser against the seeded demo: the hub facilitator opens a
 * network charter (made through the API) and starts a team project from it, landing on the
 * project with the charter's aim copied; a driver diagram is built by keyboard (add primary,
 * secondary and change idea, rename, reorder, save) and changed by mouse (a secondary dragged onto
 * another primary is re-linked; an in-app link with unsaved changes asks first), then reloaded
 * and checked through the API; a team member cannot open another team's team-only project (the
 * not-found page). axe (WCAG 2.1 AA) on every page, screenshots at 1366×768 and 390×844.
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
import { DEMO, startTestServer, type TestServer } from './support/server.ts';

interface ListPage<T> {
  items: T[];
  next_cursor: string | null;
}
interface Team {
  id: string;
  name: string;
  network_id: string;
}
interface Membership {
  scope: string;
  team_id: string | null;
  network_id: string | null;
  role: string;
}
interface Charter {
  id: string;
  title: string;
  aim_statement: string;
  network_id: string;
}
interface Project {
  id: string;
  title: string;
  team_id: string;
  charter_id: string | null;
  aim_statement: string;
}
interface Diagram {
  version: number;
  content: {
    aim: string;
    nodes: { id: string; kind: string; label: string }[];
    edges: { from: string; to: string }[];
  };
}

const unique = () => Math.random().toString(36).slice(2, 7);

describe.skipIf(skipBrowserTests())('improvement planning in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const open: TestPage[] = [];
  let charter: Charter;
  let memberTeam: Team;
  let otherTeam: Team;
  let memberProject: Project;
  let otherProject: Project;

  const post = async <T>(path: string, body: unknown) =>
    (await server.json<T>(path, { method: 'POST', body: JSON.stringify(body) })).body;
  const get = async <T>(path: string) => (await server.json<T>(path)).body;

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startTestServer({ seed: 'small' });
    // The demo team member's teams, to put one project in theirs and one in another team.
    const users = await get<ListPage<{ id: string; email: string }>>(
      `/api/v1/users?q=${encodeURIComponent(DEMO.teamMember.email)}`,
    );
    const member = users.items.find((u) => u.email === DEMO.teamMember.email);
    if (!member) throw new Error('The demo seed has no team member account');
    const memberships = await get<ListPage<Membership>>(
      `/api/v1/memberships?user_id=${member.id}&limit=200`,
    );
    const teamIds = new Set(
      memberships.items.filter((m) => m.scope === 'team' && m.team_id).map((m) => m.team_id),
    );
    const firstTeamId = [...teamIds][0];
    if (!firstTeamId) throw new Error('The demo team member is in no team');
    memberTeam = await get<Team>(`/api/v1/teams/${firstTeamId}`);
    const teams = await get<ListPage<Team>>(
      `/api/v1/teams?network_id=${memberTeam.network_id}&limit=200`,
    );
    const other = teams.items.find((t) => !teamIds.has(t.id));
    if (!other) throw new Error('The team member’s network has no other team');
    otherTeam = other;

    charter = await post<Charter>('/api/v1/charters', {
      network_id: memberTeam.network_id,
      title: `Reading by third grade ${unique()}`,
      problem_of_practice:
        'Too many K–2 students leave second grade without the foundational reading skills they need.',
      aim: {
        what: 'the share of K–2 students reading at grade level',
        for_whom: 'K–2 students in network schools',
        unit: '%',
        baseline: 48,
        target: 70,
        by: '2027-06-30',
      },
      visibility: 'network',
    });
    memberProject = await post<Project>('/api/v1/projects', {
      team_id: memberTeam.id,
      charter_id: charter.id,
      title: `Phonics at ${memberTeam.name} ${unique()}`,
      visibility: 'team',
    });
    otherProject = await post<Project>('/api/v1/projects', {
      team_id: otherTeam.id,
      charter_id: charter.id,
      title: `Private work of ${otherTeam.name} ${unique()}`,
      visibility: 'team',
    });
  });

  afterAll(async () => {
    await Promise.all(open.map((p) => p.close()));
    await browser?.close();
    await server?.close();
  });

  const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

  async function signedIn(
    account: { email: string },
    path: string,
    viewport?: { width: number; height: number },
  ): Promise<TestPage> {
    const tp = await newPage(browser, { baseURL: server.url, ...(viewport ? { viewport } : {}) });
    open.push(tp);
    await server.signIn(tp.context, account);
    await tp.page.goto(path);
    return tp;
  }

  /** axe and screenshots at both sizes, and no sideways scrolling on the phone. */
  async function checkPage(
    tp: TestPage,
    name: string,
    account: { email: string },
    ready: (page: Page) => Promise<unknown>,
  ) {
    await tp.page.waitForLoadState('networkidle');
    await tp.page.evaluate(() => window.scrollTo(0, 0));
    await checkA11y(tp.page, name);
    await screenshot(tp.page, `${name}-desktop`);
    const url = new URL(tp.page.url());
    const phone = await signedIn(account, url.pathname + url.search, MOBILE);
    await ready(phone.page);
    await phone.page.waitForLoadState('networkidle');
    const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `page width of ${name} on a phone`).toBeLessThanOrEqual(MOBILE.width);
    await checkA11y(phone.page, `${name} (phone)`);
    await screenshot(phone.page, `${name}-mobile`);
    expect(phone.problems).toEqual([]);
    await phone.close();
  }

  it('starts a team project from the network charter, with the charter’s aim copied', async () => {
    const tp = await signedIn(DEMO.hubFacilitator, `/networks/${charter.network_id}`);
    const { page, problems } = tp;
    // The network page lists its charters, and offers "New charter" to those who manage it.
    const charters = page.getByRole('table', { name: /^Charters of / });
    await charters.getByRole('link', { name: charter.title, exact: true }).waitFor();
    await page.getByRole('button', { name: 'New charter' }).click();
    await page.getByRole('heading', { name: 'New charter', level: 3 }).waitFor();
    await page.waitForLoadState('networkidle');
    await checkA11y(page, 'network page, new charter form');
    await page.goto('/improve');
    await h1(page).filter({ hasText: 'Improve' }).waitFor();
    await page.getByRole('link', { name: charter.title, exact: true }).waitFor();
    await checkPage(tp, 'improve', DEMO.hubFacilitator, (p) =>
      p.getByRole('link', { name: charter.title, exact: true }).waitFor(),
    );

    await page.getByRole('link', { name: charter.title, exact: true }).click();
    await h1(page).filter({ hasText: charter.title }).waitFor();
    await page.getByText(charter.aim_statement, { exact: true }).first().waitFor();
    await page.getByRole('heading', { name: 'Edit charter' }).waitFor();
    await page.getByRole('table', { name: `Projects using ${charter.title}` }).waitFor();
    await checkPage(tp, 'charter', DEMO.hubFacilitator, (p) =>
      p.getByRole('heading', { level: 1, name: charter.title }).waitFor(),
    );

    // Start a team project: choose the team, give it a title.
    const title = `Guided reading at ${otherTeam.name} ${unique()}`;
    const form = page.getByRole('form', { name: 'Start a team project' });
    await form.getByLabel('Team').selectOption(otherTeam.id);
    await form.getByLabel('Project title').fill(title);
    await form.getByRole('button', { name: 'Start project' }).click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    await h1(page).filter({ hasText: title }).waitFor();
    // The charter's aim was copied, and the project links back to the network's aim.
    // (The aim box of the driver diagram carries the same sentence: the aim card's paragraph.)
    await page.getByRole('paragraph').filter({ hasText: charter.aim_statement }).first().waitFor();
    await page.getByText('Linked to the network aim:').waitFor();
    await page.getByRole('link', { name: charter.title, exact: true }).waitFor();
    const id = new URL(page.url()).pathname.split('/').pop() as string;
    const created = await get<Project>(`/api/v1/projects/${id}`);
    expect(created).toMatchObject({
      title,
      team_id: otherTeam.id,
      charter_id: charter.id,
      aim_statement: charter.aim_statement,
    });
    await checkPage(tp, 'project', DEMO.hubFacilitator, (p) =>
      p.getByRole('heading', { level: 1, name: title }).waitFor(),
    );
    expect(problems).toEqual([]);
  });

  it('builds a driver diagram by keyboard and by mouse, and keeps it after a reload', async () => {
    const tp = await signedIn(DEMO.hubFacilitator, `/projects/${memberProject.id}?tab=diagram`);
    const { page, problems } = tp;
    await h1(page).filter({ hasText: memberProject.title }).waitFor();
    await page.getByRole('tab', { name: 'Driver diagram', selected: true }).waitFor();
    await page.getByRole('button', { name: 'Edit diagram' }).click();
    const editor = page.getByTestId('driver-diagram');
    await editor.waitFor();

    // Keyboard: the diagram is one tab stop; the aim box has the focus first.
    await editor.locator('[data-nav-id=":aim"]').focus();
    const typeLabel = async (label: string) => {
      const box = editor.locator('textarea.dd-rename');
      await box.waitFor();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(label);
      await page.keyboard.press('Enter');
      await box.waitFor({ state: 'detached' });
    };
    await page.keyboard.press('p');
    await typeLabel('Phonemic awareness');
    await page.keyboard.press('s');
    await typeLabel('Daily phonics block');
    await page.keyboard.press('c');
    await typeLabel('Decodable readers');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('p');
    await typeLabel('Family engagement');
    // Rename (F2) and reorder (Alt+↑) the new primary driver.
    await page.keyboard.press('F2');
    await typeLabel('Family partnership');
    await page.keyboard.press('Alt+ArrowUp');
    await page.keyboard.press('s');
    await typeLabel('Reading nights');
    // The aim box: Home in the primary column, ← to the aim; a shorter aim for the team.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await typeLabel('Reading at grade level');
    await page.getByText('Changes are not saved yet.').waitFor();
    await checkA11y(page, 'project driver diagram editor');
    await screenshot(page, 'project-diagram-editor-desktop');
    await page.getByRole('button', { name: 'Save diagram' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(/^Saved: version \d+\.$/).waitFor();

    let saved = (await server.json<Diagram>(`/api/v1/projects/${memberProject.id}/driver-diagram`))
      .body;
    const byLabel = (label: string) => {
      const node = saved.content.nodes.find((n) => n.label === label);
      if (!node) throw new Error(`No node "${label}" in ${JSON.stringify(saved.content)}`);
      return node;
    };
    const primaries = saved.content.nodes.filter((n) => n.kind === 'primary').map((n) => n.label);
    expect(primaries).toEqual(['Family partnership', 'Phonemic awareness']);
    const phonemic = byLabel('Phonemic awareness');
    const family = byLabel('Family partnership');
    const phonics = byLabel('Daily phonics block');
    const readers = byLabel('Decodable readers');
    const nights = byLabel('Reading nights');
    expect(phonics.kind).toBe('secondary');
    expect(readers.kind).toBe('change_idea');
    expect(saved.content.edges).toEqual(
      expect.arrayContaining([
        { from: phonemic.id, to: phonics.id },
        { from: phonics.id, to: readers.id },
        { from: family.id, to: nights.id },
      ]),
    );
    const keyboardVersion = saved.version;

    // Mouse: drag "Daily phonics block" onto "Family partnership": it moves under it. (Centre the
    // boxes on screen first: the mouse acts at viewport coordinates, and the sticky save bar
    // covers the bottom of the viewport.)
    await editor
      .locator(`[data-node-id="${phonics.id}"]`)
      .evaluate((node) => node.scrollIntoView({ block: 'center' }));
    const from = await editor.locator(`[data-node-id="${phonics.id}"]`).boundingBox();
    const to = await editor.locator(`[data-node-id="${family.id}"]`).boundingBox();
    if (!from || !to) throw new Error('The boxes are not on screen');
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 - 20, from.y + from.height / 2, { steps: 4 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
    await page.mouse.up();
    await page.getByText('Changes are not saved yet.').waitFor();
    // An in-app link with unsaved changes asks first; "stay" keeps the editor and its changes.
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.dismiss();
    });
    await page
      .getByRole('navigation', { name: 'Breadcrumbs' })
      .getByRole('link', { name: 'Improve', exact: true })
      .click();
    await expect
      .poll(() => asked)
      .toBe('The driver diagram has unsaved changes. Leave this page and lose them?');
    expect(new URL(page.url()).pathname).toBe(`/projects/${memberProject.id}`);
    await page.getByText('Changes are not saved yet.').waitFor();
    await page.getByRole('button', { name: 'Save diagram' }).click();
    await page.getByText(`Saved: version ${keyboardVersion + 1}.`).waitFor();

    saved = (await server.json<Diagram>(`/api/v1/projects/${memberProject.id}/driver-diagram`))
      .body;
    expect(saved.content.edges).toContainEqual({ from: family.id, to: phonics.id });
    expect(saved.content.edges).not.toContainEqual({ from: phonemic.id, to: phonics.id });

    // After a reload the saved diagram is what readers see.
    await page.reload();
    await h1(page).filter({ hasText: memberProject.title }).waitFor();
    const view = page.getByTestId('driver-diagram-view').first();
    await view.waitFor();
    await view.getByRole('button', { name: 'Show as list' }).click();
    const list = view.locator(
      `#${await view.getByRole('button', { name: 'Show as diagram' }).getAttribute('aria-controls')}`,
    );
    for (const label of [
      'Family partnership',
      'Phonemic awareness',
      'Daily phonics block',
      'Decodable readers',
      'Reading nights',
    ]) {
      await list.getByText(label, { exact: true }).first().waitFor();
    }
    // Compare with the network's diagram (empty): every item is the project's own.
    await page.getByRole('button', { name: 'Compare with the network’s diagram' }).click();
    await page.getByRole('heading', { name: 'Compared with the network’s diagram' }).waitFor();
    await page.getByText('5 items only in this project', { exact: false }).waitFor();
    await checkPage(tp, 'project-diagram', DEMO.hubFacilitator, (p) =>
      p.getByTestId('driver-diagram-view').first().waitFor(),
    );
    // Printed, the page is the record: every reading panel, no controls.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#project-panel-overview').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Edit diagram' }).isVisible()).toBe(false);
    expect(await page.getByRole('tablist').isVisible()).toBe(false);
    await screenshot(page, 'project-print');
    await page.emulateMedia({ media: 'screen' });
    expect(problems).toEqual([]);
  });

  it('shows a team member the not-found page for another team’s team-only project', async () => {
    const tp = await signedIn(DEMO.teamMember, `/projects/${memberProject.id}`);
    const { page, problems } = tp;
    // Their own team's project opens…
    await h1(page).filter({ hasText: memberProject.title }).waitFor();
    // …another team's team-only project does not exist for them.
    await page.goto(`/projects/${otherProject.id}`);
    await h1(page).filter({ hasText: 'Page not found' }).waitFor();
    await page.getByText('There is no project at').waitFor();
    expect(await page.getByText(otherProject.title).count()).toBe(0);
    await checkPage(tp, 'project-not-found', DEMO.teamMember, (p) =>
      p.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor(),
    );
    expect(problems).toEqual([]);
  });
});
