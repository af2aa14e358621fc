// Where headless Chromium is and the flags every run of it uses, as plain data
// with no dependencies, so that the vitest browser configs (through
// vitest-chromium.mjs), the scripts and the benchmarks launch the same browser
// the same way.

/** Debian's `chromium` package. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** The Chromium binary: `CHROMIUM_PATH` (which `npm test` sets), else Debian's. */
export function chromiumPath() {
  return process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM_PATH;
}

/** Flags that work on this kind of machine (root, no GPU, no network beyond the registries). */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]);
