// The talk's use case: middleware gives each request a unique id, a logger
// stamps every line with it, and 1,000 requests are in flight at once. Every
// log line is checked against the request that wrote it.
import { once } from 'node:events';
import { Agent, createServer, request } from 'node:http';
import { Local, runWith } from '@tasklocal/core';

const REQUESTS = 1000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const randomDelay = () => sleep(Math.floor(Math.random() * 6));

/** Starts a server whose handler logs through `log`, which stamps lines with `currentId()`. */
async function serve(middleware, currentId) {
  const records = [];
  const assigned = new Map(); // path -> the id the middleware gave that request
  // The logging filter: it knows nothing of requests, it only reads the current id.
  const log = (path, message) => records.push({ id: currentId(), path, message });
  const handler = async (req, res) => {
    const path = req.url;
    log(path, 'start');
    for (let i = 2 + Math.floor(Math.random() * 3); i > 0; i--) await randomDelay();
    await Promise.all([
      (async () => {
        await randomDelay();
        log(path, 'sub-task a');
      })(),
      (async () => {
        await randomDelay();
        log(path, 'sub-task b');
      })(),
    ]);
    log(path, 'end');
    res.setHeader('x-request-id', currentId());
    res.end('ok');
  };
  const server = createServer((req, res) => {
    const id = crypto.randomUUID();
    assigned.set(req.url, id);
    middleware(id, () => handler(req, res));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, records, assigned };
}

async function load(server) {
  const agent = new Agent({ keepAlive: true, maxSockets: 200 });
  const { port } = server.address();
  await Promise.all(
    Array.from(
      { length: REQUESTS },
      (_, n) =>
        new Promise((resolve, reject) => {
          request({ host: '127.0.0.1', port, path: `/req/${n}`, agent }, (res) => {
            res.resume();
            res.on('end', resolve);
          })
            .on('error', reject)
            .end();
        }),
    ),
  );
  agent.destroy();
}

async function trial(name, middleware, currentId) {
  const started = performance.now();
  const { server, records, assigned } = await serve(middleware, currentId);
  try {
    await load(server);
  } finally {
    server.close();
  }
  const wrong = records.filter((record) => record.id !== assigned.get(record.path)).length;
  const ms = Math.round(performance.now() - started);
  console.log(
    `  ${name.padEnd(48)} ${REQUESTS} requests, ${records.length} log lines, ${String(wrong).padStart(4)} with the wrong id (${ms} ms)`,
  );
  return wrong;
}

export async function requestIds() {
  console.log(`\nA node:http server on 127.0.0.1; ${REQUESTS} concurrent requests, each awaiting random delays and two sub-tasks:`);
  let currentRequestId;
  const naive = await trial(
    'a module-level variable set in middleware:',
    (id, next) => {
      currentRequestId = id;
      next();
    },
    () => currentRequestId,
  );
  const local = new Local({ name: 'request', defaults: { requestId: '-' } });
  const ours = await trial(
    'tasklocal: runWith(local, { requestId }, next):',
    (id, next) => runWith(local, { requestId: id }, next),
    () => local.requestId,
  );
  return { naive, ours };
}
