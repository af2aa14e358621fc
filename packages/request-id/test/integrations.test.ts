import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Local, runWith } from '@tasklocal/core';
import express from 'express';
import { Hono } from 'hono';
import { Agent, fetch as undiciFetch, request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expressRequestId } from '../src/express.ts';
import { fetchWithRequestId } from '../src/fetch.ts';
import { honoRequestId } from '../src/hono.ts';
import { withRequestId } from '../src/http.ts';
import { currentRequestId, getRequestId, NO_REQUEST_ID, requestFields, runWithRequestId } from '../src/index.ts';
import { requestIdInterceptor } from '../src/undici.ts';
import { createSink } from './sinks.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe('loggers stamp the id, other Local keys, and a fallback outside a request', () => {
  const user = new Local<{ userId: string; tenant: string }>();
  it.each(['pino', 'winston', 'console'] as const)('%s', async (logger) => {
    const sink = createSink(logger, { include: [[user, ['userId', 'tenant']]] });
    sink.log('outside', 0);
    await runWithRequestId('req-1', async () => {
      await runWith(user, { userId: 'ada' }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        sink.log('inside', 1);
      });
      sink.log('no user', 2);
    });
    const entries = sink.entries();
    expect(entries.map((e) => [e.msg, e.requestId])).toEqual([
      ['outside', NO_REQUEST_ID],
      ['inside', 'req-1'],
      ['no user', 'req-1'],
    ]);
    if (logger !== 'console') {
      expect(entries[1]?.['userId']).toBe('ada');
      expect('tenant' in (entries[1] as object)).toBe(false);
      expect('userId' in (entries[2] as object)).toBe(false);
    }
  });

  it('console: the prefix carries the included keys and never turns % into a directive', () => {
    const lines: unknown[][] = [];
    const sink = (...args: unknown[]) => void lines.push(args);
    return import('../src/console.ts').then(({ createConsole }) => {
      const log = createConsole({ target: { debug: sink, error: sink, info: sink, log: sink, trace: sink, warn: sink }, fallback: '-' });
      runWithRequestId('a%sb', () => runWith(user, { userId: 'ada' }, () => log.warn('hi %s', 'there')));
      log.error(new Error('x').message);
      log.log({ a: 1 });
      const withUser = createConsole({
        target: { debug: sink, error: sink, info: sink, log: sink, trace: sink, warn: sink },
        include: [[user, ['userId']]],
      });
      runWith(user, { userId: 'ada' }, () => withUser.info('x'));
      expect(lines).toEqual([['[a%%sb] hi %s', 'there'], ['[-] x'], ['[-]', { a: 1 }], ['[none userId=ada] x']]);
    });
  });

  it('requestFields and currentRequestId, with a custom key and fallback', () => {
    const fields = requestFields({ key: 'reqId', fallback: '-' });
    expect(fields()).toEqual({ reqId: '-' });
    expect(runWithRequestId('r', fields)).toEqual({ reqId: 'r' });
    expect(requestFields()()).toEqual({ requestId: 'none' });
    expect(currentRequestId()).toBe('none');
    expect(runWithRequestId('r', () => currentRequestId())).toBe('r');
    expect(() => requestFields({ include: [['nope' as never, ['a']]] })).toThrow(TypeError);
  });

  it('Fastify’s own pino logger, with the mixin, stamps the handler’s and the completion lines', async () => {
    const { default: Fastify } = await import('fastify');
    const { fastifyRequestId } = await import('../src/fastify.ts');
    const { requestIdMixin } = await import('../src/pino.ts');
    const lines: Record<string, unknown>[] = [];
    const app = Fastify({ logger: { mixin: requestIdMixin(), stream: { write: (line: string) => void lines.push(JSON.parse(line)) } } });
    await app.register(fastifyRequestId);
    app.get('/', async (request) => {
      request.log.info('handler');
      return 'ok';
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      await (await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-request-id': 'fy-1' } })).text();
    } finally {
      await app.close();
    }
    const ofRequest = lines.filter((line) => line['reqId'] !== undefined);
    expect(ofRequest.map((line) => line['msg'])).toEqual(['incoming request', 'handler', 'request completed']);
    // Fastify writes 'incoming request' before any hook runs, so before the plugin.
    expect(ofRequest.map((line) => line['requestId'])).toEqual(['none', 'fy-1', 'fy-1']);
  });

  it('Fastify `onResponse` hooks and the completion line see the id, with and without a body, with and without a logger', async () => {
    const { default: Fastify } = await import('fastify');
    const { fastifyRequestId } = await import('../src/fastify.ts');
    const { requestIdMixin } = await import('../src/pino.ts');
    for (const withLogger of [false, true]) {
      const lines: Record<string, unknown>[] = [];
      const app = Fastify(
        withLogger ? { logger: { mixin: requestIdMixin(), stream: { write: (line: string) => void lines.push(JSON.parse(line)) } } } : {},
      );
      await app.register(fastifyRequestId);
      const seen: unknown[] = [];
      app.addHook('onResponse', async () => {
        seen.push(getRequestId());
      });
      app.get('/', async () => 'ok');
      app.post('/', async (request) => String((request.body as string).length));
      await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        const { port } = app.server.address() as AddressInfo;
        const url = `http://127.0.0.1:${port}/`;
        await (await fetch(url, { headers: { 'x-request-id': 'fy-get' } })).text();
        const body = 'x'.repeat(256 * 1024); // arrives in many chunks
        await (await fetch(url, { method: 'POST', body, headers: { 'x-request-id': 'fy-post', 'content-type': 'text/plain' } })).text();
        await new Promise((resolve) => setTimeout(resolve, 20)); // onResponse runs after the client has its answer
      } finally {
        await app.close();
      }
      expect(seen).toEqual(['fy-get', 'fy-post']);
      if (withLogger) {
        const completed = lines.filter((line) => line['msg'] === 'request completed').map((line) => line['requestId']);
        expect(completed).toEqual(['fy-get', 'fy-post']);
      }
    }
  });
});

