// For this package's own tests: a store on a raw AsyncLocalStorage, without
// @tasklocal/node-als (which tests itself with this package, so depending on
// it would make a cycle). Not part of the build.
import { AsyncLocalStorage } from 'node:async_hooks';
import { type ContextStore, defineCapabilities, type StoreCapabilities } from './core-backend.ts';

/** What AsyncLocalStorage propagates on Node 20 and later. */
export const ALS_CAPABILITIES: StoreCapabilities = defineCapabilities({
  enter: true,
  await: true,
  promiseThen: true,
  thenables: true,
  timers: true,
  setImmediate: true,
  queueMicrotask: true,
  nextTick: true,
  asyncGenerators: 'resume',
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
