/**
 * `npm test`: the whole suite, summed into one line `N passed, N failed` that CI's log reader
 * understands (it does not read Vitest's own summary).
 *
 *   1. unit + API + CLI tests on PGlite (always)
 *   2. the database-backed tests again on PostgreSQL, when TEST_DATABASE_URL is set
 *   3. browser tests in Chromium: skipped with install instructions when Chromium is missing,
 *      a failure instead when TANDEM_REQUIRE_BROWSER=1 (as .ci/run sets)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../src/server/web-build.ts';

interface Run {
  label: string;
  project: 'unit' | 'e2e';
  env: Record<string, string>;
  files: string[];
}

const outDir = path.join(REPO_ROOT, '.tmp/test-results');
fs.mkdirSync(outDir, { recursive: true });
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const runs: Run[] = [
  { label: 'pglite', project: 'unit', env: { TANDEM_TEST_DB: 'pglite' }, files: [] },
];
if (process.env.TEST_DATABASE_URL) {
  runs.push({
    label: 'postgres',
    project: 'unit',
    env: { TANDEM_TEST_DB: 'postgres' },
    files: ['src/server', 'test/api'],
  });
} else {
  console.log(
    'TEST_DATABASE_URL is not set: running on PGlite only (.ci/run also runs on PostgreSQL).',
  );
}
runs.push({ label: 'browser', project: 'e2e', env: {}, files: [] });
if (!fs.existsSync(chromium)) {
  const hint = `Chromium not found at ${chromium}: install it with \`sudo apt-get install -y chromium\` (or set CHROMIUM_PATH) to run the browser tests.`;
  console.log(
    process.env.TANDEM_REQUIRE_BROWSER === '1'
      ? `${hint} TANDEM_REQUIRE_BROWSER=1, so they will fail.`
      : `${hint} Skipping them.`,
  );
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const run of runs) {
  const output = path.join(outDir, `${run.label}.json`);
  fs.rmSync(output, { force: true });
  console.log(`\n=== ${run.label} ===`);
  const result = spawnSync(
    process.execPath,
    [
      path.join(REPO_ROOT, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--project',
      run.project,
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${output}`,
      ...run.files,
    ],
    { stdio: 'inherit', env: { ...process.env, ...run.env }, cwd: REPO_ROOT },
  );
  let report:
    | {
        numPassedTests: number;
        numFailedTests: number;
        numPendingTests: number;
        numTodoTests: number;
      }
    | undefined;
  try {
    report = JSON.parse(fs.readFileSync(output, 'utf8'));
  } catch {
    report = undefined;
  }
  if (!report) {
    console.log(
      `${run.label}: the test run crashed before reporting (exit ${result.status}); counted as a failure.`,
    );
    failed += 1;
    continue;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  if (result.status !== 0 && report.numFailedTests === 0) {
    console.log(
      `${run.label}: vitest exited ${result.status} (e.g. an error outside a test); counted as a failure.`,
    );
    failed += 1;
  }
}

const summary = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
fs.writeFileSync(path.join(outDir, 'summary.txt'), `${summary}\n`);
console.log(`\n${summary}`);
process.exit(failed > 0 ? 1 : 0);
