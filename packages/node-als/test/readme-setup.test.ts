// The setup every README shows (`import '@tasklocal/node-als/register'`, a
// shared `new Local()` with defaults, a `view` for the logger), under many
// requests in flight at once: each request also makes a Local of its own,
// writes after awaits, starts tasks, and packs its values as a worker call
// would. The interleaving comes from a seeded random schedule; the seed is in
// every failure message (TASKLOCAL_SEED changes it).
import '../src/register.ts';
import { gather, Local, runWith, task, valuesOf, view } from '@tasklocal/core';
import { exportValues } from '@tasklocal/core/bridge';
import { describe, expect, it } from 'vitest';

const SEED = Number(process.env.TASKLOCAL_SEED ?? 20261202);

/** A small seeded generator (mulberry32), so a failing schedule can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the README setup with 2,000 requests in flight', () => {
  it(`every request, its tasks and its own Local see only their values (seed ${SEED})`, async () => {
    const next = random(SEED);
    // Drawn up front, so the schedule depends on the seed alone: four pauses per request.
    const pauses = Array.from({ length: 2_000 }, () =>
      Array.from({ length: 4 }, () => [Math.floor(next() * 4), Math.floor(next() * 3)] as const),
    );
    const pause = (n: number, k: number): Promise<void> => {
      const [kind, ms] = (pauses[n] as (readonly [number, number])[])[k] as readonly [number, number];
      if (kind === 0) return new Promise((resolve) => setTimeout(resolve, ms));
      if (kind === 1) return new Promise((resolve) => setImmediate(resolve));
      if (kind === 2) return new Promise((resolve) => queueMicrotask(() => resolve()));
      return Promise.resolve();
    };

    const shared = new Local<{ requestId: string; step?: number }>({ defaults: { requestId: 'none' } });
    const logger = view(shared, ['requestId']);
    const wrong: string[] = [];
    const expectSame = (n: number, where: string, actual: unknown, expected: unknown) => {
      if (actual !== expected) wrong.push(`request ${n}, ${where}: ${String(actual)}, expected ${String(expected)} (seed ${SEED})`);
    };

    const handle = async (n: number): Promise<void> => {
      const id = `req-${n}`;
      const own = new Local<{ user: string }>(n % 2 === 0 ? {} : { name: `own-${n}` });
      own.user = `user-${n}`;
      await pause(n, 0);
      expectSame(n, 'view after an await', logger.requestId, id);
      shared.step = 1;
      await pause(n, 1);
      expectSame(n, 'a write after an await', shared.step, 1);
      expectSame(n, 'its own Local', own.user, `user-${n}`);
      const children = await gather([
        async () => {
          shared.step = 2; // a task's write stays in the task
          await pause(n, 2);
          return `${logger.requestId}/${shared.step}`;
        },
        () => task(async () => own.user),
      ]);
      expectSame(n, 'a task', children[0], `${id}/2`);
      expectSame(n, 'a nested task', children[1], `user-${n}`);
      expectSame(n, 'after the tasks', shared.step, 1);
      await pause(n, 3);
      const packed = exportValues();
      expectSame(n, 'packed for a worker', packed.includes(id) && packed.includes(`user-${n}`), true);
      expectSame(n, 'valuesOf', JSON.stringify(valuesOf(shared)), JSON.stringify({ requestId: id, step: 1 }));
    };

    await Promise.all(Array.from({ length: 2_000 }, (_, n) => runWith(shared, { requestId: `req-${n}` }, () => handle(n))));
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(logger.requestId).toBe('none');
  }, 60_000);
});
