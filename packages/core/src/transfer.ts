import type { Frame } from './frame.ts';
import { allStates, deleteKey, ensureSlot, type LocalState, keySlot, recordIn, recordToWrite, storeOf, writeKey } from './local-state.ts';
import { peekLocalOrder } from './registry.ts';
import type { ContextStore } from './store.ts';

/**
 * The values of Locals, detached from any context so that they can cross into
 * another thread with `postMessage` (structured clone). Locals are matched by
 * their `name`, or, when unnamed, by creation order (`#0`, `#1`, …), which
 * agrees between threads that import the same modules in the same order.
 */
export interface TransferredValues {
  /** Format version. */
  readonly v: 1;
  /** Local id (its name, or `#<creation index>`) to its values. */
  readonly locals: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Local id to keys that were deleted (copy-back only). */
  readonly deleted?: Readonly<Record<string, readonly string[]>>;
}

/** Which Locals {@link exportValues} includes. */
export type ThreadCriticalFilter = 'exclude' | 'only';

/** The id a Local is matched by across threads. */
export function transferId(state: LocalState): string {
  return state.name ?? `#${state.order}`;
}

/**
 * The values of every Local in the current context, as plain data for another
 * thread. By default Locals created with `threadCritical: true` are left out
 * (`'only'` exports just those, for keeping them per thread).
 */
export function exportValues(filter: ThreadCriticalFilter = 'exclude'): TransferredValues {
  const locals: Record<string, Record<string, unknown>> = {};
  const frames = new Map<ContextStore, Frame | undefined>();
  for (const state of allStates().values()) {
    if (state.threadCritical !== (filter === 'only')) continue;
    const store = state.store ?? state.explicitStore;
    if (store === undefined) continue; // never used: it holds nothing
    if (!frames.has(store)) frames.set(store, storeOf(state).get() as Frame | undefined);
    const values = recordIn(state, frames.get(store));
    if (values === undefined) continue;
    // No prototype: any key, `__proto__` included, is a plain own property, and assigning it is cheap.
    const out: Record<string, unknown> = Object.create(null);
    let any = false;
    for (let slot = 1; slot < values.length; slot++) {
      if (!(slot in values)) continue;
      out[state.keys[slot] as string] = values[slot];
      any = true;
    }
    if (any) locals[transferId(state)] = out;
  }
  return { v: 1, locals };
}

let byIdCache: Map<string, LocalState> | undefined;
let cachedOrder = -1;
let cachedSize = -1;

/** This thread's live Locals by transfer id; when two share a name, the newest one (as in {@link exportValues}). */
function byTransferId(): Map<string, LocalState> {
  const live = allStates();
  // Creating a Local moves the shared creation counter and collecting one shrinks the live set, so the
  // pair says whether the map is still exact, whichever copy of core made the change.
  const order = peekLocalOrder();
  if (byIdCache !== undefined && cachedOrder === order && cachedSize === live.size) return byIdCache;
  const byId = new Map<string, LocalState>();
  for (const state of live.values()) byId.set(transferId(state), state); // creation order: the newest stays
  byIdCache = byId;
  cachedOrder = order;
  cachedSize = live.size;
  return byId;
}

/** The [Local state, values] pairs of this thread that `transferred` names; unknown ids are skipped. */
function matching(transferred: TransferredValues): [LocalState, Readonly<Record<string, unknown>>][] {
  const byId = byTransferId();
  const pairs: [LocalState, Readonly<Record<string, unknown>>][] = [];
  for (const [id, values] of Object.entries(transferred.locals)) {
    const state = byId.get(id);
    if (state !== undefined) pairs.push([state, values]);
  }
  return pairs;
}

/** True when `value` has the shape {@link exportValues} produces. */
export function isTransferredValues(value: unknown): value is TransferredValues {
  const candidate = value as Partial<TransferredValues> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.v === 1 &&
    typeof candidate.locals === 'object' &&
    candidate.locals !== null
  );
}

