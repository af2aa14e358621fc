/**
 * Request ids for Koa 3 (and 2).
 * @module @tasklocal/request-id/koa
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runWith } from '@tasklocal/core';
import { requestIdLocal } from './local.ts';
import { beginRequest } from './node-request.ts';
import { type RequestIdOptions, resolveOptions } from './options.ts';

export type { RequestIdOptions, RequestLogEntry } from './options.ts';

/** The middleware's shape, with Node's types only, so it fits `app.use` without `@types/koa`. */
export type KoaRequestIdMiddleware = (
  ctx: { req: IncomingMessage; res: ServerResponse; originalUrl: string },
  next: () => Promise<unknown>,
) => Promise<unknown>;

/**
 * Koa middleware: each request, and everything the middleware after it
 * starts, runs with its own id. Use it first.
 * @example
 * ```ts
 * app.use(koaRequestId());
 * ```
 */
export function koaRequestId(options: RequestIdOptions = {}): KoaRequestIdMiddleware {
  const resolved = resolveOptions(options);
  return (ctx, next) => {
    return runWith(requestIdLocal, beginRequest(resolved, ctx.req, ctx.res, ctx.originalUrl), next);
  };
}
