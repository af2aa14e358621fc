import { copyFrame, type Frame, type Values } from './frame.ts';
import type { Local } from './local.ts';
import {
  currentKeys,
  ensureSlot,
  isLocal,
  keySlot,
  type LocalState,
  readKey,
  recordIn,
  recordToWrite,
  stateOf,
  storeOf,
} from './local-state.ts';
import { defaultStore, localStates, storesInUse } from './registry.ts';
import { type ContextStore, describe } from './store.ts';

/** One Local and the values to set on it, for the several-Locals form of {@link runWith}. */
export type Binding = readonly [local: object, values: object];

function assertFunction(fn: unknown, where: string): asserts fn is (...args: never[]) => unknown {
  if (typeof fn !== 'function') throw new TypeError(`Expected \`${where}\` to be a function, got ${describe(fn)}.`);
}

function assertValues(values: unknown, where: string): asserts values is Record<string, unknown> {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new TypeError(`Expected \`${where}\` to be an object of values, got ${describe(values)}.`);
  }
}

function mergeValues(state: LocalState, frame: Frame | undefined, values: Record<string, unknown>): Values {
  const next = recordToWrite(state, recordIn(state, frame));
  const keys = Object.keys(values);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    next[keySlot(state, key)] = values[key];
  }
  return next;
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
  const state = typeof first === 'object' && first !== null ? (localStates().get(first) as LocalState | undefined) : undefined;
  if (state !== undefined) {
    // The hot path: one Local. No rest destructuring, no spread when there are no arguments.
    assertValues(second, 'values');
    if (typeof third !== 'function') throw new TypeError(`Expected \`fn\` to be a function, got ${describe(third)}.`);
    const store = state.store ?? storeOf(state);
    const frame = store.get() as Frame | undefined;
    const index = ensureSlot(state);
    // Exact-size holey arrays: `[]` plus an indexed store would allocate a 16-slot backing store.
    const next = frame === undefined ? new Array(index + 1) : frame.slice();
    next[index] = mergeValues(state, frame, second);
    const fn = third as (...a: unknown[]) => unknown;
    return args.length === 0 ? store.run(next, fn) : store.run(next, fn, ...args);
  }
  if (typeof first !== 'object' || first === null || typeof (first as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`Expected \`local\` to be a Local or an iterable of [local, values] pairs, got ${describe(first)}.`);
  }
  assertFunction(second, 'fn');
  // In this form the function's arguments start at the third parameter.
  // biome-ignore lint/complexity/noArguments: tells an omitted third argument from an explicit undefined
  const fnArgs = arguments.length > 2 ? [third, ...args] : [];
  const byStore = new Map<ContextStore, Frame>();
  for (const pair of first as Iterable<unknown>) {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new TypeError(`Expected each binding to be a [local, values] pair, got ${describe(pair)}.`);
    }
    const pairState = stateOf(pair[0], 'binding[0]');
    assertValues(pair[1], 'binding[1]');
    const store = storeOf(pairState);
    let frame = byStore.get(store);
    if (frame === undefined) {
      frame = copyFrame(store.get() as Frame | undefined);
      byStore.set(store, frame);
    }
    frame[ensureSlot(pairState)] = mergeValues(pairState, frame, pair[1]);
  }
  return runInFrames([...byStore.keys()], [...byStore.values()], 0, second as (...a: unknown[]) => unknown, fnArgs);
}

function runInFrames(
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
function coveredStores(): ContextStore[] {
  const stores = storesInUse();
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
  if (typeof fns !== 'object' || fns === null || typeof (fns as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    return Promise.reject(new TypeError(`Expected \`fns\` to be an array of functions, got ${describe(fns)}.`));
  }
  const list = [...fns];
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
        return task(fn);
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
  const state = stateOf(local, 'local');
  const out: Record<string, unknown> = Object.create(null);
  for (const key of currentKeys(state)) out[key] = readKey(state, key);
  return out as Partial<T>;
}

/** True when `value` is a Local. */
export function isLocalObject(value: unknown): value is Local<Record<string, unknown>> {
  return isLocal(value);
}
