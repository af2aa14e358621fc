/**
 * Carries the request id out: a `fetch` that adds it to outgoing requests.
 * @module @tasklocal/request-id/fetch
 */
import { fast } from './local.ts';

/** Options of {@link fetchWithRequestId}. */
export interface FetchOptions {
  /** The header to send the id in. Default `'X-Request-ID'`. */
  readonly header?: string;
}

/**
 * Wraps `fetch` so that a request made while handling a request carries its
 * id in a header (unless the caller set that header). Outside a request it is
 * plain `fetch`.
 * @example
 * ```ts
 * const fetch = fetchWithRequestId();
 * await fetch('http://inventory.internal/items'); // sends X-Request-ID
 * ```
 */
export function fetchWithRequestId(fetchImpl: typeof fetch = globalThis.fetch, options: FetchOptions = {}): typeof fetch {
  if (typeof fetchImpl !== 'function') throw new TypeError(`Expected \`fetchImpl\` to be a fetch function, got ${typeof fetchImpl}.`);
  const header = options.header ?? 'X-Request-ID';
  return function fetchInRequest(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const id = fast.requestId;
    if (id === undefined) return fetchImpl(input, init);
    // Request headers first, then init's, as fetch merges them.
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    if (init?.headers !== undefined) for (const [name, value] of new Headers(init.headers)) headers.set(name, value);
    if (headers.has(header)) return fetchImpl(input, init);
    headers.set(header, id);
    return fetchImpl(input, { ...init, headers });
  } as typeof fetch;
}
