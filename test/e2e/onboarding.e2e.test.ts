/**
 * Getting an account, in a real browser against a real server: accepting an emailed invitation
 * (new account, and an existing one through the sign-in page), resetting a forgotten password by
 * emailed link, and the demo instance's "Try a demo role" buttons. Emails are read from the
 * server's outbox (.eml files in its data directory), the links opened as a person would open
 * them. axe (WCAG 2.1 AA) on every page state, screenshots at 1366×768 and 390×844.
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
import { DEMO, linkIn, startTestServer, type TestServer } from './support/server.ts';

const STRONG_PASSWORD = 'copper kettle meadow 73';
const NEWER_PASSWORD = 'violet harbour lantern 58';

const unique = () => Math.random().toString(36).slice(2, 8);

describe.skipIf(skipBrowserTests())('onboarding in Chromium', () => {
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

  async function openPage(path?: string) {
    const tp = await newPage(browser, { baseURL: server.url });
    open.push(tp);
    if (path) await tp.page.goto(path);
    return tp;
  }

  /** Invites `email` as a coalition-wide partner, as the demo admin; returns the emailed link. */
  async function invite(email: string): Promise<string> {
    await server.json('/api/v1/invitations', {
      method: 'POST',
      body: JSON.stringify({ email, role: 'partner' }),
    });
    const mail = await server.nextEmail(email);
    expect(mail.subject).toBe('You are invited to the coalition on Tandem');
    return linkIn(mail, server.url, '/accept-invitation');
  }

  /** The page as it is now, at both of the guide's sizes (back at the desktop size after). */
  async function shoot(page: Page, name: string) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, `${name}-desktop`);
    await page.setViewportSize(MOBILE);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth),
      `${name} fits a phone`,
    ).toBeLessThanOrEqual(MOBILE.width);
    await checkA11y(page, `${name} (phone)`);
    await screenshot(page, `${name}-mobile`);
    await page.setViewportSize(DESKTOP);
  }

  const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
  const accountButton = (page: Page, name: string) =>
    page
      .getByRole('banner')
      .getByRole('button', { name: new RegExp(`^${name}\\s*, your account$`) });
  const addressBarHash = (page: Page) => new URL(page.url()).hash;

  it('accepts an invitation: a new account, refused with a weak password, then signed in', async () => {
    const email = `new.partner.${unique()}@example.org`;
    const link = await invite(email);

    const { page, problems } = await openPage();
    await page.goto(link);
    await h1(page).filter({ hasText: 'Join the coalition on Tandem' }).waitFor();
    expect(await page.getByTestId('invitation-summary').textContent()).toBe(
      `${DEMO.admin.name} invited you to join the coalition as a partner.`,
    );
    await page.getByText(email, { exact: true }).waitFor();
    // The secret leaves the address bar once read (it stays in this tab only).
    await expect.poll(() => addressBarHash(page)).toBe('');
    expect(await page.title()).toBe('Accept your invitation — Tandem');
    await checkA11y(page, 'invitation');
    await shoot(page, 'invitation');

    // A weak password: the server's reason, next to the field, which takes the focus.
    const nameField = page.getByLabel('Your name');
    const password = page.getByLabel('Password', { exact: true });
    const confirm = page.getByLabel('Confirm the password');
    expect(await password.getAttribute('autocomplete')).toBe('new-password');
    await nameField.fill('Morgan Ellis');
    await password.fill('password1234');
    await confirm.fill('password1234');
    await page.getByRole('button', { name: 'Create account and join' }).click();
    await page
      .getByText('This password is one of the most commonly used; choose another.')
      .waitFor();
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
      'password',
    );
    await checkA11y(page, 'invitation with a weak password');
    await shoot(page, 'invitation-weak-password');

    // Two different passwords are caught before asking the server.
    await password.fill(STRONG_PASSWORD);
    await confirm.fill(`${STRONG_PASSWORD}!`);
    await page.getByRole('button', { name: 'Create account and join' }).click();
    await page.getByText('The two passwords are not the same.').waitFor();

    await confirm.fill(STRONG_PASSWORD);
    await page.getByRole('button', { name: 'Create account and join' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await accountButton(page, 'Morgan Ellis').waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    expect(me).toMatchObject({ email, display_name: 'Morgan Ellis', is_admin: false });

    // The link works once.
    await page.goto(link);
    await h1(page).filter({ hasText: 'This invitation was already accepted' }).waitFor();
    await page.getByText('You are signed in as Morgan Ellis', { exact: false }).waitFor();
    await page.getByRole('link', { name: 'Go to the home page' }).waitFor();
    await checkA11y(page, 'invitation already used');
    await shoot(page, 'invitation-used');
    expect(problems).toEqual([]);
  });

  it('accepts an invitation for an existing account after signing in, keeping the link', async () => {
    const email = `existing.${unique()}@example.org`;
    await server.createUser({ email, display_name: 'Jordan Existing', password: STRONG_PASSWORD });
    const link = await invite(email);

    const { page, problems } = await openPage();
    await page.goto(link);
    await h1(page).filter({ hasText: 'Join the coalition on Tandem' }).waitFor();
    await expect.poll(() => addressBarHash(page)).toBe('');
    const signInLink = page.getByRole('link', { name: `Sign in as ${email} to accept` });
    await signInLink.waitFor();
    expect(await page.getByRole('button', { name: 'Create account and join' }).count()).toBe(0);
    await checkA11y(page, 'invitation for an existing account');
    await shoot(page, 'invitation-existing-account');

    await signInLink.click();
    await page.waitForURL(
      (url) => url.pathname === '/sign-in' && url.searchParams.get('next') === '/accept-invitation',
    );
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(STRONG_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    // Back without the secret in the address: the tab kept it.
    await page.waitForURL((url) => url.pathname === '/accept-invitation' && url.hash === '');
    const accept = page.getByRole('button', { name: 'Accept the invitation' });
    await accept.waitFor();
    await checkA11y(page, 'invitation, signed in as the invitee');
    await shoot(page, 'invitation-accept-signed-in');
    await accept.click();
    await page.waitForURL((url) => url.pathname === '/');
    await accountButton(page, 'Jordan Existing').waitFor();
    const { body: memberships } = await server.json<{
      items: { role: string; scope: string; user: { display_name: string } }[];
    }>('/api/v1/memberships?scope=coalition&limit=200');
    expect(
      memberships.items.some(
        (m) => m.role === 'partner' && m.user.display_name === 'Jordan Existing',
      ),
    ).toBe(true);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(problems).toEqual([]);
  });

  it('explains links that are unknown, expired or missing', async () => {
    const { page, problems } = await openPage('/accept-invitation#not-a-real-invitation-token-xyz');
    await h1(page).filter({ hasText: 'This invitation link is not valid' }).waitFor();
    expect(addressBarHash(page)).toBe('');
    await checkA11y(page, 'invitation unknown');
    await shoot(page, 'invitation-unknown');

    // An expired invitation (410 link_expired) says so, with the server's words on whom to ask.
    await page.route('**/api/v1/invitations/preview', (route) =>
      route.fulfill({
        status: 410,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'urn:tandem:problem:link_expired',
          title: 'Gone',
          status: 410,
          code: 'link_expired',
          detail: 'This invitation expired on 2026-01-01. Ask Avery Admin for a new one.',
          request_id: 'test',
        }),
      }),
    );
    await page.goto('/accept-invitation#an-expired-invitation-token-abc');
    await h1(page).filter({ hasText: 'This invitation has expired' }).waitFor();
    await page.getByText('Ask Avery Admin for a new one.', { exact: false }).waitFor();
    await checkA11y(page, 'invitation expired');
    await shoot(page, 'invitation-expired');
    await page.unroute('**/api/v1/invitations/preview');

    // No secret at all: the page asks for the link from the email.
    await page.goto('/accept-invitation');
    await h1(page).filter({ hasText: 'Open the link from your invitation email' }).waitFor();
    await page.goto('/reset-password');
    await h1(page).filter({ hasText: 'Open the link from your email' }).waitFor();
    await page.getByRole('link', { name: 'Ask for a new link' }).waitFor();
    await checkA11y(page, 'reset without a link');
    await shoot(page, 'reset-missing-link');

    // A reset link Tandem does not know (404) is found out on submitting.
    await page.goto('/reset-password#not-a-real-reset-token-xyz');
    await h1(page).filter({ hasText: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill(STRONG_PASSWORD);
    await page.getByLabel('Confirm the new password').fill(STRONG_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await h1(page).filter({ hasText: 'This reset link is not valid' }).waitFor();
    await page.getByRole('link', { name: 'Ask for a new link' }).click();
    await h1(page).filter({ hasText: 'Forgot your password?' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('resets a forgotten password by emailed link, then signs in with the new one', async () => {
    const email = `forgetful.${unique()}@example.org`;
    await server.createUser({ email, display_name: 'Robin Forgetful', password: STRONG_PASSWORD });

    const { page, problems } = await openPage('/sign-in');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await h1(page).filter({ hasText: 'Forgot your password?' }).waitFor();
    expect(await page.title()).toBe('Forgot your password? — Tandem');
    await checkA11y(page, 'forgot password');
    await shoot(page, 'forgot-password');

    // Nothing typed: the field says so.
    await page.getByRole('button', { name: 'Email me a reset link' }).click();
    await page.getByText('Enter the email address of your account.').waitFor();

    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Email me a reset link' }).click();
    await h1(page).filter({ hasText: 'Check your email' }).waitFor();
    const neutral = page.getByTestId('reset-requested');
    expect(await neutral.textContent()).toContain(
      `If an account uses ${email}, we sent a link to choose a new password to that address.`,
    );
    await checkA11y(page, 'reset requested');
    await shoot(page, 'forgot-password-sent');

    const mail = await server.nextEmail(email);
    expect(mail.subject).toBe('Reset your Tandem password');
    const link = linkIn(mail, server.url, '/reset-password');
    await page.goto(link);
    await h1(page).filter({ hasText: 'Choose a new password' }).waitFor();
    await expect.poll(() => addressBarHash(page)).toBe('');
    await page.getByText('At least 12 characters.', { exact: false }).first().waitFor();
    await checkA11y(page, 'reset password');
    await shoot(page, 'reset-password');

    // The policy's words come from the server, next to the field.
    const password = page.getByLabel('New password', { exact: true });
    const confirm = page.getByLabel('Confirm the new password');
    await password.fill('robinforgetful99');
    await confirm.fill('robinforgetful99');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Do not build the password from your name or email address.').waitFor();
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    await checkA11y(page, 'reset password refused');
    await shoot(page, 'reset-password-weak');

    await password.fill(NEWER_PASSWORD);
    await confirm.fill(NEWER_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await h1(page).filter({ hasText: 'Your password has been changed' }).waitFor();
    await checkA11y(page, 'password changed');
    await shoot(page, 'reset-password-done');

    await page.getByTestId('reset-done').getByRole('link', { name: 'Sign in' }).click();
    await h1(page).filter({ hasText: 'Sign in' }).waitFor();
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(STRONG_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByTestId('sign-in-error').waitFor();
    await page.getByLabel('Password', { exact: true }).fill(NEWER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await accountButton(page, 'Robin Forgetful').waitFor();

    // The link works once.
    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill(STRONG_PASSWORD);
    await page.getByLabel('Confirm the new password').fill(STRONG_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await h1(page).filter({ hasText: 'This reset link was already used' }).waitFor();
    await checkA11y(page, 'reset link used');
    await shoot(page, 'reset-password-used');
    expect(problems).toEqual([]);
  });

  it('says how long to wait after asking for too many reset emails (429)', async () => {
    const email = `flooded.${unique()}@example.org`;
    const { page, context, problems } = await openPage('/forgot-password');
    for (let i = 0; i < 3; i++) {
      const response = await context.request.post(`${server.url}/api/v1/auth/password-reset`, {
        data: { email },
        headers: { origin: server.url },
      });
      expect(response.status()).toBe(202);
    }
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Email me a reset link' }).click();
    const error = page.getByTestId('reset-request-error');
    await error.getByText('Too many reset emails asked for').waitFor();
    expect(await error.textContent()).toMatch(/Try again in \d+ minutes \(at \d{1,2}:\d{2}/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'reset-request-error',
    );
    await checkA11y(page, 'forgot password rate limited');
    await shoot(page, 'forgot-password-rate-limited');
    expect(problems).toEqual([]);
  });

  it('signs in as a demo role with one button, on a demo instance only', async () => {
    const { page, problems } = await openPage('/sign-in');
    const demo = page.getByRole('region', { name: 'Try a demo role' });
    await demo.waitFor();
    expect(await demo.getByTestId('demo-password').textContent()).toContain(DEMO.password);
    expect(await demo.getByRole('button').count()).toBe(6);
    await checkA11y(page, 'sign-in with demo roles');
    await shoot(page, 'sign-in-demo-roles');

    await demo.getByRole('button', { name: /Practice reviewer/ }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await accountButton(page, DEMO.reviewer.name).waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    expect(me).toMatchObject({ email: DEMO.reviewer.email, is_admin: false });

    // Not a demo instance: no such section.
    const plain = await openPage();
    await plain.page.route('**/api/v1/auth/options', (route) =>
      route.fulfill({ json: { demo_roles: [], demo_password: null } }),
    );
    await plain.page.goto('/sign-in');
    await h1(plain.page).filter({ hasText: 'Sign in' }).waitFor();
    await plain.page.waitForLoadState('networkidle');
    expect(await plain.page.getByRole('heading', { name: 'Try a demo role' }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
