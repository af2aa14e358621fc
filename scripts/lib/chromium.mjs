// Debian's Chromium for the browser tests: found, or installed with apt-get
// when running as root, or a clear error that says what to do.
import { existsSync } from 'node:fs';
import { $ } from 'zx';
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM_PATH } from './chromium-flags.mjs';

/** The path of a Chromium binary; installs Debian's `chromium` package when it is missing. */
export async function ensureChromium() {
  const configured = process.env.CHROMIUM_PATH;
  if (configured !== undefined) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH is set to ${configured}, which does not exist.`);
    return configured;
  }
  const path = DEFAULT_CHROMIUM_PATH;
  if (existsSync(path)) return path;
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      'The browser tests need Chromium and it is not installed. On Debian or Ubuntu run `sudo apt-get install -y chromium`; elsewhere install Chromium and set CHROMIUM_PATH to its binary.',
    );
  }
  console.log('installing Chromium with apt-get …');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await $({ env, quiet: true })`apt-get update -qq`;
  await $({ env, quiet: true })`apt-get install -y -qq chromium`;
  if (!existsSync(path)) throw new Error(`apt-get installed chromium but ${path} does not exist.`);
  return path;
}

/** Headless Chromium through playwright-core, with the flags that work on this kind of machine. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: await ensureChromium(),
    args: [...CHROMIUM_ARGS],
  });
}
