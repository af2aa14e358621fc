// The one place the suite takes core's backend-author names from, so that
// where core publishes them can change by editing this file alone.
export {
  assertContextStore,
  type ContextStore,
  type ContextStoreFactory,
  createSyncStore,
  defineCapabilities,
  releaseStore,
  STORE_VERSION,
  type StoreCapabilities,
} from '@tasklocal/core/backend';
