import { Local, runWith } from '@tasklocal/core';
import {
  addLocalValues,
  exportValues,
  type KeyWrite,
  observeWrites,
  type PackedValues,
  packWrites,
  runWithValues,
  unpackWrites,
} from '@tasklocal/core/bridge';

/** By Local id, then key: the last write of each. */
type Written = Map<string, Map<string, KeyWrite>>;

/** The writes of the call running in the current context; a thread-critical Local, so it never travels. */
const JOURNAL_ID = '@tasklocal/worker:journal';
const journal = new Local<{ writes: Written }>({ name: JOURNAL_ID, threadCritical: true });

/** This thread's values of thread-critical Locals, carried from call to call, by Local id. */
const threadValues: Written = new Map();

let observing = false;

/**
 * Starts keeping this thread's thread-critical values and journaling calls'
 * writes. `serve` and `contextual` call it when set up, not at the first
 * call, so the values the worker's own code sets before any call arrives
 * (before or after `serve`) are its calls' values too.
 */
export function keepThreadValues(): void {
  if (observing) return;
  observing = true;
  // Set before now, in the worker's top-level code: the context `serve` was called in holds them.
  for (const [id, keys] of unpackWrites(exportValues('only'))) if (id !== JOURNAL_ID) threadValues.set(id, keys);
  observeWrites((localId, key, value, deleted, threadCritical) => {
    if (localId === JOURNAL_ID) return;
    if (threadCritical) {
      // Thread-critical Locals belong to the thread: they outlive the call, as asgiref's thread_critical.
      let keys = threadValues.get(localId);
      if (keys === undefined) threadValues.set(localId, (keys = new Map()));
      if (deleted) keys.delete(key);
      else keys.set(key, { value, deleted: false });
      return;
    }
    const writes = journal.writes;
    if (writes === undefined) return;
    let keys = writes.get(localId);
    if (keys === undefined) writes.set(localId, (keys = new Map()));
    keys.set(key, { value, deleted });
  });
}

/** How a call ended: its result (`ok`) or error, and what it wrote (only when it succeeded). */
export type Settle = (ok: boolean, value: unknown, written: PackedValues | undefined) => void;

/**
 * Runs `fn` in a new scope holding the caller's `values`, this thread's
 * thread-critical values, and a journal of every write the call makes (in its
 * own body, before and after each `await`, and in the tasks it starts; the
 * last write of a key wins); then calls `settle`. A handler that returns a
 * plain value settles at once, with no promise in between.
 */
export function startCall(values: PackedValues | undefined, fn: () => unknown, settle: Settle): void {
  keepThreadValues();
  const writes: Written = new Map();
  // The caller's values and this thread's own (where the caller sent none) in one scope; the journal in a
  // scope inside it, so no caller can send a journal of its own.
  // The message is ours: its array is reused.
  const all: PackedValues = values ?? [];
  let result: unknown;
  try {
    if (!Array.isArray(all)) {
      throw new TypeError(
        'Malformed tasklocal call: its values are not an array. Do both threads use the same version of @tasklocal/worker?',
      );
    }
    // A Local critical here but not in the caller's thread: the caller sent it, and its values win.
    for (const [id, keys] of threadValues) addLocalValues(all, id, keys);
    result = runWithValues(all, () => runWith(journal, { writes }, fn));
  } catch (error) {
    settle(false, error, undefined);
    return;
  }
  const written = () => (writes.size === 0 ? undefined : packWrites(writes));
  if (typeof (result as { then?: unknown } | null)?.then !== 'function') {
    settle(true, result, written());
    return;
  }
  Promise.resolve(result).then(
    (value) => settle(true, value, written()),
    (error) => settle(false, error, undefined),
  );
}

/** {@link startCall} as a promise of the result and what the call wrote. */
export function runCall<R>(
  values: PackedValues | undefined,
  fn: () => R | Promise<R>,
): Promise<{ result: Awaited<R>; written: PackedValues | undefined }> {
  return new Promise((resolve, reject) =>
    startCall(values, fn, (ok, value, written) => (ok ? resolve({ result: value as Awaited<R>, written }) : reject(value))),
  );
}

/** The values of the current context to send with a call (every Local but the thread-critical ones), or undefined when none holds a value. */
export function valuesToSend(): PackedValues | undefined {
  const packed = exportValues('exclude');
  return packed.length === 0 ? undefined : packed;
}
