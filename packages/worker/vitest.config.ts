import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'worker',
    exclude: [...configDefaults.exclude, '**/*.browser.test.ts'],
    // Above the tests' own deadline (test/fixtures/harness.ts), which names the calls still pending.
    testTimeout: 30_000,
  },
});
