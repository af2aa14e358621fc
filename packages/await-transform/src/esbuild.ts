/**
 * The `await` transform as an esbuild plugin.
 * @module @tasklocal/await-transform/esbuild
 */
import type { Plugin } from 'esbuild';
import type { AwaitTransformOptions } from './options.ts';
import { checkOptions } from './filter.ts';
import { unplugin } from './unplugin.ts';

export type { AwaitTransformOptions, IdFilter } from './options.ts';

/**
 * Rewrites `await` so that tasklocal values survive it, without downleveling.
 * @example
 * ```ts
 * import { awaitTransform } from '@tasklocal/await-transform/esbuild';
 * // add awaitTransform() to the plugins of your esbuild config
 * ```
 */
export const awaitTransform: (options?: AwaitTransformOptions) => Plugin = (options) => unplugin.esbuild(checkOptions(options));
