// vitest's browser mode on headless Chromium, as every browser test project
// here runs it: the same binary and flags as the scripts, through playwright.
import { playwright } from '@vitest/browser-playwright';
import { CHROMIUM_ARGS, chromiumPath } from './chromium-flags.mjs';

/**
 * The `test.browser` settings for headless Chromium. `args` are added to the
 * shared flags; `commands` are the project's server-side browser commands.
 */
export function chromiumBrowser({ args = [], commands } = {}) {
  return {
    enabled: true,
    headless: true,
    screenshotFailures: false,
    ...(commands === undefined ? {} : { commands }),
    provider: playwright({ launchOptions: { executablePath: chromiumPath(), args: [...CHROMIUM_ARGS, ...args] } }),
    instances: [{ browser: 'chromium' }],
  };
}
