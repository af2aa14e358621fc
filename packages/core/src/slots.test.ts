import { AsyncLocalStorage } from 'node:async_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { type ContextStore, defineCapabilities, Local, runWith, snapshot } from './index.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function createStore(): ContextStore {
  const als = new AsyncLocalStorage<unknown>();
  return {
    version: 1,
    name: 'slots-test',
    capabilities: defineCapabilities({ enter: true, await: true, promiseThen: true, timers: true }),
    get: () => als.getStore(),
    run: (value, fn, ...args) => als.run(value, fn, ...args),
    set: (value) => als.enterWith(value),
  };
}

async function collect(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('frame slots', () => {
  it('a Local that never holds a value takes no slot, so creating many costs nothing', () => {
    const store = createStore();
    const used = new Local<{ id: number }>({ store });
    const time = () => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 20_000; i++) runWith(used, { id: i }, () => undefined);
      return Number(process.hrtime.bigint() - start);
    };
    time();
    const frameBefore = runWith(used, { id: 1 }, () => (store.get() as unknown[]).length);
    const idle = Array.from({ length: 5_000 }, () => new Local({ store }));
    const frameAfter = runWith(used, { id: 1 }, () => (store.get() as unknown[]).length);
    expect(frameAfter).toBe(frameBefore);
    expect(idle.length).toBe(5_000);
  });

  it('a collected Local gives its slot back, and the next Local to take it never sees the old values', async () => {
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
    // Fresh Locals take free slots first: one of them gets the collected Local's slot.
    const fresh = Array.from({ length: 8 }, () => new Local<{ secret: string }>({ store }));
    for (const local of fresh) local.secret = 'mine';
    snap?.run(() => {
      for (const local of fresh) {
        expect(local.secret).toBeUndefined();
        expect('secret' in local).toBe(false);
        expect(Object.keys(local)).toEqual([]);
      }
    });
  });

  it('frames stay small while Locals are created and dropped per request', async () => {
    const store = createStore();
    const keep = new Local<{ id: number }>({ store });
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 200; i++) {
        const perRequest = new Local<{ n: number }>({ store });
        runWith(perRequest, { n: i }, () => undefined);
      }
      await collect();
    }
    const length = runWith(keep, { id: 1 }, () => (store.get() as unknown[]).length);
    expect(length).toBeLessThan(400);
  });
});
