// The talk's use case (django-log-request-id): middleware gives each request a
// unique id and a logging filter stamps it on every line. 1,000 requests are in
// flight at once; every line is checked against the request that wrote it.
import '@tasklocal/node-als/register';
import { once } from 'node:events';
import { Agent, createServer, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Local, runWith } from '@tasklocal/core';

const REQUESTS = 1000;
const local = new Local({ name: 'request' });
let currentRequestId; // the naive alternative: one variable shared by every request
let records = []; // the log, kept in memory

// The logging filters: they know nothing of requests, they only read the current id.
function log(msg) {
  records.push({ requestId: local.requestId, msg });
}
function naiveLog(msg) {
  records.push({ requestId: currentRequestId, msg });
}

const randomDelay = () => new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 6)));

/** The application: awaits, two concurrent sub-tasks, a log line after each step. */
const createHandler = (log, requestId) => async (req, res) => {
  log(`${req.url} start`);
  const steps = 2 + Math.floor(Math.random() * 3);
  for (let i = 1; i <= steps; i++) {
    await randomDelay();
    log(`${req.url} step ${i}/${steps}`);
  }
  await Promise.all(
    ['a', 'b'].map(async (name) => {
      await randomDelay();
      log(`${req.url} sub-task ${name}`);
    }),
  );
  log(`${req.url} end`);
  res.setHeader('x-request-id', requestId());
  res.end('ok');
};

// The middlewares: each sets the request's id where its log lines will look for it.
const localHandler = createHandler(log, () => local.requestId);
const withLocal = (req, res, id) => runWith(local, { requestId: id }, localHandler, req, res);
const naiveHandler = createHandler(naiveLog, () => currentRequestId);
const withSharedVariable = (req, res, id) => {
  currentRequestId = id;
  return naiveHandler(req, res);
};

/** Fires REQUESTS concurrent requests at `port`; resolves to path -> x-request-id received. */
async function load(port) {
  const agent = new Agent({ keepAlive: true, maxSockets: 200 });
  const received = new Map();
  try {
    await Promise.all(
      Array.from({ length: REQUESTS }, (_, n) => {
        const path = `/req/${n}`;
        return new Promise((resolve, reject) => {
          request({ host: '127.0.0.1', port, path, agent }, (res) => {
            received.set(path, res.headers['x-request-id']);
            res.on('end', resolve).on('error', reject).resume();
          })
            .on('error', reject)
            .end();
        });
      }),
    );
  } finally {
    agent.destroy();
  }
  return received;
}

async function trial(name, middleware) {
  records = [];
  const assigned = new Map(); // path -> the id the server gave that request
  const server = createServer((req, res) => {
    const id = crypto.randomUUID();
    assigned.set(req.url, id);
    middleware(req, res, id).catch((error) => res.writeHead(500).end(String(error)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const started = performance.now();
  let received;
  try {
    received = await load(server.address().port);
  } finally {
    server.close();
  }
  const ms = Math.round(performance.now() - started);
  const wrongLines = records.filter(({ requestId, msg }) => requestId !== assigned.get(msg.split(' ')[0])).length;
  const wrongHeaders = [...received].filter(([path, id]) => id !== assigned.get(path)).length;
  const cells = [REQUESTS, received.size, records.length, wrongLines, wrongHeaders, `${ms} ms`];
  console.log(`  ${name.padEnd(34)}${cells.map((cell) => String(cell).padStart(10)).join('')}`);
  return received.size === REQUESTS && wrongLines === 0 && wrongHeaders === 0;
}

/** Runs the load on both middlewares; resolves to true when the Local run had no wrong id. */
export async function requestIds() {
  console.log(`\n5. A node:http server on 127.0.0.1, ${REQUESTS} concurrent requests, each line checked against its request:`);
  const header = ['sent', 'responses', 'log lines', 'wrong id', 'wrong hdr', 'time'];
  console.log(`  ${'middleware'.padEnd(34)}${header.map((cell) => cell.padStart(10)).join('')}`);
  await trial('let currentRequestId (shared)', withSharedVariable);
  return trial('runWith(local, { requestId }, …)', withLocal);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = (await requestIds()) ? 0 : 1;
