import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { applyValues, createSyncStore, exportValues, Local, runWith, runWithValues } from './index.ts';
import { allStates } from './local-state.ts';

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
    const sizeThen = allStates().size;
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
    while (allStates().size < sizeThen) fillers.push(new Local({ store }));
    expect(allStates().size).toBe(sizeThen);
    expect(runWithValues(incoming, () => [first.id, later.id])).toEqual([undefined, 'in']);
    expect([watcher, fillers]).toBeDefined();
  });
});
