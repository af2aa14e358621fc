/**
 * The `await` transform as a rollup plugin.
 * @module @tasklocal/browser-zone/rollup
 */
import type { Plugin } from 'rollup';
import type { AwaitTransformOptions } from './options.ts';
import { unplugin } from './unplugin.ts';

export type { AwaitTransformOptions } from './options.ts';

/**
 * Rewrites `await` so that tasklocal values survive it, without downleveling.
 * @example
 * ```ts
 * import { awaitTransform } from '@tasklocal/browser-zone/rollup';
 * // add awaitTransform() to the plugins of your rollup config
 * ```
 */
export const awaitTransform: (options?: AwaitTransformOptions) => Plugin = (options) => unplugin.rollup(options);
