/**
 * For authors of context backends: the `ContextStore` contract, its checks,
 * and the stores core ships (synchronous, and over a TC39 `AsyncContext`).
 * @module @tasklocal/core/backend
 */
export { type AsyncContextNamespace, storeFromAsyncContext } from './async-context-store.ts';
export { releaseStore } from './registry.ts';
export {
  assertContextStore,
  type ContextStore,
  type ContextStoreFactory,
  defineCapabilities,
  STORE_VERSION,
  type StoreCapabilities,
} from './store.ts';
export { createSyncStore } from './sync-store.ts';
