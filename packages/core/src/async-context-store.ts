import { defineCapabilities, type ContextStore } from './store.ts';

/** The part of the TC39 `AsyncContext` namespace this adapter uses. */
export interface AsyncContextNamespace {
  readonly Variable: new <T>(options?: {
    name?: string;
  }) => {
    get(): T | undefined;
    run<R, A extends unknown[]>(value: T, fn: (...args: A) => R, ...args: A): R;
  };
}

/**
 * A store over a native (or spec-conformant) `AsyncContext.Variable`. The
 * proposal has no way to change the current context in place, so the store
 * cannot `set`: Locals on it accept writes only through `runWith`.
 */
export function createAsyncContextStore(namespace: AsyncContextNamespace): ContextStore {
  const variable = new namespace.Variable<unknown>({ name: 'tasklocal' });
  return {
    version: 1,
    name: 'async-context',
    capabilities: defineCapabilities({
      await: true,
      promiseThen: true,
      thenables: true,
      timers: true,
      queueMicrotask: true,
      asyncGenerators: 'creation',
      eventTarget: 'dispatch',
    }),
    get: () => variable.get(),
    run: (value, fn, ...args) => variable.run(value, fn, ...args),
    set() {
      throw new TypeError('The `async-context` store cannot change the current context in place (`capabilities.enter` is false).');
    },
  };
}
