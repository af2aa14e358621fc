/**
 * What a backend propagates on its own. The conformance suite runs the cases of
 * every capability a backend declares, and skips the others.
 */
export interface StoreCapabilities {
  /** `set()` changes the current context in place for the rest of the current task. */
  readonly enter: boolean;
  /** Values survive `await` on native promises. */
  readonly await: boolean;
  /** `.then`/`.catch`/`.finally` callbacks run in the context they were registered in. */
  readonly promiseThen: boolean;
  /** Values survive `await` of, and `then` calls on, user-written thenables. */
  readonly thenables: boolean;
  /** `setTimeout` and `setInterval` callbacks run in the context that scheduled them. */
  readonly timers: boolean;
  /** `setImmediate` callbacks run in the context that scheduled them. */
  readonly setImmediate: boolean;
  /** `queueMicrotask` callbacks run in the context that scheduled them. */
  readonly queueMicrotask: boolean;
  /** `process.nextTick` callbacks run in the context that scheduled them. */
  readonly nextTick: boolean;
  /**
   * Which context an async generator body sees after it resumes:
   * `'resume'` (the caller of `next()`, Node's behaviour), `'creation'` (where it
   * was created, the TC39 proposal's), or `false` when values are lost.
   */
  readonly asyncGenerators: 'resume' | 'creation' | false;
  /**
   * Which context a listener runs in: `'dispatch'` (the code that emits, as a
   * plain function call), `'registration'` (where it was added), or `false`.
   */
  readonly eventEmitter: 'dispatch' | 'registration' | false;
  /** As `eventEmitter`, for `EventTarget.dispatchEvent`. */
  readonly eventTarget: 'dispatch' | 'registration' | false;
}

/** The current version of the {@link ContextStore} contract. */
export const STORE_VERSION = 1;

/**
 * The backend contract: one slot of async-context-local state.
 *
 * The value in the slot is opaque to the store. `@tasklocal/core` only ever
 * passes values it has just allocated, so a store never needs to compare them;
 * it must still open a new scope on every `run`, whatever the value.
 */
export interface ContextStore<T = unknown> {
  /** The contract version this store implements: {@link STORE_VERSION}. */
  readonly version: 1;
  /** A short name for messages, e.g. `node-als`. */
  readonly name: string;
  /** What this store propagates natively. */
  readonly capabilities: StoreCapabilities;
  /** The value of the current context, or `undefined` outside any. */
  get(): T | undefined;
  /** Calls `fn(...args)` with `value` current, restoring the previous value afterwards, also on throw. */
  run<R, A extends unknown[]>(value: T, fn: (...args: A) => R, ...args: A): R;
  /** Makes `value` current for the rest of the current task. Required when `capabilities.enter` is true. */
  set(value: T): void;
  /** Releases what the store holds (for example disables an `AsyncLocalStorage`). Optional. */
  dispose?(): void;
}

/** A backend: a function that creates a {@link ContextStore}. */
export type ContextStoreFactory = () => ContextStore;

const CAPABILITY_DEFAULTS: StoreCapabilities = {
  enter: false,
  await: false,
  promiseThen: false,
  thenables: false,
  timers: false,
  setImmediate: false,
  queueMicrotask: false,
  nextTick: false,
  asyncGenerators: false,
  eventEmitter: false,
  eventTarget: false,
};

/** Fills the capabilities a backend leaves out with `false` and freezes the result. */
export function defineCapabilities(capabilities: Partial<StoreCapabilities>): StoreCapabilities {
  return Object.freeze({ ...CAPABILITY_DEFAULTS, ...capabilities });
}

/** Checks that `value` implements the {@link ContextStore} contract this version of core speaks. */
export function assertContextStore(value: unknown, where: string): asserts value is ContextStore {
  const store = value as Partial<ContextStore> | null;
  if (typeof store !== 'object' || store === null) {
    throw new TypeError(`Expected \`${where}\` to be a ContextStore or a function returning one, got ${describe(value)}.`);
  }
  const missing = (['get', 'run', 'set'] as const).filter((method) => typeof store[method] !== 'function');
  if (missing.length > 0 || typeof store.capabilities !== 'object' || store.capabilities === null) {
    const what =
      missing.length > 0 ? `method${missing.length > 1 ? 's' : ''} ${missing.map((m) => `\`${m}\``).join(', ')}` : '`capabilities`';
    throw new TypeError(
      `Expected \`${where}\` to be a ContextStore, but it has no ${what}. Build stores with a backend such as \`createAlsStore()\` from \`@tasklocal/node-als\`.`,
    );
  }
  if (store.version !== STORE_VERSION) {
    throw new TypeError(
      `\`${where}\` implements ContextStore version ${String(store.version)}, but this \`@tasklocal/core\` speaks version ${STORE_VERSION}. Install matching versions of \`@tasklocal/core\` and the backend package.`,
    );
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
