import { copyFrame, type Frame, frameMerging, recordObject } from './frame.ts';
import type { Local } from './local.ts';
import { currentValues, isLocal, type LocalState, stateOf, storeOf } from './local-state.ts';
import { defaultStore, localStates, storesInUse } from './registry.ts';
import { type ContextStore, describe, guardRead, isRevoked } from './store.ts';

/** One Local and the values to set on it, for the several-Locals form of {@link runWith}. */
export type Binding = readonly [local: object, values: object];

const states = localStates() as WeakMap<object, LocalState>;
const stores = storesInUse();

function assertFunction(fn: unknown, where: string): asserts fn is (...args: never[]) => unknown {
  if (typeof fn !== 'function') throw new TypeError(`Expected \`${where}\` to be a function, got ${describe(fn)}.`);
}

function badValues(where: string, values: unknown): TypeError {
  return new TypeError(`Expected \`${where}\` to be an object of values, got ${describe(values)}.`);
}

/**
 * A copy of `frame` in which `state` also holds `values`. Reading `values`
 * happens before any scope is entered, so a getter that throws, a Proxy or
 * anything else hostile changes nothing.
 */
function frameWithValues(state: LocalState, frame: Frame | undefined, values: unknown, where: string): Frame {
  if (typeof values !== 'object' || values === null) throw badValues(where, values);
  let isArray = true;
  try {
    isArray = Array.isArray(values);
    if (!isArray) return frameMerging(frame, state, Object.keys(values), values as Record<string, unknown>);
  } catch (error) {
    if (isRevoked(values)) throw badValues(where, values);
    return guardRead(where, () => {
      throw error;
    });
  }
  throw badValues(where, values);
}

/**
 * Runs `fn(...args)` with `values` set on `local`, for `fn` and everything it
 * starts; the caller's values are untouched, also when `fn` throws or rejects.
 * Keys not named keep the values they have now.
 * @example
 * ```ts
 * server.on('request', (req, res) =>
 *   runWith(local, { requestId: crypto.randomUUID() }, () => handle(req, res)));
 * ```
 */
export function runWith<T extends object, R, A extends unknown[]>(
  local: Local<T>,
  values: Partial<T>,
  fn: (...args: A) => R,
  ...args: A
): R;
/** Runs `fn(...args)` with values set on several Locals at once, in one new scope. */
export function runWith<R, A extends unknown[]>(bindings: Iterable<Binding>, fn: (...args: A) => R, ...args: A): R;
export function runWith(first: unknown, second: unknown, third?: unknown, ...args: unknown[]): unknown {
  const state = typeof first === 'object' && first !== null ? states.get(first) : undefined;
  if (state === undefined) {
    // biome-ignore lint/complexity/noArguments: tells an omitted third argument from an explicit undefined
    return runWithBindings(first, second, arguments.length > 2 ? [third, ...args] : []);
  }
  // The hot path: one Local. Few locals, no spread when there are no arguments: every frame
  // of it counts twice, in time and in how deep scopes can nest before the stack runs out.
  if (typeof third !== 'function') throw new TypeError(`Expected \`fn\` to be a function, got ${describe(third)}.`);
  const store = state.store ?? storeOf(state);
  const next = frameWithValues(state, store.get() as Frame | undefined, second, 'values');
  if (stores.size !== 1) return runCovering(store, next, third as (...a: unknown[]) => unknown, args);
  return args.length === 0 ? store.run(next, third as () => unknown) : store.run(next, third as (...a: unknown[]) => unknown, ...args);
}

/** Runs `fn` with `frame` on `store` and a new scope on every other store in use, so no write inside reaches the caller. */
function runCovering(store: ContextStore, frame: Frame, fn: (...args: unknown[]) => unknown, args: unknown[]): unknown {
  const covered = coveredStores();
  return runInFrames(
    covered,
    covered.map((other) => (other === store ? frame : (other.get() as Frame | undefined))),
    0,
    fn,
    args,
  );
}

/** The several-Locals form: every pair is checked and merged before any scope is entered. */
function runWithBindings(bindings: unknown, fn: unknown, args: unknown[]): unknown {
  if (typeof bindings !== 'object' || bindings === null || isRevoked(bindings)) {
    throw new TypeError(`Expected \`local\` to be a Local or an iterable of [local, values] pairs, got ${describe(bindings)}.`);
  }
  const iterator = guardRead('bindings', () => (bindings as Partial<Iterable<unknown>>)[Symbol.iterator]);
  if (typeof iterator !== 'function') {
    throw new TypeError(`Expected \`local\` to be a Local or an iterable of [local, values] pairs, got ${describe(bindings)}.`);
  }
  assertFunction(fn, 'fn');
  const pairs = guardRead('bindings', () => [...(bindings as Iterable<unknown>)]);
  const byStore = new Map<ContextStore, Frame | undefined>();
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    if (typeof pair !== 'object' || pair === null || isRevoked(pair) || !Array.isArray(pair) || pair.length !== 2) {
      throw new TypeError(`Expected each binding to be a [local, values] pair, got ${describe(pair)} at \`bindings[${i}]\`.`);
    }
    const state = stateOf(pair[0], `bindings[${i}][0]`);
    const store = storeOf(state);
    const frame = byStore.has(store) ? byStore.get(store) : (store.get() as Frame | undefined);
    byStore.set(store, frameWithValues(state, frame, pair[1], `bindings[${i}][1]`));
  }
  // Every store gets a new scope, those no pair names too: a write inside never reaches the caller.
  const covered = coveredStores();
  const frames = covered.map((store) => (byStore.has(store) ? byStore.get(store) : (store.get() as Frame | undefined)));
  return runInFrames(covered, frames, 0, fn as (...a: unknown[]) => unknown, args);
}

