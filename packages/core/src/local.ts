import { currentKeys, deleteKey, hasKey, label, type LocalState, readKey, registerState, stateOf, writeKey } from './local-state.ts';
import { nextLocalOrder, trackStore } from './registry.ts';
import {
  assertContextStore,
  type ContextStore,
  type ContextStoreFactory,
  describe,
  guardRead,
  isPlainReadable,
  isRevoked,
} from './store.ts';

declare const LOCAL_TYPE: unique symbol;

/**
 * A Local with values of shape `T`: read, write, `delete`, `in` and
 * `Object.keys` act on the values of the current task. Every key reads as
 * `undefined` (or its default) until set.
 */
export type Local<T extends object = Record<string, unknown>> = { -readonly [K in keyof T]?: T[K] } & {
  readonly [LOCAL_TYPE]?: T;
};

/** Options for `new Local()`. */
export interface LocalOptions<T extends object = Record<string, unknown>> {
  /** What a read returns while a key is unset (as django-log-request-id's default id). */
  readonly defaults?: Partial<T>;
  /** Never carried into workers: each thread keeps its own values (asgiref's `thread_critical`). */
  readonly threadCritical?: boolean;
  /** The backend for this Local (a store, or a factory such as `createSyncStore` from `@tasklocal/core/backend`); by default the registered one, resolved on first use. */
  readonly store?: ContextStore | ContextStoreFactory;
  /** A name for messages and inspection. */
  readonly name?: string;
}

/** The `Local` constructor. */
export interface LocalConstructor {
  /**
   * Creates a Local: a namespace whose values are local to the current task.
   * @example
   * ```ts
   * import '@tasklocal/node-als/register';
   * import { Local } from '@tasklocal/core';
   *
   * const local = new Local<{ requestId: string }>();
   * local.requestId = crypto.randomUUID();
   * await somethingSlow();
   * local.requestId; // still this task's id, whatever ran meanwhile
   * ```
   */
  new <T extends object = Record<string, unknown>>(options?: LocalOptions<T>): Local<T>;
  readonly prototype: object;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

type Inspect = (value: unknown, options?: unknown) => string;

/** The prototype of every Proxy target: `util.inspect` looks here, past the Proxy. */
const targetPrototype = Object.create(null, {
  [INSPECT]: {
    value(this: object, _depth: number, options: unknown, inspect?: Inspect): string {
      const state = stateOf(this, 'this');
      const values = snapshotObject(state);
      return `${label(state)} ${inspect === undefined ? JSON.stringify(values) : inspect(values, options)}`;
    },
  },
});

function snapshotObject(state: LocalState): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const key of currentKeys(state)) out[key] = readKey(state, key);
  return out;
}

function keyError(action: string, key: symbol): TypeError {
  return new TypeError(
    `Cannot ${action} the symbol key \`${String(key)}\` on a Local: keys are strings. Use a string key, or keep symbol-keyed data in a value.`,
  );
}

/** A Proxy target: it carries its Local's state, so that every Local shares one handler. */
interface Target {
  readonly state: LocalState;
}

/**
 * The one handler of every Local. A handler per Local (eleven closures over
 * its state) made each Local about 600 bytes, which a Local per request
 * multiplies; the target carries the state instead.
 */
function createHandler(prototype: object): ProxyHandler<Target> {
  return {
    get(target, key) {
      if (typeof key === 'string') return readKey(target.state, key);
      return key === Symbol.toStringTag ? 'Local' : undefined;
    },
    set(target, key, value) {
      if (typeof key !== 'string') throw keyError('set', key);
      writeKey(target.state, key, value);
      return true;
    },
    has(target, key) {
      return typeof key === 'string' && hasKey(target.state, key);
    },
    deleteProperty(target, key) {
      if (typeof key !== 'string') throw keyError('delete', key);
      deleteKey(target.state, key);
      return true;
    },
    ownKeys(target) {
      return currentKeys(target.state);
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key !== 'string' || !hasKey(target.state, key)) return undefined;
      return { value: readKey(target.state, key), writable: true, enumerable: true, configurable: true };
    },
    defineProperty(target, key, descriptor) {
      if (typeof key !== 'string') throw keyError('define', key);
      if (descriptor.get !== undefined || descriptor.set !== undefined) {
        throw new TypeError(`Cannot define an accessor for \`${key}\` on a Local: a Local holds plain values. Assign the value instead.`);
      }
      // Checked before writing: a key whose value changes with the task cannot be fixed, and a Proxy may not pretend it is.
      if (descriptor.configurable === false || descriptor.writable === false || descriptor.enumerable === false) {
        throw new TypeError(
          `Cannot define \`${key}\` as non-configurable, read-only or non-enumerable on a Local: its keys change with the current task. Assign the value instead.`,
        );
      }
      writeKey(target.state, key, descriptor.value);
      return true;
    },
    getPrototypeOf() {
      return prototype;
    },
    setPrototypeOf() {
      throw new TypeError('Cannot change the prototype of a Local.');
    },
    preventExtensions() {
      throw new TypeError('Cannot freeze, seal or prevent extensions of a Local: its keys change with the current task.');
    },
  };
}

