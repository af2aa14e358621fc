import { awaitTransform } from '@tasklocal/browser-zone/vite';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/lib/chromium-flags.mjs';

// Web Workers in headless Chromium.
export default defineConfig({
  // The page and its Web Workers use the AsyncContext backend; the transform keeps values across native await.
  plugins: [awaitTransform()],
  worker: { format: 'es', plugins: () => [awaitTransform()] },
  test: {
    name: 'worker (Chromium)',
    include: ['test/**/*.browser.test.ts'],
    testTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: chromiumPath(),
          args: [...CHROMIUM_ARGS],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
