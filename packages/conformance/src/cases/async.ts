import { gather, runWith, snapshot, bind, task } from '@tasklocal/core';
import type { ConformanceCase } from '../types.ts';

const group = 'async';
const hex = (t: { random(): number }) =>
  Math.floor(t.random() * 2 ** 48)
    .toString(16)
    .padStart(12, '0');

/** Values across `await`, isolation of concurrent tasks, and the talk's examples. */
export const asyncCases: readonly ConformanceCase[] = [
  {
    id: 'await-keeps-values',
    group,
    title: 'values survive `await` of settled promises, many times over',
    requires: { await: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      await runWith(local, { v: 'A' }, async () => {
        await null;
        assert.equal(local.v, 'A');
        for (let i = 0; i < 100; i++) await Promise.resolve(i);
        assert.equal(local.v, 'A');
      });
      assert.equal(local.v, undefined);
    },
  },
  {
    id: 'await-timer',
    group,
    title: 'values survive `await` of a promise settled by a timer',
    requires: { await: true, timers: true },
    async run({ createLocal, assert, sleep }) {
      const local = createLocal<{ v: string }>();
      await runWith(local, { v: 'A' }, async () => {
        await sleep(2);
        assert.equal(local.v, 'A');
      });
    },
  },
  {
    id: 'talk-coroutine-example',
    group,
    title: 'the talk’s coroutine example: three concurrent tasks each set uniqueId, sleep 3, 2, 1 and read it back ==',
    requires: { await: true, enter: true, timers: true },
    async run(t) {
      const { createLocal, assert, sleep } = t;
      const localStorage = createLocal<{ uniqueId: string }>();
      const lines: string[] = [];
      async function testTask(wait: number) {
        const startUniqueId = hex(t);
        localStorage.uniqueId = startUniqueId;
        await sleep(wait * 5);
        const endUniqueId = localStorage.uniqueId;
        lines.push(`(${startUniqueId}) ${startUniqueId === endUniqueId ? '==' : '!='} (${endUniqueId})`);
      }
      await Promise.all([testTask(3), testTask(2), testTask(1)]);
      assert.equal(lines.length, 3);
      for (const line of lines) assert.ok(line.includes(' == '), line);
    },
  },
  {
    id: 'talk-example-with-gather',
    group,
    title: 'the talk’s example with `gather` (asyncio.gather): == for each task, and the caller keeps its own id',
    requires: { await: true, enter: true, timers: true },
    async run(t) {
      const local = t.createLocal<{ uniqueId: string }>();
      local.uniqueId = 'main';
      const results = await gather(
        [3, 2, 1].map((wait) => async () => {
          const start = hex(t);
          local.uniqueId = start;
          await t.sleep(wait * 5);
          return start === local.uniqueId;
        }),
      );
      t.assert.deepEqual(results, [true, true, true]);
      t.assert.equal(local.uniqueId, 'main');
    },
  },
  {
    id: 'write-after-await-stays-in-task',
    group,
    title: 'a write after an async function’s first `await` is never seen by its caller',
    requires: { await: true, enter: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      local.v = 'caller';
      await (async () => {
        await null;
        local.v = 'callee';
        assert.equal(local.v, 'callee');
      })();
      assert.equal(local.v, 'caller');
    },
  },
  {
    id: 'write-before-await-reaches-caller',
    group,
    title: 'the JavaScript rule: a write before an async function’s first `await` runs in the caller’s task, so the caller sees it',
    requires: { await: true, enter: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      local.v = 'caller';
      const pending = (async () => {
        local.v = 'prologue';
        await null;
        local.v = 'later';
      })();
      assert.equal(local.v, 'prologue');
      await pending;
      assert.equal(local.v, 'prologue');
    },
  },
  {
    id: 'task-isolates-prologue',
    group,
    title: '`task` is the fix: the prologue’s write stays in the task, before and after `await`',
    requires: { await: true, enter: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      local.v = 'caller';
      const pending = task(async () => {
        local.v = 'prologue';
        await null;
        assert.equal(local.v, 'prologue');
        local.v = 'later';
        return local.v;
      });
      assert.equal(local.v, 'caller');
      assert.equal(await pending, 'later');
      assert.equal(local.v, 'caller');
    },
  },
  {
    id: 'siblings-after-parent-set',
    group,
    title: 'children of a parent that set a key never see each other’s writes (the asgiref 3.8 leak)',
    requires: { await: true, enter: true, timers: true },
    async run({ createLocal, assert, sleep }) {
      const local = createLocal<{ k: string }>();
      local.k = 'parent';
      const child = async (name: string, wait: number) => {
        await sleep(wait);
        local.k = name;
        await sleep(6 - wait);
        return local.k;
      };
      const seen = await Promise.all([child('a', 1), child('b', 3), child('c', 5)]);
      assert.deepEqual(seen, ['a', 'b', 'c']);
      assert.equal(local.k, 'parent');
    },
  },
  {
    id: 'sibling-prologue-rule',
    group,
    title: 'without `task`, siblings started in one turn see the prologue writes of those started before them',
    requires: { await: true, enter: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ k: string }>();
      const child = async (name: string) => {
        const before = local.k;
        local.k = name;
        await null;
        return [before, local.k];
      };
      const seen = await Promise.all([child('a'), child('b')]);
      assert.deepEqual(seen, [
        [undefined, 'a'],
        ['a', 'b'],
      ]);
      const isolated = await gather([() => child('a'), () => child('b')]);
      assert.deepEqual(isolated, [
        ['b', 'a'],
        ['b', 'b'],
      ]);
    },
  },
  {
    id: 'rejection-restores',
    group,
    title: 'a rejection inside a scope leaves the caller’s values as they were',
    requires: { await: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      await runWith(local, { v: 'outer' }, async () => {
        await assert.rejects(
          runWith(local, { v: 'inner' }, async () => {
            await null;
            throw new Error('nope');
          }),
          { message: /nope/ },
        );
        assert.equal(local.v, 'outer');
      });
    },
  },
  {
    id: 'try-catch-across-await',
    group,
    title: 'values are right in `catch` and `finally` after an awaited rejection',
    requires: { await: true, enter: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      local.v = 'mine';
      try {
        await Promise.reject(new Error('x'));
      } catch {
        assert.equal(local.v, 'mine');
        local.v = 'in-catch';
      } finally {
        assert.equal(local.v, 'in-catch');
      }
    },
  },
  {
    id: 'deep-async-calls',
    group,
    title: 'values flow down fifty nested async calls and each level’s write stays in its scope',
    requires: { await: true, enter: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ depth: number; root: string }>();
      const descend = async (n: number): Promise<number> => {
        if (n === 0) return local.depth ?? -1;
        return runWith(local, { depth: n }, async () => {
          await null;
          const below = await descend(n - 1);
          assert.equal(local.depth, n);
          assert.equal(local.root, 'r');
          return below;
        });
      };
      await runWith(local, { root: 'r' }, async () => {
        assert.equal(await descend(50), 1);
        assert.equal(local.depth, undefined);
      });
    },
  },
  {
    id: 'interleaved-scopes',
    group,
    title: 'two scopes that interleave on the event loop each keep their own values',
    requires: { await: true, timers: true },
    async run({ createLocal, assert, sleep }) {
      const local = createLocal<{ id: string }>();
      const log: string[] = [];
      const worker = (id: string, waits: number[]) =>
        runWith(local, { id }, async () => {
          for (const wait of waits) {
            await sleep(wait);
            log.push(`${id}:${local.id}`);
          }
        });
      await Promise.all([worker('A', [1, 4, 1]), worker('B', [2, 1, 3])]);
      assert.equal(log.length, 6);
      for (const entry of log) {
        const [expected, seen] = entry.split(':');
        assert.equal(seen, expected);
      }
    },
  },
  {
    id: 'snapshot-across-await',
    group,
    title: 'code run in a snapshot keeps the snapshot’s values across its own `await`',
    requires: { await: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      const snap = runWith(local, { v: 'snap' }, () => snapshot());
      await runWith(local, { v: 'elsewhere' }, () =>
        snap.run(async () => {
          await null;
          assert.equal(local.v, 'snap');
        }),
      );
    },
  },
  {
    id: 'bind-callback-later',
    group,
    title: 'a bound callback run later from another scope sees the values it was bound with',
    requires: { await: true, timers: true },
    async run({ createLocal, assert, sleep }) {
      const local = createLocal<{ v: string }>();
      const queue: (() => void)[] = [];
      const seen: string[] = [];
      for (const id of ['x', 'y']) {
        runWith(local, { v: id }, () => queue.push(bind(() => seen.push(local.v ?? '-'))));
      }
      await sleep(1);
      runWith(local, { v: 'drainer' }, () => {
        for (const job of queue) job();
      });
      assert.deepEqual(seen, ['x', 'y']);
    },
  },
  {
    id: 'nested-tasks-tree',
    group,
    title: 'a tree of tasks three deep, each writing after `await`, sees only its own and its ancestors’ values',
    requires: { await: true, enter: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ path: string }>();
      const visit = async (path: string, depth: number): Promise<number> => {
        await null;
        assert.ok(path.startsWith(local.path ?? ''), `inherits ${local.path} at ${path}`);
        local.path = path;
        if (depth === 0) return 1;
        const counts = await gather([0, 1, 2, 3].map((i) => () => visit(`${path}/${i}`, depth - 1)));
        assert.equal(local.path, path);
        return counts.reduce((a, b) => a + b, 0);
      };
      assert.equal(await task(() => visit('r', 3)), 64);
    },
  },
];
