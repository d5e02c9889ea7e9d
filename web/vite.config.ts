/**
 * Build of the dashboard: web/ → dist/web, served by `socd serve` at /dashboard/
 * (src/api/plugins/static-web.ts). `npm run build:web`. https://vite.dev/config/
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // One small app: no module-preload polyfill (it would be an extra inline-free but needless chunk).
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
  // The dev server proxies the API to a running `socd serve` (npm run socd -- serve).
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
    },
  },
});
