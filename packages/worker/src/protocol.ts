import type { PackedValues } from '@tasklocal/core/bridge';

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

/**
 * A call: its id, the payload, the caller's values, and on synchronous calls
 * the bridge's shared words; the worker adds one to the first and notifies it
 * when it has replied.
 */
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
/** A call's error, and what structured clone drops from an error: its `name` when not a built-in one, its `code`. */
export type FailureMessage = readonly [envelope: typeof ENVELOPE, kind: typeof FAILURE, id: number, error: unknown, details?: ErrorDetails];
/** The `name` and `code` of a worker's error, restored on the caller's copy. */
export interface ErrorDetails {
  readonly name?: string;
  readonly code?: unknown;
}
/** Sent by `serve` when a Web Worker closes itself (`self.close()`), which its parent cannot otherwise see. */
export type ExitMessage = readonly [envelope: typeof ENVELOPE, kind: typeof EXIT];
/**
 * Sets up the synchronous channel of a worker: the port the calls arrive on,
 * and a port the worker only holds, whose other end tells the caller's
 * watcher thread when the worker is gone.
 */
export type SyncPortMessage = readonly [envelope: typeof ENVELOPE, kind: typeof SYNC_PORT, port: unknown, life?: unknown];

const CALL_IDS = Symbol.for('@tasklocal/worker.callIds.v1');
const holder = globalThis as typeof globalThis & { [CALL_IDS]?: { next: number } };
// Shared by every client in this realm, every copy of the package included: replies to one
// worker reach all its clients' listeners, and an id used once never answers another call.
const callIds = (holder[CALL_IDS] ??= { next: 0 });

/** A call id no other call in this realm has. */
export function nextCallId(): number {
  return callIds.next++;
}

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
