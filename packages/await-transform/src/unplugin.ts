/**
 * The `await` transform as an unplugin, for every bundler it supports.
 * @module @tasklocal/await-transform/unplugin
 */
import { createUnplugin, type UnpluginInstance } from 'unplugin';
import { createIdFilter } from './filter.ts';
import type { AwaitTransformOptions } from './options.ts';
import { transformAwait } from './transform.ts';

export type { AwaitTransformOptions, IdFilter } from './options.ts';

function checkOptions(raw: unknown): AwaitTransformOptions {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new TypeError(
      `Expected the \`options\` of the await transform plugin to be an object such as \`{ include, exclude, runtime }\` or nothing, got ${Array.isArray(raw) ? 'an array' : `${String(raw)} (a ${typeof raw})`}.`,
    );
  }
  const runtime = (raw as { runtime?: unknown }).runtime;
  if (runtime !== undefined && runtime !== null && typeof runtime !== 'string') {
    throw new TypeError(
      `Expected the \`runtime\` option to be a module specifier string such as \`'@tasklocal/browser-zone/runtime'\`, got ${String(runtime)} (a ${typeof runtime}).`,
    );
  }
  return raw as AwaitTransformOptions;
}

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
