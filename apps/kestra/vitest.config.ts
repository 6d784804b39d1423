import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The JSON report feeds the one-line total scripts/test prints at the end.
    reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
