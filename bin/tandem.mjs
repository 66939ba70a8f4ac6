#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader: no separate compile step for the server.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/server/cli.ts');
const code = await main(process.argv.slice(2));
// `serve` keeps the event loop alive itself; every other command ends here.
if (process.argv[2] !== 'serve' || code !== 0) process.exit(code);
