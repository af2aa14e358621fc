import { AsyncLocalStorage } from 'node:async_hooks';
import { Local, runWith } from '@tasklocal/core';
import { describe, expect, it } from 'vitest';
import { createAlsStore } from '../src/index.ts';

/** How deep `enter` can nest before the stack overflows. */
function depth(enter: (level: number, next: () => void) => void): number {
  let deepest = 0;
  const go = (level: number): void => {
    deepest = level;
    enter(level, () => go(level + 1));
  };
  try {
    go(0);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  return deepest;
}

describe('nesting', () => {
  it('runWith nests more than half as deep as raw AsyncLocalStorage.run before the stack overflows', () => {
    const als = new AsyncLocalStorage<unknown>();
    const local = new Local<{ level: number }>({ store: createAlsStore() });
    const raw = depth((level, next) => als.run({ level }, next));
    const ours = depth((level, next) => runWith(local, { level }, next));
    console.log(`nesting depth: raw ${raw}, runWith ${ours} (${(ours / raw).toFixed(2)}×)`);
    expect(ours / raw).toBeGreaterThan(0.5);
    // And the deepest scope still reads its own value.
    expect(runWith(local, { level: -1 }, () => local.level)).toBe(-1);
  });
});
