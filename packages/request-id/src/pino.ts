/**
 * The pino integration: a `mixin` that stamps every line.
 * @module @tasklocal/request-id/pino
 */
import { type FieldsOptions, requestFields } from './fields.ts';

export type { FieldsOptions } from './fields.ts';

/**
 * A pino `mixin`: every line gets the current request id (and any included
 * Local keys). `'none'` outside a request, or `options.fallback`.
 * @example
 * ```ts
 * const logger = pino({ mixin: requestIdMixin() });
 * ```
 */
export function requestIdMixin(options: FieldsOptions = {}): () => Record<string, unknown> {
  return requestFields(options);
}
