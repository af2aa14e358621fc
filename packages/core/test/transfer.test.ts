import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createSyncStore } from '../src/backend.ts';
import {
  addLocalValues,
  applyValues,
  exportValues,
  findUncloneable,
  isPackedValues,
  type KeyWrite,
  type PackedValues,
  packWrites,
  runWithValues,
  unpackWrites,
} from '../src/bridge.ts';
import { Local, runWith } from '../src/index.ts';
import { liveCount } from '../src/local-state.ts';

/** The values of `localId` in `packed`, as an object: what a reader of one Local sees. */
function valuesIn(packed: PackedValues, localId: string): Record<string, unknown> | undefined {
  const keys = unpackWrites(packed).get(localId);
  if (keys === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, { value, deleted }] of keys) if (!deleted) Object.defineProperty(out, key, { value, enumerable: true });
  return out;
}

const set = (value: unknown): KeyWrite => ({ value, deleted: false });
const gone: KeyWrite = { value: undefined, deleted: true };

describe('carrying values between threads', () => {
  it('exports named and unnamed Locals, leaving thread-critical ones out unless asked for', () => {
    const store = createSyncStore();
    const named = new Local<{ id: string }>({ name: 'transfer.named', store });
    const critical = new Local<{ socket: string }>({ name: 'transfer.critical', threadCritical: true, store });
    runWith(named, { id: 'a' }, () =>
      runWith(critical, { socket: 's' }, () => {
        expect(valuesIn(exportValues(), 'transfer.named')).toEqual({ id: 'a' });
        expect(valuesIn(exportValues(), 'transfer.critical')).toBeUndefined();
        expect(valuesIn(exportValues('only'), 'transfer.critical')).toEqual({ socket: 's' });
      }),
    );
  });

  it('when two live Locals share a name, the newest one sends and receives', () => {
    const store = createSyncStore();
    const older = new Local<{ id: string }>({ name: 'transfer.shared', store });
    const newer = new Local<{ id: string; extra?: string }>({ name: 'transfer.shared', store });
    runWith(older, { id: 'old' }, () => {
      runWithValues(['transfer.shared', 1, 'id', 'in', 0], () => {
        expect(newer.id).toBe('in');
        expect(older.id).toBe('old');
      });
      runWith(newer, { id: 'new' }, () => {
        expect(valuesIn(exportValues(), 'transfer.shared')).toEqual({ id: 'new' });
        applyValues(['transfer.shared', 1, 'extra', 'back', 1, 'id']);
        expect({ ...newer }).toEqual({ extra: 'back' });
        expect(older.id).toBe('old');
      });
    });
  });

  it('carries `__proto__` and `constructor` as plain keys, both ways, without touching a prototype', () => {
    const store = createSyncStore();
    const local = new Local<Record<string, unknown>>({ name: 'transfer.proto', store });
    runWith(local, { ['__proto__']: 'p', constructor: 'c' }, () => {
      const exported = exportValues();
      expect([...(unpackWrites(exported).get('transfer.proto')?.keys() ?? [])].sort()).toEqual(['__proto__', 'constructor']);
      runWithValues(structuredClone(exported), () => {
        expect(local['__proto__']).toBe('p');
        expect(local['constructor']).toBe('c');
      });
    });
    expect(({} as Record<string, unknown>)['p']).toBeUndefined();
  });

  it('a Local created after a transfer is matched by the next one', () => {
    const store = createSyncStore();
    const first = new Local<{ id: string }>({ name: 'transfer.late', store });
    const incoming = ['transfer.late', 1, 'id', 'in', 0];
    expect(runWithValues(incoming, () => first.id)).toBe('in');
    const later = new Local<{ id: string }>({ name: 'transfer.late', store });
    expect(runWithValues(incoming, () => [first.id, later.id])).toEqual([undefined, 'in']);
  });

  it('after one Local is collected and another created, the same-named new one is matched', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const store = createSyncStore();
    const first = new Local<{ id: string }>({ name: 'transfer.swap', store });
    const incoming = ['transfer.swap', 1, 'id', 'in', 0];
    let onCollected = () => {};
    const collected = new Promise<void>((resolve) => {
      onCollected = resolve;
    });
    const watcher = new FinalizationRegistry(() => onCollected()); // kept alive by this scope until the end
    (() => watcher.register(new Local({ name: 'transfer.doomed', store }), 0))();
    expect(runWithValues(incoming, () => first.id)).toBe('in'); // the id map now holds both
    const sizeThen = liveCount();
    let done = false;
    void collected.then(() => {
      done = true;
    });
    for (let i = 0; i < 50 && !done; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(done).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5)); // the core's own finalizer drops it from the live set
    const later = new Local<{ id: string }>({ name: 'transfer.swap', store });
    // Other tests' Locals may have gone too: fill the live set back to its size at the transfer.
    const fillers: unknown[] = [];
    while (liveCount() < sizeThen) fillers.push(new Local({ store }));
    expect(liveCount()).toBe(sizeThen);
    expect(runWithValues(incoming, () => [first.id, later.id])).toEqual([undefined, 'in']);
    expect([watcher, fillers]).toBeDefined();
  });

  describe('the packed form', () => {
    it('holds every Local that holds values, in one flat array, thread-critical ones only when asked for', () => {
      const store = createSyncStore();
      const a = new Local<{ id: string; n: number }>({ name: 'packed.a', store });
      const b = new Local<{ tag: string }>({ name: 'packed.b', store });
      const critical = new Local<{ socket: string }>({ name: 'packed.critical', threadCritical: true, store });
      runWith(
        [
          [a, { id: 'x', n: 1 }],
          [b, { tag: 't' }],
          [critical, { socket: 's' }],
        ],
        () => {
          const packed = exportValues();
          expect(packed.slice(packed.indexOf('packed.a'), packed.indexOf('packed.a') + 7)).toEqual(['packed.a', 2, 'id', 'x', 'n', 1, 0]);
          expect(packed).not.toContain('packed.critical');
          expect(isPackedValues(packed)).toBe(true);
          expect(valuesIn(packed, 'packed.b')).toEqual({ tag: 't' });
          expect(exportValues('only')).toEqual(['packed.critical', 1, 'socket', 's', 0]);
        },
      );
      expect(exportValues().includes('packed.a')).toBe(false); // outside the scope: nothing held
    });

    it('round-trips writes and deletions through packWrites and unpackWrites, `__proto__` as a plain key', () => {
      const writes = new Map([
        [
          'one',
          new Map([
            ['__proto__', set('p')],
            ['k', set(1)],
            ['gone', gone],
          ]),
        ],
        ['__proto__', new Map([['x', set(2)]])],
        ['other', new Map([['a', gone]])],
      ]);
      const packed = packWrites(writes);
      expect(packed).toEqual(['one', 2, '__proto__', 'p', 'k', 1, 1, 'gone', '__proto__', 1, 'x', 2, 0, 'other', 0, 1, 'a']);
      expect(unpackWrites(structuredClone(packed))).toEqual(writes);
      expect(({} as Record<string, unknown>)['x']).toBeUndefined();
    });

    it('unpackWrites: a later entry for the same Local and key wins', () => {
      const back = unpackWrites(['l', 1, 'k', 1, 0, 'l', 1, 'k', 2, 1, 'j']);
      expect(back.get('l')).toEqual(
        new Map([
          ['k', set(2)],
          ['j', gone],
        ]),
      );
    });

    it('runs a function with packed values on top of the current ones', () => {
      const store = createSyncStore();
      const local = new Local<{ id: string; kept: string; extra: string }>({ name: 'packed.run', store });
      const unnamed = new Local<{ n: number }>({ store });
      runWith(local, { id: 'outer', kept: 'k' }, () => {
        const packed = ['packed.run', 2, 'id', 'in', 'extra', 'e', 0, 'unknown', 1, 'z', 1, 0];
        expect(runWithValues(packed, () => ({ ...local }))).toEqual({ id: 'in', kept: 'k', extra: 'e' });
        expect({ ...local }).toEqual({ id: 'outer', kept: 'k' });
        const byOrder = runWith(unnamed, { n: 7 }, () => exportValues());
        expect(runWithValues(byOrder, () => [unnamed.n, local.id])).toEqual([7, 'outer']);
        expect(runWithValues([], () => local.id)).toBe('outer');
      });
    });

    it('applyValues writes values and deletions into the current scope, and leaves unchanged values unwritten', () => {
      const store = createSyncStore();
      const local = new Local<Record<string, unknown>>({ name: 'packed.apply', store });
      const writes: string[] = [];
      runWith(local, { a: 1, b: 2, c: 3 }, () => {
        const before = store.get();
        applyValues(['packed.apply', 1, 'a', 1, 0]);
        expect(store.get()).toBe(before); // nothing changed, nothing written
        applyValues(
          packWrites(
            new Map([
              [
                'packed.apply',
                new Map([
                  ['b', set(20)],
                  ['c', gone],
                  ['d', set(4)],
                ]),
              ],
            ]),
          ),
        );
        expect({ ...local }).toEqual({ a: 1, b: 20, d: 4 });
        writes.push(...Object.keys(local));
      });
      expect(writes).toEqual(['a', 'b', 'd']);
    });

    it('addLocalValues adds a Local that is not there, and leaves one that is, whatever its values', () => {
      const packed: PackedValues = ['sent', 1, 'k', 'caller', 0];
      expect(addLocalValues(packed, 'sent', new Map([['k', set('mine')]]))).toBe(false);
      expect(addLocalValues(packed, 'own', new Map([['t', set(1)]]))).toBe(true);
      expect(addLocalValues(packed, 'empty', new Map())).toBe(false);
      expect(packed).toEqual(['sent', 1, 'k', 'caller', 0, 'own', 1, 't', 1, 0]);
      expect(() => addLocalValues(['x', 9], 'own', new Map())).toThrow(/Expected `packed` to be packed values/);
      expect(() => addLocalValues(packed, 'own', { t: 1 } as never)).toThrow(/Expected `keys` to be a Map/);
      expect(() => addLocalValues(packed, 'own', new Map([['t', 1 as never]]))).toThrow(/`keys`.*maps the string "t" to number 1/);
      expect(packed).toEqual(['sent', 1, 'k', 'caller', 0, 'own', 1, 't', 1, 0]); // refused before anything was added
    });

    it('findUncloneable names the Local, key and type of the first value that cannot be cloned', () => {
      expect(findUncloneable(['ok', 1, 'n', 1, 0])).toBeUndefined();
      expect(findUncloneable(['ok', 1, 'n', 1, 0, 'bad', 2, 'x', 1, 'fn', () => 1, 0])).toEqual(['bad', 'fn', 'a function']);
      class Socket {
        readonly write = () => undefined;
      }
      expect(findUncloneable(['bad', 1, 's', new Socket(), 0])).toEqual(['bad', 's', 'an object (Socket)']);
    });

    it.each([
      ['not an array', { length: 0 }, /got an object/],
      ['an id that is not a string', [1, 0, 0], /at \[0\] is number 1, not a Local id/],
      ['a count that is not a number', ['packed.bad', 'x'], /at \[1\] is the string "x", not a count of keys/],
      ['a count past the end', ['packed.bad', 3, 'k', 'v', 0], /the values of `packed.bad` end early/],
      ['a key that is not a string', ['packed.bad', 1, 7, 'v', 0], /at \[2\] is number 7, not a key/],
      ['a negative deleted count', ['packed.bad', 0, -1], /at \[2\] is number -1/],
      ['a deleted key that is not a string', ['packed.bad', 0, 1, 5], /at \[3\] is number 5, not a deleted key/],
    ])('refuses a malformed array (%s) with a TypeError that says where and what it expects', (_name, packed, where) => {
      const store = createSyncStore();
      const local = new Local<{ k: string }>({ name: 'packed.bad', store });
      expect(isPackedValues(packed)).toBe(false);
      for (const call of [
        () => runWithValues(packed as unknown[], () => local.k),
        () => applyValues(packed as unknown[]),
        () => unpackWrites(packed as unknown[]),
        () => findUncloneable(packed as unknown[]),
        () => addLocalValues(packed as unknown[], 'x', new Map([['k', set(1)]])),
      ]) {
        expect(call).toThrow(/Expected `packed` to be packed values as `exportValues\(\)` makes them/);
        expect(call).toThrow(where);
      }
    });
  });
});
