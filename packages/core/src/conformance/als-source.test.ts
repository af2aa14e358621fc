import { AsyncLocalStorage } from 'node:async_hooks';
import { defineCapabilities, type ContextStore } from '../index.ts';
import { describeConformance } from './vitest.ts';

// The suite against a store written here on the raw AsyncLocalStorage, so
// core's own tests prove the cases without depending on a backend package.
function createRawAlsStore(): ContextStore {
  const als = new AsyncLocalStorage<unknown>();
  return {
    version: 1,
    name: 'raw-als',
    capabilities: defineCapabilities({
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
    }),
    get: () => als.getStore(),
    run: (value, fn, ...args) => als.run(value, fn, ...args),
    set: (value) => als.enterWith(value),
    dispose: () => als.disable(),
  };
}

describeConformance('raw AsyncLocalStorage', createRawAlsStore);
