import { eachRecord, type Frame, frameMerging, keyIndex, recordOf, type Values } from './frame.ts';
import { deleteKey, type LocalState, stateById, storeOf, writeKey } from './local-state.ts';
import { coveredStores, runInFrames } from './operations.ts';
import { defaultStore, storesInUse } from './registry.ts';
import { type ContextStore, describe, guardRead, isRevoked } from './store.ts';

/**
 * The values of Locals as one flat array, detached from any context so that
 * they can cross into another thread or realm with `postMessage`. For each
 * Local: its id, the number of keys set, that many key and value pairs, the
 * number of keys deleted, and those keys:
 * `[id, count, key, value, …, deletedCount, key, …, id, …]`.
 *
 * A Local's id is its `name`, or, when unnamed, `#` and its creation order,
 * which agrees between threads that import the same modules in the same
 * order. Structured clone copies a flat array of strings and values about
 * twice as fast as nested records, and neither side builds an object per
 * Local. Only this module reads or writes the layout; bridges use the
 * functions of `@tasklocal/core/bridge`.
 */
export type PackedValues = unknown[];

/** Which Locals {@link exportValues} includes. */
export type ThreadCriticalFilter = 'exclude' | 'only';

/** What a bridge knows of one key: the value last written, or that it was deleted (`value` is then undefined). */
export interface KeyWrite {
  readonly value: unknown;
  readonly deleted: boolean;
}

/**
 * Calls `visit` for the record of every Local that holds values in the
 * current context of any store: the work is bounded by what is set now, not
 * by how many Locals exist. Records of collected Locals are skipped.
 */
function eachCurrentRecord(visit: (state: LocalState, record: Values) => void): void {
  for (const store of storesInUse()) {
    eachRecord(store.get() as Frame | undefined, (record) => {
      const state = record[0] as LocalState;
      if (state.alive) visit(state, record);
    });
  }
}

function readFilter(filter: unknown): boolean {
  if (filter !== 'exclude' && filter !== 'only') {
    throw new TypeError(`Expected \`filter\` to be 'exclude' or 'only', got ${describe(filter)}.`);
  }
  return filter === 'only';
}

/**
 * The values of every Local in the current context, packed for another
 * thread; empty when no Local holds a value. By default Locals created with
 * `threadCritical: true` are left out (`'only'` exports just those, for
 * keeping them per thread).
 * @example
 * ```ts
 * port.postMessage({ job, values: exportValues() });
 * ```
 */
export function exportValues(filter: ThreadCriticalFilter = 'exclude'): PackedValues {
  const only = readFilter(filter);
  const packed: unknown[] = [];
  eachCurrentRecord((state, record) => {
    if (state.threadCritical !== only || record.length < 3) return;
    packed.push(state.id, (record.length - 1) / 2);
    for (let i = 1; i < record.length; i++) packed.push(record[i]);
    packed.push(0);
  });
  return packed;
}

function malformed(where: string, detail: string): TypeError {
  return new TypeError(
    `Expected \`${where}\` to be packed values as \`exportValues()\` makes them, [localId, count, key, value, …, deletedCount, key, …] per Local; ${detail}.`,
  );
}

/**
 * Checks the layout of `packed` (what a bridge brings from another thread is
 * never trusted) and returns the index of each Local's id, so that nothing
 * is written before all of it has been read.
 */
function layoutOf(packed: unknown, where: string): number[] {
  if (isRevoked(packed) || !Array.isArray(packed)) throw malformed(where, `got ${describe(packed)}`);
  const starts = guardRead(where, () => scan(packed), 'Pass the array `exportValues()` made, as it arrived.');
  if (typeof starts === 'string') throw malformed(where, starts);
  return starts;
}

/** The index of each Local's id in `packed`, or what is wrong with it. */
function scan(packed: readonly unknown[]): number[] | string {
  const starts: number[] = [];
  const length = packed.length;
  let i = 0;
  while (i < length) {
    const id = packed[i];
    const count = packed[i + 1];
    if (typeof id !== 'string') return `at [${i}] is ${describe(id)}, not a Local id`;
    if (!Number.isInteger(count) || (count as number) < 0) return `at [${i + 1}] is ${describe(count)}, not a count of keys`;
    const deletedAt = i + 3 + 2 * (count as number);
    if (deletedAt > length) return `the values of \`${id}\` end early`;
    for (let k = i + 2; k < deletedAt - 1; k += 2) {
      if (typeof packed[k] !== 'string') return `at [${k}] is ${describe(packed[k])}, not a key`;
    }
    const deleted = packed[deletedAt - 1];
    if (!Number.isInteger(deleted) || (deleted as number) < 0 || deletedAt + (deleted as number) > length) {
      return `at [${deletedAt - 1}] is ${describe(deleted)}, not a count of the deleted keys that follow`;
    }
    for (let k = deletedAt; k < deletedAt + (deleted as number); k++) {
      if (typeof packed[k] !== 'string') return `at [${k}] is ${describe(packed[k])}, not a deleted key`;
    }
    starts.push(i);
    i = deletedAt + (deleted as number);
  }
  return starts;
}

