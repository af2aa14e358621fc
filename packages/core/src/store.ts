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
   * Which context a sync generator body sees: `'resume'` (the caller of
   * `next()`, what a runtime polyfill and AsyncLocalStorage give) or
   * `'creation'` (where it was created, the TC39 proposal's); `false` when not declared.
   */
  readonly generators: 'resume' | 'creation' | false;
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
  generators: false,
  eventEmitter: false,
  eventTarget: false,
};

/** Fills the capabilities a backend leaves out with `false` and freezes the result. */
export function defineCapabilities(capabilities: Partial<StoreCapabilities>): StoreCapabilities {
  if (!isPlainReadable(capabilities)) {
    throw new TypeError(`Expected \`capabilities\` to be an object such as \`{ await: true }\`, got ${describe(capabilities)}.`);
  }
  const out: Record<string, unknown> = { ...CAPABILITY_DEFAULTS };
  guardRead(
    'capabilities',
    () => {
      for (const key of Object.keys(CAPABILITY_DEFAULTS)) {
        const value = (capabilities as Record<string, unknown>)[key];
        if (value !== undefined) out[key] = value;
      }
    },
    'Pass a plain object of capabilities.',
  );
  const unknown = guardRead('capabilities', () => Object.keys(capabilities)).filter((key) => !Object.hasOwn(CAPABILITY_DEFAULTS, key));
  if (unknown.length > 0) {
    throw new TypeError(
      `Unknown capabilit${unknown.length > 1 ? 'ies' : 'y'} ${unknown.map((key) => `\`${key}\``).join(', ')} in \`capabilities\`; known ones are ${Object.keys(
        CAPABILITY_DEFAULTS,
      )
        .map((key) => `\`${key}\``)
        .join(', ')}.`,
    );
  }
  return Object.freeze(out) as unknown as StoreCapabilities;
}

/** Checks that `value` implements the {@link ContextStore} contract this version of core speaks. */
export function assertContextStore(value: unknown, where: string): asserts value is ContextStore {
  if (typeof value !== 'object' || value === null || isRevoked(value)) {
    throw new TypeError(`Expected \`${where}\` to be a ContextStore or a function returning one, got ${describe(value)}.`);
  }
  const store = guardRead(
    where,
    () => {
      const { version, get, run, set, capabilities } = value as Partial<ContextStore>;
      return { version, get, run, set, capabilities };
    },
    'Pass a store made by a backend such as `createAlsStore()`.',
  );
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

/** True for a revoked Proxy: `Array.isArray` is the one operation that tells, by throwing. */
export function isRevoked(value: unknown): boolean {
  if (typeof value !== 'object' && typeof value !== 'function') return false;
  if (value === null) return false;
  try {
    Array.isArray(value);
    return false;
  } catch {
    return true;
  }
}

/** True for an object (not an array, not a revoked Proxy) whose properties can be read. */
export function isPlainReadable(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !isRevoked(value) && !Array.isArray(value);
}

/**
 * Runs `read`, which reads the user's argument `where`; an error it throws (a
 * throwing getter, a Proxy trap) becomes a `TypeError` that names the
 * argument, with the original as its `cause`.
 */
export function guardRead<T>(where: string, read: () => T, hint = 'Pass a plain object.'): T {
  try {
    return read();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TypeError(`Could not read \`${where}\`: reading it threw (${reason}). ${hint}`, { cause: error });
  }
}

/** A short description of `value` for messages; never throws, whatever `value` is. */
export function describe(value: unknown): string {
  if (isRevoked(value)) return 'a revoked Proxy';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') {
    let tag: string;
    try {
      tag = Object.prototype.toString.call(value).slice(8, -1);
    } catch {
      tag = 'Object';
    }
    return `an object (${tag})`;
  }
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'symbol') return `a symbol (${value.description ?? ''})`;
  return `${typeof value} ${String(value)}`;
}
