import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The web app lives in src/web and is built to dist/web, which the API server serves on its own
// origin. In development, `vite` serves the app and forwards /api to the server on port 3000.
export default defineConfig(({ command, mode }) => {
  if (command === 'build' && mode === 'production' && process.env.NODE_ENV !== 'production') {
    // A build started inside a test runner (NODE_ENV=test) would otherwise ship React's
    // development build, with StrictMode's double effects and without minification.
    process.env.NODE_ENV = 'production';
  }
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
