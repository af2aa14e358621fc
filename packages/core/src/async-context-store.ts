import { type ContextStore, defineCapabilities, describe, guardRead, isRevoked } from './store.ts';

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
export function storeFromAsyncContext(namespace: AsyncContextNamespace): ContextStore {
  const Variable =
    typeof namespace === 'object' && namespace !== null && !isRevoked(namespace)
      ? guardRead('namespace', () => namespace.Variable, 'Pass `globalThis.AsyncContext` or a polyfill of it.')
      : undefined;
  if (typeof Variable !== 'function') {
    throw new TypeError(
      `Expected \`namespace\` to be an \`AsyncContext\` namespace with a \`Variable\` class, got ${describe(namespace)}. Pass \`globalThis.AsyncContext\` or a polyfill of it.`,
    );
  }
  const variable = new Variable<unknown>({ name: 'tasklocal' });
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
      generators: 'creation',
      eventTarget: 'dispatch',
    }),
    get: () => variable.get(),
    run: (value, fn, ...args) => variable.run(value, fn, ...args),
    set() {
      throw new TypeError('The `async-context` store cannot change the current context in place (`capabilities.enter` is false).');
    },
  };
}
