import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runWith } from '@tasklocal/core';
import { fast, type RequestIdValues, requestIdLocal } from './local.ts';
import type { RequestLogEntry, Resolved } from './options.ts';

/**
 * The common start of a request on a Node server: picks the id, echoes it,
 * binds the request's emitters if asked, and arranges the request log line.
 * Returns the values to run the request with.
 */
export function beginRequest(options: Resolved, req: IncomingMessage, res: ServerResponse, path: string, bind = false): RequestIdValues {
  const requestId = options.idFor(req.headers[options.header]);
  const values = { requestId };
  if (options.echo !== undefined && !res.headersSent) res.setHeader(options.echo, requestId);
  if (options.bindEmitters ?? bind) {
    bindEmitter(req, values);
    bindEmitter(res, values);
  }
  if (options.log !== undefined) logOnClose(options.log, values, req.method ?? '', path, res);
  return values;
}

/**
 * Makes the listeners of `emitter`'s events run in the request's scope. Node
 * emits a request's 'data' and 'end', and a response's 'close' when the
 * client goes away, from the socket, outside any request; `req.on('end', …)`,
 * body parsers built on it, and access loggers would lose the id.
 */
function bindEmitter(emitter: EventEmitter, values: RequestIdValues): void {
  const emit = emitter.emit;
  const { requestId } = values;
  emitter.emit = function emitInRequest(this: EventEmitter, type: string | symbol): boolean {
    // Most events ('prefinish', 'finish', 'end' of an unread body, 'close'
    // after a response) are emitted inside the request's scope, from the
    // writes and reads its handler started: there, entering it again would
    // cost a scope (a frame copy, an AsyncLocalStorage frame) per event for
    // nothing. The id is all this Local holds, so an equal id is the right one.
    // biome-ignore lint/complexity/noArguments: passes emit's arguments on as they came, with no array of our own
    if (fast.requestId === requestId || this.listenerCount(type) === 0) return Reflect.apply(emit, this, arguments) as boolean;
    // biome-ignore lint/complexity/noArguments: as above
    return runWith(requestIdLocal, values, Reflect.apply, emit, this, arguments) as boolean;
  } as EventEmitter['emit'];
}

function logOnClose(
  log: (entry: RequestLogEntry) => void,
  values: RequestIdValues,
  method: string,
  path: string,
  res: ServerResponse,
): void {
  const start = performance.now();
  res.once('close', () => {
    const { requestId } = values;
    const entry = {
      requestId,
      method,
      path,
      status: res.statusCode,
      durationMs: performance.now() - start,
      aborted: !res.writableFinished,
    };
    // 'close' comes from the socket, outside the request's scope: enter it again.
    runWith(requestIdLocal, values, log, entry);
  });
}
