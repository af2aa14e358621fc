import { gather, runWith, task } from '@tasklocal/core';
import type { CaseContext, ConformanceCase } from '../types.ts';

/** One random step of asynchronous work, drawn from what the backend propagates. */
async function randomHop(t: CaseContext): Promise<void> {
  const caps = t.capabilities;
  const hops: (() => Promise<unknown>)[] = [() => Promise.resolve()];
  if (caps.timers) hops.push(() => t.sleep(t.randomInt(4)));
  if (caps.queueMicrotask) hops.push(() => new Promise<void>((resolve) => queueMicrotask(resolve)));
  if (caps.promiseThen) hops.push(() => Promise.resolve().then(() => Promise.resolve()));
  if (caps.setImmediate) hops.push(() => new Promise<void>((resolve) => setImmediate(resolve)));
  if (caps.thenables) hops.push(async () => await { then: (resolve: (v?: unknown) => void) => resolve() });
  await (hops[t.randomInt(hops.length)] as () => Promise<unknown>)();
}

/**
 * Hundreds of concurrent tasks on a seeded random schedule: every task must
 * read only its own values, at every step. A failure names the seed, so the
 * interleaving can be replayed.
 */
export const stressCases: readonly ConformanceCase[] = [
  {
    id: 'stress-run-with',
    group: 'stress',
    title: '300 concurrent `runWith` scopes on a random schedule each read only their own values',
    requires: { await: true },
    async run(t) {
      const local = t.createLocal<{ id: number; step: number }>();
      const other = t.createLocal<{ id: number }>();
      const errors: string[] = [];
      await Promise.all(
        Array.from({ length: 300 }, (_, id) =>
          runWith(
            [
              [local, { id, step: 0 }],
              [other, { id: -id }],
            ],
            async () => {
              const steps = 1 + t.randomInt(6);
              for (let step = 1; step <= steps; step++) {
                await randomHop(t);
                if (local.id !== id || other.id !== -id) errors.push(`task ${id} step ${step} saw ${local.id}/${other.id}`);
                await runWith(local, { step }, async () => {
                  await randomHop(t);
                  if (local.step !== step || local.id !== id) errors.push(`task ${id} inner step ${step} saw ${local.step}`);
                });
              }
            },
          ),
        ),
      );
      t.assert.deepEqual(errors.slice(0, 5), []);
    },
  },
  {
    id: 'stress-writes',
    group: 'stress',
    title: '300 concurrent async functions that write after their first `await` each read back only their own writes',
    requires: { await: true, enter: true },
    async run(t) {
      const local = t.createLocal<{ id: number; count: number }>();
      local.id = -1;
      const errors: string[] = [];
      const worker = async (id: number) => {
        await randomHop(t);
        local.id = id;
        const steps = 1 + t.randomInt(5);
        for (let count = 0; count < steps; count++) {
          local.count = count;
          await randomHop(t);
          if (local.id !== id || local.count !== count) errors.push(`worker ${id} saw ${local.id}/${local.count}`);
        }
      };
      await Promise.all(Array.from({ length: 300 }, (_, id) => worker(id)));
      t.assert.deepEqual(errors.slice(0, 5), []);
      t.assert.equal(local.id, -1, 'the caller keeps its own value');
    },
  },
  {
    id: 'stress-gather',
    group: 'stress',
    title: '200 gathered tasks write the key their parent set, from the prologue on; the parent and every sibling keep theirs',
    requires: { await: true, enter: true },
    async run(t) {
      const local = t.createLocal<{ k: string }>();
      local.k = 'parent';
      const errors: string[] = [];
      const results = await gather(
        Array.from({ length: 200 }, (_, id) => async () => {
          if (local.k !== 'parent') errors.push(`task ${id} started with ${local.k}`);
          local.k = `t${id}`;
          for (let i = t.randomInt(4); i >= 0; i--) {
            await randomHop(t);
            if (local.k !== `t${id}`) errors.push(`task ${id} saw ${local.k}`);
          }
          return local.k;
        }),
      );
      t.assert.deepEqual(errors.slice(0, 5), []);
      t.assert.ok(results.every((k, id) => k === `t${id}`));
      t.assert.equal(local.k, 'parent');
    },
  },
  {
    id: 'stress-mixed-tree',
    group: 'stress',
    title: 'a random tree of tasks, scopes and plain calls, with writes anywhere, never shows a task a value from outside its ancestry',
    requires: { await: true, enter: true },
    async run(t) {
      const local = t.createLocal<{ path: string }>();
      const errors: string[] = [];
      let budget = 400;
      const node = async (path: string): Promise<void> => {
        await randomHop(t);
        if (local.path !== path) errors.push(`${path} saw ${local.path}`);
        const children = budget > 0 ? t.randomInt(4) : 0;
        budget -= children;
        const started: Promise<void>[] = [];
        for (let i = 0; i < children; i++) {
          const child = `${path}/${i}`;
          const kind = t.randomInt(3);
          if (kind === 0)
            started.push(
              task(async () => {
                local.path = child;
                await node(child);
              }),
            );
          else if (kind === 1) started.push(runWith(local, { path: child }, () => node(child)));
          else
            started.push(
              (async () => {
                await null;
                local.path = child;
                await node(child);
              })(),
            );
        }
        await Promise.all(started);
        if (local.path !== path) errors.push(`${path} after children saw ${local.path}`);
      };
      await runWith(local, { path: 'r' }, () => node('r'));
      t.assert.deepEqual(errors.slice(0, 5), []);
    },
  },
];
