import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { chromiumBrowser } from '../../scripts/lib/vitest-chromium.mjs';
import { commands } from './test/commands.ts';
import { unplugin } from './src/unplugin.ts';

export default defineConfig({
  // The transform runs on the tests and on @tasklocal/conformance's cases (a linked package, so not in node_modules).
  plugins: [unplugin.vite({ runtime: fileURLToPath(new URL('./src/runtime.ts', import.meta.url)) })],
  optimizeDeps: {
    include: ['zone.js', '@vitest/browser-playwright', 'fast-check'],
  },
  test: {
    name: 'browser-zone',
    include: ['test/**/*.browser.test.ts'],
    testTimeout: 60_000,
    browser: chromiumBrowser({ args: ['--js-flags=--expose-gc'], commands }),
  },
});
