/**
 * The web shell in a real browser against a real server: navigation, accessibility (axe, WCAG 2.1
 * AA) on every page, and the Map's organisation journey (search, open, edit, conflict, delete).
 * Changing the map needs a hub facilitator or an admin: those tests sign the browser in as the
 * demo seed's admin; fixtures are written through the API as that admin too.
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

type Visibility = 'public' | 'coalition' | 'private';

interface Organisation {
  id: string;
  name: string;
  type: string;
  nces_id: string | null;
  visibility: Visibility;
  version: number;
}

const AREAS = [
  { label: 'Home', path: '/' },
  { label: 'Improve', path: '/improve' },
  { label: 'Learn', path: '/learn' },
  { label: 'Practices', path: '/practices' },
  { label: 'Map', path: '/map' },
  { label: 'Barriers', path: '/barriers' },
  { label: 'Focus', path: '/focus' },
  { label: 'Community', path: '/community' },
];

const unique = () => Math.random().toString(36).slice(2, 8);

describe.skipIf(skipBrowserTests())('web shell in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let coalitionName: string;
  const open: TestPage[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startTestServer({ seed: 'small' });
    coalitionName = (await server.json<{ name: string }>('/api/v1/coalition')).body.name;
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
    return tp;
  }

  /** Signed in as the demo admin, who may change the map. */
  const openSignedIn = (path: string, viewport?: { width: number; height: number }) =>
    openPage(path, { signedIn: true, ...(viewport ? { viewport } : {}) });

  async function createOrganisation(
    name: string,
    visibility: Visibility = 'coalition',
  ): Promise<Organisation> {
    const { body } = await server.json<Organisation>('/api/v1/organisations', {
      method: 'POST',
      body: JSON.stringify({ name, type: 'school', nces_id: null, visibility }),
    });
    return body;
  }

  const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
  const primaryNav = (page: Page) => page.getByRole('navigation', { name: 'Primary' });

  it('shows the coalition, its status and the areas on the home page', async () => {
    const { page, problems } = await openPage('/');
    await expect.poll(() => h1(page).textContent()).toBe(coalitionName);
    await expect.poll(() => page.getByTestId('coalition-name').textContent()).toBe(coalitionName);
    await page.getByRole('heading', { name: 'What needs my attention' }).waitFor();
    await page.getByText('Nothing needs your attention yet').waitFor();
    // The status card from /api/v1/health.
    const health = (await server.json<{ version: string }>('/api/v1/health')).body;
    await page.getByText(health.version, { exact: true }).waitFor();
    expect(await page.title()).toBe('Home — Tandem');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await checkA11y(page, 'home');
    await screenshot(page, 'home-desktop');
    expect(problems).toEqual([]);
  });

  it('reaches every area through the navigation, each with its h1 and no a11y violations', async () => {
    const { page, problems } = await openPage('/');
    await h1(page).filter({ hasText: coalitionName }).waitFor();
    // Home last: following the link to the page you are on changes nothing.
    for (const area of [...AREAS.slice(1), ...AREAS.slice(0, 1)]) {
      await primaryNav(page).getByRole('link', { name: area.label, exact: true }).click();
      await page.waitForURL((url) => url.pathname === area.path);
      const heading = area.label === 'Home' ? coalitionName : area.label;
      await h1(page).filter({ hasText: heading }).waitFor();
      expect(await page.locator('h1').count(), `one h1 on ${area.path}`).toBe(1);
      const current = primaryNav(page).locator('[aria-current="page"]');
      expect(await current.count(), `one current link on ${area.path}`).toBe(1);
      expect(await current.textContent()).toBe(area.label);
      expect(await page.title()).toBe(`${area.label} — Tandem`);
      // Focus moves to the new page's heading for screen-reader users.
      expect(
        await page.evaluate(() => document.activeElement?.tagName),
        `focus on ${area.path}`,
      ).toBe('H1');
      await page.waitForLoadState('networkidle');
      await checkA11y(page, area.path);
      await screenshot(page, `${area.label}-desktop`);
    }
    // Landmarks, and the skip link as the first stop for the keyboard.
    expect(await page.getByRole('banner').count()).toBe(1);
    expect(await page.getByRole('main').count()).toBe(1);
    await page.goto('/improve');
    await h1(page).filter({ hasText: 'Improve' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Skip to main content',
    );
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // API docs is a plain link to the server, not a client route.
    expect(
      await primaryNav(page).getByRole('link', { name: 'API docs' }).getAttribute('href'),
    ).toBe('/api/docs');
    expect(problems).toEqual([]);
  });

  it('finds, opens, edits and saves an organisation from the Map', async () => {
    const name = `Juniper Heights Academy ${unique()}`;
    const org = await createOrganisation(name);
    const { page, problems } = await openSignedIn('/');
    await primaryNav(page).getByRole('link', { name: 'Map', exact: true }).click();
    await page.getByRole('table').waitFor();

    await page.getByLabel('Search organisations').fill(name.split(' ').slice(0, 2).join(' '));
    await page.waitForURL((url) => url.searchParams.get('q') === 'Juniper Heights');
    const rows = page.getByRole('table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    await checkA11y(page, '/map (filtered)');
    await page.getByRole('link', { name }).click();

    await page.waitForURL(`**/map/organisations/${org.id}`);
    await h1(page).filter({ hasText: name }).waitFor();
    await checkA11y(page, 'organisation page');
    await screenshot(page, 'organisation-desktop');

    const renamed = `${name} (renamed)`;
    await page.getByLabel('Name', { exact: true }).fill(renamed);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(/^Saved\./).waitFor();
    await h1(page).filter({ hasText: renamed }).waitFor();

    const after = (await server.json<Organisation>(`/api/v1/organisations/${org.id}`)).body;
    expect(after.name).toBe(renamed);
    expect(after.version).toBe(org.version + 1);
    expect(problems).toEqual([]);
  });

  it('shows who can see an organisation, lets an editor change it, and lists its history', async () => {
    const name = `Visibility Test Charter ${unique()}`;
    const org = await createOrganisation(name);
    expect(org.visibility).toBe('coalition');

    // Signed out, a coalition-only organisation does not exist, on the map or at its address.
    const visitor = await openPage(`/map?q=${encodeURIComponent(name)}`);
    await visitor.page.getByText('No organisations match').waitFor();
    await visitor.page.goto(`/map/organisations/${org.id}`);
    await h1(visitor.page).filter({ hasText: 'Organisation not found' }).waitFor();

    // Signed in as the admin: the badge says who can see it, the form changes it.
    const { page, problems } = await openSignedIn(`/map/organisations/${org.id}`);
    await h1(page).filter({ hasText: name }).waitFor();
    const lead = page.locator('.page-header__lead');
    await lead.getByText('Visibility: Coalition').waitFor();
    const history = page.getByRole('region', { name: 'History' });
    const events = history.locator('.history__item');
    await expect.poll(() => events.count()).toBe(1);
    expect(await events.first().textContent()).toContain(`Added organisation "${name}"`);
    expect(await events.first().textContent()).toContain(DEMO.admin.name);

    const visibility = page.getByRole('group', { name: 'Who can see it' });
    expect(await visibility.getByRole('radio').count()).toBe(3);
    await visibility
      .getByText('Anyone can see it on the map, including people who are not signed in.')
      .waitFor();
    await visibility.getByRole('radio', { name: 'Public' }).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(/^Saved\./).waitFor();
    await lead.getByText('Visibility: Public').waitFor();
    expect((await server.json<Organisation>(`/api/v1/organisations/${org.id}`)).body).toMatchObject(
      { visibility: 'public', version: org.version + 1 },
    );

    // The change is in the history, newest first, with the value before and after.
    await expect.poll(() => events.count()).toBe(2);
    const latest = events.first();
    expect(await latest.textContent()).toContain(`Changed organisation "${name}"`);
    await latest.locator('summary').click();
    const change = latest.locator('.changes__item').filter({ hasText: 'visibility' });
    await change.waitFor();
    expect(await change.textContent()).toMatch(/visibility.*coalition.*→.*public/);
    await checkA11y(page, 'organisation with its history');
    // The header is sticky: a full-page picture taken scrolled down would show it mid-page.
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'organisation-history-desktop');

    // Public now: a visitor sees it and an offer to sign in instead of the form; its history
    // (which names people) only after signing in.
    await visitor.page.goto(`/map/organisations/${org.id}`);
    await h1(visitor.page).filter({ hasText: name }).waitFor();
    await visitor.page.getByTestId('sign-in-to-edit').waitFor();
    expect(await visitor.page.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
    expect(await visitor.page.getByRole('button', { name: 'Delete organisation…' }).count()).toBe(
      0,
    );
    const visitorHistory = visitor.page.getByRole('region', { name: 'History' });
    await visitorHistory.getByText('to see who changed this organisation').waitFor();
    expect(await visitorHistory.locator('.history__item').count()).toBe(0);
    await checkA11y(visitor.page, 'organisation, signed out');
    await screenshot(visitor.page, 'organisation-signed-out-desktop');
    await visitor.page.setViewportSize(MOBILE);
    await screenshot(visitor.page, 'organisation-signed-out-mobile');
    await visitor.page.getByRole('link', { name: 'Sign in to edit' }).click();
    await visitor.page.waitForURL(
      (url) =>
        url.pathname === '/sign-in' &&
        url.searchParams.get('next') === `/map/organisations/${org.id}`,
    );
    expect(visitor.problems).toEqual([]);

    // Someone whose roles do not allow changing the map is told so, without a form.
    const reviewer = await newPage(browser, { baseURL: server.url });
    open.push(reviewer);
    await server.signIn(reviewer.context, { email: DEMO.reviewer.email });
    await reviewer.page.goto(`/map/organisations/${org.id}`);
    await reviewer.page.getByTestId('cannot-edit').waitFor();
    expect(await reviewer.page.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
    await checkA11y(reviewer.page, 'organisation, not allowed to edit');

    // When the API refuses anyway (403), its words are shown.
    await page.route(`**/api/v1/organisations/${org.id}`, (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 403,
            contentType: 'application/problem+json',
            body: JSON.stringify({
              type: 'urn:tandem:problem:forbidden',
              title: 'Forbidden',
              status: 403,
              code: 'forbidden',
              detail: 'Your roles do not allow you to change the directory.',
              request_id: 'test-request',
            }),
          })
        : route.continue(),
    );
    await page.getByLabel('Name', { exact: true }).fill(`${name} (refused)`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Your roles do not allow you to change the directory.').waitFor();
    await page.unroute(`**/api/v1/organisations/${org.id}`);
    expect(problems).toEqual([]);
  });

  it('pages through a long history with "Load more"', async () => {
    const org = await createOrganisation(`History Paging School ${unique()}`);
    let { etag } = await server.json(`/api/v1/organisations/${org.id}`);
    for (let i = 1; i <= 21; i++) {
      ({ etag } = await server.json(`/api/v1/organisations/${org.id}`, {
        method: 'PATCH',
        headers: { 'if-match': etag ?? '' },
        body: JSON.stringify({ name: `History Paging School ${i}` }),
      }));
    }
    const { page, problems } = await openPage(`/map/organisations/${org.id}`, { signedIn: true });
    const history = page.getByRole('region', { name: 'History' });
    const events = history.locator('.history__item');
    await expect.poll(() => events.count()).toBe(20);
    expect(await events.first().textContent()).toContain('History Paging School 21');
    await history.getByRole('button', { name: /^Load/ }).click();
    await expect.poll(() => events.count()).toBe(22);
    expect(await events.last().textContent()).toContain('Added organisation');
    await history.getByText('Showing 22 changes (all)').waitFor();
    expect(problems).toEqual([]);
  });

  it('pages through the organisations with "Load more" and filters them by type', async () => {
    const list = async () =>
      (await server.json<{ items: Organisation[] }>('/api/v1/organisations?limit=200')).body.items;
    const missing = 51 - (await list()).length;
    for (let i = 0; i < missing; i++) await createOrganisation(`Zz Paging Test ${i} ${unique()}`);
    const total = (await list()).length;

    // The admin sees every organisation, as the API listed them for the admin.
    const { page, problems } = await openSignedIn('/map');
    const rows = page.getByRole('table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    await page.getByRole('button', { name: 'Load more organisations' }).click();
    await expect.poll(() => rows.count()).toBe(total);
    await page.getByText(`Showing ${total} organisations (all)`).waitFor();
    expect(await page.getByRole('button', { name: 'Load more organisations' }).count()).toBe(0);

    await page.getByLabel('Type').selectOption('district');
    await page.waitForURL((url) => url.searchParams.get('type') === 'district');
    const districts = (await list()).filter((o) => o.type === 'district').length;
    await expect.poll(() => rows.count()).toBe(districts);
    const types = await page
      .getByRole('table')
      .locator('tbody td:nth-of-type(1)')
      .allTextContents();
    expect(new Set(types)).toEqual(new Set(['District']));

    await page.getByLabel('Search organisations').fill('no such organisation anywhere');
    await page.getByText('No organisations match').waitFor();
    await checkA11y(page, '/map (no match)');
    await screenshot(page, 'map-no-match-desktop');
    await page.getByRole('button', { name: 'Clear the search and filter' }).click();
    // Back to the full list as it was, both pages (from the cache).
    await expect.poll(() => rows.count()).toBe(total);
    expect(problems).toEqual([]);
  });

  it('says so when someone else changed the organisation, and reloads their version', async () => {
    const name = `Conflict Test School ${unique()}`;
    const org = await createOrganisation(name);
    const { page } = await openSignedIn(`/map/organisations/${org.id}`);
    await h1(page).filter({ hasText: name }).waitFor();

    // Someone else saves first.
    const { etag } = await server.json(`/api/v1/organisations/${org.id}`);
    await server.json(`/api/v1/organisations/${org.id}`, {
      method: 'PATCH',
      headers: { 'if-match': etag ?? '' },
      body: JSON.stringify({ name: `${name} (theirs)` }),
    });

    await page.getByLabel('Name', { exact: true }).fill(`${name} (mine)`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page
      .getByText('Someone else changed this organisation; reload to see their changes.')
      .waitFor();
    await checkA11y(page, 'organisation conflict');
    await screenshot(page, 'organisation-conflict-desktop');
    await page.getByRole('button', { name: 'Reload' }).click();
    await h1(page)
      .filter({ hasText: `${name} (theirs)` })
      .waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(`${name} (theirs)`);
  });

  it('adds an organisation, checking the fields first', async () => {
    const { page, problems } = await openSignedIn('/map');
    await page.getByRole('link', { name: 'Add organisation' }).click();
    await h1(page).filter({ hasText: 'Add an organisation' }).waitFor();
    await page.getByRole('button', { name: 'Add organisation' }).click();
    const nameField = page.getByLabel('Name', { exact: true });
    expect(await nameField.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('name');
    await checkA11y(page, 'new organisation with errors');
    await screenshot(page, 'organisation-new-errors-desktop');

    const name = `Cedar Grove Family Centre ${unique()}`;
    await nameField.fill(name);
    await page.getByLabel('Type').selectOption('community_organisation');
    // New organisations are seen by the coalition's members unless chosen otherwise.
    expect(await page.getByRole('radio', { name: 'Coalition' }).isChecked()).toBe(true);
    await page.getByRole('radio', { name: 'Public' }).check();
    await page.getByRole('button', { name: 'Add organisation' }).click();
    await page.waitForURL(/\/map\/organisations\/[0-9a-f-]{36}$/);
    await h1(page).filter({ hasText: name }).waitFor();
    const id = page.url().split('/').pop();
    const created = (await server.json<Organisation>(`/api/v1/organisations/${id}`)).body;
    expect(created).toMatchObject({
      name,
      type: 'community_organisation',
      nces_id: null,
      visibility: 'public',
    });
    expect(problems).toEqual([]);
  });

  it('deletes an organisation after confirming, and Esc cancels', async () => {
    const name = `Delete Me Institute ${unique()}`;
    const org = await createOrganisation(name);
    const { page, problems } = await openSignedIn(`/map/organisations/${org.id}`);
    await h1(page).filter({ hasText: name }).waitFor();

    const deleteButton = page.getByRole('button', { name: 'Delete organisation…' });
    await deleteButton.click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    // Focus starts on the safe choice; Esc closes and gives focus back.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await checkA11y(page, 'delete dialog');
    await screenshot(page, 'organisation-delete-dialog-desktop', { fullPage: false });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Delete organisation…',
    );

    await deleteButton.click();
    await dialog.getByRole('button', { name: 'Delete organisation' }).click();
    await page.waitForURL((url) => url.pathname === '/map');
    await page.getByText(`Deleted ${name}.`).waitFor();
    await expect(server.json(`/api/v1/organisations/${org.id}`)).rejects.toThrow(/404/);
    expect(problems).toEqual([]);
  });

  it('shows an error with a retry when the API cannot be reached', async () => {
    const { page } = await openPage('/');
    await h1(page).filter({ hasText: coalitionName }).waitFor();
    let failing = true;
    await page.route('**/api/v1/organisations?**', (route) =>
      failing ? route.abort('connectionrefused') : route.continue(),
    );
    await primaryNav(page).getByRole('link', { name: 'Map', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Could not load the organisations' });
    await alert.waitFor({ timeout: 20_000 });
    await alert.getByText('Could not reach the Tandem server').waitFor();
    await checkA11y(page, 'map error');
    await screenshot(page, 'map-error-desktop');
    failing = false;
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('table').waitFor();
  });

  it('shows "Page not found" for an unknown route, with a way home', async () => {
    const { page, problems } = await openPage('/no/such/page');
    await h1(page).filter({ hasText: 'Page not found' }).waitFor();
    await checkA11y(page, '404');
    await screenshot(page, 'not-found-desktop');
    await page.getByRole('link', { name: 'Go to the home page' }).click();
    await h1(page).filter({ hasText: coalitionName }).waitFor();
    expect(problems).toEqual([]);
  });

  it('collapses the navigation behind a menu button on a phone', async () => {
    const { page, problems } = await openPage('/', { viewport: MOBILE });
    await h1(page).filter({ hasText: coalitionName }).waitFor();
    const menu = page.getByRole('button', { name: 'Menu' });
    const mapLink = primaryNav(page).getByRole('link', { name: 'Map', exact: true });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await mapLink.isVisible()).toBe(false);
    await checkA11y(page, 'home (phone)');
    await screenshot(page, 'home-mobile');

    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await mapLink.waitFor({ state: 'visible' });
    await checkA11y(page, 'home with menu open (phone)');
    await screenshot(page, 'menu-open-mobile');

    await mapLink.click();
    await h1(page).filter({ hasText: 'Map' }).waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      MOBILE.width,
    );
    await page.getByRole('table').waitFor();
    await checkA11y(page, 'map (phone)');
    await screenshot(page, 'map-mobile');
    expect(problems).toEqual([]);
  });

  it('fits every page on a phone without sideways scrolling', async () => {
    const org = await createOrganisation(`Phone Width Test Learning Collaborative ${unique()}`);
    const pages = [
      ...AREAS.filter((a) => a.path !== '/' && a.path !== '/map'),
      { label: 'Organisation', path: `/map/organisations/${org.id}` },
      { label: 'Add an organisation', path: '/map/organisations/new' },
      { label: 'Forgot your password', path: '/forgot-password' },
      { label: 'Reset password without a link', path: '/reset-password' },
      { label: 'Invitation without a link', path: '/accept-invitation' },
      { label: 'Page not found', path: '/nowhere' },
    ];
    const { page, problems } = await openSignedIn('/', MOBILE);
    for (const { label, path } of pages) {
      await page.goto(path);
      await h1(page).waitFor();
      await page.waitForLoadState('networkidle');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `page width of ${path}`).toBeLessThanOrEqual(MOBILE.width);
      await checkA11y(page, `${path} (phone)`);
      await screenshot(page, `${label}-mobile`);
    }
    expect(problems).toEqual([]);
  });
});
