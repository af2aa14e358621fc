/**
 * Request ids for a plain `node:http` (or `node:https`) server.
 * @module @tasklocal/request-id/http
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runWith } from '@tasklocal/core';
import { requestIdLocal } from './local.ts';
import { beginRequest } from './node-request.ts';
import { type RequestIdOptions, resolveOptions } from './options.ts';

export type { RequestIdOptions, RequestLogEntry } from './options.ts';

/**
 * Wraps a `request` listener so that each request, and everything it starts,
 * runs with its own id.
 * @example
 * ```ts
 * createServer(withRequestId((req, res) => res.end(getRequestId()))).listen(3000);
 * ```
 */
export function withRequestId<Req extends IncomingMessage, Res extends ServerResponse>(
  handler: (req: Req, res: Res) => unknown,
  options: RequestIdOptions = {},
): (req: Req, res: Res) => void {
  if (typeof handler !== 'function') throw new TypeError(`Expected \`handler\` to be a request listener function, got ${typeof handler}.`);
  const resolved = resolveOptions(options);
  return (req, res) => {
    runWith(requestIdLocal, beginRequest(resolved, req, res, req.url ?? '/', true), handler, req, res);
  };
}
