import { applyValues, findUncloneable, type PackedValues } from '@tasklocal/core/bridge';
import { valuesToSend } from './call.ts';
import { aborted, checkSignal, checkTimeout, timedOut } from './call-limits.ts';
import { WorkerCallError } from './errors.ts';
import { errorOf } from './failure.ts';
import {
  CALL,
  type CallMessage,
  type Endpoint,
  ENVELOPE,
  EXIT,
  FAILURE,
  type FailureMessage,
  kindOf,
  listen,
  nextCallId,
  REPLY,
  type ReplyMessage,
} from './protocol.ts';

/** Options for {@link connect}. */
export interface ConnectOptions {
  /** How long each call waits for its reply, in milliseconds, unless the call says otherwise (default: no limit). */
  readonly timeoutMs?: number;
}

/** Options for one call. */
export interface CallOptions {
  /** Objects to transfer rather than copy, as with `postMessage`. */
  readonly transfer?: readonly unknown[];
  /**
   * Stop waiting after this many milliseconds: the call rejects with `WorkerCallError`
   * `ERR_TASKLOCAL_WORKER_TIMEOUT` and its late reply is dropped. Default: the
   * client's `timeoutMs`; `Infinity` for no limit.
   */
  readonly timeoutMs?: number;
  /** Stop waiting when it aborts: the call rejects with `WorkerCallError` `ERR_TASKLOCAL_WORKER_ABORTED`, whose `cause` is the signal's reason. */
  readonly signal?: AbortSignal;
}

/** A call's result with the Local values it wrote in the worker. */
export interface Reply<R> {
  readonly result: R;
  /**
   * Every value the call wrote or deleted, in its body or the tasks it
   * started, the last write of a key winning; packed as `@tasklocal/core/bridge`
   * makes them (`unpackWrites(reply.written)` reads them as Maps).
   */
  readonly written: PackedValues;
  /**
   * Makes the call's writes the caller's values, from here on in the caller's
   * task (asgiref's copy-back), and returns the result. Call it in the code
   * that awaited the reply: a callback cannot change its caller's context.
   */
  copyBack(): R;
}

/** Calls into one worker that runs {@link serve}. */
export interface WorkerClient {
  /**
   * Calls the worker's handler with `payload`, carrying the caller's Local
   * values; the call's writes stay in the worker. `options.timeoutMs` and
   * `options.signal` make it stop waiting.
   */
  call<R = unknown>(payload: unknown, options?: CallOptions): Promise<R>;
  /**
   * As `call`, and also returns what the call wrote, so the caller can adopt it:
   * `const total = (await worker.callForValues(order)).copyBack();`
   */
  callForValues<R = unknown>(payload: unknown, options?: CallOptions): Promise<Reply<R>>;
  /** Stops listening to the worker; pending calls reject. Does not terminate it. */
  close(): void;
  /** Calls not yet answered. */
  readonly pending: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** Resolve with the whole reply (for `callForValues`) rather than the result alone. */
  whole: boolean;
  /** Clears the call's timer and abort listener, when it has them. */
  stop: (() => void) | undefined;
}

/** A Web Worker's `terminate`, wrapped once per worker to tell every client connected to it. */
const terminateHooks = new WeakMap<object, Set<() => void>>();

function onTerminate(worker: { terminate: (...args: unknown[]) => unknown }, hook: () => void): () => void {
  let hooks = terminateHooks.get(worker);
  if (hooks === undefined) {
    const all = new Set<() => void>();
    hooks = all;
    terminateHooks.set(worker, all);
    const terminate = worker.terminate;
    // Never put back: another client, or other code, may have wrapped it since.
    worker.terminate = function (this: unknown, ...args: unknown[]) {
      for (const fail of [...all]) fail();
      return terminate.apply(this, args);
    };
  }
  hooks.add(hook);
  const mine = hooks;
  return () => mine.delete(hook);
}

/** A {@link Reply} for a reply message; a fresh array when nothing was written, so no two replies share one. */
export function toReply<R>(result: R, written: PackedValues = []): Reply<R> {
  return {
    result,
    written,
    copyBack() {
      applyValues(written);
      return result;
    },
  };
}

