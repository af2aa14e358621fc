/**
 * The `await` transform as a vite plugin.
 * @module @tasklocal/await-transform/vite
 */
import type { Plugin } from 'vite';
import type { AwaitTransformOptions } from './options.ts';
import { checkOptions } from './filter.ts';
import { unplugin } from './unplugin.ts';

export type { AwaitTransformOptions, IdFilter } from './options.ts';

/**
 * Rewrites `await` so that tasklocal values survive it, without downleveling.
 * @example
 * ```ts
 * import { awaitTransform } from '@tasklocal/await-transform/vite';
 * // add awaitTransform() to the plugins of your vite config
 * ```
 */
export const awaitTransform: (options?: AwaitTransformOptions) => Plugin = (options) => unplugin.vite(checkOptions(options));
