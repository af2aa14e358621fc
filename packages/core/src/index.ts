/**
 * The `Local` facade, the `ContextStore` contract and runtime backend choice.
 * @module @tasklocal/core
 */
export { createAsyncContextStore, type AsyncContextNamespace } from './async-context-store.ts';
export { LocalError, type LocalErrorCode } from './errors.ts';
export { Local, type LocalConstructor, type LocalOptions } from './local.ts';
export {
  type Binding,
  bind,
  gather,
  isLocalObject as isLocal,
  runWith,
  type Snapshot,
  snapshot,
  task,
  valuesOf,
} from './operations.ts';
export { observeWrites, type RegisterStoreOptions, registerStore, releaseStore, type WriteObserver } from './registry.ts';
export {
  assertContextStore,
  type ContextStore,
  type ContextStoreFactory,
  defineCapabilities,
  STORE_VERSION,
  type StoreCapabilities,
} from './store.ts';
export { createSyncStore } from './sync-store.ts';
export { type LocalView, view } from './view.ts';
export {
  applyValues,
  exportPackedValues,
  exportValues,
  findUncloneable,
  isTransferredValues,
  type PackedValues,
  packValues,
  runWithPackedValues,
  runWithValues,
  unpackValues,
  type ThreadCriticalFilter,
  type TransferredValues,
} from './transfer.ts';
