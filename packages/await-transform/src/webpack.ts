/**
 * The `await` transform as a webpack plugin.
 * @module @tasklocal/await-transform/webpack
 */
import type { WebpackPluginInstance } from 'webpack';
import type { AwaitTransformOptions } from './options.ts';
import { checkOptions } from './filter.ts';
import { unplugin } from './unplugin.ts';

export type { AwaitTransformOptions, IdFilter } from './options.ts';

/**
 * Rewrites `await` so that tasklocal values survive it, without downleveling.
 * @example
 * ```ts
 * import { awaitTransform } from '@tasklocal/await-transform/webpack';
 * // add awaitTransform() to the plugins of your webpack config
 * ```
 */
export const awaitTransform: (options?: AwaitTransformOptions) => WebpackPluginInstance = (options) =>
  unplugin.webpack(checkOptions(options));
