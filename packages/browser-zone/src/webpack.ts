/**
 * The `await` transform as a webpack plugin.
 * @module @tasklocal/browser-zone/webpack
 */
import { type AwaitTransformOptions, unplugin } from './unplugin.ts';

export type { AwaitTransformOptions } from './unplugin.ts';

/**
 * Rewrites `await` so that tasklocal values survive it, without downleveling.
 * @example
 * ```ts
 * import { awaitTransform } from '@tasklocal/browser-zone/webpack';
 * // add awaitTransform() to the plugins of your webpack config
 * ```
 */
export const awaitTransform: (options?: AwaitTransformOptions) => ReturnType<typeof unplugin.webpack> = unplugin.webpack;
