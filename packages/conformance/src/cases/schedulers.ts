import { runWith } from '@tasklocal/core';
import type { CaseContext, ConformanceCase } from '../types.ts';

/** Promise callbacks, thenables and host schedulers: callbacks run with the values of the code that scheduled them. */
export const schedulerCases: readonly ConformanceCase[] = [];

type Scheduler = (callback: () => void) => void;

/** Registers `schedule` in scope A, then settles/fires it from scope B; the callback must see A. */
function registrationCase(
  id: string,
  title: string,
  requires: ConformanceCase['requires'],
  schedule: (t: CaseContext) => Scheduler | Promise<Scheduler>,
): ConformanceCase {
  return {
    id,
    group: 'schedulers',
    title,
    ...(requires === undefined ? {} : { requires }),
    async run(t) {
      const local = t.createLocal<{ v: string }>();
      const scheduler = await schedule(t);
      const seen = await new Promise<string | undefined>((resolve, reject) => {
        runWith(local, { v: 'A' }, () => {
          scheduler(() => {
            try {
              resolve(local.v);
            } catch (error) {
              reject(error);
            }
          });
        });
        runWith(local, { v: 'B' }, () => undefined);
      });
      t.assert.equal(seen, 'A');
    },
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Cases that combine only some promises would otherwise leave a rejection unhandled.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** A promise registered in scope A and settled from scope B. */
function promiseCase(
  id: string,
  title: string,
  combine: (p: Promise<void>, q: Promise<void>) => Promise<unknown>,
  settle: 'resolve' | 'reject' = 'resolve',
): ConformanceCase {
  return {
    id,
    group: 'promises',
    title,
    requires: { promiseThen: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      const p = deferred();
      const q = deferred();
      const seen = runWith(local, { v: 'A' }, () =>
        combine(p.promise, q.promise).then(
          () => local.v,
          () => `rejected:${local.v}`,
        ),
      );
      runWith(local, { v: 'B' }, () => {
        if (settle === 'resolve') {
          p.resolve();
          q.resolve();
        } else {
          p.reject(new Error('x'));
          q.reject(new Error('y'));
        }
      });
      assert.equal(await seen, settle === 'resolve' ? 'A' : 'rejected:A');
    },
  };
}

(schedulerCases as ConformanceCase[]).push(
  promiseCase('then-registration', '`.then` runs with the values where it was registered, not where the promise settled', (p) => p),
  promiseCase('catch-registration', '`.catch` runs with the values where it was registered', (p) => p, 'reject'),
  {
    id: 'finally-registration',
    group: 'promises',
    title: '`.finally` runs with the values where it was registered',
    requires: { promiseThen: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      const p = deferred();
      const seen: string[] = [];
      const done = runWith(local, { v: 'A' }, () => p.promise.finally(() => seen.push(local.v ?? '-')));
      runWith(local, { v: 'B' }, () => p.resolve());
      await done;
      assert.deepEqual(seen, ['A']);
    },
  },
  promiseCase('promise-all', '`Promise.all(...).then` runs with the registering values', (p, q) => Promise.all([p, q])),
  promiseCase('promise-race', '`Promise.race(...).then` runs with the registering values', (p, q) => Promise.race([p, q])),
  promiseCase('promise-any', '`Promise.any(...).then` runs with the registering values', (p, q) => Promise.any([p, q])),
  promiseCase(
    'promise-any-rejects',
    '`Promise.any` rejecting with an AggregateError keeps the registering values',
    (p, q) => Promise.any([p, q]),
    'reject',
  ),
  promiseCase('promise-all-settled', '`Promise.allSettled(...).then` runs with the registering values', (p, q) =>
    Promise.allSettled([p, q]),
  ),
  {
    id: 'promise-executor-and-chain',
    group: 'promises',
    title: 'a promise executor runs synchronously in the caller’s scope, and a long `.then` chain keeps it',
    requires: { promiseThen: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      const seen = await runWith(local, { v: 'A' }, () => {
        let chain = new Promise<string[]>((resolve) => resolve([local.v ?? '-']));
        for (let i = 0; i < 20; i++) chain = chain.then((acc) => [...acc, local.v ?? '-']);
        return chain;
      });
      assert.equal(seen.length, 21);
      assert.ok(
        seen.every((v) => v === 'A'),
        seen.join(','),
      );
    },
  },
  {
    id: 'thenable-then-call',
    group: 'thenables',
    title: 'a thenable’s `then` is called with the values of the code that awaits it',
    requires: { await: true, thenables: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      const seen = await runWith(local, { v: 'A' }, async () => {
        const inThen = await { then: (resolve: (v: unknown) => void) => resolve(local.v) };
        return [inThen, local.v];
      });
      assert.deepEqual(seen, ['A', 'A']);
    },
  },
  {
    id: 'thenable-settled-elsewhere',
    group: 'thenables',
    title: 'after awaiting a thenable settled from another scope, the awaiting code keeps its values',
    requires: { await: true, thenables: true, timers: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      let settle: (() => void) | undefined;
      const thenable = {
        then(resolve: (v: string) => void) {
          settle = () => resolve('done');
        },
      };
      const seen = runWith(local, { v: 'A' }, async () => {
        await thenable;
        return local.v;
      });
      await new Promise((resolve) => setTimeout(resolve, 1));
      runWith(local, { v: 'B' }, () => settle?.());
      assert.equal(await seen, 'A');
    },
  },
  {
    id: 'thenable-returned-from-async',
    group: 'thenables',
    title: 'a thenable returned from an async function after `await` resolves it with the right values',
    requires: { await: true, thenables: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      const seen = await runWith(local, { v: 'A' }, async () => {
        await null;
        return { then: (resolve: (v: unknown) => void) => resolve(local.v) };
      });
      assert.equal(seen, 'A');
    },
  },
  registrationCase('set-timeout', '`setTimeout` callbacks run with the values that scheduled them', { timers: true }, () => (cb) => {
    setTimeout(cb, 1);
  }),
  registrationCase(
    'set-timeout-zero',
    '`setTimeout(cb, 0)` callbacks run with the values that scheduled them',
    { timers: true },
    () => (cb) => {
      setTimeout(cb, 0);
    },
  ),
  {
    id: 'set-interval',
    group: 'schedulers',
    title: 'every tick of `setInterval` runs with the values that scheduled it',
    requires: { timers: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      const seen: string[] = [];
      await new Promise<void>((resolve) => {
        runWith(local, { v: 'A' }, () => {
          const handle = setInterval(() => {
            seen.push(local.v ?? '-');
            if (seen.length === 3) {
              clearInterval(handle);
              resolve();
            }
          }, 1);
        });
      });
      assert.deepEqual(seen, ['A', 'A', 'A']);
    },
  },
  registrationCase(
    'set-immediate',
    '`setImmediate` callbacks run with the values that scheduled them',
    { setImmediate: true },
    () => (cb) => {
      setImmediate(cb);
    },
  ),
  registrationCase(
    'queue-microtask',
    '`queueMicrotask` callbacks run with the values that scheduled them',
    { queueMicrotask: true },
    () => (cb) => {
      queueMicrotask(cb);
    },
  ),
  registrationCase('next-tick', '`process.nextTick` callbacks run with the values that scheduled them', { nextTick: true }, () => (cb) => {
    (globalThis as unknown as { process: { nextTick(cb: () => void): void } }).process.nextTick(cb);
  }),
  {
    id: 'timers-interleave',
    group: 'schedulers',
    title: 'timers scheduled from twenty scopes fire interleaved, each with its own values',
    requires: { timers: true },
    async run({ createLocal, assert, randomInt }) {
      const local = createLocal<{ id: number }>();
      const fired = await Promise.all(
        Array.from({ length: 20 }, (_, id) =>
          runWith(
            local,
            { id },
            () => new Promise<[number, number | undefined]>((resolve) => setTimeout(() => resolve([id, local.id]), randomInt(6))),
          ),
        ),
      );
      for (const [id, seen] of fired) assert.equal(seen, id);
    },
  },
  {
    id: 'write-in-callback-stays',
    group: 'schedulers',
    title: 'a write inside a timer callback is not seen by a sibling callback scheduled from the same scope',
    requires: { timers: true, enter: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      const seen = await runWith(local, { v: 'A' }, () =>
        Promise.all([
          new Promise<string | undefined>((resolve) =>
            setTimeout(() => {
              local.v = 'first';
              resolve(local.v);
            }, 1),
          ),
          new Promise<string | undefined>((resolve) => setTimeout(() => resolve(local.v), 2)),
        ]),
      );
      assert.deepEqual(seen, ['first', 'A']);
    },
  },
);
