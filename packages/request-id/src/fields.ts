import { type Local, view } from '@tasklocal/core';
import { fast } from './local.ts';

/** What the logger integrations stamp on every record. */
export interface FieldsOptions {
  /** The record's field for the id. Default `'requestId'`. */
  readonly key?: string;
  /** The id outside a request (django-log-request-id's `NO_REQUEST_ID`). Default `'none'`. */
  readonly fallback?: string;
  /**
   * Other Locals and the keys of each to stamp too, as `[local, keys]` pairs:
   * `include: [[userLocal, ['userId', 'tenant']]]`. Unset keys are left out.
   */
  readonly include?: readonly (readonly [local: Local<object>, keys: readonly string[]])[];
}

/** The id outside a request, as django-log-request-id's default `NO_REQUEST_ID`. */
export const NO_REQUEST_ID = 'none';

/** The current id, or `fallback` outside a request. */
export function currentRequestId(fallback: string = NO_REQUEST_ID): string {
  return fast.requestId ?? fallback;
}

type Reader = () => unknown;

/**
 * Compiles the options into a function that writes the fields on `target`:
 * the views and keys are resolved once, so a log line only reads.
 */
export function fieldWriter(options: FieldsOptions = {}): (target: Record<string, unknown>) => void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`Expected \`options\` to be an object, got ${typeof options}.`);
  const key = options.key ?? 'requestId';
  const fallback = options.fallback ?? NO_REQUEST_ID;
  if (typeof key !== 'string') throw new TypeError(`Expected \`options.key\` to be a string, got ${typeof key}.`);
  const extra: [string, Reader][] = [];
  for (const entry of options.include ?? []) {
    if (!Array.isArray(entry) || entry.length !== 2 || !Array.isArray(entry[1])) {
      throw new TypeError("Expected each `options.include` entry to be a `[local, keys]` pair, e.g. `[userLocal, ['userId']]`.");
    }
    const [local, keys] = entry as [Local<Record<string, unknown>>, string[]];
    const fastView = view(local, keys) as Record<string, unknown>;
    for (const k of keys) extra.push([k, () => fastView[k]]);
  }
  if (extra.length === 0) {
    return (target) => {
      target[key] = fast.requestId ?? fallback;
    };
  }
  return (target) => {
    target[key] = fast.requestId ?? fallback;
    for (const [k, read] of extra) {
      const value = read();
      if (value !== undefined) target[k] = value;
    }
  };
}

/**
 * A function that returns the fields to stamp on a log record: the current id
 * (or the fallback) and the included Locals' keys. For loggers without a
 * ready-made integration.
 * @example
 * ```ts
 * const fields = requestFields({ include: [[userLocal, ['userId']]] });
 * bunyanLogger.info(fields(), 'done');
 * ```
 */
export function requestFields(options: FieldsOptions = {}): () => Record<string, unknown> {
  const write = fieldWriter(options);
  const key = options.key ?? 'requestId';
  if (key === 'requestId' && options.include === undefined) {
    const fallback = options.fallback ?? NO_REQUEST_ID;
    // The common case as a literal: one allocation of a fixed shape per line.
    return () => ({ requestId: fast.requestId ?? fallback });
  }
  return () => {
    const fields: Record<string, unknown> = {};
    write(fields);
    return fields;
  };
}
