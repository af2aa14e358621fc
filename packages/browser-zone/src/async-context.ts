/**
 * The AsyncContext backend: a native `globalThis.AsyncContext` when the
 * browser has one, otherwise this package's polyfill of the proposal.
 * @module @tasklocal/browser-zone/async-context
 */
import { type AsyncContextNamespace, type ContextStore, storeFromAsyncContext } from '@tasklocal/core/backend';
import { agent } from './agent.ts';
import { type BrowserStoreOptions, withTransform } from './capabilities.ts';
import { patchHost } from './patch-host.ts';
import { patchPromises } from './patch-promise.ts';
import { AsyncContext, withValue } from './variable.ts';

export type { BrowserStoreOptions } from './capabilities.ts';
export { AsyncContext, Snapshot, Variable, type VariableOptions } from './variable.ts';

/**
 * The polyfill's declaration without the transform: promise callbacks,
 * schedulers, listeners. Sync generators follow `'resume'`, not the
 * proposal's `'creation'`: a generator's body runs inside `next()`, and only
 * the engine (or a compiler that rewrites generator functions) could give it
 * the context of its creation.
 */
const POLYFILL_CAPABILITIES = {
  enter: true,
  promiseThen: true,
  timers: true,
  queueMicrotask: true,
  generators: 'resume',
  eventTarget: 'dispatch',
} as const;

/** True when the runtime ships `AsyncContext` itself (no browser does yet). */
export function hasNativeAsyncContext(): boolean {
  const native = (globalThis as { AsyncContext?: unknown }).AsyncContext as AsyncContextNamespace | undefined;
  return native !== undefined && native !== AsyncContext && typeof native.Variable === 'function';
}

/**
 * Installs the polyfill's host integration: promise callbacks, timers,
 * `queueMicrotask`, `requestAnimationFrame`, `requestIdleCallback`,
 * `scheduler.postTask`, EventTarget listeners, XHR and MessageChannel. Once
 * per realm; stores call it themselves.
 */
export function installAsyncContextPolyfill(): void {
  patchPromises();
  patchHost();
}

/**
 * A `ContextStore` on `AsyncContext`: the native one when present (with the
 * proposal's rules and no `set`), otherwise the polyfill, which also supports
 * writes (`set`) for the rest of the current task.
 * @example
 * ```ts
 * import { Local } from '@tasklocal/core';
 * import { createAsyncContextStore } from '@tasklocal/browser-zone/async-context';
 * const local = new Local({ store: createAsyncContextStore() });
 * ```
 */
export function createAsyncContextStore(options: BrowserStoreOptions = {}): ContextStore {
  if (hasNativeAsyncContext()) {
    return storeFromAsyncContext((globalThis as unknown as { AsyncContext: AsyncContextNamespace }).AsyncContext);
  }
  installAsyncContextPolyfill();
  const key = {};
  return {
    version: 1,
    name: 'async-context-polyfill',
    capabilities: withTransform(POLYFILL_CAPABILITIES, options),
    get: () => agent.current.get(key),
    run(value, fn, ...args) {
      const previous = agent.current;
      agent.current = withValue(previous, key, value);
      try {
        return fn(...args);
      } finally {
        agent.current = previous;
      }
    },
    set(value) {
      agent.current = withValue(agent.current, key, value);
    },
  };
}