/**
 * Runs `fn(...args)` in a new scope of each of `stores`, holding a copy of the
 * frame at the same index: the one way every operation opens scopes on
 * several stores.
 */
export function runInFrames(
  stores: readonly ContextStore[],
  frames: readonly (Frame | undefined)[],
  index: number,
  fn: (...args: unknown[]) => unknown,
  args: unknown[],
): unknown {
  const store = stores[index];
  if (store === undefined) return fn(...args);
  const frame = copyFrame(frames[index]);
  if (index === stores.length - 1) return store.run(frame, fn, ...args);
  return store.run(frame, () => runInFrames(stores, frames, index + 1, fn, args));
}

/** The stores a task or snapshot covers: every store in use, and the default one if it can be had. */
export function coveredStores(): ContextStore[] {
  if (stores.size === 0) defaultStore(); // throws a LocalError that says which backend to import
  return [...stores];
}

/**
 * Runs `fn(...args)` as its own task, like Python's `asyncio.create_task`: it
 * starts with a copy of the caller's values, and nothing it writes, before or
 * after its first `await`, ever reaches the caller or its siblings.
 * @example
 * ```ts
 * await Promise.all([task(() => handle(a)), task(() => handle(b))]);
 * ```
 */
export function task<R, A extends unknown[]>(fn: (...args: A) => R, ...args: A): R {
  assertFunction(fn, 'fn');
  const stores = coveredStores();
  if (stores.length === 1) {
    const store = stores[0] as ContextStore;
    return store.run(copyFrame(store.get() as Frame | undefined), fn, ...args);
  }
  const frames = stores.map((store) => store.get() as Frame | undefined);
  return runInFrames(stores, frames, 0, fn as (...a: unknown[]) => unknown, args) as R;
}

type Results<T extends readonly (() => unknown)[]> = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };

/**
 * Starts each function as its own {@link task} and waits for all of them:
 * Python's `asyncio.gather`. Rejects with the first rejection, as
 * `Promise.all` does; the tasks already started keep running.
 */
export function gather<const T extends readonly (() => unknown)[]>(fns: T): Promise<Results<T>> {
  let list: unknown[];
  try {
    if (typeof fns !== 'object' || fns === null || isRevoked(fns) || typeof guardRead('fns', () => fns[Symbol.iterator]) !== 'function') {
      throw new TypeError(`Expected \`fns\` to be an array of functions, got ${describe(fns)}.`);
    }
    list = guardRead('fns', () => [...fns]);
  } catch (error) {
    return Promise.reject(error);
  }
  const bad = list.findIndex((fn) => typeof fn !== 'function');
  if (bad !== -1) {
    return Promise.reject(
      new TypeError(
        `Expected \`fns[${bad}]\` to be a function that starts the work, got ${describe(list[bad])}. Pass \`() => work()\`, not \`work()\`.`,
      ),
    );
  }
  return Promise.all(
    list.map((fn) => {
      try {
        return task(fn as () => unknown);
      } catch (error) {
        return Promise.reject(error);
      }
    }),
  ) as Promise<Results<T>>;
}

/** The values of every Local at one moment, to run code in later. */
export interface Snapshot {
  /** Runs `fn(...args)` with the captured values; writes inside stay inside. */
  run<R, A extends unknown[]>(fn: (...args: A) => R, ...args: A): R;
}

class SnapshotImpl implements Snapshot {
  readonly #stores: readonly ContextStore[];
  readonly #frames: readonly (Frame | undefined)[];

  constructor(stores: readonly ContextStore[], frames: readonly (Frame | undefined)[]) {
    this.#stores = stores;
    this.#frames = frames;
  }

  run<R, A extends unknown[]>(fn: (...args: A) => R, ...args: A): R {
    assertFunction(fn, 'fn');
    return runInFrames(this.#stores, this.#frames, 0, fn as (...a: unknown[]) => unknown, args) as R;
  }
}

/**
 * Captures the values of every Local now, for code that a queue, a pool or a
 * callback API will run later, outside this task.
 * @example
 * ```ts
 * const snap = snapshot();
 * queue.push(() => snap.run(() => log('done'))); // logs with this request's id
 * ```
 */
export function snapshot(): Snapshot {
  const stores = coveredStores();
  return new SnapshotImpl(
    stores,
    stores.map((store) => store.get() as Frame | undefined),
  );
}

/** Wraps `fn` so that every call runs with the values of every Local as they are now. */
export function bind<F extends (...args: never[]) => unknown>(fn: F): F {
  assertFunction(fn, 'fn');
  const snap = snapshot();
  return function bound(this: unknown, ...args: unknown[]) {
    return snap.run(() => Reflect.apply(fn, this, args));
  } as unknown as F;
}

/**
 * The values set on `local` in the current context, as a plain object (with
 * no prototype, so every key is safe). Defaults are not included.
 */
export function valuesOf<T extends object>(local: Local<T>): Partial<T> {
  return recordObject(currentValues(stateOf(local, 'local'))) as Partial<T>;
}

/** True when `value` is a Local. */
export function isLocalObject(value: unknown): value is Local<Record<string, unknown>> {
  return isLocal(value);
}
