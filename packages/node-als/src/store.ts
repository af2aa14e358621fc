import { AsyncLocalStorage } from 'node:async_hooks';
import { type ContextStore, defineCapabilities, type StoreCapabilities } from '@tasklocal/core/backend';

/**
 * Which `AsyncLocalStorage` this runtime has. Node has two: the
 * `async_hooks` one (Node 20, Node 22 by default) and the AsyncContextFrame
 * one (Node 24+ by default, Node 22 with `--experimental-async-context-frame`).
 */
export type AlsImplementation = 'async-context-frame' | 'async-hooks' | 'bun' | 'deno' | 'workerd';

const runtime = globalThis as {
  Bun?: unknown;
  Deno?: unknown;
  navigator?: { userAgent?: string };
};

/** Detects the `AsyncLocalStorage` implementation of the running process. */
export function alsImplementation(): AlsImplementation {
  if (runtime.Bun !== undefined) return 'bun';
  if (runtime.Deno !== undefined) return 'deno';
  if (runtime.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd';
  // Node has no public flag for it; the AsyncContextFrame `enterWith` builds a frame object.
  const enterWith = AsyncLocalStorage.prototype.enterWith as unknown;
  return typeof enterWith === 'function' && /AsyncContextFrame/.test(Function.prototype.toString.call(enterWith))
    ? 'async-context-frame'
    : 'async-hooks';
}

/** What `AsyncLocalStorage` propagates on each runtime, as the conformance suite proves it. */
export function alsCapabilities(implementation: AlsImplementation = alsImplementation()): StoreCapabilities {
  return defineCapabilities({
    // workerd's AsyncLocalStorage declares `enterWith` but throws "not implemented".
    enter: implementation !== 'workerd' && typeof (AsyncLocalStorage.prototype as { enterWith?: unknown }).enterWith === 'function',
    await: true,
    promiseThen: true,
    thenables: true,
    timers: true,
    setImmediate: typeof setImmediate === 'function',
    queueMicrotask: true,
    nextTick: implementation !== 'workerd' && typeof globalThis.process?.nextTick === 'function',
    asyncGenerators: 'resume',
    // A sync generator's body runs in the frame of whoever calls next(): nothing captures the creation frame.
    generators: 'resume',
    eventEmitter: 'dispatch',
    eventTarget: 'dispatch',
  });
}

/**
 * `als.run` as the store's `run`. On Node's async_hooks implementation
 * (Node 20) a wrapper that V8 inlines into the caller is about 25 ns a scope
 * cheaper than the bound method, which it cannot inline; elsewhere `als.run`
 * costs far more than the call, and the bound method adds no stack frame, so
 * scopes nest deeper before the stack runs out.
 */
function runOf(als: AsyncLocalStorage<unknown>, implementation: AlsImplementation): ContextStore['run'] {
  if (implementation !== 'async-hooks') return als.run.bind(als) as ContextStore['run'];
  return (value, fn, ...args) => (args.length === 0 ? als.run(value, fn) : als.run(value, fn, ...args));
}

/**
 * Creates a {@link ContextStore} on a new `AsyncLocalStorage`.
 * @example
 * ```ts
 * const local = new Local<{ requestId: string }>({ store: createAlsStore() });
 * ```
 */
export function createAlsStore(): ContextStore {
  const als = new AsyncLocalStorage<unknown>();
  const implementation = alsImplementation();
  return {
    version: 1,
    name: `node-als (${implementation})`,
    capabilities: alsCapabilities(implementation),
    get: () => als.getStore(),
    run: runOf(als, implementation),
    set(value) {
      als.enterWith(value);
    },
    dispose() {
      try {
        als.disable();
      } catch {
        // workerd declares `disable` but throws "not implemented"; it holds nothing to release.
      }
    },
  };
}
