/**
 * A frame is the whole context of one store at one moment: for each Local (by
 * slot) a record of its values (by key slot). Both levels are holey arrays, so
 * a read is two element loads with one map for V8 to cache, whatever the key.
 *
 * A frame that has been handed to a store is never mutated again: every write
 * copies the path it changes (copy-on-write), so a frame captured by another
 * task, a promise reaction or a snapshot keeps the values it had.
 */
export type Values = unknown[];
export type Frame = (Values | undefined)[];

/** A copy of `frame` (or an empty frame) with `values` in `slot`. */
export function withRecord(frame: Frame | undefined, slot: number, values: Values | undefined): Frame {
  const next = frame === undefined ? new Array<Values | undefined>(slot + 1) : frame.slice();
  next[slot] = values;
  return next;
}

/** A fresh frame object with the same content: what `run` needs to open a new scope. */
export function copyFrame(frame: Frame | undefined): Frame {
  return frame === undefined ? [] : frame.slice();
}

/** True when key slot `key` is set in `values` (an own element, also when it holds `undefined`). */
export function isSet(values: Values | undefined, key: number): boolean {
  return values !== undefined && key in values;
}
