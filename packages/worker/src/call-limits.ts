import { WorkerCallError } from './errors.ts';

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : value === null ? 'null' : typeof value;
}

/** `timeoutMs` checked: a positive number of milliseconds, `Infinity` for no limit, or undefined. */
export function checkTimeout(timeoutMs: unknown): number | undefined {
  if (timeoutMs === undefined) return undefined;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) {
    throw new TypeError(
      `Expected \`timeoutMs\` to be a positive number of milliseconds (\`Infinity\` for no limit), got ${describe(timeoutMs)}.`,
    );
  }
  return timeoutMs;
}

/** `signal` checked: an AbortSignal, or undefined. */
export function checkSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  const candidate = signal as Partial<AbortSignal> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.aborted !== 'boolean' ||
    typeof candidate.addEventListener !== 'function'
  ) {
    throw new TypeError(`Expected \`signal\` to be an AbortSignal, got ${describe(signal)}.`);
  }
  return signal as AbortSignal;
}

/** The error of a call that waited `timeoutMs` for its reply. */
export function timedOut(timeoutMs: number): WorkerCallError {
  return new WorkerCallError(
    'ERR_TASKLOCAL_WORKER_TIMEOUT',
    `The worker did not answer within ${timeoutMs} ms. The call may still finish there; its reply is dropped. Raise \`timeoutMs\` if the work takes longer.`,
  );
}

/** The error of a call whose signal aborted, with the signal's reason as its cause. */
export function aborted(reason: unknown): WorkerCallError {
  const why = (reason as Error | undefined)?.message ?? (reason === undefined ? undefined : String(reason));
  return new WorkerCallError(
    'ERR_TASKLOCAL_WORKER_ABORTED',
    `The call was aborted${why === undefined || why === '' ? '' : ` (${why})`} before the worker answered. It may still finish there; its reply is dropped.`,
    { cause: reason },
  );
}
