import { configDefaults } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared.ts';

// test/image runs the built container image: `pnpm test:image` (vitest.image.config.ts), after scripts/image.
export default packageTestConfig({
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 20_000,
  exclude: [...configDefaults.exclude, 'test/image/**'],
});
