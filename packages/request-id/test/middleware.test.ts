import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRequestId, isSafeRequestId, type RequestLogEntry } from '../src/index.ts';
import { createSink, type Sink } from './sinks.ts';
import { frameworks, type Running, start } from './servers.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Sends raw bytes, so nothing on the client side cleans the header up. */
function raw(url: string, headerLines: Buffer): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let response = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (response += chunk));
    socket.on('end', () => resolve(response));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no response')));
    socket.end(
      Buffer.concat([Buffer.from('GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n'), headerLines, Buffer.from('\r\n')]),
    );
  });
}

const hostile: [string, Buffer][] = [
  ['CR inside the value', Buffer.from('X-Request-ID: abc\rX-Forged: 1\r\n')],
  ['LF inside the value', Buffer.from('X-Request-ID: abc\nX-Forged: 1\r\n')],
  ['an ANSI escape', Buffer.from('X-Request-ID: \x1b[31mred\x1b[0m\r\n')],
  ['NUL', Buffer.from('X-Request-ID: a\x00b\r\n')],
  ['BEL and DEL', Buffer.from('X-Request-ID: a\x07b\x7fc\r\n')],
  ['a tab', Buffer.from('X-Request-ID: a\tb\r\n')],
  ['spaces and a forged log field', Buffer.from('X-Request-ID: abc" level=error msg="forged\r\n')],
  ['JSON', Buffer.from('X-Request-ID: {"requestId":"x"}\r\n')],
  ['HTML', Buffer.from('X-Request-ID: <script>alert(1)</script>\r\n')],
  ['129 characters', Buffer.from(`X-Request-ID: ${'a'.repeat(129)}\r\n`)],
  ['8,000 characters', Buffer.from(`X-Request-ID: ${'a'.repeat(8000)}\r\n`)],
  ['Cyrillic (UTF-8 bytes)', Buffer.from('X-Request-ID: идентификатор\r\n', 'utf8')],
  ['a right-to-left override (UTF-8 bytes)', Buffer.from('X-Request-ID: abc\u202edef\r\n', 'utf8')],
  ['Latin-1 bytes', Buffer.from('X-Request-ID: caf\xe9\r\n', 'latin1')],
  ['two X-Request-ID headers', Buffer.from('X-Request-ID: one\r\nX-Request-ID: two\r\n')],
  ['an empty value', Buffer.from('X-Request-ID: \r\n')],
];

