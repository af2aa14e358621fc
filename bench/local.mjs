// One measurement per process: `node bench/local.mjs <mode>` prints
// {"mode","ns"}, the median of several trials. scripts/bench.mjs runs every
// mode on each Node version in fresh processes and compares ours with raw.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Local, runWith, view } from '@tasklocal/core';
import { createAlsStore } from '@tasklocal/node-als';

const mode = process.argv[2];
const TRIALS = 9;
let sink = 0;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/** ns per iteration of `loop(n)`, median of TRIALS after a warm-up. */
function measure(n, loop) {
  loop(Math.min(n, 200_000));
  const results = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    const start = process.hrtime.bigint();
    loop(n);
    results.push(Number(process.hrtime.bigint() - start) / n);
  }
  return median(results);
}

/** ns per `await` over `hops` sequential awaits, median of trials. */
async function measureAwaits(enter, hops = 1000, repeats = 200) {
  const body = async () => {
    for (let i = 0; i < hops; i++) await null;
  };
  const results = [];
  for (let trial = 0; trial < TRIALS + 2; trial++) {
    const start = process.hrtime.bigint();
    for (let r = 0; r < repeats; r++) await enter(body);
    if (trial >= 2) results.push(Number(process.hrtime.bigint() - start) / (hops * repeats));
  }
  return median(results);
}

const fn = () => 1;
const READS = 20_000_000;
const RUNS = 2_000_000;

const modes = {
  'read-raw'() {
    const als = new AsyncLocalStorage();
    return als.run({ requestId: 'r' }, () =>
      measure(READS, (n) => {
        for (let i = 0; i < n; i++) if (als.getStore()?.requestId === 'r') sink++;
      }),
    );
  },
  'read-proxy'() {
    const local = new Local({ store: createAlsStore() });
    return runWith(local, { requestId: 'r' }, () =>
      measure(READS, (n) => {
        for (let i = 0; i < n; i++) if (local.requestId === 'r') sink++;
      }),
    );
  },
  'read-view'() {
    const local = new Local({ store: createAlsStore() });
    const fast = view(local, ['requestId']);
    return runWith(local, { requestId: 'r' }, () =>
      measure(READS, (n) => {
        for (let i = 0; i < n; i++) if (fast.requestId === 'r') sink++;
      }),
    );
  },
  'run-raw'() {
    const als = new AsyncLocalStorage();
    return measure(RUNS, (n) => {
      for (let i = 0; i < n; i++) sink += als.run({ requestId: i }, fn);
    });
  },
  'run-ours-1'() {
    const local = new Local({ store: createAlsStore() });
    return measure(RUNS, (n) => {
      for (let i = 0; i < n; i++) sink += runWith(local, { requestId: i }, fn);
    });
  },
  'run-ours-20'() {
    // 20 Locals, the other 19 holding values in the current context.
    const store = createAlsStore();
    const local = new Local({ store });
    const others = Array.from({ length: 19 }, () => new Local({ store }));
    const nest = (k, body) => (k === others.length ? body() : runWith(others[k], { value: k }, () => nest(k + 1, body)));
    return nest(0, () =>
      measure(RUNS, (n) => {
        for (let i = 0; i < n; i++) sink += runWith(local, { requestId: i }, fn);
      }),
    );
  },
  'write-raw'() {
    const als = new AsyncLocalStorage();
    return als.run({ requestId: 'r', user: 'u' }, () =>
      measure(RUNS, (n) => {
        for (let i = 0; i < n; i++) als.enterWith({ ...als.getStore(), requestId: i });
      }),
    );
  },
  'write-ours'() {
    const local = new Local({ store: createAlsStore() });
    return runWith(local, { requestId: 'r', user: 'u' }, () =>
      measure(RUNS, (n) => {
        for (let i = 0; i < n; i++) local.requestId = i;
      }),
    );
  },
  async 'await-none'() {
    return measureAwaits((body) => body());
  },
  async 'await-raw'() {
    const als = new AsyncLocalStorage();
    return measureAwaits((body) => als.run({ requestId: 'r' }, body));
  },
  async 'await-ours'() {
    const local = new Local({ store: createAlsStore() });
    return measureAwaits((body) => runWith(local, { requestId: 'r' }, body));
  },
};

if (!(mode in modes)) {
  console.error(`Usage: node bench/local.mjs <${Object.keys(modes).join('|')}>`);
  process.exit(2);
}
const ns = await modes[mode]();
if (sink === -1) console.log('');
console.log(JSON.stringify({ mode, ns }));
