import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_SOURCE = path.join(REPO_ROOT, 'src/web');
export const WEB_DIST = path.join(REPO_ROOT, 'dist/web');
/** The pure core is bundled into the web app too (the chart studio runs the SPC engine). */
const CORE_SOURCE = path.join(REPO_ROOT, 'src/core');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** True when dist/web is missing or older than a file under src/web or src/core (or the Vite config). */
export function webBuildIsStale(): boolean {
  const index = path.join(WEB_DIST, 'index.html');
  if (!fs.existsSync(index)) return true;
  if (!fs.existsSync(WEB_SOURCE)) return false; // an installed build without sources
  const built = fs.statSync(index).mtimeMs;
  const config = path.join(REPO_ROOT, 'vite.config.ts');
  return (
    newestMtime(WEB_SOURCE) > built ||
    (fs.existsSync(CORE_SOURCE) && newestMtime(CORE_SOURCE) > built) ||
    (fs.existsSync(config) && fs.statSync(config).mtimeMs > built)
  );
}

/** Production build of the web app with Vite's JS API (the same as `npm run build`). */
export async function buildWeb(): Promise<void> {
  const { build } = await import('vite');
  // Under a test runner NODE_ENV is "test", and Vite would then ship React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(REPO_ROOT, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
