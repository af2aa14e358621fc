import { agent, type Mapping } from './agent.ts';

const PATCHED = Symbol.for('tasklocal.browser.then.v1');

type Reaction = ((value: unknown) => unknown) | null | undefined;

function bound(fn: (value: unknown) => unknown, mapping: Mapping): (value: unknown) => unknown {
  return (value) => {
    const previous = agent.current;
    agent.current = mapping;
    try {
      return fn(value);
    } finally {
      agent.current = previous;
    }
  };
}

function patchThen(prototype: Promise<unknown> & { [PATCHED]?: true }, ownFinally: boolean): void {
  if (Object.hasOwn(prototype, PATCHED)) return;
  if (ownFinally) {
    // Zone.js's `finally` does not go through `then`.
    const fin = prototype.finally as (this: Promise<unknown>, onFinally: unknown) => Promise<unknown>;
    Object.defineProperty(prototype, 'finally', {
      configurable: true,
      writable: true,
      value: function finally_(this: Promise<unknown>, onFinally: unknown): Promise<unknown> {
        return fin.call(this, typeof onFinally === 'function' ? bound(onFinally as (value: unknown) => unknown, agent.current) : onFinally);
      },
    });
  }
  const then = prototype.then as (this: Promise<unknown>, onFulfilled: Reaction, onRejected: Reaction) => Promise<unknown>;
  Object.defineProperty(prototype, PATCHED, { value: true });
  // `catch` and `finally` call `then`, and so do `Promise.all` and friends, so this one wrapper covers them all.
  Object.defineProperty(prototype, 'then', {
    configurable: true,
    writable: true,
    value: function then_(this: Promise<unknown>, onFulfilled: Reaction, onRejected: Reaction): Promise<unknown> {
      const mapping = agent.current;
      return then.call(
        this,
        typeof onFulfilled === 'function' ? bound(onFulfilled, mapping) : onFulfilled,
        typeof onRejected === 'function' ? bound(onRejected, mapping) : onRejected,
      );
    },
  });
}

/** The engine's own `Promise`, even when a library (Zone.js) has replaced the global one. */
export const NativePromise: PromiseConstructor = (async () => undefined)().constructor as PromiseConstructor;

/**
 * Makes `.then`, `.catch` and `.finally` callbacks run in the context where
 * they were registered, on the engine's promises and on the global `Promise`
 * when a library has replaced it. Native `await` does not call `then`: that
 * is what the build transform is for.
 */
export function patchPromises(): void {
  patchThen(NativePromise.prototype, false);
  if (globalThis.Promise !== NativePromise) patchThen(globalThis.Promise.prototype, true);
}
