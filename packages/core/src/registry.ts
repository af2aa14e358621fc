import { createAsyncContextStore, type AsyncContextNamespace } from './async-context-store.ts';
import { LocalError } from './errors.ts';
import { assertContextStore, type ContextStore, type ContextStoreFactory } from './store.ts';

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
  nextIndex: number;
  /** Slots of collected Locals, free for reuse. */
  readonly freeSlots: number[];
  /** Counts Locals created, for the ids of unnamed Locals across threads. */
  nextOrder: number;
  /** Local (the Proxy users hold) to its state; shared so two copies of core accept each other's Locals. */
  readonly states: WeakMap<object, unknown>;
  /** Every live Local's state by creation order, for carrying values across threads. */
  readonly live: Map<number, unknown>;
  /** Called on every write and delete while non-empty (the worker package journals a call's writes). */
  readonly writeObservers: Set<WriteObserver>;
}

/** Told of a write (`deleted` false) or a delete to `key` of the Local `localId`. */
export type WriteObserver = (localId: string, key: string, value: unknown, deleted: boolean, threadCritical: boolean) => void;

const REGISTRY_KEY = Symbol.for('tasklocal.core.registry.v1');

const holder = globalThis as typeof globalThis & { [REGISTRY_KEY]?: Registry };
const registry: Registry = (holder[REGISTRY_KEY] ??= {
  factory: undefined,
  defaultStore: undefined,
  stores: new Set(),
  nextIndex: 0,
  freeSlots: [],
  nextOrder: 0,
  states: new WeakMap(),
  live: new Map(),
  writeObservers: new Set(),
});

/**
 * Calls `observer` on every write and delete of any Local in this realm, until
 * the returned function is called. For integrations that must see the writes
 * of a whole call, such as copying a worker call's writes back to its caller.
 */
export function observeWrites(observer: WriteObserver): () => void {
  registry.writeObservers.add(observer);
  return () => registry.writeObservers.delete(observer);
}

/** The observers of writes; empty unless an integration registered one. */
export function writeObservers(): ReadonlySet<WriteObserver> {
  return registry.writeObservers;
}

/** Every live Local's state, by creation order. */
export function liveStates(): Map<number, unknown> {
  return registry.live;
}

/** The creation order of a new Local. */
export function nextLocalOrder(): number {
  return registry.nextOrder++;
}

/** The order the next Local will get: it changes whenever any copy of core creates a Local. */
export function peekLocalOrder(): number {
  return registry.nextOrder;
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
export function registerStore(factory: ContextStoreFactory, options: RegisterStoreOptions = {}): void {
  if (typeof factory !== 'function') {
    throw new TypeError(`Expected \`factory\` to be a function that returns a ContextStore, got ${typeof factory}.`);
  }
  const id = options.id ?? (factory.name || undefined);
  if (registry.factory === factory) return;
  // The same backend from a second copy of its package: the first registration stands.
  if (registry.factory !== undefined && id !== undefined && registry.factoryId === id && options.replace !== true) return;
  if (registry.defaultStore !== undefined) {
    throw new LocalError(
      'ERR_TASKLOCAL_BACKEND_CONFLICT',
      `Cannot register a second backend: Locals already use the \`${registry.defaultStore.name}\` backend. Import one \`register\` entry, before any Local is read or written, or pass \`{ store }\` to the Locals that need another backend.`,
    );
  }
  if (registry.factory !== undefined && options.replace !== true) {
    throw new LocalError(
      'ERR_TASKLOCAL_BACKEND_CONFLICT',
      `A backend (\`${registry.factoryId ?? 'anonymous'}\`) is already registered and \`${id ?? 'anonymous'}\` was registered after it. Keep one \`register\` import, or pass \`{ replace: true }\` to \`registerStore\` if replacing it is intended.`,
    );
  }
  registry.factoryId = id;
  registry.factory = factory;
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
        'No context backend is registered, so a Local cannot keep values per task. Import `@tasklocal/node-als/register` once at startup (Node, Deno, Bun, workerd; or `node --import @tasklocal/node-als/register app.js`), or `@tasklocal/browser-zone/register` (browsers); or pass `{ store }` to `new Local()`. For synchronous code only, pass `{ store: createSyncStore() }` from `@tasklocal/core`.',
      );
    }
    store = createAsyncContextStore(native);
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
  registry.stores.delete(store);
  if (registry.defaultStore === store) registry.defaultStore = undefined;
  store.dispose?.();
}

/**
 * A frame slot for a Local that is about to hold its first value. Slots of
 * collected Locals are reused, so frames stay as small as the set of live
 * Locals that hold values; records carry their owner, so a reused slot never
 * shows one Local another's values.
 */
export function allocateSlot(): number {
  return registry.freeSlots.pop() ?? registry.nextIndex++;
}

/** Returns the slot of a collected Local. */
export function freeSlot(slot: number): void {
  registry.freeSlots.push(slot);
}
