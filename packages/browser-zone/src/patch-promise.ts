import { agent, type Mapping } from './agent.ts';

const PATCHED = Symbol.for('tasklocal.browser.then.v1');
const RESOLVE_PATCHED = Symbol.for('tasklocal.browser.resolve.v1');

/** The engine's own `Promise`, even when a library (Zone.js) has replaced the global one. */
export const NativePromise: PromiseConstructor = (async () => undefined)().constructor as PromiseConstructor;

type Reaction = ((value: unknown) => unknown) | null | undefined;

type Then = (this: unknown, onFulfilled: unknown, onRejected: unknown) => unknown;

/**
 * `value`, or, when it is a thenable other than an engine promise, a stand-in
 * whose `then` calls the thenable's in `mapping`. The engine calls a
 * thenable's `then` from a job of its own, where the polyfill has no say;
 * the proposal runs it in the context of the code that resolved with the
 * thenable (`NewPromiseResolveThenableJob`).
 */
export function adoptIn(value: unknown, mapping: Mapping): unknown {
  if (((typeof value === 'object' && value !== null) || typeof value === 'function') && !(value instanceof NativePromise)) {
    const then = (value as { then?: unknown }).then;
    if (typeof then === 'function') {
      return {
        // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose: the engine adopts it in place of the original
        then(onFulfilled: unknown, onRejected: unknown): unknown {
          const previous = agent.current;
          agent.current = mapping;
          try {
            return Reflect.apply(then as Then, value, [onFulfilled, onRejected]);
          } finally {
            agent.current = previous;
          }
        },
      };
    }
  }
  return value;
}

function bound(fn: (value: unknown) => unknown, mapping: Mapping): (value: unknown) => unknown {
  return (value) => {
    const previous = agent.current;
    agent.current = mapping;
    try {
      // A thenable returned from a callback is adopted in the callback's context, as a registration-time job would.
      return adoptIn(fn(value), mapping);
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

/**
 * Makes `.then`, `.catch` and `.finally` callbacks run in the context where
 * they were registered, on the engine's promises and on the global `Promise`
 * when a library has replaced it. Native `await` does not call `then`: that
 * is what the build transform is for.
 */
export function patchPromises(): void {
  patchThen(NativePromise.prototype, false);
  if (globalThis.Promise !== NativePromise) patchThen(globalThis.Promise.prototype, true);
  patchResolve(NativePromise as PromiseConstructor & { [RESOLVE_PATCHED]?: true });
}

/**
 * `Promise.resolve(thenable)`, and so `Promise.all` and friends, which call
 * it: the thenable's `then` runs in the context of the call.
 */
function patchResolve(ctor: PromiseConstructor & { [RESOLVE_PATCHED]?: true }): void {
  if (Object.hasOwn(ctor, RESOLVE_PATCHED)) return;
  Object.defineProperty(ctor, RESOLVE_PATCHED, { value: true });
  const resolve = ctor.resolve as (this: unknown, value: unknown) => Promise<unknown>;
  const { resolve: patched } = {
    resolve(this: unknown, value: unknown): Promise<unknown> {
      return Reflect.apply(resolve, this, [adoptIn(value, agent.current)]);
    },
  };
  Object.defineProperty(ctor, 'resolve', { configurable: true, writable: true, value: patched });
}
