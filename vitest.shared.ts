import { defineConfig, type ViteUserConfig } from 'vitest/config';

type TestOptions = NonNullable<ViteUserConfig['test']>;

/** Every package's vitest settings: tests under test/, and the JSON report scripts/test totals. */
export function packageTestConfig(options: TestOptions = {}) {
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...options,
    },
  });
}
