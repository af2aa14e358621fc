import {
  CALL,
  type CallMessage,
  type Endpoint,
  ENVELOPE,
  EXIT,
  type ExitMessage,
  type FailureMessage,
  kindOf,
  listen,
  REPLY,
  type ReplyMessage,
  SYNC_PORT,
  type SyncPortMessage,
} from './protocol.ts';
import { keepThreadValues, startCall } from './call.ts';
import { cloneableFailureOf, failureOf, reasonOf } from './failure.ts';

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
  keepThreadValues();
  const stops: (() => void)[] = [];
  const answer = (reply: Endpoint) => (message: unknown) => {
    const kind = kindOf(message);
    if (kind === SYNC_PORT) {
      const [, , syncPort, life] = message as SyncPortMessage;
      stops.push(listen(syncPort as Endpoint, 'message', answer(syncPort as Endpoint)));
      (syncPort as { start?: () => void }).start?.();
      // Held, never used: when this thread ends, its other end tells the blocked caller. Closed when serving stops.
      if (life !== undefined) stops.push(() => (life as { close?: () => void }).close?.());
      return;
    }
    if (kind !== CALL) return; // not ours: untouched
    const [, , id, payload, values, signal] = message as CallMessage;
    startCall(
      values,
      () => handler(payload as P),
      (ok, value, written) => {
        const out: ReplyMessage | FailureMessage = !ok
          ? failureOf(id, value)
          : written === undefined
            ? [ENVELOPE, REPLY, id, value]
            : [ENVELOPE, REPLY, id, value, written];
        try {
          reply.postMessage(out);
        } catch (cloneError) {
          reply.postMessage(
            ok
              ? // The result (or the values written) cannot cross back: reply with an error that says so.
                failureOf(
                  id,
                  new TypeError(
                    `The worker's reply cannot be structured-cloned: ${reasonOf(cloneError)}. Return plain data, and keep objects that cannot be cloned in \`threadCritical\` Locals.`,
                  ),
                )
              : cloneableFailureOf(id, value, cloneError),
          );
        }
        if (signal !== undefined) {
          // After the post, so a caller woken by the count finds the reply on its port.
          Atomics.add(signal, 0, 1);
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
