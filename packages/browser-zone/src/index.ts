/**
 * tasklocal's browser backends. The build transform lives on its own entries
 * (`/vite`, `/rollup`, `/esbuild`, `/webpack`, `/transform`), which need Node.
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
