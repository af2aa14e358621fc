/**
 * The `await` transform as a rollup plugin.
 * @module @tasklocal/await-transform/rollup
 */
import type { Plugin } from 'rollup';
import type { AwaitTransformOptions } from './options.ts';
import { checkOptions } from './filter.ts';
import { unplugin } from './unplugin.ts';

export type { AwaitTransformOptions, IdFilter } from './options.ts';

/**
 * Rewrites `await` so that tasklocal values survive it, without downleveling.
 * @example
 * ```ts
 * import { awaitTransform } from '@tasklocal/await-transform/rollup';
 * // add awaitTransform() to the plugins of your rollup config
 * ```
 */
export const awaitTransform: (options?: AwaitTransformOptions) => Plugin = (options) => unplugin.rollup(checkOptions(options));
