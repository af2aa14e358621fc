import { defineConfig } from 'vitest/config';
import { chromiumBrowser } from '../../scripts/lib/vitest-chromium.mjs';
import { unplugin } from './src/unplugin.ts';
import { commands } from './test/commands.ts';

export default defineConfig({
  // The transform runs on the tests and on @tasklocal/core's conformance cases (a linked package, so not in
  // node_modules); the rewritten code imports @tasklocal/browser-zone/runtime, as a user's would.
  plugins: [unplugin.vite()],
  optimizeDeps: {
    include: ['zone.js', '@vitest/browser-playwright', 'fast-check'],
  },
  test: {
    name: 'await-transform (Chromium)',
    include: ['test/**/*.browser.test.ts'],
    testTimeout: 60_000,
    browser: chromiumBrowser({ args: ['--js-flags=--expose-gc'], commands }),
  },
});
