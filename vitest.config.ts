import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Each package's own config, and the worker package's second one for Web Workers in Chromium.
    projects: ['packages/*', 'packages/worker/vitest.browser.config.ts'],
  },
});
