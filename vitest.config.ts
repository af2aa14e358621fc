import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Each package's own config, and the second one of the worker and await-transform packages for Chromium.
    projects: ['packages/*', 'packages/worker/vitest.browser.config.ts', 'packages/await-transform/vitest.browser.config.ts'],
  },
});
