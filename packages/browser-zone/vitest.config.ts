import { defineConfig } from 'vitest/config';
import { chromiumBrowser } from '../../scripts/lib/vitest-chromium.mjs';

// No build transform here: these tests hold the backends to what they declare on untransformed code.
// The same backends with the transform are tested in @tasklocal/await-transform.
export default defineConfig({
  optimizeDeps: {
    include: ['zone.js', '@vitest/browser-playwright'],
  },
  test: {
    name: 'browser-zone',
    include: ['test/**/*.browser.test.ts'],
    testTimeout: 60_000,
    // --expose-gc: the FinalizationRegistry test collects garbage for real.
    browser: chromiumBrowser({ args: ['--js-flags=--expose-gc'] }),
  },
});
