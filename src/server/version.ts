import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** The version in package.json: reported by /health, stamped into archives and data dirs. */
export const APP_VERSION: string = (require('../../package.json') as { version: string }).version;
