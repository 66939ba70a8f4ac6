/**
 * Writes (--write) or verifies (--check) the committed openapi.json, generated from the route
 * schemas. CI runs --check: a route change without a regenerated spec (and client) fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildApp } from '../src/server/app.ts';
import type { Db } from '../src/server/db/database.ts';
import { createContext } from '../src/server/platform/context.ts';
import { APP_VERSION } from '../src/server/version.ts';
import { REPO_ROOT } from '../src/server/web-build.ts';

const SPEC_PATH = path.join(REPO_ROOT, 'openapi.json');

export async function generateOpenApi(): Promise<string> {
  // Generating the document registers routes but never runs a handler: no database is needed.
  const app = await buildApp({
    ctx: createContext(undefined as unknown as Db, 'pglite', APP_VERSION),
  });
  await app.ready();
  const text = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  return text;
}

const mode = process.argv[2];
if (mode !== '--write' && mode !== '--check') {
  console.error('usage: tsx scripts/openapi.ts --write | --check');
  process.exit(2);
}
const generated = await generateOpenApi();
if (mode === '--write') {
  fs.writeFileSync(SPEC_PATH, generated);
  console.log(`wrote ${path.relative(process.cwd(), SPEC_PATH)}`);
} else {
  const committed = fs.existsSync(SPEC_PATH) ? fs.readFileSync(SPEC_PATH, 'utf8') : '';
  if (committed !== generated) {
    console.error(
      'openapi.json is out of date with the route schemas: run `npm run openapi` and commit it.',
    );
    process.exit(1);
  }
  console.log('openapi.json is up to date.');
}