describe('ids the HTTP parser lets through still meet the validator', () => {
  it('node:http with insecureHTTPParser: control and ANSI characters get a fresh id', async () => {
    const server = createServer(
      { insecureHTTPParser: true },
      withRequestId((_req, res) => res.end(String(getRequestId()))),
    );
    const url = await listen(server);
    try {
      const { connect } = await import('node:net');
      const response = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(new URL(url).port), '127.0.0.1');
        let text = '';
        socket.setEncoding('latin1');
        socket.on('data', (chunk: string) => (text += chunk));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
        socket.end('GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\nX-Request-ID: \x1b[31mred\x07\r\n\r\n');
      });
      expect(response.startsWith('HTTP/1.1 200')).toBe(true);
      expect(response).not.toContain('\x1b');
      expect(response).not.toContain('red');
      expect(/x-request-id: (\S+)/i.exec(response)?.[1]).toMatch(UUID);
    } finally {
      await close(server);
    }
  });

  it('Hono through fetch Requests: an ANSI escape is replaced', async () => {
    const app = new Hono();
    app.use(honoRequestId());
    app.get('/', (c) => c.text(String(getRequestId())));
    app.get('/raw', () => new Response('raw'));
    const bad = await app.request('/', { headers: { 'x-request-id': '\x1b[2Jcleared' } });
    const body = await bad.text();
    expect(body).toMatch(UUID);
    expect(bad.headers.get('x-request-id')).toBe(body);
    const raw = await app.request('/raw', { headers: { 'x-request-id': 'fine-1' } });
    expect(raw.headers.get('x-request-id')).toBe('fine-1');
  });
});

