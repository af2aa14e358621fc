/**
 * The `await` transform: rewrites native `await` so that tasklocal values survive it in browsers.
 * The bundler plugins are on `/vite`, `/rollup`, `/esbuild`, `/webpack` and `/unplugin`.
 * @module @tasklocal/await-transform
 */
export type { AwaitTransformOptions, IdFilter } from './options.ts';
export { type TransformAwaitOptions, type TransformAwaitResult, transformAwait } from './transform.ts';