describe('isSafeRequestId', () => {
  it('accepts UUIDs, ULIDs, base64 and service:trace forms', () => {
    for (const id of [crypto.randomUUID(), '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'dGVzdA+/=', 'api:1234.5678', 'a'.repeat(128), 'x_y-z@host']) {
      expect(isSafeRequestId(id), id).toBe(true);
    }
  });
  it('rejects everything that could forge a header or a log line', () => {
    const bad = [
      '',
      'a\r\nSet-Cookie: x=1',
      'a\nb',
      'a\rb',
      '\x1b[2J',
      'a\x00',
      'a\u0085b',
      'a\u2028b',
      'a b',
      'a\tb',
      'a"b',
      "a'b",
      'a,b',
      'a;b',
      'a%0d%0a',
      'ид',
      'a\u202eb',
      'e\u0301',
      '😀',
      'a'.repeat(129),
    ];
    for (const id of bad) expect(isSafeRequestId(id), JSON.stringify(id)).toBe(false);
    expect(isSafeRequestId(123)).toBe(false);
    expect(isSafeRequestId(['a'])).toBe(false);
    expect(isSafeRequestId('a'.repeat(300), 300)).toBe(true);
  });
});

describe.each(frameworks)('%s', (framework) => {
  let sink: Sink;
  let server: Running;
  const requestLog: RequestLogEntry[] = [];
  beforeAll(async () => {
    sink = createSink('pino');
    server = await start(framework, { log: (entry) => requestLog.push(entry) }, sink.log);
  });
  afterAll(() => server.close());

  it('takes a safe id from X-Request-ID and echoes it', async () => {
    const res = await fetch(`${server.url}/hello`, { headers: { 'X-Request-ID': 'abc-123' } });
    expect(await res.text()).toBe('abc-123');
    expect(res.headers.get('x-request-id')).toBe('abc-123');
  });

  it('generates a UUID when the request has none, and echoes it', async () => {
    const res = await fetch(`${server.url}/hello`);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(UUID);
    expect(await res.text()).toBe(id);
  });

  it('logs one line per request with method, path, status and duration, in the request scope', async () => {
    requestLog.length = 0;
    await (await fetch(`${server.url}/hello?x=1`, { headers: { 'X-Request-ID': 'logged-1' } })).text();
    for (let i = 0; i < 50 && requestLog.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(requestLog).toHaveLength(1);
    expect(requestLog[0]).toMatchObject({ requestId: 'logged-1', method: 'GET', path: '/hello?x=1', status: 200, aborted: false });
    expect(requestLog[0]?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it.each(hostile)('replaces an id with %s by a fresh one and never echoes it', async (_name, header) => {
    const before = sink.entries().length;
    const response = await raw(server.url, header);
    const status = Number(response.split(' ')[1]);
    const badValue = header.toString('latin1').slice('X-Request-ID: '.length).split('\r\n')[0] as string;
    if (badValue.length > 0) expect(response.includes(badValue), 'the response contains the hostile value').toBe(false);
    expect(response).not.toMatch(/x-forged/i);
    // Node's parser refuses some of these outright (400); every other one gets a fresh id.
    if (status !== 400) {
      expect(status).toBe(200);
      const echoed = /\r\nx-request-id: ([^\r\n]*)\r\n/i.exec(response)?.[1];
      expect(echoed).toMatch(UUID);
      expect(response.endsWith(`\r\n\r\n${echoed}`) || response.includes(`\r\n${echoed}\r\n`)).toBe(true);
    }
    for (const entry of sink.entries().slice(before)) expect(entry.requestId).toMatch(UUID);
  });
});

describe('options', () => {
  it.each(frameworks)('%s: a custom header, generator, validator and echo header', async (framework) => {
    let n = 0;
    const sink = createSink('pino');
    const server = await start(
      framework,
      { header: 'X-Correlation-ID', generate: () => `gen-${++n}`, validate: (id) => id.startsWith('ok-'), echo: 'X-Trace' },
      sink.log,
    );
    try {
      const a = await fetch(`${server.url}/hello`, { headers: { 'x-correlation-id': 'ok-1' } });
      expect([await a.text(), a.headers.get('x-trace'), a.headers.get('x-correlation-id')]).toEqual(['ok-1', 'ok-1', null]);
      const b = await fetch(`${server.url}/hello`, { headers: { 'x-correlation-id': 'bad-1', 'x-request-id': 'ok-2' } });
      expect([await b.text(), b.headers.get('x-trace')]).toEqual(['gen-1', 'gen-1']);
    } finally {
      await server.close();
    }
  });

  it.each(frameworks)('%s: trustHeader: false always generates; echo: false sends no header', async (framework) => {
    const server = await start(framework, { trustHeader: false, echo: false }, () => {});
    try {
      const res = await fetch(`${server.url}/hello`, { headers: { 'x-request-id': 'from-client' } });
      expect(await res.text()).toMatch(UUID);
      expect(res.headers.get('x-request-id')).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('log: true writes one console.info line with the id, method, path, status and duration', async () => {
    const lines: string[] = [];
    const info = console.info;
    console.info = (line: string) => void lines.push(line);
    const server = await start('http', { log: true }, () => {});
    try {
      await (await fetch(`${server.url}/hello`, { headers: { 'x-request-id': 'line-1' } })).text();
      for (let i = 0; i < 50 && lines.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      await server.close();
      console.info = info;
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^request line-1 GET \/hello 200 \d+\.\dms$/);
  });

  it('rejects bad options with a TypeError that says what to pass', async () => {
    const { expressRequestId } = await import('../src/express.ts');
    expect(() => expressRequestId({ header: 'X Bad\r\n' })).toThrow(/Expected `options.header` to be a header name/);
    expect(() => expressRequestId({ generate: 'uuid' as never })).toThrow(/Expected `options.generate` to be a function/);
    expect(() => expressRequestId({ echo: 'a b' })).toThrow(/Expected `options.echo`/);
  });

  it('outside a request there is no id', () => {
    expect(getRequestId()).toBeUndefined();
  });
});
