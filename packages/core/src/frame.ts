/**
 * A frame is the whole context of one store at one moment. Each Local that
 * holds values there has a record, an array `[owner, key, value, key, value, …]`
 * with its keys in the order they were set. A frame in which one Local holds
 * values is that Local's record itself, so the usual scope (one Local, a few
 * keys) is one small array; when several Locals hold values the frame is
 * `[LIST, record, record, …]`.
 *
 * Nothing here is indexed by how many Locals or keys exist: a frame holds the
 * Locals that hold values in it, a record the keys set in it, and every
 * operation is bounded by those. Keys are scanned, which for the handful of
 * keys a scope sets is faster than any map; a record with many keys gets an
 * index (see {@link keyIndex}).
 *
 * A frame that has been handed to a store is never mutated again: every
 * change builds a new frame (copy-on-write), so a frame captured by another
 * task, a promise reaction or a snapshot keeps the values it had.
 */
export type Values = unknown[];
export type Frame = unknown[];

/**
 * Marks a frame that lists several records. A registered symbol, so that two
 * copies of this package loaded in one realm read each other's frames.
 */
export const LIST: unique symbol = Symbol.for('tasklocal.frame.list.v2');

/** The record `owner` holds in `frame`, if any. */
export function recordOf(frame: Frame | undefined, owner: object): Values | undefined {
  if (frame === undefined) return undefined;
  const head = frame[0];
  if (head === owner) return frame;
  if (head !== LIST) return undefined;
  for (let i = 1; i < frame.length; i++) {
    const record = frame[i] as Values;
    if (record[0] === owner) return record;
  }
  return undefined;
}

/** An empty frame: a fresh object each time, as a store's `run` expects. */
export function emptyFrame(): Frame {
  return [LIST];
}

/** A fresh frame object with the same content: what `run` needs to open a new scope. */
export function copyFrame(frame: Frame | undefined): Frame {
  return frame === undefined ? [LIST] : frame.slice();
}

/** A copy of `frame` in which `owner` holds `record`, or nothing when `record` is undefined. */
export function withRecord(frame: Frame | undefined, owner: object, record: Values | undefined): Frame {
  const head = frame === undefined ? undefined : frame[0];
  if (frame === undefined || head === owner || (head === LIST && frame.length === 1)) return record ?? [LIST];
  if (head !== LIST) return record === undefined ? frame.slice() : [LIST, frame, record];
  let at = 1;
  while (at < frame.length && (frame[at] as Values)[0] !== owner) at++;
  if (record !== undefined) {
    const next = frame.slice();
    next[at] = record; // past the end when `owner` held nothing: an append
    return next;
  }
  if (at === frame.length) return frame.slice();
  // One record left: the frame is that record, the form every read tries first.
  if (frame.length === 3) return frame[at === 1 ? 2 : 1] as Values;
  const next = frame.slice(0, at);
  for (let i = at + 1; i < frame.length; i++) next.push(frame[i]);
  return next;
}

/** Calls `visit(record)` for every record in `frame`. */
export function eachRecord(frame: Frame | undefined, visit: (record: Values) => void): void {
  if (frame === undefined || frame.length === 0) return;
  if (frame[0] !== LIST) {
    visit(frame);
    return;
  }
  for (let i = 1; i < frame.length; i++) visit(frame[i] as Values);
}

/** Records with more keys than this get a Map from key to position, built once per record. */
const INDEXED = 16;
const indexes = new WeakMap<Values, Map<string, number>>();

/** The position of `key` in `record` (its value is at the next one), or -1. */
export function keyIndex(record: Values, key: string): number {
  const length = record.length;
  if (length > 2 * INDEXED + 1) return bigIndex(record).get(key) ?? -1;
  for (let i = 1; i < length; i += 2) if (record[i] === key) return i;
  return -1;
}

function bigIndex(record: Values): Map<string, number> {
  let index = indexes.get(record);
  if (index === undefined) {
    index = new Map();
    for (let i = 1; i < record.length; i += 2) index.set(record[i] as string, i);
    indexes.set(record, index);
  }
  return index;
}

/** A copy of `record` (or a new record of `owner`) with `key` set to `value`. */
export function recordWith(owner: object, record: Values | undefined, key: string, value: unknown): Values {
  if (record === undefined) return [owner, key, value];
  const next = record.slice();
  const at = keyIndex(record, key);
  if (at > 0) next[at + 1] = value;
  else next.push(key, value);
  return next;
}

/** A copy of `record` without `key`, or undefined when no key is left. */
export function recordWithout(record: Values, key: string): Values | undefined {
  const at = keyIndex(record, key);
  if (at < 0) return record.slice();
  if (record.length <= 3) return undefined;
  const next = record.slice(0, at);
  for (let i = at + 2; i < record.length; i++) next.push(record[i]);
  return next;
}

/** A copy of `record` (or a new record of `owner`) with each of `keys` set to `values[key]`. */
export function recordMerging(
  owner: object,
  record: Values | undefined,
  keys: readonly string[],
  values: Readonly<Record<string, unknown>>,
): Values {
  const count = keys.length;
  if (record === undefined) {
    if (count === 1) {
      const key = keys[0] as string;
      return [owner, key, values[key]];
    }
    const next: Values = [owner];
    for (let i = 0; i < count; i++) {
      const key = keys[i] as string;
      next.push(key, values[key]);
    }
    return next;
  }
  const next = record.slice();
  const appended = record.length;
  // Many keys: one map of positions for this merge, not a scan per key.
  let lookup: Map<string, number> | undefined;
  if (count > 4) {
    lookup = new Map();
    for (let i = 1; i < appended; i += 2) lookup.set(next[i] as string, i);
  }
  for (let i = 0; i < count; i++) {
    const key = keys[i] as string;
    let at: number;
    if (lookup !== undefined) at = lookup.get(key) ?? -1;
    else {
      // `record` is immutable, so its (maybe indexed) positions hold; keys this merge added are scanned.
      at = keyIndex(record, key);
      for (let j = appended; at < 0 && j < next.length; j += 2) if (next[j] === key) at = j;
    }
    if (at > 0) next[at + 1] = values[key];
    else {
      lookup?.set(key, next.length);
      next.push(key, values[key]);
    }
  }
  return next;
}

/**
 * A copy of `frame` in which `owner`'s record has each of `keys` set to
 * `values[key]`: the frame of a scope that sets values on one Local. When
 * `frame` is empty or is `owner`'s record, the new record is the new frame.
 */
export function frameMerging(
  frame: Frame | undefined,
  owner: object,
  keys: readonly string[],
  values: Readonly<Record<string, unknown>>,
): Frame {
  if (frame === undefined || frame[0] === owner) return recordMerging(owner, frame, keys, values);
  return withRecord(frame, owner, recordMerging(owner, recordOf(frame, owner), keys, values));
}

/** The keys and values of `record` as a new object with no prototype, so that every key, `__proto__` included, is a plain own property. */
export function recordObject(record: Values | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  if (record !== undefined) for (let i = 1; i < record.length; i += 2) out[record[i] as string] = record[i + 1];
  return out;
}
