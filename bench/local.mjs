// One measurement per process: `node --expose-gc bench/local.mjs <mode>`
// prints one JSON line {"mode","ns","n","trials","min","max","clock",...}: ns
// per operation, the median of several timed trials after a warm-up.
// scripts/bench.mjs runs every mode on Node 20 and Node 24 in fresh
// processes, in interleaved sweeps, and sets ours beside raw.
//
// Every loop feeds a sink that is checked afterwards, and every mode checks
// that the values it measured are the ones it set, so a loop the compiler
// emptied, or a benchmark that reads the wrong thing, fails loudly.
import { AsyncLocalStorage } from 'node:async_hooks';
// The setup every README shows: the registered backend, `new Local()` with no store option.
import '@tasklocal/node-als/register';
import { Local, runWith, snapshot, task, view } from '@tasklocal/core';
import { exportValues } from '@tasklocal/core/bridge';
import { alsImplementation } from '@tasklocal/node-als';
import { CLOCK, collect, now, since, summary, TRIAL_MS, TRIALS, timeRuns, WARMUP_MS } from './lib/timing.mjs';

let sink = 0;

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/**
 * Times `loop(n)` (which runs the operation n times and returns how much it
 * added to the sink): warm-up until WARMUP_MS have passed, then n chosen so
 * that one trial takes about TRIAL_MS, then TRIALS trials.
 */
function measure(loop) {
  let n = 1000;
  const warmupStart = now();
  while (since(warmupStart) < WARMUP_MS * 1e6) {
    const start = now();
    checkAdded(loop, n);
    if (since(start) < 5e6) n *= 2;
  }
  const start = now();
  checkAdded(loop, n);
  n = Math.max(1000, Math.round((n * TRIAL_MS * 1e6) / Math.max(since(start), 1e5)));
  const results = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    collect();
    const begin = now();
    checkAdded(loop, n);
    results.push(since(begin) / n);
  }
  return summary(results, n);
}

function checkAdded(loop, n) {
  const before = sink;
  loop(n);
  check(sink - before === n, `the loop ran ${n} operations but the sink grew by ${sink - before}`);
}

/** Times `enter(body)` where body does `hops` sequential `await null`; ns per scope (all hops). */
function measureAwaits(enter, hops = 1000) {
  const body = async () => {
    for (let i = 0; i < hops; i++) await null;
  };
  return timeRuns(
    async (repeats) => {
      const before = sink;
      for (let r = 0; r < repeats; r++) sink += await enter(body);
      check(sink - before === repeats, 'every scope saw its own value after its awaits');
    },
    { start: 10 },
  );
}

const one = () => 1;

/** `count` Locals, each holding a value in an outer scope; `body` runs inside it. */
function withLocalsHoldingValues(count, body) {
  const locals = Array.from({ length: count }, (_, k) => new Local({ name: `l${k}` }));
  const bindings = locals.map((local, k) => [local, { requestId: `outer-${k}`, other: k }]);
  return runWith(bindings, () => {
    for (const [k, local] of locals.entries()) check(local.requestId === `outer-${k}`, 'outer values are set');
    return body(locals[0]);
  });
}

/** runWith on a Local created after `earlier` other Locals that never hold a value. */
function afterManyLocals(earlier, body) {
  for (let k = 0; k < earlier; k++) new Local();
  return body(new Local());
}

/** `count` Locals that each held a value once and stay alive while `body` runs on one created after them. */
function afterBurst(count, body) {
  const burst = Array.from({ length: count }, () => new Local());
  for (let k = 0; k < count; k++) runWith(burst[k], { requestId: k }, one);
  const result = body(new Local());
  check(burst.length === count, 'the burst stayed alive');
  return result;
}

/** A Local that has held 100,000 different keys, each in a scope that has ended. */
function afterDynamicKeys(count, body) {
  const local = new Local();
  for (let k = 0; k < count; k++) runWith(local, { [`user:${k}`]: k }, one);
  return body(local);
}