/** Throws a TypeError naming the first Local value that cannot cross into a worker. */
export function assertCloneable(values: PackedValues, cause?: unknown): void {
  const bad = findUncloneable(values);
  if (bad === undefined) return;
  const [id, key, type] = bad;
  throw new TypeError(
    `Cannot carry \`${key}\` of the Local \`${id}\` into a worker: its value is ${type}, which cannot be structured-cloned. Create that Local with \`threadCritical: true\` to keep it in this thread, or store an id or plain data instead of the object.`,
    cause === undefined ? undefined : { cause },
  );
}

/** Posts `message`; on a clone failure, names the Local value at fault before anything was sent. */
export function post(endpoint: Endpoint, message: CallMessage, transfer?: readonly unknown[]): void {
  try {
    if (transfer === undefined) endpoint.postMessage(message);
    else endpoint.postMessage(message, transfer);
  } catch (error) {
    const values = message[4];
    if (values !== undefined) assertCloneable(values, error);
    throw error; // the payload itself: not ours to explain
  }
}

/** The {@link Reply} of a reply message. */
export function replyOf<R>(message: ReplyMessage): Reply<R> {
  const written = message[4];
  return toReply(message[3] as R, written);
}

/**
 * Connects to a worker that runs {@link serve}: a `worker_threads` Worker or
 * MessagePort, or a Web Worker. Each `call` carries the caller's Local values
 * (every Local but the `threadCritical` ones), and concurrent calls never see
 * each other's. Any number of clients may share a worker: each gets only the
 * replies to its own calls. If the worker exits or fails, every pending call
 * rejects; none hangs. A call can also stop waiting (`timeoutMs`, `signal`).
 * @example
 * ```ts
 * const worker = connect(new Worker(new URL('./pricing.js', import.meta.url)), { timeoutMs: 5_000 });
 * const total = await worker.call({ items });
 * const adopted = (await worker.callForValues({ items })).copyBack(); // and adopt what it wrote
 * ```
 */
