// How bench/local.mjs and bench/peers.mjs time an operation: warm up for
// WARMUP_MS, size a trial to take about TRIAL_MS, then report the median of
// TRIALS trials, each after a full GC and a short settle.

export const TRIALS = 11;
export const WARMUP_MS = 150;
export const TRIAL_MS = 40;

/**
 * The clock, in ns: by default the CPU time of this process (user + system,
 * all its threads), which time spent waiting for a core does not inflate on a
 * shared machine; BENCH_CLOCK=wall measures wall-clock time instead.
 */
export const CLOCK = process.env.BENCH_CLOCK === 'wall' ? 'wall' : 'cpu';
export const now =
  CLOCK === 'wall'
    ? () => Number(process.hrtime.bigint())
    : () => {
        const usage = process.cpuUsage();
        return (usage.user + usage.system) * 1000;
      };
export const since = (start) => now() - start;

const settle = new Int32Array(new SharedArrayBuffer(4));
/**
 * A full GC, then 20 ms of sleep: V8 sweeps on background threads after a
 * full GC, and that work, which grows with the heap (100,000 live Locals),
 * would otherwise be timed as part of the next trial on this 2-core machine.
 */
export function collect() {
  if (globalThis.gc === undefined) return;
  globalThis.gc();
  Atomics.wait(settle, 0, 0, 20);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/** The figures a benchmark process prints: the median ns per operation, and what it came from. */
export function summary(results, n) {
  return { ns: median(results), n, trials: results.length, min: Math.min(...results), max: Math.max(...results) };
}

/**
 * Times `run(n)`, which performs the operation n times (and checks what it
 * did): warm-up with n doubling while a run is short, then n sized to one
 * trial, then the trials. Works for synchronous and asynchronous `run`
 * alike; ns per operation.
 */
export async function timeRuns(run, { start = 1000, least = start } = {}) {
  let n = start;
  const warmupStart = now();
  while (since(warmupStart) < WARMUP_MS * 1e6) {
    const begin = now();
    await run(n);
    if (since(begin) < 5e6) n *= 2;
  }
  const begin = now();
  await run(n);
  n = Math.max(least, Math.round((n * TRIAL_MS * 1e6) / Math.max(since(begin), 1e5)));
  const results = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    collect();
    const started = now();
    await run(n);
    results.push(since(started) / n);
  }
  return summary(results, n);
}
