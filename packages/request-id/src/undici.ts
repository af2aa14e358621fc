/**
 * Carries the request id out: an undici interceptor that adds it to
 * outgoing requests.
 * @module @tasklocal/request-id/undici
 */
import type { Dispatcher } from 'undici';
import { fast } from './local.ts';

/** Options of {@link requestIdInterceptor}. */
export interface InterceptorOptions {
  /** The header to send the id in. Default `'X-Request-ID'`. */
  readonly header?: string;
}

type Headers = Dispatcher.DispatchOptions['headers'];
type DefinedHeaders = NonNullable<Headers> | null;

function hasHeader(headers: Headers, lower: string): boolean {
  if (headers === null || headers === undefined) return false;
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === lower) return true;
    return false;
  }
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const [name] of headers as Iterable<[string, unknown]>) if (name.toLowerCase() === lower) return true;
    return false;
  }
  return Object.keys(headers).some((name) => name.toLowerCase() === lower);
}

function withHeader(headers: Headers, name: string, value: string): DefinedHeaders {
  if (headers === null || headers === undefined) return { [name]: value };
  if (Array.isArray(headers)) return [...headers, name, value];
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return [...(headers as Iterable<[string, string | string[] | undefined]>), [name, value]];
  }
  return { ...headers, [name]: value };
}

/**
 * An undici interceptor: a request made through the dispatcher while handling
 * a request carries its id in a header (unless the caller set that header).
 * @example
 * ```ts
 * import { Agent, setGlobalDispatcher } from 'undici';
 * setGlobalDispatcher(new Agent().compose(requestIdInterceptor())); // also global fetch
 * ```
 */
export function requestIdInterceptor(options: InterceptorOptions = {}): Dispatcher.DispatcherComposeInterceptor {
  const header = options.header ?? 'X-Request-ID';
  const lower = header.toLowerCase();
  return (dispatch) =>
    function dispatchInRequest(opts, handler) {
      const id = fast.requestId;
      if (id === undefined || hasHeader(opts.headers, lower)) return dispatch(opts, handler);
      return dispatch({ ...opts, headers: withHeader(opts.headers, header, id) }, handler);
    };
}
