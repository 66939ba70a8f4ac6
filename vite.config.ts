import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The web app lives in src/web and is built to dist/web, which the API server serves on its own
// origin. In development, `vite` serves the app and forwards /api to the server on port 3000.
// Builds started from code (npm start, tests) go through buildWeb() in src/server/web-build.ts,
// which sets NODE_ENV=production for the build so a test runner's NODE_ENV=test cannot leak in.
export default defineConfig(() => {
  return {
    root: here('./src/web'),
    publicDir: here('./src/web/public'),
    plugins: [react()],
    build: {
      outDir: here('./dist/web'),
      emptyOutDir: true,
      // Keep every script an external file: the server's CSP forbids inline scripts.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      sourcemap: true,
    },
    server: {
      port: 5173,
      proxy: { '/api': { target: 'http://localhost:3000' } },
    },
    preview: {
      proxy: { '/api': { target: 'http://localhost:3000' } },
    },
  };
});
