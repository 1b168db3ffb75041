import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/** The dashboard's build: `web/` → `web/dist/`, served by AIOS (`src/server/http/web-app.ts`). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  logLevel: 'warn',
  server: { proxy: { '/api': 'http://127.0.0.1:4400', '/auth': 'http://127.0.0.1:4400' } },
});