function measureReadView(local) {
  const fast = view(local, ['requestId']);
  return runWith(local, { requestId: 'r' }, () =>
    measure((n) => {
      for (let i = 0; i < n; i++) if (fast.requestId === 'r') sink++;
    }),
  );
}

function measureTask(local) {
  return runWith(local, { requestId: 'r' }, () => {
    const body = () => (local.requestId === 'r' ? 1 : 0);
    return measure((n) => {
      for (let i = 0; i < n; i++) sink += task(body);
    });
  });
}

function measureSnapshot(local) {
  return runWith(local, { requestId: 'r' }, () => {
    const body = () => (local.requestId === 'r' ? 1 : 0);
    return measure((n) => {
      for (let i = 0; i < n; i++) sink += snapshot().run(body);
    });
  });
}

/** What a worker call packs: the values of the current context, as `@tasklocal/worker` posts them. */
function measurePack(local) {
  return runWith(local, { requestId: 'r', user: 'u' }, () => {
    check(exportValues().length === 7, 'one Local with two keys is packed');
    return measure((n) => {
      for (let i = 0; i < n; i++) sink += exportValues().length === 7 ? 1 : 0;
    });
  });
}

function measureRunWith(local) {
  const result = measure((n) => {
    for (let i = 0; i < n; i++) sink += runWith(local, { requestId: i }, one);
  });
  check(runWith(local, { requestId: 'inner' }, () => local.requestId) === 'inner', 'runWith sets the value for its scope');
  return result;
}

function measureWrite(local) {
  return runWith(local, { requestId: 'start', user: 'u' }, () => {
    let last = -1;
    const result = measure((n) => {
      for (let i = 0; i < n; i++) {
        local.requestId = i;
        last = i;
        sink++;
      }
    });
    check(local.requestId === last && local.user === 'u', 'the last write is read back, other keys kept');
    return result;
  });
}