/**
 * Runs `fn` in a new scope where the Locals named in `transferred` hold those
 * values (on top of the current ones), as another thread's `exportValues`
 * left them. Locals this thread does not have are skipped.
 */
export function runWithValues<R>(transferred: TransferredValues, fn: () => R): R {
  return runWithPackedValues(packValues(transferred), fn);
}

/**
 * Writes the values in `transferred` into the current context, as if each had
 * been assigned here: the caller's side of a copy-back. Keys not named keep
 * their values.
 */
export function applyValues(transferred: TransferredValues): void {
  const deleted = transferred.deleted ?? {};
  const byId = byTransferId();
  for (const [id, keys] of Object.entries(deleted)) {
    const state = byId.get(id);
    if (state === undefined) continue;
    for (const key of keys) deleteKey(state, key);
  }
  for (const [state, values] of matching(transferred)) {
    const record = recordIn(state, storeOf(state).get() as Frame | undefined);
    for (const key of Object.keys(values)) {
      const slot = keySlot(state, key);
      if (record !== undefined && slot in record && Object.is(record[slot], values[key])) continue;
      writeKey(state, key, values[key]);
    }
  }
}

/**
 * Names the first value in `transferred` that cannot be structured-cloned, as
 * `[localId, key, type]`, or undefined when all can. For a clear error before
 * a message is posted.
 */
export function findUncloneable(transferred: TransferredValues): [string, string, string] | undefined {
  for (const [id, values] of Object.entries(transferred.locals)) {
    for (const [key, value] of Object.entries(values)) {
      try {
        structuredClone(value);
      } catch {
        const type =
          typeof value === 'function'
            ? 'a function'
            : typeof value === 'symbol'
              ? 'a symbol'
              : typeof value === 'object' && value !== null
                ? `an object (${value.constructor?.name ?? 'Object'})`
                : typeof value;
        return [id, key, type];
      }
    }
  }
  return undefined;
}

/**
 * {@link TransferredValues} as one flat array, the form to post: structured
 * clone copies a flat array of strings and values about twice as fast as the
 * nested records, and neither side builds an object per Local. For each
 * Local: its id, the number of keys set, that many key and value pairs, the
 * number of keys deleted, and those keys.
 */
export type PackedValues = unknown[];

/** As {@link exportValues}, packed: read from the context with no record objects in between. Empty when no Local holds a value. */
export function exportPackedValues(filter: ThreadCriticalFilter = 'exclude'): PackedValues {
  const packed: unknown[] = [];
  let lastStore: ContextStore | undefined;
  let lastFrame: Frame | undefined;
  for (const state of allStates().values()) {
    if (state.threadCritical !== (filter === 'only')) continue;
    const store = state.store ?? state.explicitStore;
    if (store === undefined) continue; // never used: it holds nothing
    if (store !== lastStore) {
      lastStore = store;
      lastFrame = storeOf(state).get() as Frame | undefined;
    }
    const values = recordIn(state, lastFrame);
    if (values === undefined) continue;
    const start = packed.length;
    packed.push(transferId(state), 0);
    let count = 0;
    for (let slot = 1; slot < values.length; slot++) {
      if (!(slot in values)) continue;
      packed.push(state.keys[slot], values[slot]);
      count++;
    }
    if (count === 0) packed.length = start;
    else {
      packed[start + 1] = count;
      packed.push(0);
    }
  }
  return packed;
}

function malformed(): TypeError {
  return new TypeError(
    'Expected packed values as `exportPackedValues()` or `packValues()` make them: [id, count, key, value, …, deleted count, key, …] per Local.',
  );
}

