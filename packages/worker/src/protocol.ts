import type { PackedValues } from '@tasklocal/core';

/**
 * The first element of every tasklocal message (calls, replies and the
 * worker's notices); any other message is left alone. A message is a flat
 * array, `[ENVELOPE, kind, …]`: structured clone copies a short array of
 * numbers and strings much faster than records with named fields, and every
 * call pays that copy twice.
 */
export const ENVELOPE = '@tasklocal/worker';

/** The kinds of message, the second element. */
export const CALL = 1;
export const REPLY = 2;
export const FAILURE = 3;
export const EXIT = 4;
export const SYNC_PORT = 5;

/** A call: its id, the payload, the caller's values, and on synchronous calls the word the worker notifies when it has replied. */
export type CallMessage = readonly [
  envelope: typeof ENVELOPE,
  kind: typeof CALL,
  id: number,
  payload: unknown,
  values?: PackedValues | undefined,
  signal?: Int32Array,
];
/** A call's result, and the values it wrote when it wrote any. */
export type ReplyMessage = readonly [envelope: typeof ENVELOPE, kind: typeof REPLY, id: number, result: unknown, written?: PackedValues];
/** A call's error. */
export type FailureMessage = readonly [envelope: typeof ENVELOPE, kind: typeof FAILURE, id: number, error: unknown];
/** Sent by `serve` when a Web Worker closes itself (`self.close()`), which its parent cannot otherwise see. */
export type ExitMessage = readonly [envelope: typeof ENVELOPE, kind: typeof EXIT];
/** Sets up the synchronous channel of a worker. */
export type SyncPortMessage = readonly [envelope: typeof ENVELOPE, kind: typeof SYNC_PORT, port: unknown];

/** The kind of a tasklocal message, or 0 for any other message. */
export function kindOf(message: unknown): number {
  return Array.isArray(message) && message[0] === ENVELOPE && typeof message[1] === 'number' ? message[1] : 0;
}

/**
 * Anything that sends and receives messages: a `worker_threads` Worker or
 * MessagePort (EventEmitter style) or a Web Worker / MessagePort (EventTarget
 * style).
 */
export interface Endpoint {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  // `any` lets Node's overloaded `on` (`'close'`, `'message'`, …) and the DOM's listener types all fit.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  on?(event: string, listener: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: see above
  off?(event: string, listener: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: see above
  addEventListener?(event: string, listener: (event: any) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: see above
  removeEventListener?(event: string, listener: (event: any) => void): unknown;
}

/** Listens to `event` on either style of endpoint; returns a function that stops listening. */
export function listen(endpoint: Endpoint, event: string, listener: (data: unknown) => void): () => void {
  if (typeof endpoint.on === 'function') {
    const handler = listener as (...args: unknown[]) => void;
    endpoint.on(event, handler);
    return () => endpoint.off?.(event, handler);
  }
  if (typeof endpoint.addEventListener === 'function') {
    const handler = (e: { data?: unknown; error?: unknown }) => listener(event === 'message' ? e.data : (e.error ?? e));
    endpoint.addEventListener(event, handler);
    return () => endpoint.removeEventListener?.(event, handler);
  }
  throw new TypeError('Expected a Worker or a MessagePort: an object with `on` or `addEventListener`, and `postMessage`.');
}
