// How big a frame is, and so what every operation costs, depends on what is
// set in it: never on how many Locals exist or ever existed, nor on how many
// keys a Local has seen in scopes that have ended. These tests check the
// structure (frame and record lengths, retained memory), not timings.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import type { ContextStore } from '../src/backend.ts';
import { exportValues } from '../src/bridge.ts';
import { Local, runWith, snapshot, task } from '../src/index.ts';
import { createRawAlsStore as createStore } from '../../../test-support/als-store.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function collect(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The number of array elements in the current frame, records included: what a copy of it costs. */
function frameSize(store: ContextStore): number {
  const frame = store.get() as unknown[] | undefined;
  if (frame === undefined) return 0;
  return frame.reduce<number>((size, entry) => size + (Array.isArray(entry) ? entry.length : 0), frame.length);
}

function retainedBytes(): number {
  gc();
  gc();
  return getHeapStatistics().used_heap_size;
}

// Hundreds of thousands of Locals and scopes: seconds on a busy machine, so no 5 s default limit.
vi.setConfig({ testTimeout: 120_000 });

describe('frames hold what is set, nothing else', () => {
  it('a Local used after 200,000 others gets a frame as small as the first one did', () => {
    const store = createStore();
    const first = new Local<{ id: number }>({ store });
    const small = runWith(first, { id: 1 }, () => frameSize(store));
    const burst = Array.from({ length: 200_000 }, () => new Local<{ n: number }>({ store }));
    for (const [i, local] of burst.entries()) runWith(local, { n: i }, () => undefined);
    const late = new Local<{ id: number }>({ store, name: 'late' });
    expect(runWith(late, { id: 2 }, () => frameSize(store))).toBe(small);
    // Writes, tasks and snapshots copy that frame and no more.
    runWith(late, { id: 3 }, () => {
      late.id = 4;
      expect(frameSize(store)).toBe(small);
      expect(task(() => frameSize(store))).toBe(small);
      expect(snapshot().run(() => frameSize(store))).toBe(small);
      expect(exportValues()).toEqual(['late', 1, 'id', 4, 0]);
    });
    expect(burst.length).toBe(200_000);
  });

  it('a new Local per request, 200,000 requests: every frame holds that request only', () => {
    const store = createStore();
    const keep = new Local<{ requestId: number }>({ store });
    let largest = 0;
    let wrong = 0;
    for (let i = 0; i < 200_000; i++) {
      const perRequest = new Local<{ n: number }>({ store });
      runWith(keep, { requestId: i }, () =>
        runWith(perRequest, { n: i }, () => {
          largest = Math.max(largest, frameSize(store));
          if (perRequest.n !== i || keep.requestId !== i) wrong++;
        }),
      );
    }
    expect(wrong).toBe(0);
    // [LIST, [keep, 'requestId', i], [perRequest, 'n', i]]
    expect(largest).toBe(9);
  });

  it('100,000 keys in scopes that ended leave no trace: the next scope is small and the memory is returned', async () => {
    const store = createStore();
    const local = new Local<Record<string, number>>({ store });
    runWith(local, { warm: 1 }, () => undefined);
    await collect();
    const before = retainedBytes();
    for (let i = 0; i < 100_000; i++) runWith(local, { [`user:${i}`]: i }, () => undefined);
    await collect();
    const grown = retainedBytes() - before;
    expect(runWith(local, { one: 1 }, () => frameSize(store))).toBe(3);
    // The old key table kept 7.8 MB here; allow for unrelated heap noise.
    expect(grown).toBeLessThan(1_000_000);
  });

  it('a record with many keys set at once stays correct past the point where it is indexed', () => {
    const store = createStore();
    const local = new Local<Record<string, number>>({ store });
    const values = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    runWith(local, values, () => {
      for (let i = 0; i < 100; i++) expect(local[`k${i}`]).toBe(i);
      runWith(local, { k50: -50, extra: 1 }, () => {
        expect(local.k50).toBe(-50);
        expect(local.extra).toBe(1);
        expect(local.k99).toBe(99);
        delete local.k10;
        expect('k10' in local).toBe(false);
        expect(local.k11).toBe(11);
        expect(Object.keys(local)).toHaveLength(100);
      });
      expect(local.k50).toBe(50);
      expect(local.k10).toBe(10);
    });
  });
});

describe('what a Local costs in memory', () => {
  it('a Local is a few hundred bytes, and Locals dropped per request give all of it back', async () => {
    const store = createStore();
    await collect();
    const before = retainedBytes();
    let held: unknown[] = Array.from({ length: 100_000 }, (_, i) => {
      const local = new Local<{ n: number }>({ store });
      runWith(local, { n: i }, () => undefined);
      return local;
    });
    const perLocal = (retainedBytes() - before) / held.length;
    // About 260 bytes today; a handler of closures per Local made it about 600.
    expect(perLocal).toBeLessThan(400);
    held = [];
    await collect(); // the collector, then the finalizers that forget the Locals' ids
    await collect();
    expect(retainedBytes() - before).toBeLessThan(2_000_000);
    expect(held).toEqual([]);
  });
});

describe('collected Locals', () => {
  it('a snapshot holding a collected Local never shows its values to another Local', async () => {
    const store = createStore();
    let snap: ReturnType<typeof snapshot> | undefined;
    let ref: WeakRef<object> | undefined;
    (() => {
      const old = new Local<{ secret: string }>({ store });
      ref = new WeakRef(old);
      snap = runWith(old, { secret: 'old tenant' }, () => snapshot());
    })();
    await collect();
    expect(ref?.deref()).toBeUndefined();
    const fresh = Array.from({ length: 8 }, () => new Local<{ secret: string }>({ store }));
    snap?.run(() => {
      for (const local of fresh) {
        expect(local.secret).toBeUndefined();
        expect('secret' in local).toBe(false);
        expect(Object.keys(local)).toEqual([]);
      }
      // Nor does it travel to another thread.
      expect(exportValues()).toEqual([]);
    });
  });
});
