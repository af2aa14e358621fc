/**
 * Request ids for Express 5 (and 4, and Connect-style servers).
 * @module @tasklocal/request-id/express
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runWith } from '@tasklocal/core';
import { requestIdLocal } from './local.ts';
import { beginRequest } from './node-request.ts';
import { type RequestIdOptions, resolveOptions } from './options.ts';

export type { RequestIdOptions, RequestLogEntry } from './options.ts';

/** The middleware's shape, with Node's types only, so it fits `app.use` without `@types/express`. */
export type ExpressRequestIdMiddleware = (
  req: IncomingMessage & { originalUrl?: string },
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Express middleware: each request, and everything the middleware after it
 * starts, runs with its own id. Use it first, before body parsers.
 * @example
 * ```ts
 * app.use(expressRequestId());
 * ```
 */
export function expressRequestId(options: RequestIdOptions = {}): ExpressRequestIdMiddleware {
  const resolved = resolveOptions(options);
  return (req, res, next) => {
    runWith(requestIdLocal, beginRequest(resolved, req, res, req.originalUrl ?? req.url ?? '/'), next);
  };
}
