import { LocalError } from './errors.ts';
import { type Frame, type Values, isSet, withRecord } from './frame.ts';
import { allocateSlot, defaultStore, freeSlot, liveStates, localStates, trackStore, writeObservers } from './registry.ts';
import { type ContextStore, describe } from './store.ts';

/** Everything tasklocal knows about one Local, kept outside the object users see. */
export interface LocalState {
  /** The Local's slot in every frame; -1 until it first holds a value. */
  index: number;
  /** Creation order: the id of an unnamed Local across threads. */
  readonly order: number;
  readonly name: string | undefined;
  readonly threadCritical: boolean;
  /** Key slot to key, in the order keys were first used. Slot 0 of a record holds its owner, so keys start at 1. */
  readonly keys: string[];
  readonly slots: Map<string, number>;
  /** Defaults by key slot; a hole means no default. */
  readonly defaults: Values;
  readonly explicitStore: ContextStore | undefined;
  /** The resolved store, set on first use. */
  store: ContextStore | undefined;
  /** The key {@link keySlot} resolved last, and its slot. */
  lastKey: string | undefined;
  lastSlot: number;
}

const states = localStates() as WeakMap<object, LocalState>;

const collected = new FinalizationRegistry<LocalState>((state) => {
  liveStates().delete(state.order);
  if (state.index >= 0) freeSlot(state.index);
});

export function registerState(local: object, state: LocalState): void {
  states.set(local, state);
  liveStates().set(state.order, state);
  collected.register(local, state);
}

/** Every live Local in this realm. */
export function allStates(): Map<number, LocalState> {
  return liveStates() as Map<number, LocalState>;
}

/** The Local's frame slot, allocating one when it is about to hold its first value. */
export function ensureSlot(state: LocalState): number {
  if (state.index < 0) state.index = allocateSlot();
  return state.index;
}

/** This Local's record in `frame`, if the record there is its own (slots are reused). */
export function recordIn(state: LocalState, frame: Frame | undefined): Values | undefined {
  if (state.index < 0 || frame === undefined) return undefined;
  const values = frame[state.index];
  return values !== undefined && values[0] === state ? values : undefined;
}

/** A copy of `values` to write into, or a new record owned by `state`. */
export function recordToWrite(state: LocalState, values: Values | undefined): Values {
  if (values !== undefined) return values.slice();
  const record = new Array<unknown>(state.keys.length);
  record[0] = state;
  return record;
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

/** The slot of `key` in this Local's records, allocating one for a new key. */
export function keySlot(state: LocalState, key: string): number {
  // Most code sets the same key over and over: a one-entry cache skips the Map.
  if (key === state.lastKey) return state.lastSlot;
  let slot = state.slots.get(key);
  if (slot === undefined) {
    slot = state.keys.length;
    state.keys.push(key);
    state.slots.set(key, slot);
  }
  state.lastKey = key;
  state.lastSlot = slot;
  return slot;
}

/** This Local's record in the current context of its store. */
export function currentValues(state: LocalState): Values | undefined {
  return recordIn(state, storeOf(state).get() as Frame | undefined);
}

export function readKey(state: LocalState, key: string): unknown {
  // Resolve first, so a missing backend is reported on the first read too.
  const values = currentValues(state);
  const slot = state.slots.get(key);
  if (slot === undefined) return undefined;
  if (values !== undefined) {
    const value = values[slot];
    if (value !== undefined || slot in values) return value;
  }
  return state.defaults[slot];
}

export function hasKey(state: LocalState, key: string): boolean {
  const values = currentValues(state);
  const slot = state.slots.get(key);
  return slot !== undefined && isSet(values, slot);
}

export function writeKey(state: LocalState, key: string, value: unknown): void {
  const store = writableStore(state, key);
  const slot = keySlot(state, key);
  const index = ensureSlot(state);
  const frame = store.get() as Frame | undefined;
  const next = recordToWrite(state, recordIn(state, frame));
  next[slot] = value;
  store.set(withRecord(frame, index, next));
  if (observers.size > 0) notify(state, key, value, false);
}

const observers = writeObservers();

function notify(state: LocalState, key: string, value: unknown, deleted: boolean): void {
  const id = state.name ?? `#${state.order}`;
  for (const observer of observers) observer(id, key, value, deleted, state.threadCritical);
}

export function deleteKey(state: LocalState, key: string): void {
  const slot = state.slots.get(key);
  if (slot === undefined) return;
  const store = storeOf(state);
  const frame = store.get() as Frame | undefined;
  const values = recordIn(state, frame);
  if (!isSet(values, slot)) return;
  writableStore(state, key);
  const next = (values as Values).slice();
  delete next[slot];
  store.set(withRecord(frame, state.index, next));
  if (observers.size > 0) notify(state, key, undefined, true);
}

/** The keys set in the current context, in the order they were first used. */
export function currentKeys(state: LocalState): string[] {
  const values = currentValues(state);
  const keys: string[] = [];
  if (values === undefined) return keys;
  for (let slot = 1; slot < values.length; slot++) {
    if (slot in values) keys.push(state.keys[slot] as string);
  }
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
