import { configDefaults, defineConfig } from 'vitest/config';

// The plugins' option handling and builds in Node; vitest.browser.config.ts runs the rest in Chromium.
export default defineConfig({
  test: {
    name: 'await-transform',
    exclude: [...configDefaults.exclude, '**/*.browser.test.ts'],
    testTimeout: 60_000,
  },
});
