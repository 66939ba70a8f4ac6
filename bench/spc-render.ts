/**
 * SPC chart rendering in Chromium: the chart studio's six-site example (6 small multiples of 60
 * points each) loaded in a fresh page, several times. `SpcSmallMultiples` times its own render
 * (React render → layout effect) and writes it to `data-render-ms`; we read that attribute, for
 * the first render of each fresh page and for re-renders triggered by the "Free scales" toggle.
 * Target: ≤ 50 ms. Reported against the page's total time to first chart, as a ratio.
 *
 * Needs Chromium (`apt-get install -y chromium`, or CHROMIUM_PATH); builds dist/web if stale.
 * Run alone with `npx tsx bench/spc-render.ts`; `npm run bench` includes it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { buildWeb, REPO_ROOT, webBuildIsStale } from '../src/server/web-build.ts';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PAGE_LOADS = 7;
const TOGGLES = 6;
const TARGET_MS = 50;

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function startServer(dataDir: string) {
  const child = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, 'bin/tandem.mjs'),
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--no-seed',
    ],
    { env: { ...process.env, TANDEM_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /is running at (http:\/\/\S+) /.exec(output);
      if (match?.[1]) {
        clearInterval(timer);
        resolve(match[1]);
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`server exited: ${output}`));
      }
    }, 5);
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.on('exit', () => resolve());
      child.kill('SIGINT');
    });
  return { url, stop };
}

export async function spcRenderBenchmark(): Promise<string[]> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    return [
      '\n## SPC small multiples render in Chromium',
      `skipped: Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
    ];
  }
  if (webBuildIsStale()) await buildWeb();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-render-'));
  const server = await startServer(dataDir);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const first: number[] = [];
    const toFirstChart: number[] = [];
    const rerender: number[] = [];
    for (let load = 0; load < PAGE_LOADS; load++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${server.url}/chart-studio?example=schools`);
      const grid = page.getByTestId('spc-small-multiples');
      await grid
        .locator('[data-testid="spc-chart"]')
        .nth(5)
        .locator('.spc-point')
        .nth(59)
        .waitFor();
      toFirstChart.push(performance.now() - started);
      first.push(Number(await grid.getAttribute('data-render-ms')));
      if (load === 0) {
        for (let k = 0; k < TOGGLES; k++) {
          const before = await grid.getAttribute('data-render-ms');
          await page.getByLabel('Free scales').click();
          await page.waitForFunction(
            (previous) =>
              document
                .querySelector('[data-testid="spc-small-multiples"]')
                ?.getAttribute('data-render-ms') !== previous,
            before,
          );
          rerender.push(Number(await grid.getAttribute('data-render-ms')));
        }
      }
      await context.close();
    }
    const firstMedian = median(first);
    const pageMedian = median(toFirstChart);
    return [
      `\n## SPC small multiples, 6 × 60 points, render in Chromium (target ≤ ${TARGET_MS} ms)`,
      `first render    median ${firstMedian.toFixed(1)} ms over ${PAGE_LOADS} fresh pages (${first.map((x) => x.toFixed(1)).join(', ')})  ${firstMedian <= TARGET_MS ? 'within target' : 'OVER TARGET'}`,
      `re-render       median ${median(rerender).toFixed(1)} ms over ${TOGGLES} scale toggles (${rerender.map((x) => x.toFixed(1)).join(', ')})`,
      `page load → 6 charts drawn, median ${pageMedian.toFixed(0)} ms; render share ×${(firstMedian / pageMedian).toFixed(2)}`,
    ];
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await spcRenderBenchmark()) console.log(line);
}
