/**
 * Accounts in a real browser against a real server: signing in (wrong password, rate limit,
 * `?next=`), the header's account menu and signing out, the profile's sessions, and personal API
 * tokens (created, shown once, used as Bearer, revoked). axe (WCAG 2.1 AA) on every page and state,
 * and screenshots at 1366×768 and 390×844.
 */
import type { Browser, Page } from 'playwright-core';
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
import { startTestServer, type TestServer, type TestUser } from './support/server.ts';

const PASSWORD = 'lantern orchard velvet 42';
const FIREFOX_ON_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

const unique = () => Math.random().toString(36).slice(2, 8);

describe.skipIf(skipBrowserTests())('accounts in Chromium', () => {
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

  async function newUser(name: string, options: { is_admin?: boolean } = {}): Promise<TestUser> {
    const local = `${name.toLowerCase().replace(/\W+/g, '.')}.${unique()}`;
    return server.createUser({
      email: `${local}@example.org`,
      display_name: name,
      password: PASSWORD,
      is_admin: options.is_admin ?? false,
    });
  }

  async function openPage(path: string, viewport?: { width: number; height: number }) {
    const tp = await newPage(browser, { baseURL: server.url, ...(viewport ? { viewport } : {}) });
    open.push(tp);
    await tp.page.goto(path);
    return tp;
  }

  /** Signs the page's browser context in through the API (its cookie jar gets the session). */
  async function signInByApi(tp: TestPage, user: TestUser, password = PASSWORD) {
    const response = await tp.context.request.post(`${server.url}/api/v1/auth/sign-in`, {
      data: { email: user.email, password },
      headers: { origin: server.url },
    });
    return response.status();
  }

  /** A GET from inside the page, with its cookies, as the web app would make it. */
  const statusOf = (page: Page, path: string) =>
    page.evaluate(async (p) => (await fetch(p)).status, path);

  /** A GET with a personal API token and no cookie, as a script would make it. */
  async function withBearer(token: string, path = '/api/v1/me') {
    const response = await fetch(new URL(path, server.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
  const banner = (page: Page) => page.getByRole('banner');
  const accountButton = (page: Page, name: string) =>
    banner(page).getByRole('button', { name: new RegExp(`^${name}\\s*, your account$`) });
  const focused = (page: Page) =>
    page.evaluate(() => ({
      tag: document.activeElement?.tagName,
      name: document.activeElement?.getAttribute('name') ?? null,
      text: document.activeElement?.textContent ?? null,
      id: document.activeElement?.id ?? null,
    }));

  it('signs in: a wrong password says so, the right one goes on to ?next= and names the user', async () => {
    const ada = await newUser('Ada Lovelace', { is_admin: true });
    const { page, problems } = await openPage('/sign-in?next=/map%3Fq%3DOak');
    await h1(page).filter({ hasText: 'Sign in' }).waitFor();
    expect(await page.title()).toBe('Sign in — Tandem');
    await page.waitForLoadState('networkidle');
    // Signed out: the header has no account button, and no "Sign in" link to the page itself.
    expect(await banner(page).getByRole('link', { name: 'Sign in' }).count()).toBe(0);

    const email = page.getByLabel('Email address');
    const password = page.getByLabel('Password', { exact: true });
    expect(await email.getAttribute('autocomplete')).toBe('username');
    expect(await email.getAttribute('type')).toBe('email');
    expect(await password.getAttribute('autocomplete')).toBe('current-password');
    expect(await password.getAttribute('type')).toBe('password');
    await checkA11y(page, 'sign-in');
    await screenshot(page, 'sign-in-desktop');

    // Nothing filled in: the fields say what is missing, and focus goes to the first.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    expect((await focused(page)).name).toBe('email');
    await page.getByText('Enter your email address.').waitFor();

    // Show / Hide the password, by keyboard.
    await email.fill(ada.email);
    await password.fill('not the password at all');
    const toggle = page.getByRole('button', { name: 'Show password' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await password.getAttribute('type')).toBe('text');
    await page.getByRole('button', { name: 'Hide password' }).waitFor();
    expect((await focused(page)).text).toBe('Hide password');
    await page.keyboard.press('Enter');
    expect(await password.getAttribute('type')).toBe('password');

    // The wrong password: a clear message, which takes the focus.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const error = page.getByTestId('sign-in-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('The email address or password is not right');
    expect(await error.getAttribute('role')).toBe('alert');
    expect((await focused(page)).text).toContain('is not right');
    expect(await email.inputValue()).toBe(ada.email);
    await checkA11y(page, 'sign-in with a wrong password');
    await screenshot(page, 'sign-in-error-desktop');

    // The right one: on to the page in ?next=, with the user's name in the header.
    await password.fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/map' && url.searchParams.get('q') === 'Oak');
    await h1(page).filter({ hasText: 'Map' }).waitFor();
    await accountButton(page, 'Ada Lovelace').waitFor();
    expect(await page.getByTestId('account-name').textContent()).toBe('Ada Lovelace');
    expect(await statusOf(page, '/api/v1/me')).toBe(200);
    // The session cookie is HttpOnly: scripts in the page cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain('tandem_session');
    expect(problems).toEqual([]);
  });

  it('never follows ?next= off the site', async () => {
    const grace = await newUser('Grace Hopper');
    const { page, problems } = await openPage('/sign-in?next=//evil.example/steal');
    await h1(page).filter({ hasText: 'Sign in' }).waitFor();
    await page.getByLabel('Email address').fill(grace.email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.origin === server.url && url.pathname === '/');
    await accountButton(page, 'Grace Hopper').waitFor();
    expect(problems).toEqual([]);
  });

  it('says how long to wait after too many failed attempts (429 with Retry-After)', async () => {
    const user = await newUser('Rate Limited Person');
    const { page, context, problems } = await openPage('/sign-in');
    for (let i = 0; i < 5; i++) {
      const response = await context.request.post(`${server.url}/api/v1/auth/sign-in`, {
        data: { email: user.email, password: `wrong password number ${i}` },
        headers: { origin: server.url },
      });
      expect(response.status()).toBe(401);
    }
    await h1(page).filter({ hasText: 'Sign in' }).waitFor();
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const error = page.getByTestId('sign-in-error');
    await error.getByText('Too many sign-in attempts').waitFor();
    expect(await error.textContent()).toMatch(/Try again in 15 minutes \(at \d{1,2}:\d{2}/);
    await checkA11y(page, 'sign-in rate limited');
    await screenshot(page, 'sign-in-rate-limited-desktop');
    expect(problems).toEqual([]);
  });

  it('opens the account menu by keyboard, closes it with Esc, and signs out', async () => {
    const user = await newUser('Katherine Johnson');
    const tp = await openPage('/sign-in');
    const { page, problems } = tp;
    expect(await signInByApi(tp, user)).toBe(200);
    await page.goto('/');
    const button = accountButton(page, 'Katherine Johnson');
    await button.waitFor();
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    const profileLink = banner(page).getByRole('link', { name: 'Profile' });
    expect(await profileLink.isVisible()).toBe(false);

    await button.focus();
    await page.keyboard.press('Enter');
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    await profileLink.waitFor({ state: 'visible' });
    await banner(page).getByText(user.email).waitFor();
    // Tab walks through the open menu: Profile, API tokens, Sign out.
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Profile');
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('API tokens');
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Sign out');
    await checkA11y(page, 'account menu open');
    await screenshot(page, 'account-menu-desktop', { fullPage: false });
    await page.keyboard.press('Escape');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect((await focused(page)).text).toContain('Katherine Johnson');

    // A link in the menu goes to its page and closes the menu.
    await button.click();
    await banner(page).getByRole('link', { name: 'API tokens' }).click();
    await h1(page).filter({ hasText: 'API tokens' }).waitFor();
    expect(await button.getAttribute('aria-expanded')).toBe('false');

    await button.click();
    await banner(page).getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.getByText('You have signed out.').waitFor();
    await h1(page).filter({ hasText: 'Sign in' }).waitFor();
    expect(await statusOf(page, '/api/v1/me')).toBe(401);
    // Elsewhere the header offers to sign in again, and to come back.
    await page
      .getByRole('navigation', { name: 'Primary' })
      .getByRole('link', { name: 'Map' })
      .click();
    await h1(page).filter({ hasText: 'Map' }).waitFor();
    const signIn = banner(page).getByRole('link', { name: 'Sign in' });
    await signIn.waitFor();
    expect(await signIn.getAttribute('href')).toBe('/sign-in?next=%2Fmap');
    await checkA11y(page, 'map signed out');
    expect(problems).toEqual([]);
  });

  it('lists the sessions on the profile, marks this one, and signs out another and then this one', async () => {
    const ada = await newUser('Ada Byron King', { is_admin: true });
    // Another session, from "another computer".
    const other = await fetch(`${server.url}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': FIREFOX_ON_WINDOWS },
      body: JSON.stringify({ email: ada.email, password: PASSWORD }),
    });
    expect(other.status).toBe(200);
    const otherCookie = (other.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const otherMe = () =>
      fetch(`${server.url}/api/v1/me`, { headers: { cookie: otherCookie } }).then((r) => r.status);
    expect(await otherMe()).toBe(200);

    const tp = await openPage('/sign-in');
    const { page, problems } = tp;
    expect(await signInByApi(tp, ada)).toBe(200);
    await page.goto('/profile');
    await h1(page).filter({ hasText: 'Profile' }).waitFor();
    expect(await page.getByTestId('profile-name').textContent()).toBe('Ada Byron King');
    await page.getByRole('main').getByText(ada.email, { exact: true }).waitFor();
    await page.getByRole('main').locator('.badge', { hasText: 'Administrator' }).waitFor();

    const table = page.getByRole('table', { name: /Sessions/ });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const current = rows.filter({ hasText: 'This browser' });
    expect(await current.count()).toBe(1);
    expect(await current.getByRole('rowheader').textContent()).toContain('Chrome on Linux');
    const firefox = rows.filter({ hasText: 'Firefox on Windows' });
    expect(await firefox.count()).toBe(1);
    await page.waitForLoadState('networkidle');
    await checkA11y(page, 'profile');
    await screenshot(page, 'profile-desktop');

    // Sign out the other session: confirm first, Cancel is the safe default.
    const revokeOther = firefox.getByRole('button', { name: /^Sign out Firefox on Windows/ });
    await revokeOther.click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    expect((await focused(page)).text).toBe('Cancel');
    await dialog.getByText('will be signed out at once').waitFor();
    await checkA11y(page, 'sign out session dialog');
    await screenshot(page, 'profile-sign-out-dialog-desktop', { fullPage: false });
    await dialog.getByRole('button', { name: 'Sign out session' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(/^Signed out Firefox on Windows/).waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    expect((await focused(page)).text).toBe('Active sessions');
    expect(await otherMe()).toBe(401);
    expect(await statusOf(page, '/api/v1/me')).toBe(200);

    // Signing out the current session signs this browser out.
    await current.getByRole('button', { name: /^Sign out this browser/ }).click();
    await dialog.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.getByText('You have signed out of this browser.').waitFor();
    expect(await statusOf(page, '/api/v1/me')).toBe(401);
    expect(problems).toEqual([]);
  });

  it('renames you and changes your password on the profile; the new password signs in', async () => {
    const user = await newUser('Hedy Lamarr');
    const newPassword = 'harbour quilt cinnamon 7';
    // Another session, from "another computer": changing the password signs it out.
    const other = await fetch(`${server.url}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': FIREFOX_ON_WINDOWS },
      body: JSON.stringify({ email: user.email, password: PASSWORD }),
    });
    expect(other.status).toBe(200);
    const otherCookie = (other.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const otherMe = () =>
      fetch(`${server.url}/api/v1/me`, { headers: { cookie: otherCookie } }).then((r) => r.status);

    const tp = await openPage('/sign-in');
    const { page, problems } = tp;
    expect(await signInByApi(tp, user)).toBe(200);
    await page.goto('/profile');
    await h1(page).filter({ hasText: 'Profile' }).waitFor();
    const main = page.getByRole('main');
    const nameSection = main.getByRole('region', { name: 'Your name' });
    const name = nameSection.getByLabel('Name', { exact: true });
    await name.waitFor();
    expect(await name.inputValue()).toBe('Hedy Lamarr');
    expect(await name.getAttribute('autocomplete')).toBe('name');
    const sessionRows = page.getByRole('table', { name: /Sessions/ }).locator('tbody tr');
    await expect.poll(() => sessionRows.count()).toBe(2);
    await page.waitForLoadState('networkidle');
    await checkA11y(page, 'profile with the name and password forms');
    await screenshot(page, 'profile-forms-desktop');

    // Rename: an empty name is refused here, with the focus on the field.
    const saveName = nameSection.getByRole('button', { name: 'Save name' });
    await name.fill('   ');
    await saveName.click();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect((await focused(page)).name).toBe('display_name');
    await name.fill('Hedy Kiesler Markey');
    await saveName.click();
    const nameStatus = nameSection.getByRole('status');
    await nameStatus.getByText(/^Saved\./).waitFor();
    expect(await nameStatus.textContent()).toContain('now sees you as Hedy Kiesler Markey');
    // The header and the account card show the new name.
    await accountButton(page, 'Hedy Kiesler Markey').waitFor();
    expect(await page.getByTestId('account-name').textContent()).toBe('Hedy Kiesler Markey');
    expect(await page.getByTestId('profile-name').textContent()).toBe('Hedy Kiesler Markey');
    expect((await focused(page)).text).toBe('Save name');

    // Changed elsewhere (an administrator renames the account): 412, and a reload is offered.
    const read = await server.json<{ version: number }>(`/api/v1/users/${user.id}`);
    await server.json(`/api/v1/users/${user.id}`, {
      method: 'PATCH',
      headers: { 'if-match': read.etag ?? '' },
      body: JSON.stringify({ display_name: 'Hedy K. Markey' }),
    });
    await name.fill('Hedy Lamarr Markey');
    await saveName.click();
    const conflict = nameSection.getByRole('alert');
    await conflict.getByText('Your account was changed elsewhere').waitFor();
    await checkA11y(page, 'profile name changed elsewhere');
    await conflict.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => name.inputValue()).toBe('Hedy K. Markey');
    expect((await focused(page)).name).toBe('display_name');
    await accountButton(page, 'Hedy K. Markey').waitFor();
    await name.fill('Hedy Kiesler Markey');
    await saveName.click();
    await nameStatus.getByText(/^Saved\./).waitFor();
    await accountButton(page, 'Hedy Kiesler Markey').waitFor();

    // Change the password: the fields say what they are for, to browsers and password managers.
    const passwordSection = main.getByRole('region', { name: 'Change password' });
    const current = passwordSection.getByLabel('Current password', { exact: true });
    const fresh = passwordSection.getByLabel('New password', { exact: true });
    const confirm = passwordSection.getByLabel('Confirm the new password', { exact: true });
    expect(await current.getAttribute('autocomplete')).toBe('current-password');
    expect(await fresh.getAttribute('autocomplete')).toBe('new-password');
    expect(await confirm.getAttribute('autocomplete')).toBe('new-password');
    await passwordSection.getByText('At least 12 characters.').waitFor();
    expect(await fresh.getAttribute('aria-describedby')).toMatch(/-hint$/);
    const changePassword = passwordSection.getByRole('button', { name: 'Change password' });

    // The confirmation differs: caught here, before anything is sent.
    await current.fill('not my password at all');
    await fresh.fill(newPassword);
    await confirm.fill(`${newPassword}!`);
    await changePassword.click();
    expect(await confirm.getAttribute('aria-invalid')).toBe('true');
    expect((await focused(page)).name).toBe('confirm');
    await passwordSection.getByText('The two passwords are not the same.').waitFor();

    // A wrong current password: the server says so, next to that field, which takes the focus.
    await confirm.fill(newPassword);
    await changePassword.click();
    const currentError = passwordSection.getByText('This is not your current password.');
    await currentError.waitFor();
    expect(await current.getAttribute('aria-invalid')).toBe('true');
    const errorId = await currentError.getAttribute('id');
    expect(errorId).toBeTruthy();
    expect(await current.getAttribute('aria-describedby')).toContain(errorId);
    expect(await fresh.getAttribute('aria-invalid')).toBeNull();
    expect((await focused(page)).name).toBe('current_password');
    expect(await otherMe()).toBe(200);
    await checkA11y(page, 'profile with a wrong current password');
    // The field with the focus is scrolled into view below the sticky header, not under it.
    const headerBottom = await banner(page).evaluate((e) => e.getBoundingClientRect().bottom);
    const fieldTop = await current.evaluate((e) => e.getBoundingClientRect().top);
    expect(fieldTop).toBeGreaterThanOrEqual(headerBottom);
    await screenshot(page, 'profile-password-error-focus-desktop', { fullPage: false });
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'profile-password-error-desktop');
    await page.setViewportSize(MOBILE);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      MOBILE.width,
    );
    await checkA11y(page, 'profile with a wrong current password (phone)');
    await screenshot(page, 'profile-password-error-mobile');
    await page.setViewportSize(DESKTOP);

    // The right one: changed, the other session is signed out, this one stays.
    await current.fill(PASSWORD);
    await changePassword.click();
    const passwordStatus = passwordSection.getByRole('status');
    await passwordStatus.getByText('Your password has been changed.').waitFor();
    expect(await passwordStatus.textContent()).toContain('signed you out on every other browser');
    expect(await current.inputValue()).toBe('');
    expect(await fresh.inputValue()).toBe('');
    expect(await confirm.inputValue()).toBe('');
    expect(await current.getAttribute('aria-invalid')).toBeNull();
    await expect.poll(() => sessionRows.count()).toBe(1);
    expect(await sessionRows.first().textContent()).toContain('This browser');
    expect(await otherMe()).toBe(401);
    expect(await statusOf(page, '/api/v1/me')).toBe(200);
    await page.waitForLoadState('networkidle');
    await checkA11y(page, 'profile after changing the password');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'profile-password-changed-desktop');
    await page.setViewportSize(MOBILE);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      MOBILE.width,
    );
    await checkA11y(page, 'profile after changing the password (phone)');
    await screenshot(page, 'profile-password-changed-mobile');
    await page.setViewportSize(DESKTOP);

    // Sign out, and in again with the new password (the old one no longer works).
    await accountButton(page, 'Hedy Kiesler Markey').click();
    await banner(page).getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.getByText('You have signed out.').waitFor();
    expect(await signInByApi(tp, user)).toBe(401);
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(newPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await accountButton(page, 'Hedy Kiesler Markey').waitFor();
    expect(await statusOf(page, '/api/v1/me')).toBe(200);
    expect(problems).toEqual([]);
  });

  it('asks a signed-out visitor to sign in, and comes back to the page', async () => {
    const user = await newUser('Dorothy Vaughan');
    const { page, problems } = await openPage('/profile');
    await h1(page).filter({ hasText: 'Profile' }).waitFor();
    await page.getByText('Sign in to see this page').waitFor();
    await page.waitForLoadState('networkidle');
    await checkA11y(page, 'profile signed out');
    await screenshot(page, 'profile-signed-out-desktop');
    const main = page.getByRole('main');
    expect(await main.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe(
      '/sign-in?next=%2Fprofile',
    );
    await main.getByRole('link', { name: 'Sign in' }).click();
    await h1(page).filter({ hasText: 'Sign in' }).waitFor();
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/profile');
    await page.getByTestId('profile-name').filter({ hasText: 'Dorothy Vaughan' }).waitFor();
    await page.getByRole('main').locator('.badge', { hasText: 'Member' }).waitFor();

    // The tokens page asks too.
    const signedOut = await openPage('/profile/tokens');
    await h1(signedOut.page).filter({ hasText: 'API tokens' }).waitFor();
    await signedOut.page.getByText('Sign in to see this page').waitFor();
    expect(
      await signedOut.page
        .getByRole('main')
        .getByRole('link', { name: 'Sign in' })
        .getAttribute('href'),
    ).toBe('/sign-in?next=%2Fprofile%2Ftokens');
    expect(problems).toEqual([]);
    expect(signedOut.problems).toEqual([]);
  });

  it('creates an API token, shows its secret once, and revokes it', async () => {
    const user = await newUser('Mary Jackson');
    const tp = await openPage('/sign-in');
    const { page, context, problems } = tp;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    expect(await signInByApi(tp, user)).toBe(200);
    await page.goto('/profile/tokens');
    await h1(page).filter({ hasText: 'API tokens' }).waitFor();

    // Empty: the page says what tokens are for, and the first step.
    await page.getByRole('heading', { name: 'No API tokens yet' }).waitFor();
    await page.waitForLoadState('networkidle');
    await checkA11y(page, 'tokens empty');
    await screenshot(page, 'tokens-empty-desktop');
    await page.getByRole('button', { name: 'Create your first token' }).click();
    expect((await focused(page)).name).toBe('name');

    // The name is required.
    await page.getByRole('button', { name: 'Create token' }).click();
    const name = page.getByLabel('Name', { exact: true });
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect((await focused(page)).name).toBe('name');

    await name.fill('Attendance export');
    expect(await page.getByLabel('Read only').isChecked()).toBe(true);
    await page.getByLabel('Read and write').check();
    await page.getByLabel('Read only').check();
    await page.getByLabel('Expires after').selectOption('30');
    await page.getByRole('button', { name: 'Create token' }).click();

    // The secret, once, in a read-only field that has the focus's attention.
    const secretHeading = page.getByRole('heading', { name: 'Copy your new token now' });
    await secretHeading.waitFor();
    expect((await focused(page)).text).toBe('Copy your new token now');
    await page.getByText('This is the only time Tandem shows this token.').waitFor();
    const secretField = page.getByLabel('Token “Attendance export”');
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^tdm_\S{20,}$/);
    expect(await secretField.getAttribute('readonly')).not.toBeNull();
    await page.getByRole('button', { name: 'Copy the token' }).click();
    await page.getByText('Copied the token to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    // The form is ready for another token.
    expect(await name.inputValue()).toBe('');

    const table = page.getByRole('table', { name: /API tokens/ });
    const row = table.locator('tbody tr').filter({ hasText: 'Attendance export' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Read only');
    expect(await row.textContent()).toContain('Never used');
    await checkA11y(page, 'token created');
    await screenshot(page, 'tokens-created-desktop');

    // The token works as a Bearer credential, as you.
    const used = await withBearer(secret);
    expect(used.status).toBe(200);
    expect(used.body.email).toBe(user.email);

    // Once hidden, the secret is gone from the page for good: only the list entry remains.
    await page.getByRole('button', { name: /I have stored it/ }).click();
    await secretHeading.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await h1(page).filter({ hasText: 'API tokens' }).waitFor();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await row.textContent()).not.toContain('Never used');
    await page.waitForLoadState('networkidle');
    await checkA11y(page, 'tokens list');
    await screenshot(page, 'tokens-list-desktop');

    // Revoke: confirm first; then the token is refused.
    await row.getByRole('button', { name: 'Revoke Attendance export' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    expect((await focused(page)).text).toBe('Cancel');
    await checkA11y(page, 'revoke token dialog');
    await screenshot(page, 'tokens-revoke-dialog-desktop', { fullPage: false });
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Revoked “Attendance export”.').waitFor();
    expect((await focused(page)).text).toBe('Your tokens');
    await page.getByRole('heading', { name: 'No API tokens yet' }).waitFor();
    const refused = await withBearer(secret);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('unauthenticated');
    expect(problems).toEqual([]);
  });

  it('fits every account page on a phone, header menu included', async () => {
    const user = await newUser('Annie Easley');
    const tp = await openPage('/sign-in', MOBILE);
    const { page, problems } = tp;
    await h1(page).filter({ hasText: 'Sign in' }).waitFor();
    const fits = async (label: string) => {
      await page.waitForLoadState('networkidle');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `page width of ${label}`).toBeLessThanOrEqual(MOBILE.width);
      await checkA11y(page, `${label} (phone)`);
    };
    await fits('sign-in');
    await screenshot(page, 'sign-in-mobile');
    await page.goto('/profile');
    await page.getByText('Sign in to see this page').waitFor();
    await fits('profile signed out');
    await screenshot(page, 'profile-signed-out-mobile');

    expect(await signInByApi(tp, user)).toBe(200);
    await page.request.post(`${server.url}/api/v1/me/tokens`, {
      data: { name: 'Monthly attendance spreadsheet', scope: 'read', expires_in_days: 90 },
      headers: { origin: server.url },
    });
    await page.goto('/profile');
    await page.getByRole('table', { name: /Sessions/ }).waitFor();
    await fits('profile');
    await screenshot(page, 'profile-mobile');

    await page.goto('/profile/tokens');
    await page.getByRole('table', { name: /API tokens/ }).waitFor();
    await fits('tokens');
    await screenshot(page, 'tokens-list-mobile');
    await page.getByLabel('Name', { exact: true }).fill('Data sync');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('heading', { name: 'Copy your new token now' }).waitFor();
    await fits('token created');
    await screenshot(page, 'tokens-created-mobile');

    // The header: the account button and the navigation's Menu button side by side.
    await page.evaluate(() => window.scrollTo(0, 0));
    const button = accountButton(page, 'Annie Easley');
    await button.click();
    await banner(page).getByRole('link', { name: 'Profile' }).waitFor({ state: 'visible' });
    await fits('account menu');
    await screenshot(page, 'account-menu-mobile', { fullPage: false });
    // Opening the navigation menu closes the account menu (a click elsewhere).
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.click();
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await page
      .getByRole('navigation', { name: 'Primary' })
      .getByRole('link', { name: 'Map' })
      .waitFor({ state: 'visible' });
    await screenshot(page, 'menu-open-signed-in-mobile', { fullPage: false });
    expect(problems).toEqual([]);
  });

  it('shows the sign-in page at the desktop size once signed in, too', async () => {
    const user = await newUser('Evelyn Boyd Granville');
    const tp = await openPage('/sign-in', DESKTOP);
    expect(await signInByApi(tp, user)).toBe(200);
    await tp.page.goto('/sign-in?next=/profile');
    await h1(tp.page).filter({ hasText: 'You are signed in' }).waitFor();
    await tp.page.getByRole('main').getByText(user.email).waitFor();
    await checkA11y(tp.page, 'sign-in when signed in');
    await tp.page.getByRole('link', { name: 'Continue' }).click();
    await tp.page.waitForURL((url) => url.pathname === '/profile');
    expect(tp.problems).toEqual([]);
  });
});
