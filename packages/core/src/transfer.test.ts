import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  applyValues,
  createSyncStore,
  exportPackedValues,
  exportValues,
  Local,
  packValues,
  runWith,
  runWithPackedValues,
  runWithValues,
  unpackValues,
} from './index.ts';
import { liveCount } from './local-state.ts';

describe('carrying values between threads', () => {
  it('exports named and unnamed Locals, leaving thread-critical ones out unless asked for', () => {
    const store = createSyncStore();
    const named = new Local<{ id: string }>({ name: 'transfer.named', store });
    const critical = new Local<{ socket: string }>({ name: 'transfer.critical', threadCritical: true, store });
    runWith(named, { id: 'a' }, () =>
      runWith(critical, { socket: 's' }, () => {
        expect(exportValues().locals['transfer.named']).toEqual({ id: 'a' });
        expect(exportValues().locals['transfer.critical']).toBeUndefined();
        expect(exportValues('only').locals['transfer.critical']).toEqual({ socket: 's' });
      }),
    );
  });

  it('when two live Locals share a name, the newest one sends and receives', () => {
    const store = createSyncStore();
    const older = new Local<{ id: string }>({ name: 'transfer.shared', store });
    const newer = new Local<{ id: string; extra?: string }>({ name: 'transfer.shared', store });
    runWith(older, { id: 'old' }, () => {
      runWithValues({ v: 1, locals: { 'transfer.shared': { id: 'in' } } }, () => {
        expect(newer.id).toBe('in');
        expect(older.id).toBe('old');
      });
      runWith(newer, { id: 'new' }, () => {
        expect(exportValues().locals['transfer.shared']).toEqual({ id: 'new' });
        applyValues({ v: 1, locals: { 'transfer.shared': { extra: 'back' } }, deleted: { 'transfer.shared': ['id'] } });
        expect({ ...newer }).toEqual({ extra: 'back' });
        expect(older.id).toBe('old');
      });
    });
  });

  it('carries `__proto__` and `constructor` as plain keys, both ways, without touching a prototype', () => {
    const store = createSyncStore();
    const local = new Local<Record<string, unknown>>({ name: 'transfer.proto', store });
    runWith(local, { ['__proto__']: 'p', constructor: 'c' }, () => {
      const exported = exportValues().locals['transfer.proto'] as Record<string, unknown>;
      expect(Object.keys(exported).sort()).toEqual(['__proto__', 'constructor']);
      expect(Object.getPrototypeOf(exported)).toBeNull();
      const cloned = structuredClone({ v: 1 as const, locals: { 'transfer.proto': exported } });
      runWithValues(cloned, () => {
        expect(local['__proto__']).toBe('p');
        expect(local['constructor']).toBe('c');
      });
    });
    expect(({} as Record<string, unknown>)['p']).toBeUndefined();
  });

  it('a Local created after a transfer is matched by the next one', () => {
    const store = createSyncStore();
    const first = new Local<{ id: string }>({ name: 'transfer.late', store });
    const incoming = { v: 1 as const, locals: { 'transfer.late': { id: 'in' } } };
    expect(runWithValues(incoming, () => first.id)).toBe('in');
    const later = new Local<{ id: string }>({ name: 'transfer.late', store });
    expect(runWithValues(incoming, () => [first.id, later.id])).toEqual([undefined, 'in']);
  });

  it('after one Local is collected and another created, the same-named new one is matched', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const store = createSyncStore();
    const first = new Local<{ id: string }>({ name: 'transfer.swap', store });
    const incoming = { v: 1 as const, locals: { 'transfer.swap': { id: 'in' } } };
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
    it('holds what exportValues holds, in one flat array, and unpacks to it', () => {
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
          const packed = exportPackedValues();
          expect(packed.slice(packed.indexOf('packed.a'), packed.indexOf('packed.a') + 7)).toEqual(['packed.a', 2, 'id', 'x', 'n', 1, 0]);
          expect(packed).not.toContain('packed.critical');
          expect(unpackValues(packed).locals).toEqual(exportValues().locals);
          expect(unpackValues(exportPackedValues('only')).locals).toEqual({ 'packed.critical': { socket: 's' } });
        },
      );
      expect(exportPackedValues().includes('packed.a')).toBe(false); // outside the scope: nothing held
    });

    it('round-trips values and deletions through packValues and unpackValues, `__proto__` as a plain key', () => {
      const transferred = {
        v: 1 as const,
        locals: { one: { ['__proto__']: 'p', k: 1 }, ['__proto__']: { x: 2 } },
        deleted: { one: ['gone'], other: ['a', 'b'] },
      };
      // A literal `__proto__:` would set the prototype; build the records the way a thread receives them.
      const one: Record<string, unknown> = { k: 1 };
      Object.defineProperty(one, '__proto__', { value: 'p', enumerable: true, writable: true, configurable: true });
      const locals: Record<string, Record<string, unknown>> = { one };
      Object.defineProperty(locals, '__proto__', { value: { x: 2 }, enumerable: true, writable: true, configurable: true });
      const input = { ...transferred, locals };
      const back = unpackValues(structuredClone(packValues(input)));
      expect(Object.keys(back.locals).sort()).toEqual(['__proto__', 'one']);
      expect(Object.getOwnPropertyDescriptor(back.locals, '__proto__')?.value).toEqual({ x: 2 });
      expect(Object.getOwnPropertyDescriptor(back.locals['one'], '__proto__')?.value).toBe('p');
      expect(Object.getPrototypeOf(back.locals['one'])).toBe(Object.prototype);
      expect(back.deleted).toEqual({ one: ['gone'], other: ['a', 'b'] });
      expect(({} as Record<string, unknown>)['x']).toBeUndefined();
    });

    it('runs a function with packed values on top of the current ones, as runWithValues does', () => {
      const store = createSyncStore();
      const local = new Local<{ id: string; kept: string; extra: string }>({ name: 'packed.run', store });
      const unnamed = new Local<{ n: number }>({ store });
      runWith(local, { id: 'outer', kept: 'k' }, () => {
        const packed = packValues({ v: 1, locals: { 'packed.run': { id: 'in', extra: 'e' }, unknown: { z: 1 } } });
        expect(runWithPackedValues(packed, () => ({ ...local }))).toEqual({ id: 'in', kept: 'k', extra: 'e' });
        expect({ ...local }).toEqual({ id: 'outer', kept: 'k' });
        const byOrder = runWith(unnamed, { n: 7 }, () => exportPackedValues());
        expect(runWithPackedValues(byOrder, () => [unnamed.n, local.id])).toEqual([7, 'outer']);
        expect(runWithPackedValues([], () => local.id)).toBe('outer');
      });
    });

    it.each([
      ['not an array', { length: 0 }],
      ['a count that is not a number', ['packed.bad', 'x']],
      ['a count past the end', ['packed.bad', 3, 'k', 'v', 0]],
      ['a key that is not a string', ['packed.bad', 1, 7, 'v', 0]],
      ['a negative deleted count', ['packed.bad', 0, -1]],
      ['a deleted key that is not a string', ['packed.bad', 0, 1, 5]],
    ])('refuses a malformed array (%s) with a TypeError that says what it expects', (_name, packed) => {
      const store = createSyncStore();
      const local = new Local<{ k: string }>({ name: 'packed.bad', store });
      expect(() => runWithPackedValues(packed as unknown[], () => local.k)).toThrow(/Expected packed values as `exportPackedValues\(\)`/);
      expect(() => unpackValues(packed as unknown[])).toThrow(TypeError);
    });
  });
});
