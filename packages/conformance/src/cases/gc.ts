import { runWith, snapshot } from '@tasklocal/core';
import type { CaseContext, ConformanceCase } from '../types.ts';

/** Collects until `ref` is cleared or the attempts run out; true when it was collected. */
async function collected(t: CaseContext, ref: WeakRef<object>): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    await t.gc();
    if (ref.deref() === undefined) return true;
    await new Promise((resolve) => setTimeout(resolve, attempt));
  }
  return false;
}

/** Nothing is retained once no task can reach it: proven with the real garbage collector. */
export const gcCases: readonly ConformanceCase[] = [
  {
    id: 'gc-scope-ends',
    group: 'gc',
    title: 'a value set for a scope is collected once the scope and its async work have ended',
    requires: { await: true, timers: true },
    env: ['gc'],
    async run(t) {
      const local = t.createLocal<{ payload: object }>();
      let ref: WeakRef<object> | undefined;
      await (async () => {
        const payload = { big: new Array(1000).fill('x') };
        ref = new WeakRef(payload);
        await runWith(local, { payload }, async () => {
          await t.sleep(1);
          await Promise.resolve();
          t.assert.equal(local.payload, payload);
        });
      })();
      t.assert.ok(await collected(t, ref as WeakRef<object>), 'the scope’s value is still reachable after the scope ended');
    },
  },
  {
    id: 'gc-overwritten',
    group: 'gc',
    title: 'a value that was overwritten is collected while the task goes on',
    requires: { await: true, enter: true, timers: true },
    env: ['gc'],
    async run(t) {
      const local = t.createLocal<{ payload: object }>();
      let ref: WeakRef<object> | undefined;
      await runWith(local, {}, async () => {
        (() => {
          const first = { first: true };
          ref = new WeakRef(first);
          local.payload = first;
        })();
        await t.sleep(1);
        local.payload = { second: true };
        t.assert.ok(await collected(t, ref as WeakRef<object>), 'the overwritten value is still reachable');
      });
    },
  },
  {
    id: 'gc-snapshot-dropped',
    group: 'gc',
    title: 'a snapshot holds its values only while the snapshot itself is reachable',
    requires: { await: true, timers: true },
    env: ['gc'],
    async run(t) {
      const local = t.createLocal<{ payload: object }>();
      let ref: WeakRef<object> | undefined;
      (() => {
        const payload = { snap: true };
        ref = new WeakRef(payload);
        const snap = runWith(local, { payload }, () => snapshot());
        snap.run(() => t.assert.equal(local.payload, payload));
      })();
      t.assert.ok(await collected(t, ref as WeakRef<object>), 'the dropped snapshot still holds its values');
    },
  },
];
