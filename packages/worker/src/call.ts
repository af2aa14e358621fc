import { exportPackedValues, exportValues, Local, observeWrites, type PackedValues, runWithPackedValues } from '@tasklocal/core';

type Written = Map<string, Map<string, { value: unknown; deleted: boolean }>>;

/** The writes of the call running in the current context; a thread-critical Local, so it never travels. */
const JOURNAL_ID = '@tasklocal/worker:journal';
const journal = new Local<{ writes: Written }>({ name: JOURNAL_ID, threadCritical: true });

/** This thread's values of thread-critical Locals, carried from call to call; by Local id, no prototype. */
const threadValues: Record<string, Record<string, unknown>> = Object.create(null);

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
  for (const [id, values] of Object.entries(exportValues('only').locals)) {
    if (id !== JOURNAL_ID) threadValues[id] = Object.assign(Object.create(null) as Record<string, unknown>, values);
  }
  observeWrites((localId, key, value, deleted, threadCritical) => {
    if (localId === JOURNAL_ID) return;
    if (threadCritical) {
      // Thread-critical Locals belong to the thread: they outlive the call, as asgiref's thread_critical.
      const values = (threadValues[localId] ??= Object.create(null) as Record<string, unknown>);
      if (deleted) delete values[key];
      else values[key] = value;
      return;
    }
    const writes = journal.writes;
    if (writes === undefined) return;
    let keys = writes.get(localId);
    if (keys === undefined) writes.set(localId, (keys = new Map()));
    keys.set(key, { value, deleted });
  });
}

/** Adds a thread-critical Local's values to a call's, unless the caller sent that Local (a Local critical here but not there): the caller's win. */
function addThreadValues(packed: PackedValues, id: string, values: Record<string, unknown>): void {
  let i = 0;
  while (i < packed.length) {
    if (packed[i] === id) return;
    const count = packed[i + 1];
    const deletedAt = i + 2 + 2 * (count as number);
    const deleted = packed[deletedAt];
    // Malformed: leave it to runWithPackedValues to say so.
    if (!Number.isInteger(count) || (count as number) < 0 || !Number.isInteger(deleted) || (deleted as number) < 0) return;
    i = deletedAt + 1 + (deleted as number);
  }
  const keys = Object.keys(values);
  if (keys.length === 0) return;
  packed.push(id, keys.length);
  for (const key of keys) packed.push(key, values[key]);
  packed.push(0);
}

/** The call's writes for the reply, in the wire format: the last write of each key, set or deleted. */
function packWrites(writes: Written): PackedValues {
  const packed: unknown[] = [];
  for (const [id, keys] of writes) {
    const countAt = packed.length + 1;
    packed.push(id, 0);
    let set = 0;
    const gone: string[] = [];
    for (const [key, { value, deleted }] of keys) {
      if (deleted) gone.push(key);
      else {
        packed.push(key, value);
        set++;
      }
    }
    packed[countAt] = set;
    packed.push(gone.length, ...gone);
  }
  return packed;
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
  // One scope for everything: the caller's values, this thread's own (where the caller sent none), and the journal.
  // The message is ours: its array is reused.
  const all: PackedValues = values ?? [];
  let result: unknown;
  try {
    if (!Array.isArray(all)) {
      throw new TypeError(
        'Malformed tasklocal call: its values are not an array. Do both threads use the same version of @tasklocal/worker?',
      );
    }
    for (const id in threadValues) addThreadValues(all, id, threadValues[id] as Record<string, unknown>);
    all.push(JOURNAL_ID, 1, 'writes', writes, 0);
    result = runWithPackedValues(all, fn);
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
  const packed = exportPackedValues('exclude');
  return packed.length === 0 ? undefined : packed;
}
