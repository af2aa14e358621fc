// Zero configuration: the integrations are for servers, and every server
// runtime we support has AsyncLocalStorage. Registering the same backend as
// the user's own `register` import is a no-op.
import '@tasklocal/node-als/register';
import { Local, runWith, view } from '@tasklocal/core';

/** The values this package keeps per request. */
export interface RequestIdValues {
  /** The id of the request being handled. */
  requestId: string;
}

/**
 * The Local that holds the current request's id. Every integration sets it
 * with `runWith`, once per request; read it with {@link getRequestId}.
 */
export const requestIdLocal: Local<RequestIdValues> = new Local<RequestIdValues>({ name: 'requestId' });

/** The fast form, for the hot path of every log line. */
export const fast: { requestId: string | undefined } = view(requestIdLocal, ['requestId']);

/**
 * The id of the request being handled, or `undefined` outside a request.
 * @example
 * ```ts
 * app.get('/', (req, res) => res.send(`your request is ${getRequestId()}`));
 * ```
 */
export function getRequestId(): string | undefined {
  return fast.requestId;
}

/**
 * Runs `fn(...args)` with `id` as the current request id: for background
 * jobs, queue consumers and scripts that should log like a request does.
 * @example
 * ```ts
 * setInterval(() => runWithRequestId(`job-${crypto.randomUUID()}`, () => cleanup()), 60_000);
 * ```
 */
export function runWithRequestId<R, A extends unknown[]>(id: string, fn: (...args: A) => R, ...args: A): R {
  if (typeof id !== 'string') throw new TypeError(`Expected \`id\` to be a string, got ${typeof id}.`);
  return runWith(requestIdLocal, { requestId: id }, fn, ...args);
}
