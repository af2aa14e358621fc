// For core's own tests: a store on a real AsyncLocalStorage, without the
// node-als package (which depends on core). Not part of the build.
import { AsyncLocalStorage } from 'node:async_hooks';
import { type ContextStore, defineCapabilities } from './backend.ts';

/** A fresh store on its own `AsyncLocalStorage`, named `name` in messages. */
export function createStore(name = 'test-als'): ContextStore {
  const als = new AsyncLocalStorage<unknown>();
  return {
    version: 1,
    name,
    capabilities: defineCapabilities({ enter: true, await: true, promiseThen: true, timers: true }),
    get: () => als.getStore(),
    run: (value, fn, ...args) => als.run(value, fn, ...args),
    set: (value) => als.enterWith(value),
  };
}
