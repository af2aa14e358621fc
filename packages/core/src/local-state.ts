import { LocalError } from './errors.ts';
import { type Frame, keyIndex, recordOf, recordWith, recordWithout, type Values, withRecord } from './frame.ts';
import { defaultStore, localStates, statesById, trackStore, writeObservers } from './registry.ts';
import { type ContextStore, describe } from './store.ts';

/** Everything tasklocal knows about one Local, kept outside the object users see. */
export interface LocalState {
  /** Creation order: the id of an unnamed Local across threads. */
  readonly order: number;
  readonly name: string | undefined;
  /** The id the Local is matched by across threads: its name, or `#<order>`. */
  readonly id: string;
  readonly threadCritical: boolean;
  /** What a read of an unset key returns. A Map, so that any key, `__proto__` included, is just a key. */
  readonly defaults: ReadonlyMap<string, unknown>;
  readonly explicitStore: ContextStore | undefined;
  /** The resolved store, set on first use. */
  store: ContextStore | undefined;
  /** False once the Local has been garbage-collected: frames captured earlier may still hold its record. */
  alive: boolean;
}

const states = localStates() as WeakMap<object, LocalState>;
// One state per id, or the states that share a name, oldest first (rare: a name used twice).
const byId = statesById() as Map<string, LocalState | LocalState[]>;

const collected = new FinalizationRegistry<LocalState>((state) => {
  state.alive = false;
  const same = byId.get(state.id);
  if (same === state) byId.delete(state.id);
  else if (Array.isArray(same)) {
    const at = same.indexOf(state);
    if (at >= 0) same.splice(at, 1);
    if (same.length === 1) byId.set(state.id, same[0] as LocalState);
  }
});

export function registerState(local: object, state: LocalState): void {
  states.set(local, state);
  const same = byId.get(state.id);
  if (same === undefined) byId.set(state.id, state);
  else if (Array.isArray(same)) same.push(state);
  else byId.set(state.id, [same, state]);
  collected.register(local, state);
}

/** The live Local matched by `id` across threads: when two share a name, the newest. */
export function stateById(id: string): LocalState | undefined {
  const same = byId.get(id);
  return Array.isArray(same) ? same[same.length - 1] : same;
}

/** How many Locals are alive in this realm (as far as the collector has told). */
export function liveCount(): number {
  let count = 0;
  for (const same of byId.values()) count += Array.isArray(same) ? same.length : 1;
  return count;
}

/** The state behind a Local, or a `TypeError` naming the argument. */
export function stateOf(local: unknown, where: string): LocalState {
  const state = typeof local === 'object' && local !== null ? states.get(local) : undefined;
  if (state === undefined) {
    throw new TypeError(`Expected \`${where}\` to be a Local created with \`new Local()\`, got ${describe(local)}.`);
  }
  return state;
}

export function isLocal(value: unknown): boolean {
  return typeof value === 'object' && value !== null && states.has(value);
}

/** The store of a Local, resolving it on first use. */
export function storeOf(state: LocalState): ContextStore {
  return state.store ?? resolveStore(state);
}

function resolveStore(state: LocalState): ContextStore {
  const store = state.explicitStore ?? defaultStore();
  trackStore(store);
  state.store = store;
  return store;
}

/** This Local's record in the current context of its store. */
export function currentValues(state: LocalState): Values | undefined {
  return recordOf(storeOf(state).get() as Frame | undefined, state);
}

export function readKey(state: LocalState, key: string): unknown {
  // Resolve first, so a missing backend is reported on the first read too.
  const frame = storeOf(state).get() as Frame | undefined;
  if (frame !== undefined) {
    // The usual frame: this Local's record, with the key first.
    if (frame[0] === state && frame[1] === key) return frame[2];
    const record = recordOf(frame, state);
    if (record !== undefined) {
      const at = keyIndex(record, key);
      if (at > 0) return record[at + 1];
    }
  }
  return state.defaults.size === 0 ? undefined : state.defaults.get(key);
}

export function hasKey(state: LocalState, key: string): boolean {
  const values = currentValues(state);
  return values !== undefined && keyIndex(values, key) > 0;
}

export function writeKey(state: LocalState, key: string, value: unknown): void {
  const store = writableStore(state, key);
  const frame = store.get() as Frame | undefined;
  store.set(withRecord(frame, state, recordWith(state, recordOf(frame, state), key, value)));
  if (observers.size > 0) notify(state, key, value, false);
}

const observers = writeObservers();

function notify(state: LocalState, key: string, value: unknown, deleted: boolean): void {
  for (const observer of observers) observer(state.id, key, value, deleted, state.threadCritical);
}

export function deleteKey(state: LocalState, key: string): void {
  const store = storeOf(state);
  const frame = store.get() as Frame | undefined;
  const values = recordOf(frame, state);
  if (values === undefined || keyIndex(values, key) < 0) return;
  writableStore(state, key);
  store.set(withRecord(frame, state, recordWithout(values, key)));
  if (observers.size > 0) notify(state, key, undefined, true);
}

/** The keys set in the current context, in the order they were set. */
export function currentKeys(state: LocalState): string[] {
  const values = currentValues(state);
  const keys: string[] = [];
  if (values === undefined) return keys;
  for (let i = 1; i < values.length; i += 2) keys.push(values[i] as string);
  return keys;
}

function writableStore(state: LocalState, key: string): ContextStore {
  const store = storeOf(state);
  if (!store.capabilities.enter) {
    throw new LocalError(
      'ERR_TASKLOCAL_WRITE_UNSUPPORTED',
      `Cannot change \`${key}\` in place: the \`${store.name}\` backend cannot change the current context (its \`capabilities.enter\` is false). Set values for a scope with \`runWith(local, { ${JSON.stringify(key)}: value }, fn)\` instead.`,
    );
  }
  return store;
}

export function label(state: LocalState): string {
  return state.name === undefined ? 'Local' : `Local(${state.name})`;
}
