/**
 * The coalition's structure and its administration in a real browser against the seeded demo:
 * a network facilitator adds a team and a member (and removes them after confirming); an admin
 * grants admin rights and finds the change in the audit log and its CSV; a team member cannot
 * open another team's team-only page (404 → the not-found page) while the network's facilitator
 * can; a partner sees the networks but no "New network" and no admin links. Everyone signs in
 * through the sign-in form. axe (WCAG 2.1 AA) on every page and dialog, and screenshots at
 * 1366×768 and 390×844.
 */
import { readFile } from 'node:fs/promises';
import { type APIRequestContext, type Browser, type Page, request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkA11y,
  DESKTOP,
  launchBrowser,
  MOBILE,
  newPage,
  screenshot,
  skipBrowserTests,
  type TestPage,
} from './support/browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const DEMO_PASSWORD = 'riverbend-demo-2026';
const ADMIN = 'admin@riverbend.demo';
const LITERACY_FACILITATOR = 'literacy.facilitator@riverbend.demo';
const MEMBER = 'member@riverbend.demo';
const PARTNER = 'partner@riverbend.demo';
const REVIEWER = 'reviewer@riverbend.demo';
const LITERACY = 'Early Literacy NIC';

interface Network {
  id: string;
  name: string;
}
interface Team {
  id: string;
  name: string;
  visibility: string;
  network_id: string;
}
interface Organisation {
  id: string;
  name: string;
}
interface ListPage<T> {
  items: T[];
  next_cursor: string | null;
}

const unique = () => Math.random().toString(36).slice(2, 7);

/**
 * A button's accessible name: the visually hidden words in it are their own box, so Chromium puts
 * a space around them ("Revoke the invitation of x …"); match with or without.
 */
