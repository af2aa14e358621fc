/**
 * The winston integration: a format that stamps every record.
 * @module @tasklocal/request-id/winston
 */
import { type FieldsOptions, fieldWriter } from './fields.ts';

export type { FieldsOptions } from './fields.ts';

/** A winston (logform) format, structurally, so this package needs no winston import. */
export interface RequestIdFormat {
  transform<T extends object>(info: T): T;
}

/**
 * A winston format: every record gets the current request id (and any
 * included Local keys). Put it before the format that prints.
 * @example
 * ```ts
 * const logger = winston.createLogger({
 *   format: winston.format.combine(requestIdFormat(), winston.format.json()),
 *   transports: [new winston.transports.Console()],
 * });
 * ```
 */
export function requestIdFormat(options: FieldsOptions = {}): RequestIdFormat {
  const write = fieldWriter(options);
  return {
    transform(info) {
      write(info as Record<string, unknown>);
      return info;
    },
  };
}
