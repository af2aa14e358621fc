import { applyValues, findUncloneable, LocalError, type TransferredValues, unpackValues } from '@tasklocal/core';
import { valuesToSend } from './call.ts';
import { CALL, type CallMessage, type Endpoint, ENVELOPE, EXIT, FAILURE, kindOf, listen, REPLY, type ReplyMessage } from './protocol.ts';

/** Options for one call. */
export interface CallOptions {
  /** Objects to transfer rather than copy, as with `postMessage`. */
  readonly transfer?: readonly unknown[];
}

/** A call's result with the Local values it wrote in the worker. */
export interface Reply<R> {
  readonly result: R;
  /** Every value the call wrote or deleted, in its body or the tasks it started; the last write of a key wins. */
  readonly written: TransferredValues;
  /**
   * Makes the call's writes the caller's values, from here on in the caller's
   * task (asgiref's copy-back), and returns the result. Call it in the code
   * that awaited the reply: a callback cannot change its caller's context.
   */
  copyBack(): R;
}

/** Calls into one worker that runs {@link serve}. */
export interface WorkerClient {
  /** Calls the worker's handler with `payload`, carrying the caller's Local values; the call's writes stay in the worker. */
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
}

const NOTHING_WRITTEN: TransferredValues = { v: 1, locals: {} };

/** A {@link Reply} for a reply message. */
export function toReply<R>(result: R, written: TransferredValues = NOTHING_WRITTEN): Reply<R> {
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
export function assertCloneable(values: TransferredValues, cause?: unknown): void {
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
    if (values !== undefined) assertCloneable(unpackValues(values), error);
    throw error; // the payload itself: not ours to explain
  }
}

/** The {@link Reply} of a reply message. */
export function replyOf<R>(message: ReplyMessage): Reply<R> {
  const written = message[4];
  return toReply(message[3] as R, written === undefined ? undefined : unpackValues(written));
}

/**
 * Connects to a worker that runs {@link serve}: a `worker_threads` Worker or
 * MessagePort, or a Web Worker. Each `call` carries the caller's Local values
 * (every Local but the `threadCritical` ones), and concurrent calls never see
 * each other's. If the worker exits or fails, every pending call rejects; none
 * hangs.
 * @example
 * ```ts
 * const worker = connect(new Worker(new URL('./pricing.js', import.meta.url)));
 * const total = await worker.call({ items }, { copyBack: true });
 * ```
 */
export function connect(worker: Endpoint): WorkerClient {
  if (typeof worker !== 'object' || worker === null || typeof worker.postMessage !== 'function') {
    throw new TypeError('Expected `worker` to be a Worker or a MessagePort.');
  }
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let closed = false;
  const failAll = (error: Error) => {
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  };
  const stops = [
    listen(worker, 'message', (message) => {
      const kind = kindOf(message);
      if (kind === EXIT) {
        closed = true;
        failAll(
          new LocalError(
            'ERR_TASKLOCAL_WORKER_EXITED',
            `The worker closed itself while ${pending.size} call(s) were pending. The callers' values are unchanged; start a new worker to go on.`,
          ),
        );
        return;
      }
      if (kind !== REPLY && kind !== FAILURE) return; // not ours: untouched
      const reply = message as ReplyMessage;
      const id = reply[2];
      const entry = pending.get(id);
      if (entry === undefined) return;
      pending.delete(id);
      if (kind === FAILURE) entry.reject(reply[3]);
      else entry.resolve(entry.whole ? reply : reply[3]);
    }),
    listen(worker, 'error', (error) => {
      failAll(
        new LocalError(
          'ERR_TASKLOCAL_WORKER_EXITED',
          `The worker failed with an uncaught error while ${pending.size} call(s) were pending: ${(error as Error)?.message ?? String(error)}. The callers' values are unchanged.`,
          { cause: error },
        ),
      );
    }),
  ];
  if (typeof (worker as { on?: unknown }).on === 'function') {
    stops.push(
      listen(worker, 'exit', (code) => {
        closed = true;
        failAll(
          new LocalError(
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
    const terminate = browserWorker.terminate;
    browserWorker.terminate = function (this: unknown, ...args: unknown[]) {
      closed = true;
      failAll(
        new LocalError(
          'ERR_TASKLOCAL_WORKER_EXITED',
          `The worker was terminated while ${pending.size} call(s) were pending. The callers' values are unchanged; start a new worker to go on.`,
        ),
      );
      return terminate.apply(this, args);
    };
    stops.push(() => {
      browserWorker.terminate = terminate;
    });
  }
  // A MessagePort delivers nothing to addEventListener listeners until it is started.
  (worker as { start?: () => void }).start?.();
  const send = (payload: unknown, options: CallOptions, whole: boolean): Promise<unknown> => {
    if (closed) {
      return Promise.reject(
        new LocalError('ERR_TASKLOCAL_WORKER_EXITED', 'This worker has exited or was closed: start a new worker and connect to it.'),
      );
    }
    const id = nextId++;
    const values = valuesToSend();
    const message: CallMessage = values === undefined ? [ENVELOPE, CALL, id, payload] : [ENVELOPE, CALL, id, payload, values];
    return new Promise((resolve, reject) => {
      post(worker, message, options.transfer);
      pending.set(id, { resolve, reject, whole });
    });
  };
  return {
    get pending() {
      return pending.size;
    },
    call<R>(payload: unknown, options: CallOptions = {}): Promise<R> {
      return send(payload, options, false) as Promise<R>;
    },
    async callForValues<R>(payload: unknown, options: CallOptions = {}): Promise<Reply<R>> {
      return replyOf<R>((await send(payload, options, true)) as ReplyMessage);
    },
    close() {
      closed = true;
      for (const stop of stops) stop();
      failAll(new LocalError('ERR_TASKLOCAL_WORKER_EXITED', 'The worker client was closed while calls were pending.'));
    },
  };
}
