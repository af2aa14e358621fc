import { exportValues, Local, observeWrites, runWithValues, type TransferredValues } from '@tasklocal/core';

type Written = Map<string, Map<string, { value: unknown; deleted: boolean }>>;

/** The writes of the call running in the current context; a thread-critical Local, so it never travels. */
const JOURNAL_ID = '@tasklocal/worker:journal';
const journal = new Local<{ writes: Written }>({ name: JOURNAL_ID, threadCritical: true });

let observing = false;
function observe(): void {
  if (observing) return;
  observing = true;
  observeWrites((localId, key, value, deleted, threadCritical) => {
    if (localId === JOURNAL_ID) return;
    if (threadCritical) {
      // Thread-critical Locals belong to the thread: they outlive the call, as asgiref's thread_critical.
      const values = (threadValues.locals[localId] ??= {});
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

/** This thread's values of thread-critical Locals, carried from call to call. */
const threadValues: { v: 1; locals: Record<string, Record<string, unknown>> } = { v: 1, locals: {} };

function toTransferred(writes: Written): TransferredValues {
  const locals: Record<string, Record<string, unknown>> = {};
  const deleted: Record<string, string[]> = {};
  for (const [id, keys] of writes) {
    for (const [key, { value, deleted: gone }] of keys) {
      if (gone) (deleted[id] ??= []).push(key);
      else (locals[id] ??= Object.create(null))[key] = value; // no prototype: `__proto__` is a plain key
    }
  }
  return { v: 1, locals, deleted };
}

/** How a call ended: its result (`ok`) or error, and what it wrote (only when it succeeded). */
export type Settle = (ok: boolean, value: unknown, written: TransferredValues | undefined) => void;

/**
 * Runs `fn` in a new scope holding the caller's `values`, this thread's
 * thread-critical values, and a journal of every write the call makes (in its
 * own body, before and after each `await`, and in the tasks it starts; the
 * last write of a key wins); then calls `settle`. A handler that returns a
 * plain value settles at once, with no promise in between.
 */
export function startCall(values: TransferredValues, fn: () => unknown, settle: Settle): void {
  observe();
  const writes: Written = new Map();
  // One scope for everything: the thread's own values, the caller's, and the journal.
  const merged: TransferredValues = {
    v: 1,
    locals: { ...threadValues.locals, ...values.locals, [JOURNAL_ID]: { writes } },
  };
  let result: unknown;
  try {
    result = runWithValues(merged, fn);
  } catch (error) {
    settle(false, error, undefined);
    return;
  }
  const written = () => (writes.size === 0 ? undefined : toTransferred(writes));
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
  values: TransferredValues,
  fn: () => R | Promise<R>,
): Promise<{ result: Awaited<R>; written: TransferredValues | undefined }> {
  return new Promise((resolve, reject) =>
    startCall(values, fn, (ok, value, written) => (ok ? resolve({ result: value as Awaited<R>, written }) : reject(value))),
  );
}

/** The values of the current context to send with a call: every Local but the thread-critical ones. */
export function valuesToSend(): TransferredValues {
  return exportValues('exclude');
}
