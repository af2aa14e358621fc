import type { TransferredValues } from '@tasklocal/core';

/** The key that marks a message as a tasklocal call or reply; any other message is left alone. */
export const ENVELOPE = '@tasklocal/worker';

/** A call: the caller's values and the payload. */
export interface CallMessage {
  readonly [ENVELOPE]: 'call';
  readonly id: number;
  readonly values: TransferredValues;
  readonly payload: unknown;
  /** Present on synchronous calls: the worker notifies it when the reply is posted. */
  readonly signal?: Int32Array;
}

/** A reply: the result or the error, and the values the call wrote. */
export interface ReplyMessage {
  readonly [ENVELOPE]: 'reply';
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: unknown;
  /** Absent when the call wrote nothing. */
  readonly written?: TransferredValues;
}

/** Sets up the synchronous channel of a worker. */
/** Sent by `serve` when a Web Worker closes itself (`self.close()`), which its parent cannot otherwise see. */
export interface ExitMessage {
  readonly [ENVELOPE]: 'exit';
}

export interface SyncSetupMessage {
  readonly [ENVELOPE]: 'sync-port';
  readonly port: unknown;
}

export function isEnvelope(message: unknown, kind: string): boolean {
  return typeof message === 'object' && message !== null && (message as Record<string, unknown>)[ENVELOPE] === kind;
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
