// The talk's example, rebuilt: django-log-request-id's middleware + logging
// filter, as Express middleware + a pino mixin. The server starts, sends
// itself concurrent requests (some with an X-Request-ID, some without, one
// with a hostile id), checks that every log line carries the id of the request
// that wrote it, prints the lines, and exits (code 1 on any mismatch).
import { once } from 'node:events';
import { getRequestId } from '@tasklocal/request-id';
import { expressRequestId } from '@tasklocal/request-id/express';
import { requestIdMixin } from '@tasklocal/request-id/pino';
import express from 'express';
import { pino } from 'pino';

const lines = [];
const logger = pino(
  { mixin: requestIdMixin(), base: null, timestamp: false },
  { write: (line) => lines.push(JSON.parse(line)) && process.stdout.write(line) },
);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const app = express();
// The middleware: takes a safe X-Request-ID or generates one, echoes it,
// and logs one line per request (the filter side stamps it).
app.use(
  expressRequestId({
    log: (entry) => logger.info({ status: entry.status, ms: Math.round(entry.durationMs) }, `${entry.method} ${entry.path}`),
  }),
);
app.get('/orders/:n', async (req, res) => {
  logger.info(`loading order ${req.params.n}`);
  await sleep(Math.random() * 20);
  await Promise.all([
    sleep(Math.random() * 20).then(() => logger.info('items loaded')),
    sleep(Math.random() * 20).then(() => logger.info('customer loaded')),
  ]);
  res.json({ order: req.params.n, requestId: getRequestId() });
});

const server = app.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${server.address().port}`;

const sent = ['talk-1', undefined, 'talk-3', undefined, 'x" level=50 msg="forged admin login'];
const responses = await Promise.all(
  sent.map((id, n) => fetch(`${base}/orders/${n}`, { headers: id === undefined ? {} : { 'X-Request-ID': id } })),
);
const ids = responses.map((res) => res.headers.get('x-request-id'));
await Promise.all(responses.map((res) => res.text()));
await sleep(50); // the request log lines are written when each response closes
server.close();

let mismatches = 0;
for (const line of lines) {
  const n = Number(/\/orders\/(\d+)|order (\d+)/.exec(line.msg)?.slice(1).find(Boolean) ?? NaN);
  if (!Number.isNaN(n) && line.requestId !== ids[n]) mismatches++;
}
const perId = new Map(ids.map((id) => [id, lines.filter((line) => line.requestId === id).length]));
const ok = mismatches === 0 && [...perId.values()].every((count) => count === 4) && !ids.includes(sent[4]);
console.log(
  `\n${sent.length} requests, ${lines.length} log lines, 4 per request: ${ok ? 'every line has its own request id' : 'MISMATCH'}`,
);
console.log(`ids: ${ids.join(', ')} (the last request sent an unsafe id: a fresh one was generated)`);
process.exitCode = ok ? 0 : 1;
