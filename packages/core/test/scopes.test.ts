// Every form of runWith opens a scope on every store in use, so that a write
// inside never reaches the caller, whatever the form and whichever Locals the
// form names.
import { describe, expect, it } from 'vitest';
import { exportValues, runWithValues } from '../src/bridge.ts';
import { Local, runWith, snapshot, task, valuesOf } from '../src/index.ts';
import { createRawAlsStore as createStore } from '../../../test-support/als-store.ts';

const first = createStore('first');
const second = createStore('second');
const a = new Local<{ v: string }>({ store: first, name: 'scopes.a' });
const b = new Local<{ v: string }>({ store: second, name: 'scopes.b' });

/** Runs `enter(body)` inside a caller that holds values on both stores; what the caller sees afterwards. */
async function callerAfter(enter: (body: () => Promise<void>) => unknown): Promise<[unknown, unknown]> {
  return runWith(
    [
      [a, { v: 'caller a' }],
      [b, { v: 'caller b' }],
    ],
    async () => {
      await enter(async () => {
        a.v = 'inner a';
        b.v = 'inner b';
        await null;
        a.v = 'inner a, after await';
        b.v = 'inner b, after await';
      });
      return [a.v, b.v] as [unknown, unknown];
    },
  );
}

describe('a write inside any form of runWith stays inside', () => {
  const forms: Record<string, (body: () => Promise<void>) => unknown> = {
    'runWith([], fn)': (body) => runWith([], body),
    'runWith([[a, values]], fn), writing b on another store': (body) => runWith([[a, { v: 'x' }]], body),
    'runWith(a, values, fn), writing b on another store': (body) => runWith(a, { v: 'x' }, body),
    'runWith(b, values, fn), writing a on another store': (body) => runWith(b, { v: 'x' }, body),
    'runWith(new Set(), fn)': (body) => runWith(new Set(), body),
    'runWithValues([], fn)': (body) => runWithValues([], body),
    'runWithValues(exportValues(), fn)': (body) => runWithValues(exportValues(), body),
    'task(fn)': (body) => task(body),
    'snapshot().run(fn)': (body) => snapshot().run(body),
  };
  for (const [name, enter] of Object.entries(forms)) {
    it(name, async () => {
      expect(await callerAfter(enter)).toEqual(['caller a', 'caller b']);
    });
  }

  it('the form of several Locals sees each value it set, and the caller keeps its own', () => {
    runWith(a, { v: 'outer' }, () => {
      runWith(
        [
          [a, { v: 'in a' }],
          [b, { v: 'in b' }],
        ],
        () => expect([valuesOf(a), valuesOf(b)]).toEqual([{ v: 'in a' }, { v: 'in b' }]),
      );
      expect([a.v, b.v]).toEqual(['outer', undefined]);
    });
  });
});
