/**
 * The `await` transform as an unplugin, for every bundler it supports.
 * @module @tasklocal/browser-zone/unplugin
 */
import { createUnplugin, type UnpluginInstance } from 'unplugin';
import type { AwaitTransformOptions } from './options.ts';
import { transformAwait } from './transform.ts';

export type { AwaitTransformOptions } from './options.ts';

const SCRIPT = /\.[cm]?[jt]sx?$/;
const OWN = /[\\/](?:browser-zone[\\/](?:dist|src)|@tasklocal[\\/]browser-zone)[\\/]/;

function matches(test: RegExp | ((id: string) => boolean), id: string): boolean {
  return typeof test === 'function' ? test(id) : test.test(id);
}

/** The plugin factory; `unplugin.vite`, `.rollup`, `.esbuild`, `.webpack` and friends are the bundler plugins. */
export const unplugin: UnpluginInstance<AwaitTransformOptions | undefined, false> = createUnplugin(
  (raw: AwaitTransformOptions | undefined) => {
    const options = raw ?? {};
    return {
      name: 'tasklocal-await',
      enforce: 'post',
      transformInclude(id: string): boolean {
        const file = id.replace(/[?#].*$/, '');
        if (OWN.test(file)) return false;
        if (matches(options.exclude ?? /[\\/]node_modules[\\/]/, file)) return false;
        return matches(options.include ?? SCRIPT, file);
      },
      transform(code: string, id: string) {
        const result = transformAwait(code, id, options.runtime === undefined ? {} : { runtime: options.runtime });
        return result === undefined ? null : { code: result.code, map: result.map ?? null };
      },
    };
  },
);
