/**
 * Request ids for Hono 4, on any runtime with AsyncLocalStorage.
 * @module @tasklocal/request-id/hono
 */
import { runWith } from '@tasklocal/core';
import type { Context, MiddlewareHandler } from 'hono';
import { requestIdLocal } from './local.ts';
import { type RequestIdOptions, resolveOptions } from './options.ts';

export type { RequestIdOptions, RequestLogEntry } from './options.ts';

function setHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    // A Response from `fetch` has immutable headers: copy it.
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set(name, value);
  }
}

/**
 * Hono middleware: each request, and everything the handlers after it
 * start, runs with its own id. Use it first.
 * @example
 * ```ts
 * app.use(honoRequestId());
 * ```
 */
export function honoRequestId(options: RequestIdOptions = {}): MiddlewareHandler {
  const resolved = resolveOptions(options);
  const { echo, log } = resolved;
  const handle = async (c: Context, next: () => Promise<void>, requestId: string): Promise<void> => {
    const start = log === undefined ? 0 : performance.now();
    try {
      await next();
    } finally {
      if (echo !== undefined) setHeader(c, echo, requestId);
      if (log !== undefined) {
        const url = c.req.url;
        const path = url.slice(url.indexOf('/', url.indexOf('//') + 2));
        log({ requestId, method: c.req.method, path, status: c.res.status, durationMs: performance.now() - start, aborted: false });
      }
    }
  };
  return (c, next) => {
    const requestId = resolved.idFor(c.req.header(resolved.header));
    return runWith(requestIdLocal, { requestId }, handle, c, next, requestId);
  };
}
