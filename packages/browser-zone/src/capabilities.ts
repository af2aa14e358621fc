import { defineCapabilities, type StoreCapabilities } from '@tasklocal/core/backend';

/** Options shared by the browser backends. */
export interface BrowserStoreOptions {
  /**
   * Declare what holds when the code that runs in the scopes was compiled
   * with the `await` transform of `@tasklocal/await-transform` (`/vite` and
   * friends): values then also survive native `await`, thenables and async
   * generators. Default false: the declaration says what holds without it.
   */
  readonly awaitTransform?: boolean;
}

/** What the `await` transform adds to a backend's capabilities. */
export const TRANSFORM_CAPABILITIES: Partial<StoreCapabilities> = Object.freeze({
  await: true,
  thenables: true,
  asyncGenerators: 'resume',
});

export function withTransform(base: Partial<StoreCapabilities>, options: BrowserStoreOptions): StoreCapabilities {
  return defineCapabilities(options.awaitTransform === true ? { ...base, ...TRANSFORM_CAPABILITIES } : base);
}
