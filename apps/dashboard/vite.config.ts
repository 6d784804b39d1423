import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Served by the API at /dashboard (same origin, so no CORS). `vite` alone serves it on its own port,
// proxying /api to scripts/dev.
export default defineConfig({
  base: '/dashboard/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': 'http://localhost:8000' } },
  test: {
    reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          globalSetup: ['e2e/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One browser and one API for the run; the tests share them one after the other.
          fileParallelism: false,
        },
      },
    ],
  },
});
