import type { BrowserConfigOptions } from 'vitest/node';

/**
 * The `test.browser` settings for headless Chromium. `args` are added to the
 * shared flags; `commands` are the project's server-side browser commands.
 */
export declare function chromiumBrowser(options?: {
  args?: readonly string[];
  commands?: BrowserConfigOptions['commands'];
}): BrowserConfigOptions;