const named = (text: string) =>
  new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ ?([…:])/g, '\\s*$1')}$`);

describe.skipIf(skipBrowserTests())('networks, teams and administration in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let adminApi: APIRequestContext;
  let literacy: Network;
  const open: TestPage[] = [];

  /** An API client signed in as `email` (its own cookie jar), for setting up and checking. */
  async function apiAs(email: string): Promise<APIRequestContext> {
    const api = await request.newContext({
      baseURL: server.url,
      extraHTTPHeaders: { origin: server.url },
    });
    const response = await api.post('/api/v1/auth/sign-in', {
      data: { email, password: DEMO_PASSWORD },
    });
    expect(response.status(), `API sign-in of ${email}`).toBe(200);
    return api;
  }

  async function getJson<T>(api: APIRequestContext, path: string): Promise<T> {
    const response = await api.get(path);
    expect(response.status(), `GET ${path}`).toBe(200);
    return (await response.json()) as T;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startTestServer({ seed: 'small' });
    adminApi = await apiAs(ADMIN);
    const networks = await getJson<ListPage<Network>>(adminApi, '/api/v1/networks?limit=200');
    const found = networks.items.find((n) => n.name === LITERACY);
    if (!found) throw new Error(`The demo seed has no network "${LITERACY}"`);
    literacy = found;
  });

  afterAll(async () => {
    await Promise.all(open.map((p) => p.close()));
    await adminApi?.dispose();
    await browser?.close();
    await server?.close();
  });

  const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
  const banner = (page: Page) => page.getByRole('banner');
  const primaryNav = (page: Page) => page.getByRole('navigation', { name: 'Primary' });
  const main = (page: Page) => page.getByRole('main');

  /** A fresh browser context signed in through the sign-in form. */
  async function signIn(email: string, viewport = DESKTOP): Promise<TestPage> {
    const tp = await newPage(browser, { baseURL: server.url, viewport });
    open.push(tp);
    const { page } = tp;
    await page.goto('/sign-in');
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('Email address').fill(email);
    await form.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await form.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await banner(page)
      .getByRole('button', { name: /, your account$/ })
      .waitFor();
    return tp;
  }

  /** The same signed-in user on a phone (the session cookie copied into a new context). */
  async function onPhone(from: TestPage, path: string): Promise<TestPage> {
    const tp = await newPage(browser, { baseURL: server.url, viewport: MOBILE });
    open.push(tp);
    await tp.context.addCookies(await from.context.cookies());
    await tp.page.goto(path);
    return tp;
  }

  /** axe and screenshots of a page at both sizes, and no sideways scrolling on the phone. */
  async function checkPage(tp: TestPage, name: string, ready: (page: Page) => Promise<unknown>) {
    await tp.page.waitForLoadState('networkidle');
    // From the top: a full-page screenshot of a scrolled page shows the sticky header mid-page.
    await tp.page.evaluate(() => window.scrollTo(0, 0));
    await checkA11y(tp.page, name);
    await screenshot(tp.page, `${name}-desktop`);
    const phone = await onPhone(
      tp,
      new URL(tp.page.url()).pathname + new URL(tp.page.url()).search,
    );
    await ready(phone.page);
    await phone.page.waitForLoadState('networkidle');
    const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `page width of ${name} on a phone`).toBeLessThanOrEqual(MOBILE.width);
    await checkA11y(phone.page, `${name} (phone)`);
    await screenshot(phone.page, `${name}-mobile`);
    expect(phone.problems).toEqual([]);
    await phone.close();
  }

  it('lets a network facilitator add a team and a member, and remove the member after confirming', async () => {
    const tp = await signIn(LITERACY_FACILITATOR);
    const { page, problems } = tp;
    const organisations = await getJson<ListPage<Organisation>>(
      adminApi,
      '/api/v1/organisations?limit=5',
    );
    const organisation = organisations.items[0];
    if (!organisation) throw new Error('The demo seed has no organisations');

    // Networks, through the primary navigation.
    await primaryNav(page).getByRole('link', { name: 'Networks', exact: true }).click();
    await h1(page).filter({ hasText: 'Networks' }).waitFor();
    const table = main(page).getByRole('table', { name: 'Networks' });
    await table.waitFor();
    // A network facilitator does not create networks: the hub does.
    expect(await page.getByRole('link', { name: 'New network' }).count()).toBe(0);
    await checkPage(tp, 'networks', (p) => p.getByRole('table', { name: 'Networks' }).waitFor());

    await table.getByRole('link', { name: LITERACY }).click();
    await h1(page).filter({ hasText: LITERACY }).waitFor();
    await page.getByRole('heading', { name: 'Edit network' }).waitFor();
    // Deleting networks is for the hub, not the network's facilitator.
    expect(await page.getByRole('button', { name: named('Delete network…') }).count()).toBe(0);

    // Add a team: the name and the organisation by keyboard, who sees it with the mouse.
    const teamName = `Maple Grove K–2 team ${unique()}`;
    const addTeam = page.locator('form').filter({ has: page.getByLabel('Team name') });
    await addTeam.getByLabel('Team name').focus();
    await page.keyboard.type(teamName);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
    await page.keyboard.type(organisation.name.slice(0, 8));
    await addTeam.getByText(/organisations? match/).waitFor();
    await page.keyboard.press('Tab');
    const orgSelect = addTeam.getByLabel('Choose the organisation');
    expect(await orgSelect.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => orgSelect.inputValue()).not.toBe('');
    await addTeam.getByLabel('Coalition', { exact: true }).click();
    await addTeam.getByLabel('Team name').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText(`Added ${teamName}`).waitFor();
    const teams = page.getByRole('table', { name: `Teams in ${LITERACY}` });
    await teams.getByRole('link', { name: teamName }).waitFor();
    // The form starts again for the next team, and keeps the keyboard.
    expect(await addTeam.getByLabel('Team name').inputValue()).toBe('');
    await checkPage(tp, 'network', (p) => p.getByRole('heading', { name: 'Teams' }).waitFor());

    // The new team's page.
    await teams.getByRole('link', { name: teamName }).click();
    await h1(page).filter({ hasText: teamName }).waitFor();
    await page.getByText('No one is on this team yet').waitFor();
    const created = await getJson<ListPage<Team>>(
      adminApi,
      `/api/v1/teams?network_id=${literacy.id}&q=${encodeURIComponent(teamName)}`,
    );
    expect(created.items).toHaveLength(1);
    expect(created.items[0]?.visibility).toBe('coalition');

    // Someone without an account: the add form says so and offers to invite them instead.
    const addMember = page.getByRole('form', { name: 'Add a member' });
    const stranger = `new.teacher.${unique()}@example.org`;
    await addMember.getByLabel('Email address').fill(stranger);
    await addMember.getByRole('button', { name: 'Add member' }).click();
    await addMember.getByText(`No account uses ${stranger}`).waitFor();
    await checkA11y(page, 'team page, add a member without an account');
    await addMember.getByRole('button', { name: `Invite ${stranger} instead` }).click();
    await addMember.getByText(`${stranger} has no account yet: an invitation`).waitFor();
    const invitations = page.getByRole('table', { name: `Open invitations to ${teamName}` });
    await invitations.getByRole('cell', { name: stranger }).waitFor();
    await invitations
      .getByRole('button', { name: named(`Revoke the invitation of ${stranger}…`) })
      .click();
    const revokeDialog = page.getByRole('alertdialog');
    await revokeDialog.getByRole('button', { name: 'Revoke invitation' }).click();
    await page.getByText(`Revoked the invitation of ${stranger}`).waitFor();
    expect(await invitations.count()).toBe(0);

    // Add the demo team member, who has an account.
    await addMember.getByLabel('Email address').fill(MEMBER);
    await addMember.getByRole('button', { name: 'Add member' }).click();
    await addMember.getByText(`Added Tomás Reyes as a member of ${teamName}.`).waitFor();
    const members = page.getByRole('table', { name: `Members of ${teamName}` });
    await members.getByRole('rowheader', { name: 'Tomás Reyes' }).waitFor();
    expect(await members.getByRole('cell', { name: MEMBER }).count()).toBe(1);
    await checkPage(tp, 'team', (p) => p.getByRole('heading', { name: 'Members' }).waitFor());

    // Remove them: a confirm dialog first, Cancel changes nothing.
    const removeButton = members.getByRole('button', {
      name: named(`Remove Tomás Reyes from ${teamName}…`),
    });
    await removeButton.click();
    const dialog = page.getByRole('alertdialog', { name: `Remove Tomás Reyes from ${teamName}?` });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await checkA11y(page, 'remove member dialog');
    await screenshot(page, 'team-remove-member-dialog-desktop', { fullPage: false });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await members.getByRole('rowheader', { name: 'Tomás Reyes' }).waitFor();

    await removeButton.click();
    await dialog.getByRole('button', { name: 'Remove member' }).click();
    await page.getByText(`Removed Tomás Reyes from ${teamName}.`).waitFor();
    await page.getByText('No one is on this team yet').waitFor();
    // The row and its button are gone: the keyboard continues from the section's heading.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('Members');

    // The history shows what happened to the team.
    const history = page.getByRole('region', { name: 'History' });
    await history.getByText(`Created team "${teamName}" in ${LITERACY}`, { exact: true }).waitFor();
    expect(problems).toEqual([]);
  });

  it('lets an admin grant admin rights, find the change in the audit log, and download it as CSV', async () => {
    const tp = await signIn(ADMIN);
    const { page, problems } = tp;

    // The admin links are in the account menu.
    await banner(page)
      .getByRole('button', { name: /, your account$/ })
      .click();
    await banner(page).getByRole('link', { name: 'Audit log' }).waitFor();
    await checkA11y(page, 'account menu with admin links');
    await screenshot(page, 'account-menu-admin-desktop', { fullPage: false });
    await banner(page).getByRole('link', { name: 'Users and roles' }).click();
    await h1(page).filter({ hasText: 'Users and roles' }).waitFor();
    const accounts = page.getByRole('table', { name: 'Accounts' });
    await accounts.waitFor();
    await page.getByRole('table', { name: 'Coalition-wide roles' }).waitFor();
    await checkPage(tp, 'admin-users', (p) => p.getByRole('table', { name: 'Accounts' }).waitFor());

    // The last admin cannot give up their rights (409, with the server's explanation).
    await accounts
      .getByRole('button', { name: named('Remove admin rights of Avery Admin…') })
      .click();
    const removeOwn = page.getByRole('alertdialog');
    await removeOwn.getByRole('button', { name: 'Remove admin rights' }).click();
    await removeOwn.getByText('There must be another instance admin').waitFor();
    await removeOwn.getByText(/Avery Admin is the last instance admin/).waitFor();
    await checkA11y(page, 'last admin refused');
    await screenshot(page, 'admin-users-last-admin-desktop', { fullPage: false });
    await removeOwn.getByRole('button', { name: 'Cancel' }).click();

    // Search, then make the practice reviewer an admin.
    await page.getByLabel('Search accounts').fill('reviewer');
    await page.waitForURL((url) => url.searchParams.get('q') === 'reviewer');
    await expect.poll(() => accounts.getByRole('row').count()).toBe(2);
    await accounts.getByRole('button', { name: named('Make admin: Rae Lindqvist…') }).click();
    const grant = page.getByRole('alertdialog', { name: 'Make Rae Lindqvist an instance admin?' });
    await grant.getByRole('button', { name: 'Make admin' }).click();
    await page.getByText('Rae Lindqvist is now an instance admin.').waitFor();
    await accounts
      .getByRole('button', { name: named('Remove admin rights of Rae Lindqvist…') })
      .waitFor();
    const rae = await getJson<ListPage<{ id: string; email: string; is_admin: boolean }>>(
      adminApi,
      '/api/v1/users?q=reviewer',
    );
    expect(rae.items.find((u) => u.email === REVIEWER)?.is_admin).toBe(true);

    // The audit log: filtered to account changes, with the change unfolding.
    await page.getByRole('link', { name: 'Audit log' }).first().click();
    await h1(page).filter({ hasText: 'Audit log' }).waitFor();
    const events = page.getByRole('table', { name: 'Audit events' });
    await events.waitFor();
    await checkPage(tp, 'audit-log', (p) =>
      p.getByRole('table', { name: 'Audit events' }).waitFor(),
    );
    await page.getByLabel('Kind of record').selectOption('user');
    await page.getByLabel('Action').selectOption('update');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(
      (url) =>
        url.searchParams.get('entity_type') === 'user' &&
        url.searchParams.get('action') === 'update',
    );
    const row = events.getByRole('row', {
      name: /Changed the account of Rae Lindqvist and made them instance admin/,
    });
    await row.waitFor();
    expect(await events.getByRole('row').count()).toBe(2);
    await row.getByText('Avery Admin').waitFor();
    await row.getByText(/1 change/).click();
    const change = row.locator('.changes__item').filter({ hasText: 'instance admin' });
    await change.waitFor();
    expect(await change.textContent()).toMatch(/instance admin\s*from no\s*→\s*to yes/);
    await checkA11y(page, 'audit log, filtered, a change unfolded');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'audit-log-filtered-desktop');

    // The CSV link carries the same filters, and the server answers with the CSV.
    const link = page.getByRole('link', { name: /Download CSV/ });
    const href = (await link.getAttribute('href')) ?? '';
    const params = new URL(href, server.url).searchParams;
    expect(new URL(href, server.url).pathname).toBe('/api/v1/audit-events/export.csv');
    expect(params.get('entity_type')).toBe('user');
    expect(params.get('action')).toBe('update');
    const response = await page.request.get(href);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('text/csv');
    expect(response.headers()['content-disposition']).toContain('attachment');
    const csv = await response.text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe(
      'occurred_at,actor_id,actor,action,entity_type,entity_id,summary,changes,request_id',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Changed the account of Rae Lindqvist and made them instance admin');
    expect(lines[1]).toContain('is_admin: false → true');
    // Clicking it downloads the same file.
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^tandem-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const saved = await download.path();
    expect((await readFile(saved, 'utf8')).trim()).toBe(csv.trim());
    expect(problems).toEqual([]);
  });

  it('lets an admin change a coalition-wide role, and says so when someone else changed it first', async () => {
    const tp = await signIn(ADMIN);
    const { page, problems } = tp;
    await page.goto('/admin/users');
    const roles = page.getByRole('table', { name: 'Coalition-wide roles' });
    await roles.getByRole('rowheader', { name: 'Pat Mensah' }).waitFor();

    // Change the partner to reviewer in the dialog, while another admin changes it first.
    await roles.getByRole('button', { name: named('Change role of Pat Mensah…') }).click();
    const dialog = page.getByRole('dialog', { name: 'Change the role of Pat Mensah' });
    await dialog.getByLabel('Practice reviewer').check();
    const mine = await getJson<ListPage<{ id: string; version: number; user: { email: string } }>>(
      adminApi,
      '/api/v1/memberships?scope=coalition&limit=200',
    );
    const pat = mine.items.find((m) => m.user.email === PARTNER);
    if (!pat) throw new Error('The demo partner has no coalition-wide role');
    const sneaky = await adminApi.patch(`/api/v1/memberships/${pat.id}`, {
      data: { role: 'partner' },
      headers: { 'if-match': `"${pat.version}"` },
    });
    expect(sneaky.status()).toBe(200);
    await dialog.getByRole('button', { name: 'Save role' }).click();
    await dialog.getByText('Someone else changed this role.').waitFor();
    await checkA11y(page, 'change role conflict');
    await screenshot(page, 'admin-role-conflict-desktop', { fullPage: false });
    await dialog.getByRole('button', { name: 'Reload the roles' }).click();
    await dialog.waitFor({ state: 'detached' });

    // After reloading, the change goes through; it is undone to leave the demo as it was.
    await roles.getByRole('button', { name: named('Change role of Pat Mensah…') }).click();
    await dialog.getByLabel('Practice reviewer').check();
    await dialog.getByRole('button', { name: 'Save role' }).click();
    await page.getByText('Pat Mensah is now a practice reviewer.').waitFor();
    await roles.getByRole('button', { name: named('Change role of Pat Mensah…') }).click();
    await dialog.getByLabel('Partner, funder or policy maker').check();
    await dialog.getByRole('button', { name: 'Save role' }).click();
    await page.getByText('Pat Mensah is now a partner, funder or policy maker.').waitFor();
    expect(problems).toEqual([]);
  });

  it('shows a team member the not-found page for another team’s team-only page, and its facilitator the team', async () => {
    // The last team of the network keeps its work to itself (visibility "team").
    const teams = await getJson<ListPage<Team>>(
      adminApi,
      `/api/v1/teams?network_id=${literacy.id}&limit=200`,
    );
    const hidden = teams.items.filter(
      (t) => t.visibility === 'team' && !t.name.startsWith('Maple Grove'),
    );
    expect(hidden).toHaveLength(1);
    const teamOnly = hidden[0] as Team;

    const member = await signIn(MEMBER);
    await member.page.goto(`/teams/${teamOnly.id}`);
    await h1(member.page).filter({ hasText: 'Page not found' }).waitFor();
    await main(member.page).getByText('it was not found or you cannot see it').waitFor();
    expect(await main(member.page).getByText(teamOnly.name).count()).toBe(0);
    expect(await member.page.title()).toBe('Page not found — Tandem');
    await checkPage(member, 'team-not-found', (p) =>
      h1(p).filter({ hasText: 'Page not found' }).waitFor(),
    );
    // Nor is it in their network's list of teams.
    await member.page.goto(`/networks/${literacy.id}`);
    const list = member.page.getByRole('table', { name: `Teams in ${LITERACY}` });
    await list.waitFor();
    expect(await list.getByRole('link', { name: teamOnly.name }).count()).toBe(0);
    // A member reads; they do not manage the network.
    expect(await member.page.getByRole('heading', { name: 'Edit network' }).count()).toBe(0);
    expect(await member.page.getByRole('form', { name: 'Add a member' }).count()).toBe(0);
    expect(member.problems).toEqual([]);

    const facilitator = await signIn(LITERACY_FACILITATOR);
    await facilitator.page.goto(`/teams/${teamOnly.id}`);
    await h1(facilitator.page).filter({ hasText: teamOnly.name }).waitFor();
    await facilitator.page.getByRole('heading', { name: 'Edit team' }).waitFor();
    expect(facilitator.problems).toEqual([]);
  });

  it('shows a partner the networks, but no "New network" and no admin links', async () => {
    const tp = await signIn(PARTNER);
    const { page, problems } = tp;
    await primaryNav(page).getByRole('link', { name: 'Networks', exact: true }).click();
    const table = page.getByRole('table', { name: 'Networks' });
    await table.getByRole('link', { name: LITERACY }).waitFor();
    expect(await table.getByRole('row').count()).toBeGreaterThanOrEqual(4);
    expect(await page.getByRole('link', { name: 'New network' }).count()).toBe(0);

    await banner(page)
      .getByRole('button', { name: /, your account$/ })
      .click();
    await banner(page).getByRole('link', { name: 'Profile' }).waitFor();
    expect(await banner(page).getByRole('link', { name: 'Users and roles' }).count()).toBe(0);
    expect(await banner(page).getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await page.keyboard.press('Escape');

    // Typing the addresses: a clear refusal, no data.
    await page.goto('/admin/users');
    await h1(page).filter({ hasText: 'Users and roles' }).waitFor();
    await page
      .getByText('Only instance admins can manage accounts and coalition-wide roles.')
      .waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    await checkPage(tp, 'admin-users-refused', (p) =>
      p.getByText('Only instance admins can').waitFor(),
    );
    await page.goto('/admin/audit');
    await page.getByText('Only instance admins can read the audit log.').waitFor();
    await page.goto('/networks/new');
    await page.getByText('Only hub facilitators and instance admins create networks.').waitFor();
    await checkPage(tp, 'new-network-refused', (p) =>
      p.getByText('Only hub facilitators and instance admins').waitFor(),
    );
    expect(problems).toEqual([]);
  });

  it('lets the hub create a network, refuses to delete it while it has teams, then deletes it', async () => {
    const tp = await signIn('facilitator@riverbend.demo');
    const { page, problems } = tp;
    await page.goto('/networks');
    await page.getByRole('link', { name: 'New network' }).click();
    await h1(page).filter({ hasText: 'New network' }).waitFor();
    await checkPage(tp, 'new-network', (p) => p.getByLabel('Name').waitFor());
    const name = `Attendance Network ${unique()}`;
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Description').fill('Teams cutting chronic absence.');
    await page.getByLabel('Network only').check();
    await page.getByRole('button', { name: 'Create network' }).click();
    await h1(page).filter({ hasText: name }).waitFor();
    await page.getByText('Add its teams next.').waitFor();
    await page.getByText('No teams yet').waitFor();
    await page.getByRole('button', { name: 'Add the first team' }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('name');
    await page.keyboard.type('Pilot team');
    await page.keyboard.press('Enter');
    await page.getByRole('table', { name: `Teams in ${name}` }).waitFor();

    // A network with teams cannot be deleted: the server's 409 explains.
    await page.getByRole('button', { name: named('Delete network…') }).click();
    const dialog = page.getByRole('alertdialog', { name: `Delete ${name}?` });
    await dialog.getByRole('button', { name: 'Delete network' }).click();
    await dialog.getByText('This network still has teams').waitFor();
    await dialog.getByText(/still has 1 team\(s\); move or delete them first/).waitFor();
    await checkA11y(page, 'delete network refused');
    await screenshot(page, 'network-delete-refused-desktop', { fullPage: false });
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Delete the team, then the network.
    await page
      .getByRole('table', { name: `Teams in ${name}` })
      .getByRole('link', { name: 'Pilot team' })
      .click();
    await h1(page).filter({ hasText: 'Pilot team' }).waitFor();
    await page.getByRole('button', { name: named('Delete team…') }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete team' }).click();
    await h1(page).filter({ hasText: name }).waitFor();
    await page.getByText('Deleted Pilot team and its memberships.').waitFor();
    await page.getByRole('button', { name: named('Delete network…') }).click();
    await dialog.getByRole('button', { name: 'Delete network' }).click();
    await h1(page).filter({ hasText: 'Networks' }).waitFor();
    await page.getByText(`Deleted ${name}.`).waitFor();
    expect(problems).toEqual([]);
  });
});
