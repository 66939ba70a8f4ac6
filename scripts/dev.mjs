// `npm run dev`: the API (restarted by tsx on server changes) and Vite's dev server with hot
// reload of the web app, which proxies /api to the API. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const emptyWebRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-dev-web-'));
const children = [
  spawn(
    'npx',
    [
      'tsx',
      'watch',
      '--clear-screen=false',
      'bin/tandem.mjs',
      'serve',
      '--port',
      process.env.PORT ?? '3000',
    ],
    {
      stdio: 'inherit',
      // The API server does not serve or build the web app in dev: Vite does.
      env: { ...process.env, TANDEM_WEB_ROOT: emptyWebRoot },
    },
  ),
  spawn('npx', ['vite', '--port', '5173'], { stdio: 'inherit' }),
];
console.log('Dev: open http://localhost:5173 (web, hot reload); API on http://localhost:3000');
const stop = () => {
  for (const child of children) child.kill('SIGINT');
  fs.rmSync(emptyWebRoot, { recursive: true, force: true });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) child.on('exit', (code) => code && code !== 130 && stop());
