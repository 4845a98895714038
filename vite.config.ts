import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Port of `vite preview`; Playwright's webServer waits on it, so it must not drift. */
export const PREVIEW_PORT = 4173;

export default defineConfig({
  plugins: [react()],
  // Relative asset URLs: the build works from any static host path and from a file share.
  base: './',
  build: {
    outDir: 'dist',
    // The manifest lets scripts/check-bundle-size.mjs tell the initial chunks from the lazy ones.
    manifest: true,
    target: 'es2022',
  },
  worker: { format: 'es' },
  server: { port: 5173 },
  preview: { port: PREVIEW_PORT, strictPort: true, host: '127.0.0.1' },
});
