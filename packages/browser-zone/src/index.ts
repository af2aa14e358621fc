/**
 * tasklocal's browser backends. The build transform that keeps values across
 * native `await` is its own package, `@tasklocal/await-transform`.
 * @module @tasklocal/browser-zone
 */
export {
  AsyncContext,
  createAsyncContextStore,
  hasNativeAsyncContext,
  installAsyncContextPolyfill,
  Snapshot,
  Variable,
  type VariableOptions,
} from './async-context.ts';
export { type BrowserStoreOptions, TRANSFORM_CAPABILITIES } from './capabilities.ts';
export { createZoneStore, type ZoneLike, type ZoneStatic, zoneGlobal } from './zone.ts';
