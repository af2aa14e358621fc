// `node bench/worker/run.mjs`: the cost of a tasklocal call into a worker
// thread beside a plain postMessage round trip to the same worker, in the same
// process, with 0, 3 and 50 keys set; and the blocking bridge beside synckit.
// Prints one JSON line of medians in microseconds.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { runWith } from '@tasklocal/core';
import { connect, connectSync } from '@tasklocal/worker';
import { createSyncFn } from 'synckit';
import { request } from './locals.mjs';

const N = Number(process.env.WORKER_BENCH_N ?? 4000);
const TRIALS = 9;
const payload = { plain: true, order: 42, items: ['a', 'b'] };
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const worker = new Worker(new URL('./echo-worker.mjs', import.meta.url));
const client = connect(worker);

async function plainRoundTrip() {
  worker.postMessage(payload);
  await once(worker, 'message');
}

function keys(n) {
  const values = {};
  for (let i = 0; i < n; i++) values[`key${i}`] = `value-${i}-${'x'.repeat(8)}`;
  return values;
}

/** Median µs per round trip: wall-clock, and CPU time of the process (both threads), which idle wake-ups do not inflate. */
async function time(fn) {
  const wall = [];
  const cpu = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < N; i++) await fn();
    const used = process.cpuUsage(cpuStart);
    wall.push(Number(process.hrtime.bigint() - start) / N / 1000);
    cpu.push((used.user + used.system) / N);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const modes = {
  plain: () => time(plainRoundTrip),
  ...Object.fromEntries(
    [0, 3, 50].map((n) => [`call-${n}`, () => runWith(request, keys(n), () => time(() => client.call({ order: 42, items: ['a', 'b'] })))]),
  ),
};
for (let i = 0; i < 2000; i++) await plainRoundTrip(); // warm both paths
for (let i = 0; i < 2000; i++) await runWith(request, keys(3), () => client.call(payload));

const sweeps = {};
for (let sweep = 0; sweep < 3; sweep++) {
  for (const [name, run] of Object.entries(modes)) (sweeps[name] ??= []).push(await run());
}
const out = Object.fromEntries(
  Object.entries(sweeps).map(([name, values]) => [
    name,
    { wall: median(values.map((v) => v.wall)), cpu: median(values.map((v) => v.cpu)) },
  ]),
);

// The blocking bridges, each against its own worker.
const sync = await connectSync(worker);
const syncResults = [];
runWith(request, keys(3), () => {
  for (let i = 0; i < 500; i++) sync.call(payload);
  for (let trial = 0; trial < TRIALS; trial++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 2000; i++) sync.call(payload);
    syncResults.push(Number(process.hrtime.bigint() - start) / 2000 / 1000);
  }
});
out['sync-3'] = { wall: median(syncResults) };
const synckit = createSyncFn(new URL('./synckit-worker.mjs', import.meta.url).pathname);
for (let i = 0; i < 500; i++) synckit(payload);
const synckitResults = [];
for (let trial = 0; trial < TRIALS; trial++) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < 2000; i++) synckit(payload);
  synckitResults.push(Number(process.hrtime.bigint() - start) / 2000 / 1000);
}
out.synckit = { wall: median(synckitResults) };
sync.close();
await worker.terminate();
console.log(JSON.stringify({ node: process.version, ...out }));
process.exit(0);
