// Real servers on 127.0.0.1, one per framework, with the same routes:
// `GET /hello` answers with the id the handler sees; `POST /work/:n` reads a
// streamed body the framework's own way, then does the load test's work.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { getRequestId } from '../src/index.ts';
import { expressRequestId } from '../src/express.ts';
import { fastifyRequestId } from '../src/fastify.ts';
import { honoRequestId } from '../src/hono.ts';
import { withRequestId } from '../src/http.ts';
import { koaRequestId } from '../src/koa.ts';
import type { RequestIdOptions } from '../src/options.ts';

export const frameworks = ['http', 'express', 'fastify', 'koa', 'hono'] as const;
export type Framework = (typeof frameworks)[number];

/** What the handlers log through: the logger under test stamps the id. */
export type Log = (message: string, n: number) => void;

export interface Running {
  readonly url: string;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const random = (max: number) => Math.floor(Math.random() * (max + 1));

/** The work of one request: random awaits, concurrent sub-tasks, timers. Returns the id seen at the end. */
export async function work(log: Log, n: number): Promise<string | undefined> {
  log('start', n);
  await sleep(random(2));
  await Promise.all([
    (async () => {
      await sleep(random(3));
      log('sub-a', n);
    })(),
    (async () => {
      await Promise.resolve();
      await new Promise((resolve) => setImmediate(resolve));
      log('sub-b', n);
    })(),
    new Promise<void>((resolve) =>
      setTimeout(() => {
        log('timer', n);
        resolve();
      }, random(3)),
    ),
  ]);
  log('end', n);
  return getRequestId();
}

async function listening(server: Server): Promise<Running> {
  if (!server.listening) await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function start(framework: Framework, options: RequestIdOptions, log: Log): Promise<Running> {
  switch (framework) {
    case 'http': {
      const server = createServer(
        withRequestId((req: IncomingMessage, res: ServerResponse) => {
          const url = req.url ?? '/';
          if (url === '/hello') return res.end(String(getRequestId()));
          const n = Number(url.split('/')[2]);
          // The emitter form, as body parsers do: its listeners must see the id.
          let length = 0;
          req.on('data', (chunk: Buffer) => (length += chunk.length));
          req.on('end', () => {
            log(`body ${length}`, n);
            work(log, n).then((id) => res.end(String(id)));
          });
        }, options),
      );
      server.listen(0, '127.0.0.1');
      return listening(server);
    }
    case 'express': {
      const app = express();
      app.use(expressRequestId(options));
      app.use(express.text());
      app.get('/hello', (_req, res) => {
        res.send(String(getRequestId()));
      });
      app.post('/work/:n', async (req, res) => {
        const n = Number(req.params.n);
        log(`body ${String(req.body).length}`, n);
        res.send(String(await work(log, n)));
      });
      return listening(app.listen(0, '127.0.0.1'));
    }
    case 'fastify': {
      const app = Fastify();
      await app.register(fastifyRequestId, options);
      app.get('/hello', async () => String(getRequestId()));
      app.post<{ Params: { n: string }; Body: string }>('/work/:n', async (request) => {
        const n = Number(request.params.n);
        log(`body ${request.body.length}`, n);
        return String(await work(log, n));
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
    }
    case 'koa': {
      const app = new Koa();
      app.use(koaRequestId(options));
      app.use(async (ctx) => {
        if (ctx.path === '/hello') {
          ctx.body = String(getRequestId());
          return;
        }
        const n = Number(ctx.path.split('/')[2]);
        let length = 0;
        for await (const chunk of ctx.req) length += (chunk as Buffer).length;
        log(`body ${length}`, n);
        ctx.body = String(await work(log, n));
      });
      const server = app.listen(0, '127.0.0.1');
      return listening(server);
    }
    case 'hono': {
      const app = new Hono();
      app.use(honoRequestId(options));
      app.get('/hello', (c) => c.text(String(getRequestId())));
      app.post('/work/:n', async (c) => {
        const n = Number(c.req.param('n'));
        log(`body ${(await c.req.text()).length}`, n);
        return c.text(String(await work(log, n)));
      });
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
      return listening(server);
    }
  }
}
