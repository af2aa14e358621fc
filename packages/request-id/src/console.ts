/**
 * A `console` that stamps every line with the current request id.
 * @module @tasklocal/request-id/console
 */
import { type FieldsOptions, fieldWriter } from './fields.ts';

export type { FieldsOptions } from './fields.ts';

const METHODS = ['debug', 'error', 'info', 'log', 'trace', 'warn'] as const;

/** The methods of `console` that write a line. */
export type ConsoleMethods = Pick<Console, (typeof METHODS)[number]>;

/** Options of {@link createConsole}. */
export interface ConsoleOptions extends FieldsOptions {
  /** The console to write to. Default the global `console`. */
  readonly target?: ConsoleMethods;
}

/**
 * A console whose lines start with `[<request id>]` (and `key=value` for
 * included Local keys), e.g. `[3f2a…] user loaded`. `[none]` outside a request.
 * @example
 * ```ts
 * const log = createConsole();
 * log.info('user %s loaded', user.name); // [3f2a…] user ada loaded
 * ```
 */
export function createConsole(options: ConsoleOptions = {}): ConsoleMethods {
  const target = options.target ?? console;
  const write = fieldWriter({ ...options, key: 'requestId' });
  const prefix = (): string => {
    const fields: Record<string, unknown> = {};
    write(fields);
    let text = `[${String(fields['requestId'])}`;
    for (const key in fields) if (key !== 'requestId') text += ` ${key}=${String(fields[key])}`;
    // The prefix joins the format string: `%` in a value must not become a directive.
    return `${text}]`.replaceAll('%', '%%');
  };
  const out = {} as ConsoleMethods;
  for (const method of METHODS) {
    out[method] = (...args: unknown[]) => {
      if (typeof args[0] === 'string') args[0] = `${prefix()} ${args[0]}`;
      else args.unshift(prefix());
      target[method](...args);
    };
  }
  return out;
}
