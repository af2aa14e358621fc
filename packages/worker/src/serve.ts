import {
  CALL,
  type CallMessage,
  type Endpoint,
  ENVELOPE,
  EXIT,
  type ExitMessage,
  FAILURE,
  type FailureMessage,
  kindOf,
  listen,
  REPLY,
  type ReplyMessage,
  SYNC_PORT,
  type SyncPortMessage,
} from './protocol.ts';
import { startCall } from './call.ts';

/** A worker's handler: receives the payload, returns the result (or a promise of it). */
export type Handler<P = unknown> = (payload: P) => unknown;

/** Options for {@link serve}. */
export interface ServeOptions {
  /** Where calls arrive: `parentPort` in a `worker_threads` worker, `self` in a Web Worker. */
  readonly port: Endpoint;
}

/**
 * Answers tasklocal calls in a worker: each call runs `handler(payload)` with
 * its caller's Local values, in a scope of its own, and replies with the
 * result and the values the call wrote. Messages that are not tasklocal calls
 * are left to the port's other listeners. Returns a function that stops serving.
 * @example
 * ```ts
 * import { parentPort } from 'node:worker_threads';
 * serve((order) => price(order), { port: parentPort! });
 * ```
 */
export function serve<P = unknown>(handler: Handler<P>, options: ServeOptions): () => void {
  if (typeof handler !== 'function') throw new TypeError(`Expected \`handler\` to be a function, got ${typeof handler}.`);
  const port = options?.port;
  if (port === undefined || port === null || typeof port.postMessage !== 'function') {
    throw new TypeError('Expected `options.port` to be the port calls arrive on: `parentPort` in a worker thread, `self` in a Web Worker.');
  }
  const stops: (() => void)[] = [];
  const answer = (reply: Endpoint) => (message: unknown) => {
    const kind = kindOf(message);
    if (kind === SYNC_PORT) {
      const syncPort = (message as SyncPortMessage)[2] as Endpoint;
      stops.push(listen(syncPort, 'message', answer(syncPort)));
      (syncPort as { start?: () => void }).start?.();
      return;
    }
    if (kind !== CALL) return; // not ours: untouched
    const [, , id, payload, values, signal] = message as CallMessage;
    startCall(
      values,
      () => handler(payload as P),
      (ok, value, written) => {
        const out: ReplyMessage | FailureMessage = !ok
          ? [ENVELOPE, FAILURE, id, value]
          : written === undefined
            ? [ENVELOPE, REPLY, id, value]
            : [ENVELOPE, REPLY, id, value, written];
        try {
          reply.postMessage(out);
        } catch (cloneError) {
          // The result (or the values written) cannot cross back: reply with an error that says so.
          const failure: FailureMessage = [
            ENVELOPE,
            FAILURE,
            id,
            new TypeError(
              `The worker's reply cannot be structured-cloned: ${(cloneError as Error).message}. Return plain data, and keep objects that cannot be cloned in \`threadCritical\` Locals.`,
            ),
          ];
          reply.postMessage(failure);
        }
        if (signal !== undefined) {
          Atomics.store(signal, 0, 1);
          Atomics.notify(signal, 0);
        }
      },
    );
  };
  stops.push(listen(port, 'message', answer(port)));
  (port as { start?: () => void }).start?.();
  const scope = port as { on?: unknown; close?: (...args: unknown[]) => unknown };
  if (scope === globalThis && typeof scope.on !== 'function' && typeof scope.close === 'function') {
    // A Web Worker that closes itself fires no event in its parent: say so first, so pending calls fail instead of hanging.
    const close = scope.close;
    scope.close = function (this: unknown, ...args: unknown[]) {
      const exit: ExitMessage = [ENVELOPE, EXIT];
      port.postMessage(exit);
      return close.apply(this, args);
    };
    stops.push(() => {
      scope.close = close;
    });
  }
  return () => {
    for (const stop of stops) stop();
  };
}
