// The measured code. Bundled twice: as is (the native baseline) and through the `await` transform.
const N_AWAIT = 200_000;
const N_THEN = 200_000;
const TRIALS = 9;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

async function awaits(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await null;
}

const inc = (x: number) => x + 1;
function thens(n: number): Promise<number> {
  let p = Promise.resolve(0);
  for (let i = 0; i < n; i++) p = p.then(inc);
  return p;
}

export type Enter = <R>(fn: () => R) => R;

/** ns per `await null` and per `.then`, each inside `enter` (a scope, or nothing). */
export async function measureAsync(enter: Enter): Promise<{ await: number; perThen: number }> {
  const awaitTimes: number[] = [];
  const thenTimes: number[] = [];
  for (let trial = 0; trial < TRIALS + 2; trial++) {
    let start = performance.now();
    await enter(() => awaits(N_AWAIT));
    const a = ((performance.now() - start) * 1e6) / N_AWAIT;
    start = performance.now();
    await enter(() => thens(N_THEN));
    const t = ((performance.now() - start) * 1e6) / N_THEN;
    if (trial >= 2) {
      awaitTimes.push(a);
      thenTimes.push(t);
    }
  }
  return { await: median(awaitTimes), perThen: median(thenTimes) };
}

let sink = 0;

/** ns per call of `read`, which must return 'r'. */
export function measureRead(read: () => unknown, n = 20_000_000): number {
  const times: number[] = [];
  for (let trial = 0; trial < TRIALS + 2; trial++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) if (read() === 'r') sink++;
    if (trial >= 2) times.push(((performance.now() - start) * 1e6) / n);
  }
  if (sink === -1) console.log(sink);
  return median(times);
}