const modes = {
  // 1. Reads inside a scope.
  'read-raw'() {
    const als = new AsyncLocalStorage();
    return als.run({ requestId: 'r' }, () =>
      measure((n) => {
        for (let i = 0; i < n; i++) if (als.getStore()?.requestId === 'r') sink++;
      }),
    );
  },
  'read-proxy'() {
    const local = new Local();
    return runWith(local, { requestId: 'r' }, () =>
      measure((n) => {
        for (let i = 0; i < n; i++) if (local.requestId === 'r') sink++;
      }),
    );
  },
  // Context: a Proxy whose get trap only returns a constant, the floor of any Proxy read.
  'read-proxy-floor'() {
    const proxy = new Proxy({}, { get: (_target, key) => (typeof key === 'string' ? 'r' : undefined) });
    return measure((n) => {
      for (let i = 0; i < n; i++) if (proxy.requestId === 'r') sink++;
    });
  },
  'read-view'() {
    return measureReadView(new Local());
  },
  'read-view-100k-live'() {
    return afterBurst(100_000, measureReadView);
  },

  // 2. Entering a scope with values (a fresh values object per call).
  'run-raw'() {
    const als = new AsyncLocalStorage();
    const result = measure((n) => {
      for (let i = 0; i < n; i++) sink += als.run({ requestId: i }, one);
    });
    check(als.run({ requestId: 'inner' }, () => als.getStore().requestId) === 'inner', 'als.run sets the store');
    return result;
  },
  // Context: raw als.run in a process that holds the same 200,000 used Locals as `run-ours-late-200k`:
  // what a heap that size costs any code that allocates, tasklocal or not.
  'run-raw-200k-live'() {
    const als = new AsyncLocalStorage();
    return afterBurst(200_000, () =>
      measure((n) => {
        for (let i = 0; i < n; i++) sink += als.run({ requestId: i }, one);
      }),
    );
  },
  // Context: raw als.run with the one array runWith stores for a scope of one Local: its record.
  'run-raw-record'() {
    const als = new AsyncLocalStorage();
    const owner = {};
    return measure((n) => {
      for (let i = 0; i < n; i++) sink += als.run([owner, 'requestId', i], one);
    });
  },
  'run-ours'() {
    return measureRunWith(new Local());
  },
  // Cost against the number of Locals and keys that exist or ever existed.
  'run-ours-100k-live'() {
    return afterBurst(100_000, measureRunWith);
  },
  'run-ours-late-200k'() {
    return afterBurst(200_000, measureRunWith);
  },
  'run-ours-100k-keys'() {
    return afterDynamicKeys(100_000, measureRunWith);
  },
  // Growth with the number of Locals: the same runWith inside an outer scope
  // where 1 or 20 Locals hold values, measured on the first of them.
  'run-ours-1-held'() {
    return withLocalsHoldingValues(1, measureRunWith);
  },
  'run-ours-20-held'() {
    return withLocalsHoldingValues(20, measureRunWith);
  },
  // Beyond the brief: 1,000 Locals created earlier, holding nothing.
  'run-ours-after-1000'() {
    return afterManyLocals(1000, measureRunWith);
  },

  // 3. A write inside a scope.
  'write-raw'() {
    const als = new AsyncLocalStorage();
    return als.run({ requestId: 'start', user: 'u' }, () => {
      const result = measure((n) => {
        for (let i = 0; i < n; i++) {
          als.enterWith({ ...als.getStore(), requestId: i });
          sink++;
        }
      });
      check(als.getStore().user === 'u' && typeof als.getStore().requestId === 'number', 'the raw write kept the other key');
      return result;
    });
  },
  // The same raw write with Object.assign instead of a spread, for context:
  // on Node 20 (V8 11.3) a spread followed by a property is much slower.
  'write-raw-assign'() {
    const als = new AsyncLocalStorage();
    return als.run({ requestId: 'start', user: 'u' }, () => {
      const result = measure((n) => {
        for (let i = 0; i < n; i++) {
          als.enterWith(Object.assign({}, als.getStore(), { requestId: i }));
          sink++;
        }
      });
      check(als.getStore().user === 'u' && typeof als.getStore().requestId === 'number', 'the raw write kept the other key');
      return result;
    });
  },
  'write-ours'() {
    return measureWrite(new Local());
  },
  'write-ours-100k-live'() {
    return afterBurst(100_000, measureWrite);
  },

  // 3b. Tasks, snapshots and what a worker call packs.
  'task-ours'() {
    return measureTask(new Local());
  },
  'task-ours-100k-live'() {
    return afterBurst(100_000, measureTask);
  },
  'snapshot-ours'() {
    return measureSnapshot(new Local());
  },
  'snapshot-ours-100k-live'() {
    return afterBurst(100_000, measureSnapshot);
  },
  'pack-ours'() {
    return measurePack(new Local());
  },
  'pack-ours-100k-live'() {
    return afterBurst(100_000, measurePack);
  },
  'write-ours-after-1000'() {
    return afterManyLocals(1000, measureWrite);
  },

  // 4. 1,000 sequential awaits inside a scope; ns per scope.
  async 'await-none'() {
    return measureAwaits(async (body) => {
      await body();
      return 1;
    });
  },
  async 'await-raw'() {
    const als = new AsyncLocalStorage();
    let id = 0;
    return measureAwaits((body) => {
      const requestId = ++id;
      return als.run({ requestId }, async () => {
        await body();
        return als.getStore()?.requestId === requestId ? 1 : 0;
      });
    });
  },
  async 'await-ours'() {
    const local = new Local();
    let id = 0;
    return measureAwaits((body) => {
      const requestId = ++id;
      return runWith(local, { requestId }, async () => {
        await body();
        return local.requestId === requestId ? 1 : 0;
      });
    });
  },
};

const mode = process.argv[2];
if (!Object.hasOwn(modes, mode)) {
  console.error(`Usage: node --expose-gc bench/local.mjs <${Object.keys(modes).join('|')}>`);
  process.exit(2);
}
const result = await modes[mode]();
console.log(JSON.stringify({ mode, ...result, clock: CLOCK, node: process.version, als: alsImplementation() }));