interface ValidOptions {
  readonly defaults: ReadonlyMap<string, unknown>;
  readonly threadCritical: boolean;
  readonly name: string | undefined;
  readonly store: ContextStore | ContextStoreFactory | undefined;
}

function validateOptions(options: unknown): ValidOptions {
  if (options === undefined) return { defaults: NO_DEFAULTS, threadCritical: false, name: undefined, store: undefined };
  if (!isPlainReadable(options)) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describe(options)}.`);
  }
  const { defaults, threadCritical, name, store } = guardRead('options', () => {
    const { defaults, threadCritical, name, store } = options as LocalOptions<Record<string, unknown>>;
    return { defaults, threadCritical, name, store };
  });
  if (defaults !== undefined && !isPlainReadable(defaults)) {
    throw new TypeError(`Expected \`options.defaults\` to be an object of default values, got ${describe(defaults)}.`);
  }
  if (threadCritical !== undefined && typeof threadCritical !== 'boolean') {
    throw new TypeError(`Expected \`options.threadCritical\` to be a boolean, got ${describe(threadCritical)}.`);
  }
  if (name !== undefined && typeof name !== 'string') {
    throw new TypeError(`Expected \`options.name\` to be a string, got ${describe(name)}.`);
  }
  return { defaults: readDefaults(defaults), threadCritical: threadCritical === true, name, store };
}

/** Shared by every Local without defaults: a Map per Local would cost more than the rest of it. */
const NO_DEFAULTS: Map<string, unknown> = new Map();

function readDefaults(defaults: object | undefined): Map<string, unknown> {
  if (defaults === undefined) return NO_DEFAULTS;
  const out = new Map<string, unknown>();
  const symbols = guardRead('options.defaults', () => Object.getOwnPropertySymbols(defaults).length);
  if (symbols > 0) throw new TypeError('Expected `options.defaults` to have string keys only: a Local has no symbol keys.');
  guardRead('options.defaults', () => {
    for (const key of Object.keys(defaults)) out.set(key, (defaults as Record<string, unknown>)[key]);
  });
  return out;
}

function resolveExplicitStore(store: ContextStore | ContextStoreFactory | undefined): ContextStore | undefined {
  if (store === undefined) return undefined;
  const resolved = typeof store === 'function' && !isRevoked(store) ? store() : store;
  assertContextStore(resolved, 'options.store');
  trackStore(resolved);
  return resolved;
}

class LocalImpl {
  constructor(rawOptions?: LocalOptions<Record<string, unknown>>) {
    const options = validateOptions(rawOptions);
    const order = nextLocalOrder();
    const state: LocalState = {
      order,
      name: options.name,
      id: options.name ?? `#${order}`,
      threadCritical: options.threadCritical,
      defaults: options.defaults,
      explicitStore: resolveExplicitStore(options.store),
      store: undefined,
      alive: true,
    };
    // A configurable own property of the target: the Proxy never reports it, and no invariant requires it to.
    const target = Object.create(targetPrototype, { state: { value: state, configurable: true } }) as Target;
    const local = new Proxy(target, handler);
    registerState(local, state);
    // biome-ignore lint/correctness/noConstructorReturn: the Local is the Proxy, by design
    return local;
  }
}

const handler = createHandler(LocalImpl.prototype);

/**
 * A namespace object whose values are local to the current task: asgiref's
 * `Local` for JavaScript. Control operations (`runWith`, `task`, `gather`,
 * `snapshot`) are functions, so every string is a usable key.
 */
export const Local: LocalConstructor = LocalImpl as unknown as LocalConstructor;