export function connect(worker: Endpoint, options: ConnectOptions = {}): WorkerClient {
  if (typeof worker !== 'object' || worker === null || typeof worker.postMessage !== 'function') {
    throw new TypeError('Expected `worker` to be a Worker or a MessagePort.');
  }
  const defaultTimeout = checkTimeout(options?.timeoutMs);
  const pending = new Map<number, Pending>();
  let closed = false;
  const settle = (id: number, ok: boolean, value: unknown) => {
    const entry = pending.get(id);
    if (entry === undefined) return; // another client's call, or one that stopped waiting: dropped
    pending.delete(id);
    entry.stop?.();
    if (ok) entry.resolve(value);
    else entry.reject(value);
  };
  const failAll = (error: Error) => {
    for (const id of [...pending.keys()]) settle(id, false, error);
  };
  const stops = [
    listen(worker, 'message', (message) => {
      const kind = kindOf(message);
      if (kind === EXIT) {
        closed = true;
        failAll(
          new WorkerCallError(
            'ERR_TASKLOCAL_WORKER_EXITED',
            `The worker closed itself while ${pending.size} call(s) were pending. The callers' values are unchanged; start a new worker to go on.`,
          ),
        );
        return;
      }
      if (kind !== REPLY && kind !== FAILURE) return; // not ours: untouched
      const id = (message as ReplyMessage)[2];
      const entry = pending.get(id);
      if (entry === undefined) return;
      if (kind === FAILURE) settle(id, false, errorOf(message as FailureMessage));
      else settle(id, true, entry.whole ? message : (message as ReplyMessage)[3]);
    }),
    listen(worker, 'error', (error) => {
      failAll(
        new WorkerCallError(
          'ERR_TASKLOCAL_WORKER_EXITED',
          `The worker failed with an uncaught error while ${pending.size} call(s) were pending: ${(error as Error)?.message ?? String(error)}. The callers' values are unchanged.`,
          { cause: error },
        ),
      );
    }),
  ];
  if (typeof (worker as { on?: unknown }).on === 'function') {
    stops.push(
      // A MessagePort closes when the thread at its other end ends, however it ends (a Worker never emits `close`).
      listen(worker, 'close', () => {
        closed = true;
        failAll(
          new WorkerCallError(
            'ERR_TASKLOCAL_WORKER_EXITED',
            `The port closed while ${pending.size} call(s) were pending: the worker at its other end ended, or one end was closed. The callers' values are unchanged; start a new worker to go on.`,
          ),
        );
      }),
      listen(worker, 'exit', (code) => {
        closed = true;
        failAll(
          new WorkerCallError(
            'ERR_TASKLOCAL_WORKER_EXITED',
            `The worker exited (code ${String(code)}) while ${pending.size} call(s) were pending. The callers' values are unchanged; start a new worker to go on.`,
          ),
        );
      }),
    );
  }
  const browserWorker = worker as { on?: unknown; terminate?: (...args: unknown[]) => unknown };
  if (typeof browserWorker.on !== 'function' && typeof browserWorker.terminate === 'function') {
    // A Web Worker ended with terminate() fires no event: fail its pending calls here, so none hangs.
    stops.push(
      onTerminate(browserWorker as { terminate: (...args: unknown[]) => unknown }, () => {
        closed = true;
        failAll(
          new WorkerCallError(
            'ERR_TASKLOCAL_WORKER_EXITED',
            `The worker was terminated while ${pending.size} call(s) were pending. The callers' values are unchanged; start a new worker to go on.`,
          ),
        );
      }),
    );
  }
  // A MessagePort delivers nothing to addEventListener listeners until it is started.
  (worker as { start?: () => void }).start?.();
  const send = (payload: unknown, callOptions: CallOptions, whole: boolean): Promise<unknown> => {
    const timeoutMs = checkTimeout(callOptions?.timeoutMs) ?? defaultTimeout;
    const signal = checkSignal(callOptions?.signal);
    if (closed) {
      return Promise.reject(
        new WorkerCallError('ERR_TASKLOCAL_WORKER_EXITED', 'This worker has exited or was closed: start a new worker and connect to it.'),
      );
    }
    if (signal?.aborted === true) return Promise.reject(aborted(signal.reason));
    const id = nextCallId();
    const values = valuesToSend();
    const message: CallMessage = values === undefined ? [ENVELOPE, CALL, id, payload] : [ENVELOPE, CALL, id, payload, values];
    return new Promise((resolve, reject) => {
      post(worker, message, callOptions.transfer);
      const entry: Pending = { resolve, reject, whole, stop: undefined };
      pending.set(id, entry);
      // setTimeout cannot wait longer than 2^31 - 1 ms: anything longer is no limit.
      const timer =
        timeoutMs !== undefined && timeoutMs <= 2_147_483_647
          ? setTimeout(() => settle(id, false, timedOut(timeoutMs)), timeoutMs)
          : undefined;
      const onAbort = signal === undefined ? undefined : () => settle(id, false, aborted(signal.reason));
      if (onAbort !== undefined) signal?.addEventListener('abort', onAbort, { once: true });
      if (timer !== undefined || onAbort !== undefined) {
        entry.stop = () => {
          if (timer !== undefined) clearTimeout(timer);
          if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
        };
      }
    });
  };
  return {
    get pending() {
      return pending.size;
    },
    call<R>(payload: unknown, callOptions: CallOptions = {}): Promise<R> {
      return send(payload, callOptions, false) as Promise<R>;
    },
    callForValues<R>(payload: unknown, callOptions: CallOptions = {}): Promise<Reply<R>> {
      return send(payload, callOptions, true).then((message) => replyOf<R>(message as ReplyMessage));
    },
    close() {
      closed = true;
      for (const stop of stops) stop();
      failAll(new WorkerCallError('ERR_TASKLOCAL_WORKER_EXITED', 'The worker client was closed while calls were pending.'));
    },
  };
}
