/**
 * The `await` transform as an unplugin, for every bundler it supports.
 * @module @tasklocal/await-transform/unplugin
 */
import { createUnplugin, type UnpluginInstance } from 'unplugin';
import { checkOptions, createIdFilter } from './filter.ts';
import type { AwaitTransformOptions } from './options.ts';
import { transformAwait } from './transform.ts';

export type { AwaitTransformOptions, IdFilter } from './options.ts';

/** The plugin factory; `unplugin.vite`, `.rollup`, `.esbuild`, `.webpack` and friends are the bundler plugins. */
export const unplugin: UnpluginInstance<AwaitTransformOptions | undefined, false> = createUnplugin(
  (raw: AwaitTransformOptions | undefined) => {
    const options = checkOptions(raw);
    const filter = createIdFilter(options.include, options.exclude);
    const runtime = options.runtime ?? undefined;
    return {
      name: 'tasklocal-await',
      enforce: 'post',
      transformInclude: filter,
      transform(code: string, id: string) {
        const result = transformAwait(code, id, runtime === undefined ? {} : { runtime });
        return result === undefined ? null : { code: result.code, map: result.map ?? null };
      },
    };
  },
);