describe('bindEmitters', () => {
  it.each([true, false])("Express with bindEmitters: %s: req.on('end') and res.on('finish') listeners", async (bindEmitters) => {
    const seen: (string | undefined)[] = [];
    const app = express();
    app.use(expressRequestId({ bindEmitters }));
    app.post('/', (req, res) => {
      req.on('data', () => {});
      req.on('end', () => {
        seen.push(getRequestId());
        res.on('finish', () => seen.push(getRequestId()));
        res.end('ok');
      });
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const port = (server.address() as AddressInfo).port;
      await (
        await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x'.repeat(70_000), headers: { 'x-request-id': 'ev-1' } })
      ).text();
      for (let i = 0; i < 50 && seen.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      await close(server);
    }
    expect(seen).toEqual(bindEmitters ? ['ev-1', 'ev-1'] : [undefined, undefined]);
  });
});

describe('the id goes out with outgoing requests', () => {
  let downstream: Server;
  let downstreamUrl: string;
  const seen: IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    downstream = createServer((req, res) => {
      seen.push(req.headers);
      res.end('ok');
    });
    downstreamUrl = await listen(downstream);
  });
  afterAll(() => close(downstream));

  it('fetchWithRequestId inside an Express request, through concurrent calls', async () => {
    const outgoing = fetchWithRequestId();
    const app = express();
    app.use(expressRequestId());
    app.get('/', async (_req, res) => {
      await Promise.all([outgoing(`${downstreamUrl}/a`), outgoing(new Request(`${downstreamUrl}/b`, { headers: { 'x-other': '1' } }))]);
      res.send('done');
    });
    const upstream = app.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    try {
      seen.length = 0;
      const port = (upstream.address() as AddressInfo).port;
      await Promise.all(
        ['up-1', 'up-2', 'up-3'].map((id) => fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-request-id': id } }).then((r) => r.text())),
      );
    } finally {
      await close(upstream);
    }
    expect(seen.map((h) => h['x-request-id']).sort()).toEqual(['up-1', 'up-1', 'up-2', 'up-2', 'up-3', 'up-3']);
    expect(seen.filter((h) => h['x-other'] === '1')).toHaveLength(3);
  });

  it('fetchWithRequestId keeps a header the caller set, and adds nothing outside a request', async () => {
    const outgoing = fetchWithRequestId(fetch, { header: 'X-Correlation-ID' });
    seen.length = 0;
    await runWithRequestId('mine', () => outgoing(downstreamUrl, { headers: { 'x-correlation-id': 'explicit' } }));
    await runWithRequestId('mine', () => outgoing(downstreamUrl));
    await outgoing(downstreamUrl);
    expect(seen.map((h) => h['x-correlation-id'])).toEqual(['explicit', 'mine', undefined]);
  });

  it('requestIdInterceptor on an undici Agent: request() and fetch(), any header shape', async () => {
    const dispatcher = new Agent().compose(requestIdInterceptor());
    seen.length = 0;
    try {
      await runWithRequestId('und-1', async () => {
        await (await undiciRequest(downstreamUrl, { dispatcher })).body.text();
        await (await undiciRequest(downstreamUrl, { dispatcher, headers: { 'x-a': '1' } })).body.text();
        await (await undiciRequest(downstreamUrl, { dispatcher, headers: ['x-b', '2'] })).body.text();
        await (await undiciRequest(downstreamUrl, { dispatcher, headers: { 'X-Request-ID': 'kept' } })).body.text();
        await (await undiciFetch(downstreamUrl, { dispatcher })).text();
      });
      await (await undiciRequest(downstreamUrl, { dispatcher })).body.text();
    } finally {
      await dispatcher.close();
    }
    expect(seen.map((h) => h['x-request-id'])).toEqual(['und-1', 'und-1', 'und-1', 'kept', 'und-1', undefined]);
    expect([seen[1]?.['x-a'], seen[2]?.['x-b']]).toEqual(['1', '2']);
  });
});
