import { awaitTransform } from '@tasklocal/await-transform/vite';
import { defineConfig } from 'vitest/config';
import { chromiumBrowser } from '../../scripts/lib/vitest-chromium.mjs';

// Web Workers in headless Chromium.
export default defineConfig({
  // The page and its Web Workers use the AsyncContext backend; the transform keeps values across native await.
  plugins: [awaitTransform()],
  worker: { format: 'es', plugins: () => [awaitTransform()] },
  test: {
    name: 'worker (Chromium)',
    include: ['test/**/*.browser.test.ts'],
    testTimeout: 60_000,
    browser: chromiumBrowser(),
  },
});
