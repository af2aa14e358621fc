import { randomUUID } from 'node:crypto';

/** The longest incoming id {@link isSafeRequestId} accepts by default. */
export const MAX_REQUEST_ID_LENGTH = 128;

// Letters, digits and `-_.:+=/@`: enough for UUIDs, ULIDs, base64 and
// `service:trace` forms; nothing that can end a header, forge a log line
// (CR, LF, control and ANSI escape characters), break out of quotes or JSON,
// or hide in Unicode look-alikes.
const SAFE = /^[A-Za-z0-9\-_.:+=/@]+$/;

/**
 * True when `id` is safe to put in a log line and a response header: 1 to
 * `maxLength` characters, each a letter, digit or one of `-_.:+=/@`.
 * Incoming ids are untrusted input; anything else is replaced by a fresh id.
 */
export function isSafeRequestId(id: unknown, maxLength: number = MAX_REQUEST_ID_LENGTH): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= maxLength && SAFE.test(id);
}

/** One line per request, written when the response ends, in the request's scope. */
export interface RequestLogEntry {
  readonly requestId: string;
  readonly method: string;
  /** The path and query, as the client sent them. */
  readonly path: string;
  readonly status: number;
  /** From the middleware to the end of the response, in milliseconds. */
  readonly durationMs: number;
  /** True when the client went away before the response ended. */
  readonly aborted: boolean;
}

/** Options of every middleware, like django-log-request-id's settings. */
export interface RequestIdOptions {
  /** The request header that may carry an id (case-insensitive). Default `'X-Request-ID'`. */
  readonly header?: string;
  /** Take the id from {@link header} when it is safe. `false` always generates one (a public edge). Default `true`. */
  readonly trustHeader?: boolean;
  /** Decides whether an incoming id is acceptable. Default {@link isSafeRequestId}. */
  readonly validate?: (id: string) => boolean;
  /** Makes an id when the request has none, or an unsafe one. Default `crypto.randomUUID`. */
  readonly generate?: () => string;
  /** Echo the id in a response header: `true` (the {@link header} name), another header name, or `false`; the name is sent in lower case. Default `true`. */
  readonly echo?: boolean | string;
  /**
   * One line per request with method, path, status and duration, written when
   * the response ends, inside the request's scope (so your logger stamps it):
   * `true` writes it with `console.info`, a function receives the entry. Default `false`.
   */
  readonly log?: boolean | ((entry: RequestLogEntry) => void);
  /**
   * Node servers only: run the listeners of the request's and the response's
   * events ('data', 'end', 'finish', 'close') in the request's scope. Node emits
   * them from the socket, outside any request, so `req.on('end', …)` would not
   * see the id. An event emitted inside the request's scope, as most are,
   * costs one read of the id; one emitted outside it with listeners, a scope
   * entry. Default `true` for
   * `withRequestId` (node:http), `false` for Express, Fastify and Koa, whose
   * body parsing keeps the scope.
   */
  readonly bindEmitters?: boolean;
}

/** Options resolved once, when the middleware is created. */
export interface Resolved {
  readonly header: string;
  readonly echo: string | undefined;
  readonly log: ((entry: RequestLogEntry) => void) | undefined;
  readonly bindEmitters: boolean | undefined;
  idFor(incoming: unknown): string;
}

function assertOptionalFunction(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`Expected \`options.${name}\` to be a function, got ${typeof value}.`);
  }
}

/** Checks options at the public boundary and resolves their defaults. */
export function resolveOptions(options: RequestIdOptions = {}): Resolved {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${options === null ? 'null' : typeof options}.`);
  }
  const header = options.header ?? 'X-Request-ID';
  if (typeof header !== 'string' || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(header)) {
    throw new TypeError(`Expected \`options.header\` to be a header name such as 'X-Request-ID', got ${JSON.stringify(header)}.`);
  }
  assertOptionalFunction(options.validate, 'validate');
  assertOptionalFunction(options.generate, 'generate');
  if (typeof options.log !== 'function' && typeof options.log !== 'boolean' && options.log !== undefined) {
    throw new TypeError(`Expected \`options.log\` to be a boolean or a function, got ${typeof options.log}.`);
  }
  const echo = options.echo === undefined || options.echo === true ? header : options.echo === false ? undefined : options.echo;
  if (echo !== undefined && (typeof echo !== 'string' || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(echo))) {
    throw new TypeError(`Expected \`options.echo\` to be a boolean or a header name, got ${JSON.stringify(echo)}.`);
  }
  const generate = options.generate ?? randomUUID;
  const validate = options.validate ?? isSafeRequestId;
  const trust = options.trustHeader !== false;
  return {
    header: header.toLowerCase(),
    // Lower case, as HTTP/2 and Fastify write every name: Node stores a header
    // by its lower-cased name, and a name already in lower case saves it a new
    // string per response (about 1.5 µs of CPU a request on Node 24).
    echo: echo?.toLowerCase(),
    bindEmitters: options.bindEmitters,
    log: options.log === true ? printLine : options.log === false ? undefined : options.log,
    // An array (a repeated header in some frameworks) is never trusted.
    idFor: trust ? (incoming) => (typeof incoming === 'string' && validate(incoming) ? incoming : generate()) : () => generate(),
  };
}

/** Control characters, spaces and non-ASCII of a path, percent-encoded, so a path cannot forge a line. */
function printable(text: string): string {
  return text.replace(/[^\x21-\x7e]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

function printLine(entry: RequestLogEntry): void {
  console.info(
    `request ${entry.requestId} ${printable(entry.method)} ${printable(entry.path)} ${entry.status} ${entry.durationMs.toFixed(1)}ms${entry.aborted ? ' aborted' : ''}`,
  );
}
