import { awaitTransform } from '@tasklocal/browser-zone/vite';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

// Web Workers in headless Chromium: Debian's Chromium by default; `npm test` sets CHROMIUM_PATH.
const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

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
          executablePath,
          args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
