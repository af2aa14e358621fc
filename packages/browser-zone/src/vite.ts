/**
 * The `await` transform as a vite plugin.
 * @module @tasklocal/browser-zone/vite
 */
import { type AwaitTransformOptions, unplugin } from './unplugin.ts';

export type { AwaitTransformOptions } from './unplugin.ts';

/**
 * Rewrites `await` so that tasklocal values survive it, without downleveling.
 * @example
 * ```ts
 * import { awaitTransform } from '@tasklocal/browser-zone/vite';
 * // add awaitTransform() to the plugins of your vite config
 * ```
 */
export const awaitTransform: (options?: AwaitTransformOptions) => ReturnType<typeof unplugin.vite> = unplugin.vite;
