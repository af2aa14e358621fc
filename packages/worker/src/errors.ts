const MARKER: unique symbol = Symbol.for('tasklocal.WorkerCallError');

/** Why a call into a worker ended without the worker's answer. */
export type WorkerCallErrorCode =
  /** The worker exited, failed, was terminated or closed, or the client was closed. */
  | 'ERR_TASKLOCAL_WORKER_EXITED'
  /** The call's `timeoutMs` passed before the reply came. */
  | 'ERR_TASKLOCAL_WORKER_TIMEOUT'
  /** The call's `signal` aborted; `cause` is its reason. */
  | 'ERR_TASKLOCAL_WORKER_ABORTED';

/**
 * The error a call into a worker rejects (or throws) with when it ends without
 * the worker's answer. `code` is stable across versions;
 * `WorkerCallError.is(e)` also recognises errors from another copy of the
 * package. An error the worker's handler threw is passed on as it is, not
 * wrapped in this.
 * @example
 * ```ts
 * try {
 *   await worker.call(job, { timeoutMs: 1_000 });
 * } catch (error) {
 *   if (WorkerCallError.is(error) && error.code === 'ERR_TASKLOCAL_WORKER_TIMEOUT') retryLater(job);
 *   else throw error;
 * }
 * ```
 */
export class WorkerCallError extends Error {
  readonly code: WorkerCallErrorCode;

  constructor(code: WorkerCallErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WorkerCallError';
    this.code = code;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** True for a `WorkerCallError` from any copy of `@tasklocal/worker`. */
  static is(value: unknown): value is WorkerCallError {
    if (typeof value !== 'object' || value === null) return false;
    try {
      return (value as Record<symbol, unknown>)[MARKER] === true;
    } catch {
      // A revoked Proxy, or a Proxy whose `get` trap throws: not an error of ours.
      return false;
    }
  }
}
