import { applyValues } from '@tasklocal/core';
import { valuesToSend } from './call.ts';
import { post } from './connect.ts';
import { ENVELOPE, isEnvelope, type Endpoint, type ReplyMessage } from './protocol.ts';

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
  worker.postMessage({ [ENVELOPE]: 'sync-port', port: port2 }, [port2]);
  let nextId = 0;
  return {
    call<R>(payload: unknown, callOptions: { readonly copyBack?: boolean } = {}): R {
      const signal = new Int32Array(new SharedArrayBuffer(4));
      const id = nextId++;
      post(port1, { [ENVELOPE]: 'call', id, values: valuesToSend(), payload, signal });
      const waited = Atomics.wait(signal, 0, 0, options.timeoutMs ?? Number.POSITIVE_INFINITY);
      if (waited === 'timed-out') throw new Error(`The worker did not answer within ${options.timeoutMs} ms.`);
      const received = threads.receiveMessageOnPort(port1);
      if (received === undefined || !isEnvelope(received.message, 'reply')) {
        throw new Error('The worker signalled a reply but none arrived: is it running `serve` from @tasklocal/worker?');
      }
      const reply = received.message as ReplyMessage;
      if (!reply.ok) throw reply.error;
      // Synchronous, so this is still the caller's task: the copy-back sticks.
      if (callOptions.copyBack === true && reply.written !== undefined) applyValues(reply.written);
      return reply.result as R;
    },
    close() {
      port1.close();
    },
  };
}
