const MARKER: unique symbol = Symbol.for('tasklocal.LocalError');

/** Stable codes carried by every {@link LocalError}. */
export type LocalErrorCode =
  | 'ERR_TASKLOCAL_NO_BACKEND'
  | 'ERR_TASKLOCAL_BACKEND_CONFLICT'
  | 'ERR_TASKLOCAL_WRITE_UNSUPPORTED'
  | 'ERR_TASKLOCAL_BAD_STORE';

/**
 * The one error type tasklocal throws for a state it cannot work in.
 * `code` is stable across versions; `LocalError.is(e)` also recognises errors
 * thrown by another copy of the package.
 */
export class LocalError extends Error {
  readonly code: LocalErrorCode;

  constructor(code: LocalErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalError';
    this.code = code;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** True for a `LocalError` from any copy of `@tasklocal/core`. */
  static is(value: unknown): value is LocalError {
    if (typeof value !== 'object' || value === null) return false;
    try {
      return (value as Record<symbol, unknown>)[MARKER] === true;
    } catch {
      // A revoked Proxy, or a Proxy whose `get` trap throws: not an error of ours.
      return false;
    }
  }
}
