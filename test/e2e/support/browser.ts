/**
 * Headless Chromium for the browser tests: launch, pages at the guide's two viewports, an axe-core
 * accessibility check and optional screenshots.
 *
 * Chromium comes from Debian (`apt-get install -y chromium`) or CHROMIUM_PATH. Without it the
 * suites skip with a note, unless TANDEM_REQUIRE_BROWSER=1 (CI), where they fail.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BROWSER_REQUIRED = process.env.TANDEM_REQUIRE_BROWSER === '1';
const INSTALL_HINT = 'install it with `sudo apt-get install -y chromium` to run the browser tests';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DESKTOP = { width: 1366, height: 768 } as const;
export const MOBILE = { width: 390, height: 844 } as const;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Where screenshots go: TANDEM_SCREENSHOTS_DIR (relative to the repository), or test-results/screenshots. */
const SCREENSHOT_DIR = resolve(
  repoRoot,
  process.env.TANDEM_SCREENSHOTS_DIR ?? join('test-results', 'screenshots'),
);

let skipNoticePrinted = false;

/**
 * True when the browser suites should be skipped: Chromium is missing and not required. Use as
 * `describe.skipIf(skipBrowserTests())`. When it is required and missing, the suite runs and
 * `launchBrowser` fails it with the reason.
 */
export function skipBrowserTests(): boolean {
  if (existsSync(CHROMIUM_PATH) || BROWSER_REQUIRED) return false;
  if (!skipNoticePrinted) {
    console.warn(`Chromium not found at ${CHROMIUM_PATH}: ${INSTALL_HINT}`);
    skipNoticePrinted = true;
  }
  return true;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH} and TANDEM_REQUIRE_BROWSER=1: ${INSTALL_HINT} ` +
        '(or set CHROMIUM_PATH).',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface TestPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught exceptions, console errors and CSP violations seen on the page. */
  problems: string[];
  close(): Promise<void>;
}

/** A fresh context and page (1366×768 unless told), recording what goes wrong in the page. */
export async function newPage(
  browser: Browser,
  options: { baseURL: string; viewport?: { width: number; height: number } },
): Promise<TestPage> {
  const context = await browser.newContext({
    baseURL: options.baseURL,
    viewport: options.viewport ?? DESKTOP,
    locale: 'en-US',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // A 4xx answer the test provoked on purpose is logged as "Failed to load resource".
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    problems.push(`console: ${text}`);
  });
  return { page, context, problems, close: () => context.close() };
}

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeResultsLite {
  violations: {
    id: string;
    impact?: string | null;
    help: string;
    helpUrl: string;
    nodes: { target: unknown[]; failureSummary?: string }[];
  }[];
}

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is now, and throws with a readable
 * list of violations. axe is injected through the DevTools protocol, so the page's CSP allows it.
 */
export async function checkA11y(page: Page, label = page.url()): Promise<void> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(`${axe.source}\n;undefined`);
  const results = (await page.evaluate(
    (tags) =>
      (window as unknown as { axe: typeof axe }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    WCAG_TAGS,
  )) as AxeResultsLite;
  if (results.violations.length === 0) return;
  const lines = results.violations.map((v) => {
    const nodes = v.nodes
      .slice(0, 5)
      .map(
        (n) =>
          `      at ${n.target.join(' ')}\n        ${(n.failureSummary ?? '').replace(/\n/g, '\n        ')}`,
      )
      .join('\n');
    const more = v.nodes.length > 5 ? `\n      …and ${v.nodes.length - 5} more` : '';
    return `  - [${v.impact ?? 'unknown'}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
  });
  throw new Error(
    `${results.violations.length} accessibility violation(s) on ${label}:\n${lines.join('\n')}`,
  );
}

/**
 * Saves a PNG to test-results/screenshots/<name>.png (or TANDEM_SCREENSHOTS_DIR) when
 * TANDEM_SCREENSHOTS=1: the full page, or
 * just the viewport (`fullPage: false`, e.g. with a modal dialog open).
 */
export async function screenshot(
  page: Page,
  name: string,
  { fullPage = true }: { fullPage?: boolean } = {},
): Promise<void> {
  if (process.env.TANDEM_SCREENSHOTS !== '1') return;
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = `${name.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}.png`;
  await page.screenshot({ path: join(SCREENSHOT_DIR, file), fullPage });
}