/** True when `value` is an array laid out as {@link exportValues} makes them. Never throws. */
export function isPackedValues(value: unknown): value is PackedValues {
  try {
    layoutOf(value, 'value');
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `fn` in a new scope where the Locals named in `packed` also hold those
 * values, as another thread's {@link exportValues} left them: the receiving
 * side of a bridge. Deleted keys are ignored; unknown Local ids are skipped;
 * a later entry for the same Local adds to an earlier one. `fn` runs in a new
 * scope of every store in use, so nothing it writes reaches the caller.
 */
export function runWithValues<R>(packed: PackedValues, fn: () => R): R {
  if (typeof fn !== 'function') throw new TypeError(`Expected \`fn\` to be a function, got ${describe(fn)}.`);
  const starts = layoutOf(packed, 'packed');
  const frames = new Map<ContextStore, Frame | undefined>();
  for (const start of starts) {
    const count = packed[start + 1] as number;
    const state = stateById(packed[start] as string);
    if (state === undefined || count === 0) continue;
    const keys: string[] = [];
    const values: Record<string, unknown> = Object.create(null);
    for (let k = start + 2; k < start + 2 + 2 * count; k += 2) {
      const key = packed[k] as string;
      if (!(key in values)) keys.push(key);
      values[key] = packed[k + 1];
    }
    const store = storeOf(state);
    frames.set(store, frameMerging(frames.has(store) ? frames.get(store) : (store.get() as Frame | undefined), state, keys, values));
  }
  // No Local has been used in this thread and no backend can be had: there is no scope to open, nor anything to write into.
  if (storesInUse().size === 0 && !canResolveDefault()) return fn();
  const stores = coveredStores();
  return runInFrames(
    stores,
    stores.map((store) => (frames.has(store) ? frames.get(store) : (store.get() as Frame | undefined))),
    0,
    fn,
    [],
  ) as R;
}

/** True when a default store exists or can be created (a backend is registered, or `AsyncContext` is native). */
function canResolveDefault(): boolean {
  try {
    defaultStore();
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `packed` into the current context, as if each value had been
 * assigned and each deleted key deleted here: the caller's side of a
 * copy-back. Keys not named keep their values; unknown Local ids are
 * skipped. The whole array is checked before anything is written.
 */
export function applyValues(packed: PackedValues): void {
  const starts = layoutOf(packed, 'packed');
  for (const start of starts) {
    const state = stateById(packed[start] as string);
    if (state === undefined) continue;
    const count = packed[start + 1] as number;
    const deletedAt = start + 3 + 2 * count;
    for (let k = start + 2; k < deletedAt - 1; k += 2) {
      const key = packed[k] as string;
      const value = packed[k + 1];
      // An unchanged value is not written again: a store that cannot `set` accepts a copy-back that changes nothing.
      const record = storeOf(state).get() as Frame | undefined;
      if (record !== undefined && sameValue(state, record, key, value)) continue;
      writeKey(state, key, value);
    }
    const deleted = packed[deletedAt - 1] as number;
    for (let k = deletedAt; k < deletedAt + deleted; k++) deleteKey(state, packed[k] as string);
  }
}

function sameValue(state: LocalState, frame: Frame, key: string, value: unknown): boolean {
  const record = recordOf(frame, state);
  if (record === undefined) return false;
  const at = keyIndex(record, key);
  return at > 0 && Object.is(record[at + 1], value);
}

function typeName(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'object' && value !== null) {
    let name: unknown;
    try {
      name = value.constructor?.name;
    } catch {
      name = undefined; // a Proxy whose trap throws: its name is not worth a second error
    }
    return `an object (${typeof name === 'string' && name !== '' ? name : 'Object'})`;
  }
  return typeof value;
}

/**
 * Names the first value in `packed` that cannot be structured-cloned, as
 * `[localId, key, type]`, or undefined when all can: for a clear error
 * before a message is posted.
 */
export function findUncloneable(packed: PackedValues): [localId: string, key: string, type: string] | undefined {
  for (const start of layoutOf(packed, 'packed')) {
    const count = packed[start + 1] as number;
    for (let k = start + 2; k < start + 2 + 2 * count; k += 2) {
      try {
        structuredClone(packed[k + 1]);
      } catch {
        return [packed[start] as string, packed[k] as string, typeName(packed[k + 1])];
      }
    }
  }
  return undefined;
}

function checkId(localId: unknown): asserts localId is string {
  if (typeof localId !== 'string') {
    throw new TypeError(`Expected \`localId\` to be a Local's id (its name, or \`#\` and its creation order), got ${describe(localId)}.`);
  }
}

/** A brand check: true for a Map from any realm, false for a Proxy or a look-alike, and it runs no user code. */
function isMap(value: unknown): value is ReadonlyMap<unknown, unknown> {
  try {
    Map.prototype.has.call(value, undefined);
    return true;
  } catch {
    return false;
  }
}

/** The set and deleted keys of `keys`, read once and checked, before `packed` is touched. */
function readKeys(keys: unknown, where: string): [set: unknown[], deleted: string[]] {
  if (!isMap(keys)) {
    throw new TypeError(`Expected \`${where}\` to be a Map from key to \`{ value, deleted }\`, got ${describe(keys)}.`);
  }
  const read = guardRead(where, () => {
    const set: unknown[] = [];
    const deleted: string[] = [];
    for (const [key, write] of Map.prototype.entries.call(keys) as MapIterator<[unknown, unknown]>) {
      if (typeof key !== 'string' || typeof write !== 'object' || write === null || isRevoked(write)) {
        return `maps ${describe(key)} to ${describe(write)}; each key (a string) maps to \`{ value, deleted }\``;
      }
      const { value, deleted: gone } = write as KeyWrite;
      if (gone === true) deleted.push(key);
      else set.push(key, value);
    }
    return [set, deleted] as [unknown[], string[]];
  });
  if (typeof read === 'string')
    throw new TypeError(`Expected \`${where}\` to be a Map from key to \`{ value, deleted }\`, but it ${read}.`);
  return read;
}

function pushEntry(packed: PackedValues, localId: string, [set, deleted]: [unknown[], string[]]): void {
  packed.push(localId, set.length / 2);
  for (let i = 0; i < set.length; i++) packed.push(set[i]);
  packed.push(deleted.length);
  for (let i = 0; i < deleted.length; i++) packed.push(deleted[i]);
}

/**
 * Appends the values of the Local `localId` to `packed`, unless `packed`
 * already holds an entry for it: what the sender chose wins. For a bridge
 * that adds values of its own thread (thread-critical ones) to what a call
 * brought. Returns whether it added them. `packed` is checked first.
 * @example
 * ```ts
 * addLocalValues(packed, 'tenant', new Map([['id', { value: 't1', deleted: false }]]));
 * ```
 */
export function addLocalValues(packed: PackedValues, localId: string, keys: ReadonlyMap<string, KeyWrite>): boolean {
  checkId(localId);
  const entry = readKeys(keys, 'keys');
  for (const start of layoutOf(packed, 'packed')) if (packed[start] === localId) return false;
  if (entry[0].length === 0 && entry[1].length === 0) return false;
  pushEntry(packed, localId, entry);
  return true;
}

/**
 * The writes a bridge recorded (with {@link observeWrites}), by Local id,
 * packed for the reply: each key's last value, or its deletion.
 * {@link applyValues} on the other side adopts them.
 */
export function packWrites(writes: ReadonlyMap<string, ReadonlyMap<string, KeyWrite>>): PackedValues {
  if (!isMap(writes)) {
    throw new TypeError(`Expected \`writes\` to be a Map from Local id to a Map of key writes, got ${describe(writes)}.`);
  }
  const packed: PackedValues = [];
  for (const [localId, keys] of Map.prototype.entries.call(writes) as MapIterator<[unknown, unknown]>) {
    if (typeof localId !== 'string') {
      throw new TypeError(`Expected \`writes\` to be keyed by Local ids (strings), got ${describe(localId)}.`);
    }
    pushEntry(packed, localId, readKeys(keys, `writes.get(${JSON.stringify(localId)})`));
  }
  return packed;
}

/**
 * `packed` read back into Maps, by Local id, then by key: each key's last
 * value, or its deletion. The inverse of {@link packWrites}; a later entry
 * for the same Local or key overrides an earlier one.
 */
export function unpackWrites(packed: PackedValues): Map<string, Map<string, KeyWrite>> {
  const out = new Map<string, Map<string, KeyWrite>>();
  for (const start of layoutOf(packed, 'packed')) {
    const localId = packed[start] as string;
    let keys = out.get(localId);
    if (keys === undefined) out.set(localId, (keys = new Map()));
    const deletedAt = start + 3 + 2 * (packed[start + 1] as number);
    for (let k = start + 2; k < deletedAt - 1; k += 2) keys.set(packed[k] as string, { value: packed[k + 1], deleted: false });
    const deleted = packed[deletedAt - 1] as number;
    for (let k = deletedAt; k < deletedAt + deleted; k++) keys.set(packed[k] as string, { value: undefined, deleted: true });
  }
  return out;
}
