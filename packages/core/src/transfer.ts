import { copyFrame, eachRecord, type Frame, keyIndex, recordMerging, recordOf, type Values, withRecord } from './frame.ts';
import { deleteKey, type LocalState, stateById, storeOf, writeKey } from './local-state.ts';
import { defaultStore, storesInUse } from './registry.ts';
import { type ContextStore, describe, guardRead, isRevoked } from './store.ts';

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
  return state.id;
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
 * The values of every Local in the current context, as plain data for another
 * thread. By default Locals created with `threadCritical: true` are left out
 * (`'only'` exports just those, for keeping them per thread).
 */
export function exportValues(filter: ThreadCriticalFilter = 'exclude'): TransferredValues {
  const only = readFilter(filter);
  const locals: Record<string, Record<string, unknown>> = {};
  eachCurrentRecord((state, record) => {
    if (state.threadCritical !== only || record.length < 3) return;
    // No prototype: any key, `__proto__` included, is a plain own property, and assigning it is cheap.
    const out: Record<string, unknown> = Object.create(null);
    for (let i = 1; i < record.length; i += 2) out[record[i] as string] = record[i + 1];
    setOwn(locals, state.id, out);
  });
  return { v: 1, locals };
}

const SHAPE =
  'Expected transferred values as `exportValues()` makes them: `{ v: 1, locals: { [localId]: { [key]: value } }, deleted?: { [localId]: [key, …] } }`';

function isRecordLike(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !isRevoked(value) && !Array.isArray(value);
}

/**
 * Checks that `value` has the shape of {@link TransferredValues}, reading each
 * property once, and returns a copy made of plain own data: what a bridge
 * brings from another thread is never trusted.
 */
function readTransferred(value: unknown, where: string): TransferredValues {
  const fail = (path: string, detail: string) => new TypeError(`${SHAPE}; \`${where}${path}\` is ${detail}.`);
  if (!isRecordLike(value)) throw fail('', describe(value));
  const read = guardRead(where, () => {
    const { v, locals, deleted } = value as Partial<TransferredValues>;
    if (v !== 1) return fail('.v', `${describe(v)}, not 1`);
    if (!isRecordLike(locals)) return fail('.locals', describe(locals));
    const outLocals: Record<string, Record<string, unknown>> = Object.create(null);
    for (const id of Object.keys(locals)) {
      const values = (locals as Record<string, unknown>)[id];
      if (!isRecordLike(values)) return fail(`.locals[${JSON.stringify(id)}]`, describe(values));
      const copy: Record<string, unknown> = Object.create(null);
      for (const key of Object.keys(values)) copy[key] = (values as Record<string, unknown>)[key];
      outLocals[id] = copy;
    }
    if (deleted === undefined) return { v: 1, locals: outLocals } as TransferredValues;
    if (!isRecordLike(deleted)) return fail('.deleted', describe(deleted));
    const outDeleted: Record<string, string[]> = Object.create(null);
    for (const id of Object.keys(deleted)) {
      const keys = (deleted as Record<string, unknown>)[id];
      if (isRevoked(keys) || !Array.isArray(keys) || keys.some((key) => typeof key !== 'string')) {
        return fail(`.deleted[${JSON.stringify(id)}]`, `${describe(keys)}, not an array of keys`);
      }
      outDeleted[id] = [...keys] as string[];
    }
    return { v: 1, locals: outLocals, deleted: outDeleted } as TransferredValues;
  });
  if (read instanceof TypeError) throw read;
  return read;
}

/** True when `value` has the shape {@link exportValues} produces. */
export function isTransferredValues(value: unknown): value is TransferredValues {
  try {
    readTransferred(value, 'value');
    return true;
  } catch {
    return false;
  }
}

/** The [Local state, values] pairs of this thread that `transferred` names; unknown ids are skipped. */
function matching(transferred: TransferredValues): [LocalState, Readonly<Record<string, unknown>>][] {
  const pairs: [LocalState, Readonly<Record<string, unknown>>][] = [];
  for (const id of Object.keys(transferred.locals)) {
    const state = stateById(id);
    if (state !== undefined) pairs.push([state, transferred.locals[id] as Record<string, unknown>]);
  }
  return pairs;
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
  const checked = readTransferred(transferred, 'transferred');
  const deleted = checked.deleted ?? {};
  for (const id of Object.keys(deleted)) {
    const state = stateById(id);
    if (state === undefined) continue;
    for (const key of deleted[id] as readonly string[]) deleteKey(state, key);
  }
  for (const [state, values] of matching(checked)) {
    for (const key of Object.keys(values)) {
      const record = recordOf(storeOf(state).get() as Frame | undefined, state);
      const at = record === undefined ? -1 : keyIndex(record, key);
      if (record !== undefined && at > 0 && Object.is(record[at + 1], values[key])) continue;
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
  for (const [id, values] of Object.entries(readTransferred(transferred, 'transferred').locals)) {
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
  if (isRevoked(packed) || !Array.isArray(packed)) throw malformed();
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
  const checked = readTransferred(transferred, 'transferred');
  const packed: unknown[] = [];
  const deleted = checked.deleted ?? {};
  const ids = new Set([...Object.keys(checked.locals), ...Object.keys(deleted)]);
  for (const id of ids) {
    const values = Object.hasOwn(checked.locals, id) ? (checked.locals[id] as Record<string, unknown>) : {};
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
 * to an earlier one. `fn` runs in a new scope of every store in use, so
 * nothing it writes reaches the caller.
 */
export function runWithPackedValues<R>(packed: PackedValues, fn: () => R): R {
  if (typeof fn !== 'function') throw new TypeError(`Expected \`fn\` to be a function, got ${describe(fn)}.`);
  const frames = new Map<ContextStore, Frame | undefined>();
  eachPacked(packed, (id, at, count) => {
    const state = stateById(id);
    if (state === undefined || count === 0) return;
    const keys: string[] = [];
    const values: Record<string, unknown> = Object.create(null);
    for (let k = at; k < at + 2 * count; k += 2) {
      const key = packed[k];
      if (typeof key !== 'string') throw malformed();
      if (!(key in values)) keys.push(key);
      values[key] = packed[k + 1];
    }
    const store = storeOf(state);
    const frame = frames.has(store) ? frames.get(store) : (store.get() as Frame | undefined);
    frames.set(store, withRecord(frame, state, recordMerging(state, recordOf(frame, state), keys, values)));
  });
  if (storesInUse().size === 0) {
    // No Local has been used in this thread: with no backend there is no scope to open, and nothing to write into.
    if (!canResolveDefault()) return fn();
  }
  let run: () => R = fn;
  for (const store of storesInUse()) {
    const frame = frames.get(store) ?? copyFrame(store.get() as Frame | undefined);
    const inner = run;
    run = () => store.run(frame, inner);
  }
  return run();
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
