import { applyValues } from '@tasklocal/core/bridge';
import { valuesToSend } from './call.ts';
import { aborted, checkSignal, checkTimeout, timedOut } from './call-limits.ts';
import { post } from './connect.ts';
import { WorkerCallError } from './errors.ts';
import { errorOf } from './failure.ts';
import {
  CALL,
  type CallMessage,
  type Endpoint,
  ENVELOPE,
  FAILURE,
  type FailureMessage,
  kindOf,
  nextCallId,
  REPLY,
  type ReplyMessage,
  SYNC_PORT,
  type SyncPortMessage,
} from './protocol.ts';

type NodePort = Endpoint & { close(): void };

interface NodeWorkerThreads {
  MessageChannel: new () => { port1: NodePort; port2: NodePort };
  Worker: new (code: string, options: { eval: true }) => Endpoint & { unref(): void };
  receiveMessageOnPort(port: unknown): { message: unknown } | undefined;
}

/** Options for {@link connectSync}. */
export interface SyncOptions {
  /** How long each call waits for its reply, in milliseconds, unless the call says otherwise (default: no limit). */
  readonly timeoutMs?: number;
}

/** Options for one blocking call. */
export interface SyncCallOptions {
  /** Make the call's writes the caller's values on return. */
  readonly copyBack?: boolean;
  /** Stop waiting after this many milliseconds and throw `WorkerCallError` `ERR_TASKLOCAL_WORKER_TIMEOUT` (default: the bridge's `timeoutMs`; `Infinity` for no limit). */
  readonly timeoutMs?: number;
  /** Checked before the call: an aborted signal throws `ERR_TASKLOCAL_WORKER_ABORTED` and nothing is posted. A blocked thread cannot see it abort later; use `timeoutMs`. */
  readonly signal?: AbortSignal;
}

/** Blocking calls into a worker (asgiref's `async_to_sync`). */
export interface SyncClient {
  /**
   * Calls the worker's handler and blocks until it finishes, even when the
   * handler is async. The caller's values go in; with `copyBack`, the call's
   * writes become the caller's values on return. Throws `WorkerCallError`
   * `ERR_TASKLOCAL_WORKER_EXITED` if the worker exits or is terminated
   * before it answers.
   */
  call<R = unknown>(payload: unknown, options?: SyncCallOptions): R;
  /** Closes the synchronous channel; later calls throw. */
  close(): void;
}

// The words every call of one bridge shares: the worker adds one to REPLIES after each reply it
// posts, the watcher sets GONE (and adds one to REPLIES) when the worker is gone.
const REPLIES = 0;
const GONE = 1;

/**
 * A thread that wakes blocked callers when their worker ends. The caller
 * cannot see it: its thread is blocked, and a worker's exit is reported on
 * the parent's event loop. A port whose other end the worker holds closes
 * when the worker's thread ends, however it ends, and this thread hears it.
 */
const WATCHER = `'use strict';
const { parentPort } = require('node:worker_threads');
const lives = new Map();
parentPort.on('message', ({ id, life, words }) => {
  if (life === undefined) {
    // The bridge was closed: stop watching.
    lives.get(id)?.close();
    lives.delete(id);
    return;
  }
  lives.set(id, life);
  life.on('close', () => {
    lives.delete(id);
    Atomics.store(words, ${GONE}, 1);
    Atomics.add(words, ${REPLIES}, 1);
    Atomics.notify(words, ${REPLIES});
  });
});`;

let watcher: (Endpoint & { unref(): void }) | undefined;
let bridges = 0;

/**
 * A synchronous bridge to a worker that runs `serve`: the calling thread
 * blocks on `Atomics.wait` until the reply is posted, then reads it with
 * `receiveMessageOnPort`. A call throws rather than blocks forever when the
 * worker exits, crashes or is terminated before it answers (a watcher thread,
 * one for all bridges, notices); add `timeoutMs` for a handler that may never
 * settle. Node only (`worker_threads`).
 * @example
 * ```ts
 * const sync = await connectSync(worker, { timeoutMs: 5_000 });
 * const config = sync.call({ load: 'config' }); // no await: blocks
 * ```
 */
export async function connectSync(worker: Endpoint, options: SyncOptions = {}): Promise<SyncClient> {
  if (typeof worker !== 'object' || worker === null || typeof worker.postMessage !== 'function') {
    throw new TypeError('Expected `worker` to be a Worker or a MessagePort.');
  }
  const defaultTimeout = checkTimeout(options?.timeoutMs);
  const threads = (await import('node:worker_threads')) as unknown as NodeWorkerThreads;
  if (watcher === undefined) {
    watcher = new threads.Worker(WATCHER, { eval: true });
    watcher.unref(); // it never keeps the process alive
  }
  const words = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new threads.MessageChannel();
  const life = new threads.MessageChannel();
  const setup: SyncPortMessage = [ENVELOPE, SYNC_PORT, port2, life.port2];
  worker.postMessage(setup, [port2, life.port2]);
  const watched = watcher;
  const bridge = bridges++;
  watched.postMessage({ id: bridge, life: life.port1, words }, [life.port1]);
  let closed = false;
  const gone = () =>
    new WorkerCallError(
      'ERR_TASKLOCAL_WORKER_EXITED',
      "The worker exited or was terminated, or stopped serving, before it answered. The caller's values are unchanged; start a new worker and connect to it.",
    );
  return {
    call<R>(payload: unknown, callOptions: SyncCallOptions = {}): R {
      const timeoutMs = checkTimeout(callOptions?.timeoutMs) ?? defaultTimeout;
      const signal = checkSignal(callOptions?.signal);
      if (closed)
        throw new WorkerCallError('ERR_TASKLOCAL_WORKER_EXITED', 'This synchronous bridge was closed: connect again with `connectSync`.');
      if (signal?.aborted === true) throw aborted(signal.reason);
      if (Atomics.load(words, GONE) === 1) throw gone();
      const id = nextCallId();
      let seen = Atomics.load(words, REPLIES);
      const message: CallMessage = [ENVELOPE, CALL, id, payload, valuesToSend(), words];
      post(port1, message);
      const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + timeoutMs;
      for (;;) {
        // Replies to earlier calls that stopped waiting come first: skip them.
        for (let next = threads.receiveMessageOnPort(port1); next !== undefined; next = threads.receiveMessageOnPort(port1)) {
          const kind = kindOf(next.message);
          if ((kind !== REPLY && kind !== FAILURE) || (next.message as ReplyMessage)[2] !== id) continue;
          if (kind === FAILURE) throw errorOf(next.message as FailureMessage);
          const reply = next.message as ReplyMessage;
          // Synchronous, so this is still the caller's task: the copy-back sticks.
          const written = reply[4];
          if (callOptions.copyBack === true && written !== undefined) applyValues(written);
          return reply[3] as R;
        }
        if (Atomics.load(words, GONE) === 1) throw gone();
        const now = Atomics.load(words, REPLIES);
        if (now !== seen) {
          seen = now; // a reply (or the news that the worker is gone) came since the last look
          continue;
        }
        const left = deadline - performance.now();
        if (left <= 0) throw timedOut(timeoutMs as number);
        Atomics.wait(words, REPLIES, seen, left);
      }
    },
    close() {
      if (closed) return;
      closed = true;
      port1.close();
      watched.postMessage({ id: bridge });
    },
  };
}