/** Calls `visit(id, at, count, deletedAt, deleted)` for each Local in `packed`: its pairs start at `at`, its deleted keys at `deletedAt`. */
function eachPacked(
  packed: PackedValues,
  visit: (id: string, at: number, count: number, deletedAt: number, deleted: number) => void,
): void {
  if (!Array.isArray(packed)) throw malformed();
  let i = 0;
  while (i < packed.length) {
    const id = packed[i];
    const count = packed[i + 1];
    if (typeof id !== 'string' || !Number.isInteger(count) || (count as number) < 0) throw malformed();
    const deletedAt = i + 2 + 2 * (count as number) + 1;
    const deleted = packed[deletedAt - 1];
    if (!Number.isInteger(deleted) || (deleted as number) < 0 || deletedAt + (deleted as number) > packed.length) throw malformed();
    for (let k = deletedAt; k < deletedAt + (deleted as number); k++) if (typeof packed[k] !== 'string') throw malformed();
    visit(id, i + 2, count as number, deletedAt, deleted as number);
    i = deletedAt + (deleted as number);
  }
}

/** Sets `record[key]` as an own data property, also for `__proto__`, which an assignment would take as the prototype. */
function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}

/** `transferred` as {@link PackedValues}. */
export function packValues(transferred: TransferredValues): PackedValues {
  const packed: unknown[] = [];
  const deleted = transferred.deleted ?? {};
  const ids = new Set([...Object.keys(transferred.locals), ...Object.keys(deleted)]);
  for (const id of ids) {
    const values = Object.hasOwn(transferred.locals, id) ? (transferred.locals[id] as Record<string, unknown>) : {};
    const keys = Object.keys(values);
    packed.push(id, keys.length);
    for (const key of keys) packed.push(key, values[key]);
    const gone = Object.hasOwn(deleted, id) ? (deleted[id] as readonly string[]) : [];
    packed.push(gone.length, ...gone);
  }
  return packed;
}

/** {@link PackedValues} as {@link TransferredValues}; every key a plain own property, `__proto__` included. */
export function unpackValues(packed: PackedValues): TransferredValues {
  const locals: Record<string, Record<string, unknown>> = {};
  const deleted: Record<string, string[]> = {};
  eachPacked(packed, (id, at, count, deletedAt, gone) => {
    if (count > 0) {
      const values: Record<string, unknown> = Object.hasOwn(locals, id) ? (locals[id] as Record<string, unknown>) : {};
      for (let k = at; k < at + 2 * count; k += 2) {
        const key = packed[k];
        if (typeof key !== 'string') throw malformed();
        setOwn(values, key, packed[k + 1]);
      }
      setOwn(locals, id, values);
    }
    if (gone > 0) {
      const keys = Object.hasOwn(deleted, id) ? (deleted[id] as string[]) : [];
      for (let k = deletedAt; k < deletedAt + gone; k++) keys.push(packed[k] as string);
      setOwn(deleted, id, keys);
    }
  });
  return { v: 1, locals, deleted };
}

/**
 * As {@link runWithValues}, from packed values: the receiving side of a
 * bridge that posts {@link exportPackedValues}. Deleted keys are ignored, as
 * there; unknown Local ids are skipped; a later entry for the same Local adds
 * to an earlier one.
 */
export function runWithPackedValues<R>(packed: PackedValues, fn: () => R): R {
  const byId = byTransferId();
  let byStore: Map<ContextStore, Frame> | undefined;
  eachPacked(packed, (id, at, count) => {
    const state = byId.get(id);
    if (state === undefined || count === 0) return;
    const store = storeOf(state);
    byStore ??= new Map();
    let frame = byStore.get(store);
    if (frame === undefined) {
      const current = store.get() as Frame | undefined;
      frame = current === undefined ? [] : current.slice();
      byStore.set(store, frame);
    }
    const next = recordToWrite(state, recordIn(state, frame));
    const end = at + 2 * count;
    for (let k = at; k < end; k += 2) {
      const key = packed[k];
      if (typeof key !== 'string') throw malformed();
      next[keySlot(state, key)] = packed[k + 1];
    }
    frame[ensureSlot(state)] = next;
  });
  if (byStore === undefined) return fn();
  let run: () => R = fn;
  for (const [store, frame] of byStore) {
    const inner = run;
    run = () => store.run(frame, inner);
  }
  return run();
}
