/**
 * The `await` transform as a esbuild plugin.
 * @module @tasklocal/browser-zone/esbuild
 */
import { type AwaitTransformOptions, unplugin } from './unplugin.ts';

export type { AwaitTransformOptions } from './unplugin.ts';

/**
 * Rewrites `await` so that tasklocal values survive it, without downleveling.
 * @example
 * ```ts
 * import { awaitTransform } from '@tasklocal/browser-zone/esbuild';
 * // add awaitTransform() to the plugins of your esbuild config
 * ```
 */
export const awaitTransform: (options?: AwaitTransformOptions) => ReturnType<typeof unplugin.esbuild> = unplugin.esbuild;
