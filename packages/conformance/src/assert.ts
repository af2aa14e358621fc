/** A failed conformance assertion. */
export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionError';
  }
}

/** What an expected error must match in {@link Assert.throws} and {@link Assert.rejects}. */
export interface ErrorMatch {
  readonly name?: string;
  readonly code?: string;
  readonly message?: RegExp;
}

/** The assertions conformance cases use: small, and free of any test runner. */
export interface Assert {
  equal(actual: unknown, expected: unknown, message?: string): void;
  notEqual(actual: unknown, expected: unknown, message?: string): void;
  deepEqual(actual: unknown, expected: unknown, message?: string): void;
  ok(value: unknown, message?: string): void;
  throws(fn: () => unknown, match?: ErrorMatch, message?: string): unknown;
  rejects(promise: PromiseLike<unknown> | (() => PromiseLike<unknown>), match?: ErrorMatch, message?: string): Promise<unknown>;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'symbol' || typeof value === 'function' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every(
    (key) => Object.hasOwn(b, key) && isDeepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

function checkError(error: unknown, match: ErrorMatch | undefined, message: string | undefined): void {
  if (match === undefined) return;
  const e = error as { name?: unknown; code?: unknown; message?: unknown } | null;
  const problems: string[] = [];
  if (match.name !== undefined && e?.name !== match.name) problems.push(`name ${show(e?.name)} (expected ${show(match.name)})`);
  if (match.code !== undefined && e?.code !== match.code) problems.push(`code ${show(e?.code)} (expected ${show(match.code)})`);
  if (match.message !== undefined && !match.message.test(String(e?.message))) {
    problems.push(`message ${show(e?.message)} (expected to match ${String(match.message)})`);
  }
  if (problems.length > 0) throw new AssertionError(`${message ?? 'unexpected error'}: ${problems.join(', ')}`);
}

/** The assertion functions. */
export const assert: Assert = {
  equal(actual, expected, message) {
    if (!Object.is(actual, expected)) {
      throw new AssertionError(`${message ?? 'values differ'}: got ${show(actual)}, expected ${show(expected)}`);
    }
  },
  notEqual(actual, expected, message) {
    if (Object.is(actual, expected)) throw new AssertionError(`${message ?? 'values are equal'}: both ${show(actual)}`);
  },
  deepEqual(actual, expected, message) {
    if (!isDeepEqual(actual, expected)) {
      throw new AssertionError(`${message ?? 'values differ'}: got ${show(actual)}, expected ${show(expected)}`);
    }
  },
  ok(value, message) {
    if (!value) throw new AssertionError(message ?? `expected a truthy value, got ${show(value)}`);
  },
  throws(fn, match, message) {
    try {
      fn();
    } catch (error) {
      checkError(error, match, message);
      return error;
    }
    throw new AssertionError(`${message ?? 'expected a throw'}: the function returned normally`);
  },
  async rejects(promise, match, message) {
    try {
      await (typeof promise === 'function' ? promise() : promise);
    } catch (error) {
      checkError(error, match, message);
      return error;
    }
    throw new AssertionError(`${message ?? 'expected a rejection'}: the promise fulfilled`);
  },
};
