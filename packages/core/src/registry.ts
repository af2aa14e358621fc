import { type AsyncContextNamespace, storeFromAsyncContext } from './async-context-store.ts';
import { LocalError } from './errors.ts';
import {
  assertContextStore,
  type ContextStore,
  type ContextStoreFactory,
  describe,
  guardRead,
  isPlainReadable,
  isRevoked,
} from './store.ts';

/**
 * Process-wide state, shared by every copy of `@tasklocal/core` of the same
 * major version that is loaded in this realm, so that two copies agree on the
 * backend and on frame slots.
 */
interface Registry {
  factory: ContextStoreFactory | undefined;
  /** What `factory` was registered as: `RegisterStoreOptions.id`, else its function name. */
  factoryId?: string | undefined;
  defaultStore: ContextStore | undefined;
  /** Every store a Local has resolved to; `task`, `gather` and `snapshot` cover them all. */
  readonly stores: Set<ContextStore>;
  /** Counts Locals created, for the ids of unnamed Locals across threads. */
  nextOrder: number;
  /** Local (the Proxy users hold) to its state; shared so two copies of core accept each other's Locals. */
  readonly states: WeakMap<object, unknown>;
  /**
   * The live Locals by the id they are matched by across threads (name, or
   * `#order`), oldest first; kept up to date as Locals are created and
   * collected, so a lookup never walks every Local.
   */
  readonly byId: Map<string, unknown>;
  /** Called on every write and delete while non-empty (the worker package journals a call's writes). */
  readonly writeObservers: Set<WriteObserver>;
}

/** Told of a write (`deleted` false) or a delete to `key` of the Local `localId`. */
export type WriteObserver = (localId: string, key: string, value: unknown, deleted: boolean, threadCritical: boolean) => void;

// v2: frames are records of the Locals that hold values (see frame.ts), not arrays indexed by slot.
const REGISTRY_KEY = Symbol.for('tasklocal.core.registry.v2');

const holder = globalThis as typeof globalThis & { [REGISTRY_KEY]?: Registry };
const registry: Registry = (holder[REGISTRY_KEY] ??= {
  factory: undefined,
  defaultStore: undefined,
  stores: new Set(),
  nextOrder: 0,
  states: new WeakMap(),
  byId: new Map(),
  writeObservers: new Set(),
});

/**
 * Calls `observer` on every write and delete of any Local in this realm, until
 * the returned function is called. For integrations that must see the writes
 * of a whole call, such as copying a worker call's writes back to its caller.
 */
export function observeWrites(observer: WriteObserver): () => void {
  if (typeof observer !== 'function') {
    throw new TypeError(`Expected \`observer\` to be a function called on every write, got ${describe(observer)}.`);
  }
  registry.writeObservers.add(observer);
  return () => registry.writeObservers.delete(observer);
}

/** The observers of writes; empty unless an integration registered one. */
export function writeObservers(): ReadonlySet<WriteObserver> {
  return registry.writeObservers;
}

/** The live Locals by transfer id, oldest first. */
export function statesById(): Map<string, unknown> {
  return registry.byId;
}

/** The creation order of a new Local. */
export function nextLocalOrder(): number {
  return registry.nextOrder++;
}

/** The registry's Local-to-state map. */
export function localStates(): WeakMap<object, unknown> {
  return registry.states;
}

/** Options for {@link registerStore}. */
export interface RegisterStoreOptions {
  /**
   * Replace a backend that is already registered. Only allowed before any
   * Local has used it; tests and tools use this, applications should not.
   */
  readonly replace?: boolean;
  /**
   * A stable name for the backend, such as its package entry. When a second
   * copy of the same backend package registers again (two bundles on one page,
   * a duplicated install), the same id tells it apart from a different backend
   * and the first registration stands, also after Locals have used it.
   * Defaults to the factory's function name, which minifiers may change.
   */
  readonly id?: string;
}

/**
 * Registers the backend that Locals created without a `store` option use.
 * Backend packages call it from their `register` entry; resolution happens on
 * the first read or write of a Local, so import order does not matter.
 */
