import { defineCapabilities, type ContextStore } from './store.ts';

/**
 * A store for synchronous code only: a scope lasts while its function runs on
 * the stack, and nothing is carried across `await`, timers or callbacks.
 * Never a silent default: choose it explicitly, for CLIs, scripts and tests
 * that have no async work to follow.
 */
export function createSyncStore(): ContextStore {
  let current: unknown;
  return {
    version: 1,
    name: 'sync',
    capabilities: defineCapabilities({ enter: true }),
    get: () => current,
    run(value, fn, ...args) {
      const previous = current;
      current = value;
      try {
        return fn(...args);
      } finally {
        current = previous;
      }
    },
    set(value) {
      current = value;
    },
  };
}
