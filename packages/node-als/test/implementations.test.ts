import { AsyncLocalStorage } from 'node:async_hooks';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Local, task } from '@tasklocal/core';
import { describe, expect, it } from 'vitest';
import { alsImplementation, createAlsStore } from '../src/index.ts';

const major = Number(process.versions.node.split('.')[0]);
const noFrameFlag = process.execArgv.includes('--no-async-context-frame');
const expected = major >= 24 && !noFrameFlag ? 'async-context-frame' : 'async-hooks';

describe('the two AsyncLocalStorage implementations of Node', () => {
  it(`detects ${expected} on Node ${process.versions.node}`, () => {
    expect(alsImplementation()).toBe(expected);
    expect(createAlsStore().name).toBe(`node-als (${expected})`);
  });

  it.runIf(major >= 24)('detects async-hooks under --no-async-context-frame', async () => {
    const code = "import('@tasklocal/node-als').then((m) => console.log(m.alsImplementation()))";
    const { stdout } = await promisify(execFile)(process.execPath, ['--no-async-context-frame', '-e', code]);
    expect(stdout.trim()).toBe('async-hooks');
  });

  it('differ in whether a write in one setInterval tick is seen by the next tick', async () => {
    const local = new Local<{ tick: number }>({ store: createAlsStore() });
    const seen: (number | undefined)[] = [];
    await new Promise<void>((resolve) => {
      let n = 0;
      const handle = setInterval(() => {
        seen.push(local.tick);
        local.tick = n;
        if (++n === 3) {
          clearInterval(handle);
          resolve();
        }
      }, 1);
    });
    // async_hooks keeps the store on the interval's one async resource, so the
    // next tick starts where the last one ended; AsyncContextFrame restores the
    // frame the interval was created in before every tick.
    expect(seen).toEqual(expected === 'async-hooks' ? [undefined, 0, 1] : [undefined, undefined, undefined]);
  });
});

describe('AsyncLocalStorage.run(sameValue) opens no scope, and tasklocal never relies on it', () => {
  it('raw ALS: an enterWith inside run(sameValue) leaks out (on every implementation)', () => {
    const als = new AsyncLocalStorage<unknown>();
    const value = { id: 1 };
    const after = als.run(value, () => {
      als.run(value, () => als.enterWith({ id: 'leaked' }));
      return als.getStore();
    });
    expect(after).toEqual({ id: 'leaked' });
  });

  it('tasklocal: a task started where nothing changed still isolates its writes', () => {
    const local = new Local<{ id: string }>({ store: createAlsStore() });
    local.id = 'outer';
    task(() => task(() => task(() => (local.id = 'inner'))));
    expect(local.id).toBe('outer');
  });
});
