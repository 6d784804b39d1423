import { packageTestConfig } from '../../vitest.shared.ts';

// The container image test alone, against its own local stack; scripts/test runs it after scripts/image.
export default packageTestConfig({
  include: ['test/image/**/*.test.ts'],
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 30_000,
  reporters: ['default', ['json', { outputFile: '.test-results/vitest-image.json' }]],
});
