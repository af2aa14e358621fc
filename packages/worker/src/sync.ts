import { applyValues, unpackValues } from '@tasklocal/core';
import { valuesToSend } from './call.ts';
import { post } from './connect.ts';
import {
  CALL,
  type CallMessage,
  type Endpoint,
  ENVELOPE,
  FAILURE,
  kindOf,
  REPLY,
  type ReplyMessage,
  SYNC_PORT,
  type SyncPortMessage,
} from './protocol.ts';

interface NodeWorkerThreads {
  MessageChannel: new () => { port1: Endpoint & { close(): void }; port2: Endpoint };
  receiveMessageOnPort(port: unknown): { message: unknown } | undefined;
}

/** Options for {@link connectSync}. */
export interface SyncOptions {
  /** Give up waiting after this many milliseconds and throw (default: wait as long as it takes). */
  readonly timeoutMs?: number;
}

/** Blocking calls into a worker (asgiref's `async_to_sync`). */
export interface SyncClient {
  /**
   * Calls the worker's handler and blocks until it finishes, even when the
   * handler is async. The caller's values go in; with `copyBack`, the call's
   * writes become the caller's values on return.
   */
  call<R = unknown>(payload: unknown, options?: { readonly copyBack?: boolean }): R;
  /** Closes the synchronous channel. */
  close(): void;
}

/**
 * A synchronous bridge to a worker that runs `serve`: the calling thread
 * blocks on `Atomics.wait` until the reply is posted, then reads it with
 * `receiveMessageOnPort`. Node only (`worker_threads`).
 * @example
 * ```ts
 * const sync = await connectSync(worker);
 * const config = sync.call({ load: 'config' }); // no await: blocks
 * ```
 */
export async function connectSync(worker: Endpoint, options: SyncOptions = {}): Promise<SyncClient> {
  const threads = (await import('node:worker_threads')) as unknown as NodeWorkerThreads;
  const { port1, port2 } = new threads.MessageChannel();
  const setup: SyncPortMessage = [ENVELOPE, SYNC_PORT, port2];
  worker.postMessage(setup, [port2]);
  let nextId = 0;
  return {
    call<R>(payload: unknown, callOptions: { readonly copyBack?: boolean } = {}): R {
      const signal = new Int32Array(new SharedArrayBuffer(4));
      const id = nextId++;
      const message: CallMessage = [ENVELOPE, CALL, id, payload, valuesToSend(), signal];
      post(port1, message);
      const waited = Atomics.wait(signal, 0, 0, options.timeoutMs ?? Number.POSITIVE_INFINITY);
      if (waited === 'timed-out') {
        throw new Error(`The worker did not answer within ${options.timeoutMs} ms. The call may still finish there; its reply is dropped.`);
      }
      // Replies to earlier calls that timed out come first: skip them.
      let reply: ReplyMessage | undefined;
      for (;;) {
        const message = threads.receiveMessageOnPort(port1)?.message;
        const kind = kindOf(message);
        if (kind !== REPLY && kind !== FAILURE) {
          throw new Error('The worker signalled a reply but none arrived: is it running `serve` from @tasklocal/worker?');
        }
        if ((message as ReplyMessage)[2] !== id) continue;
        if (kind === FAILURE) throw (message as ReplyMessage)[3];
        reply = message as ReplyMessage;
        break;
      }
      // Synchronous, so this is still the caller's task: the copy-back sticks.
      const written = reply[4];
      if (callOptions.copyBack === true && written !== undefined) applyValues(unpackValues(written));
      return reply[3] as R;
    },
    close() {
      port1.close();
    },
  };
}
