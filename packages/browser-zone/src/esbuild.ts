/**
 * The `await` transform as a esbuild plugin.
 * @module @tasklocal/browser-zone/esbuild
 */
import type { Plugin } from 'esbuild';
import type { AwaitTransformOptions } from './options.ts';
import { unplugin } from './unplugin.ts';

export type { AwaitTransformOptions } from './options.ts';

/**
 * Rewrites `await` so that tasklocal values survive it, without downleveling.
 * @example
 * ```ts
 * import { awaitTransform } from '@tasklocal/browser-zone/esbuild';
 * // add awaitTransform() to the plugins of your esbuild config
 * ```
 */
export const awaitTransform: (options?: AwaitTransformOptions) => Plugin = (options) => unplugin.esbuild(options);
