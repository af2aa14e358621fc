// The one store on a raw `AsyncLocalStorage` that the repository's tests use
// where @tasklocal/node-als cannot be (core and the conformance suite are its
// dependencies). It imports nothing at run time, so core's tests load one copy
// of core, their own source.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ContextStore, StoreCapabilities } from '@tasklocal/core/backend';

/** What `AsyncLocalStorage` propagates on Node 20 and later, every field spelt out. */
export const ALS_CAPABILITIES: StoreCapabilities = Object.freeze({
  enter: true,
  await: true,
  promiseThen: true,
  thenables: true,
  timers: true,
  setImmediate: true,
  queueMicrotask: true,
  nextTick: true,
  asyncGenerators: 'resume',
  generators: 'resume',
  eventEmitter: 'dispatch',
  eventTarget: 'dispatch',
});

/** A fresh store on its own `AsyncLocalStorage`, named `name` in messages. */
export function createRawAlsStore(name = 'raw-als'): ContextStore {
  const als = new AsyncLocalStorage<unknown>();
  return {
    version: 1,
    name,
    capabilities: ALS_CAPABILITIES,
    get: () => als.getStore(),
    run: (value, fn, ...args) => als.run(value, fn, ...args),
    set: (value) => als.enterWith(value),
    dispose: () => als.disable(),
  };
}