export function registerStore(factory: ContextStoreFactory, options?: RegisterStoreOptions): void {
  if (typeof factory !== 'function') {
    throw new TypeError(`Expected \`factory\` to be a function that returns a ContextStore, got ${describe(factory)}.`);
  }
  const { replace, id: givenId } = readOptions(options);
  const id = givenId ?? (factory.name || undefined);
  if (registry.factory === factory) return;
  // The same backend from a second copy of its package: the first registration stands.
  if (registry.factory !== undefined && id !== undefined && registry.factoryId === id && replace !== true) return;
  if (registry.defaultStore !== undefined) {
    throw new LocalError(
      'ERR_TASKLOCAL_BACKEND_CONFLICT',
      `Cannot register a second backend: Locals already use the \`${registry.defaultStore.name}\` backend. Import one \`register\` entry, before any Local is read or written, or pass \`{ store }\` to the Locals that need another backend.`,
    );
  }
  if (registry.factory !== undefined && replace !== true) {
    throw new LocalError(
      'ERR_TASKLOCAL_BACKEND_CONFLICT',
      `A backend (\`${registry.factoryId ?? 'anonymous'}\`) is already registered and \`${id ?? 'anonymous'}\` was registered after it. Keep one \`register\` import, or pass \`{ replace: true }\` to \`registerStore\` if replacing it is intended.`,
    );
  }
  registry.factoryId = id;
  registry.factory = factory;
}

function readOptions(options: unknown): RegisterStoreOptions {
  if (options === undefined) return {};
  if (!isPlainReadable(options)) {
    throw new TypeError(`Expected \`options\` to be an object such as \`{ id: 'my-backend' }\`, got ${describe(options)}.`);
  }
  const { replace, id } = guardRead('options', () => ({
    replace: (options as RegisterStoreOptions).replace,
    id: (options as RegisterStoreOptions).id,
  }));
  if (replace !== undefined && typeof replace !== 'boolean') {
    throw new TypeError(`Expected \`options.replace\` to be a boolean, got ${describe(replace)}.`);
  }
  if (id !== undefined && (typeof id !== 'string' || id === '')) {
    throw new TypeError(`Expected \`options.id\` to be a non-empty string, got ${describe(id)}.`);
  }
  return { ...(replace === undefined ? {} : { replace }), ...(id === undefined ? {} : { id }) };
}

/** The store Locals without a `store` option use, created on first call. */
export function defaultStore(): ContextStore {
  return registry.defaultStore ?? createDefaultStore();
}

function createDefaultStore(): ContextStore {
  let store: ContextStore;
  if (registry.factory !== undefined) {
    store = registry.factory();
    assertContextStore(store, 'the registered backend');
  } else {
    const native = (globalThis as { AsyncContext?: AsyncContextNamespace }).AsyncContext;
    if (native === undefined || typeof native.Variable !== 'function') {
      throw new LocalError(
        'ERR_TASKLOCAL_NO_BACKEND',
        'No context backend is registered, so a Local cannot keep values per task. Import `@tasklocal/node-als/register` once at startup (Node, Deno, Bun, workerd; or `node --import @tasklocal/node-als/register app.js`), or `@tasklocal/browser-zone/register/async-context` (browsers; `/register/zone` for Zone.js); or pass `{ store }` to `new Local()`. For synchronous code only, pass `{ store: createSyncStore() }` from `@tasklocal/core/backend`.',
      );
    }
    store = storeFromAsyncContext(native);
  }
  registry.defaultStore = store;
  registry.stores.add(store);
  return store;
}

/** Records that a Local resolved to `store`, so snapshots and tasks include it. */
export function trackStore(store: ContextStore): void {
  registry.stores.add(store);
}

/** The stores in use, in the order they were first used. */
export function storesInUse(): ReadonlySet<ContextStore> {
  return registry.stores;
}

/**
 * Disposes `store` and forgets it: later snapshots and tasks no longer cover
 * it. For test harnesses (the conformance suite) and for shutting down.
 */
export function releaseStore(store: ContextStore): void {
  if (typeof store !== 'object' || store === null || isRevoked(store)) {
    throw new TypeError(`Expected \`store\` to be a ContextStore, got ${describe(store)}.`);
  }
  registry.stores.delete(store);
  if (registry.defaultStore === store) registry.defaultStore = undefined;
  store.dispose?.();
}
