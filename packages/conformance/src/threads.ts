/**
 * The contract of a thread bridge: what a bridge that carries Local values into
 * another thread (a worker thread, a Web Worker, a pool) and back must provide
 * for the suite's `threads` cases, and the handler the other thread serves.
 * @module
 */
import { Local } from '@tasklocal/core';

/** What the other thread is asked to do; answered by {@link createThreadCaseHandler}. */
export type ThreadCasePayload =
  | { readonly op: 'read'; readonly ms?: number }
  | { readonly op: 'write'; readonly value: unknown }
  | { readonly op: 'count' }
  | { readonly op: 'throw' }
  | { readonly op: 'echo'; readonly ms: number; readonly ms2: number };

/** One call's answer with the values it wrote, as `callForValues` gives it. */
export interface ThreadReply {
  readonly result: unknown;
  /** Makes the call's writes the caller's values. The caller calls it, in its own context. */
  copyBack(): unknown;
}

/** A connection to one other thread that serves {@link createThreadCaseHandler}. */
export interface ThreadChannel {
  /** Runs the handler there with the caller's values (thread-critical Locals excepted); its writes stay there. */
  call(payload: ThreadCasePayload): Promise<unknown>;
  /** Like `call`, and also returns what the call wrote, for the caller to copy back. */
  callForValues(payload: ThreadCasePayload): Promise<ThreadReply>;
  /** Ends the thread; the suite calls it after each case. */
  close(): void | Promise<void>;
}

/** A bridge under test: opens a new thread that serves {@link createThreadCaseHandler}. */
export interface ThreadBridge {
  open(): ThreadChannel | Promise<ThreadChannel>;
}

/** The names of the Locals the `threads` cases carry; the other thread defines the same. */
export const THREAD_CASE_LOCALS: { readonly request: string; readonly critical: string } = Object.freeze({
  request: 'tasklocal.conformance.thread.request',
  critical: 'tasklocal.conformance.thread.critical',
});

/**
 * Creates the thread-side Locals and returns the handler a bridge serves in the
 * other thread for the `threads` cases. Call it when the thread starts, before
 * calls arrive, with the thread's backend registered.
 * @example
 * ```ts
 * // worker file of a bridge under test
 * import '@tasklocal/node-als/register';
 * import { parentPort } from 'node:worker_threads';
 * import { createThreadCaseHandler } from '@tasklocal/conformance';
 * import { serve } from '@tasklocal/worker';
 * serve(createThreadCaseHandler(), { port: parentPort! });
 * ```
 */
export function createThreadCaseHandler(): (payload: ThreadCasePayload) => Promise<unknown> {
  const request = new Local<Record<string, unknown>>({ name: THREAD_CASE_LOCALS.request });
  const critical = new Local<Record<string, unknown>>({ name: THREAD_CASE_LOCALS.critical, threadCritical: true });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return async (payload) => {
    switch (payload.op) {
      case 'read':
        await sleep(payload.ms ?? 0);
        return { request: { ...request }, critical: { ...critical } };
      case 'write':
        request['before'] = payload.value; // before the first await
        await sleep(1);
        request['after'] = payload.value; // and after it
        delete request['gone'];
        return 'written';
      case 'count':
        critical['count'] = ((critical['count'] as number | undefined) ?? 0) + 1;
        return critical['count'];
      case 'throw':
        await sleep(1);
        throw new RangeError(`thread refuses ${String(request['id'])}`);
      case 'echo': {
        await sleep(payload.ms);
        const seen = request['id'];
        request['reply'] = `${String(seen)}:done`;
        await sleep(payload.ms2);
        return seen;
      }
      default:
        throw new TypeError(`Unknown thread case op ${JSON.stringify((payload as { op?: unknown }).op)}.`);
    }
  };
}
