import { ENVELOPE, type ErrorDetails, FAILURE, type FailureMessage } from './protocol.ts';

// Structured clone keeps these names and makes every other error an `Error`.
type MakeError = (message: string, options?: ErrorOptions) => Error;
const BUILT_IN: Readonly<
  Record<'Error' | 'EvalError' | 'RangeError' | 'ReferenceError' | 'SyntaxError' | 'TypeError' | 'URIError', MakeError>
> = {
  Error: (message, options) => new Error(message, options),
  EvalError: (message, options) => new EvalError(message, options),
  RangeError: (message, options) => new RangeError(message, options),
  ReferenceError: (message, options) => new ReferenceError(message, options),
  SyntaxError: (message, options) => new SyntaxError(message, options),
  TypeError: (message, options) => new TypeError(message, options),
  URIError: (message, options) => new URIError(message, options),
};

function isBuiltIn(name: string): name is keyof typeof BUILT_IN {
  return Object.hasOwn(BUILT_IN, name);
}

function isCloneable(value: unknown): boolean {
  if (typeof value !== 'object' && typeof value !== 'function') return typeof value !== 'symbol';
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/** A clone error's message without its closing period, to go inside a sentence of ours. */
export function reasonOf(cloneError: unknown): string {
  return String((cloneError as Error | undefined)?.message ?? cloneError).replace(/\.$/, '');
}

/** The failure message for `error`, with the name and code that structured clone would drop. */
export function failureOf(id: number, error: unknown, details: ErrorDetails | undefined = detailsOf(error)): FailureMessage {
  return details === undefined ? [ENVELOPE, FAILURE, id, error] : [ENVELOPE, FAILURE, id, error, details];
}

function detailsOf(error: unknown): ErrorDetails | undefined {
  if (!(error instanceof Error)) return undefined;
  const name = isBuiltIn(error.name) ? undefined : error.name;
  const code = (error as { code?: unknown }).code;
  const keepCode = code !== undefined && isCloneable(code);
  if (name === undefined && !keepCode) return undefined;
  return name === undefined ? { code } : keepCode ? { name, code } : { name };
}

/**
 * The failure to send when `error` itself cannot be cloned: for an Error, a
 * copy with its name, message, stack and code, and its cause when that can be
 * cloned; for any other value, a TypeError that says what was thrown.
 */
export function cloneableFailureOf(id: number, error: unknown, cloneError: unknown): FailureMessage {
  if (!(error instanceof Error)) {
    return failureOf(
      id,
      new TypeError(`The worker threw a value that cannot be structured-cloned: ${reasonOf(cloneError)}. Throw an Error, or plain data.`),
    );
  }
  const cause = (error as { cause?: unknown }).cause;
  const make = BUILT_IN[isBuiltIn(error.name) ? error.name : 'Error'];
  const copy = make(String(error.message), cause !== undefined && isCloneable(cause) ? { cause } : undefined);
  if (typeof error.stack === 'string') copy.stack = error.stack;
  return failureOf(id, copy, detailsOf(error));
}

/** The caller's copy of a worker's error, with the name and code structured clone dropped. */
export function errorOf(message: FailureMessage): unknown {
  const [, , , error, details] = message;
  if (details === undefined || typeof error !== 'object' || error === null) return error;
  if (details.name !== undefined) (error as { name: string }).name = details.name;
  if ('code' in details) (error as { code?: unknown }).code = details.code;
  return error;
}
