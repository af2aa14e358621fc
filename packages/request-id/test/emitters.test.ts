// The listeners of a request's and a response's events see that request's id,
// with `withRequestId`'s defaults: 1,000 requests at once, each streaming its
// body, with listeners added in the handler and outside the request's scope,
// events emitted from the socket, from the request's own scope and from
// another request's scope, and clients that go away mid-body.
import { once } from 'node:events';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { withRequestId } from '../src/http.ts';
import { getRequestId } from '../src/index.ts';

const TOTAL = 1_000;
/** Every tenth client goes away mid-body, once the response has started. */
const aborts = (n: number) => n % 10 === 5;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

it(`${TOTAL} requests at once: every listener of req and res sees its own request's id`, { timeout: 60_000 }, async () => {
  /** What each listener saw, by request number: `event=id`. */
  const seen = new Map<number, string[]>();
  const see = (n: number, event: string) => {
    const list = seen.get(n) ?? [];
    list.push(`${event}=${getRequestId()}`);
    seen.set(n, list);
  };
  const numberOf = (req: IncomingMessage) => Number(req.url?.split('/')[2]);
  /** The requests whose handler has started, for the cross-request emits. */
  const started: IncomingMessage[] = [];
  let allStarted: () => void = () => {};
  const everyoneStarted = new Promise<void>((resolve) => (allStarted = resolve));

  const server = createServer();
  // Added before the request's scope exists: Node calls this listener outside it.
  server.on('request', (req: IncomingMessage) => {
    const n = numberOf(req);
    req.once('end', () => see(n, 'outer-end'));
  });
  server.on(
    'request',
    withRequestId((req: IncomingMessage, res: ServerResponse) => {
      const n = numberOf(req);
      see(n, 'handler');
      if (!aborts(n)) started.push(req);
      if (started.length === TOTAL - TOTAL / 10) allStarted();
      req.on('error', () => see(n, 'error'));
      // Tells the client its request arrived; it then goes away.
      if (aborts(n)) res.write('started');
      req.on('custom', () => see(n, 'custom'));
      res.on('finish', () => see(n, 'finish'));
      res.on('close', () => see(n, 'close'));
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        if (bytes === 0) see(n, 'data');
        bytes += chunk.length;
      });
      req.on('end', async () => {
        see(n, 'end');
        // Wait until every request that completes has started, then emit on
        // the next one's emitter from this request's scope: its listener must see its own id.
        await everyoneStarted;
        const other = started[(started.indexOf(req) + 1) % started.length] as IncomingMessage;
        other.emit('custom');
        await sleep(n % 3);
        res.end(String(getRequestId()));
      });
    }),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: TOTAL });

  const send = (n: number) =>
    new Promise<string>((resolve, reject) => {
      const req = request(
        { agent, port, host: '127.0.0.1', method: 'POST', path: `/work/${n}`, headers: { 'x-request-id': `id-${n}` } },
        (res) => {
          if (aborts(n)) {
            req.destroy();
            return resolve('aborted');
          }
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve(body));
          res.on('error', reject);
        },
      );
      req.on('error', (error) => (aborts(n) ? resolve('aborted') : reject(error)));
      req.write('a'.repeat(1 + (n % 300)));
      // The rest of the body in a later packet, so 'data' and 'end' come from the socket.
      if (!aborts(n)) sleep(1 + (n % 5)).then(() => req.end('b'.repeat(n % 50)));
    });

  try {
    const bodies = await Promise.all(Array.from({ length: TOTAL }, (_, n) => send(n)));
    for (const [n, body] of bodies.entries()) expect(body, `response ${n}`).toBe(aborts(n) ? 'aborted' : `id-${n}`);
    // The aborted requests' 'close' comes when the server sees the socket go.
    for (let i = 0; i < 200 && [...seen.values()].filter((list) => list.some((s) => s.startsWith('close='))).length < TOTAL; i++) {
      await sleep(10);
    }
  } finally {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  const wrong: string[] = [];
  const missing: string[] = [];
  for (let n = 0; n < TOTAL; n++) {
    const list = seen.get(n) ?? [];
    for (const entry of list) if (!entry.endsWith(`=id-${n}`)) wrong.push(`request ${n}: ${entry}`);
    const events = new Set(list.map((entry) => entry.split('=')[0]));
    const expected = aborts(n) ? ['handler', 'close'] : ['handler', 'data', 'end', 'outer-end', 'custom', 'finish', 'close'];
    for (const event of expected) if (!events.has(event)) missing.push(`request ${n}: no ${event}`);
  }
  expect({ wrong: wrong.slice(0, 20), missing: missing.slice(0, 20) }).toEqual({ wrong: [], missing: [] });
});
