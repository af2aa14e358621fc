import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSyncStore, defineCapabilities } from '../src/backend.ts';
import { gather, Local, LocalError, runWith, task, valuesOf, view } from '../src/index.ts';
import { createRawAlsStore as createStore } from '../../../test-support/als-store.ts';

describe('the Local facade', () => {
  it('supports the exact forms of the README', () => {
    const local = new Local<{ requestId: string; user?: string }>({ store: createStore() });
    const id = crypto.randomUUID();
    local.requestId = id;
    expect(local.requestId).toBe(id);
    expect('requestId' in local).toBe(true);
    expect(Object.keys(local)).toEqual(['requestId']);
    delete local.requestId;
    expect(local.requestId).toBeUndefined();
    expect('requestId' in local).toBe(false);
    expect(Object.keys(local)).toEqual([]);
  });

  it('shows the current values in util.inspect and console.log', () => {
    const local = new Local<{ requestId: string }>({ store: createSyncStore(), name: 'request' });
    runWith(local, { requestId: 'r-1' }, () => {
      expect(inspect(local)).toBe("Local(request) [Object: null prototype] { requestId: 'r-1' }");
    });
    const fast = view(local, ['requestId']);
    expect(inspect(fast)).toMatch(/^Local\(request\) view .*requestId: undefined/);
  });

  it('spreads, serialises and enumerates like a plain object of the current values', () => {
    const local = new Local<{ a: number; b: string }>({ store: createSyncStore() });
    runWith(local, { a: 1, b: 'x' }, () => {
      expect({ ...local }).toEqual({ a: 1, b: 'x' });
      expect(JSON.stringify(local)).toBe('{"a":1,"b":"x"}');
      expect(Object.entries(local)).toEqual([
        ['a', 1],
        ['b', 'x'],
      ]);
      expect(Object.getOwnPropertyDescriptor(local, 'a')).toEqual({ value: 1, writable: true, enumerable: true, configurable: true });
      expect(valuesOf(local)).toEqual(Object.assign(Object.create(null), { a: 1, b: 'x' }));
    });
  });

  it('rejects bad options with messages that name the option', () => {
    expect(() => new Local('x' as never)).toThrow(/`options` to be an object/);
    expect(() => new Local({ threadCritical: 'yes' as never })).toThrow(/`options.threadCritical` to be a boolean/);
    expect(() => new Local({ name: 3 as never })).toThrow(/`options.name` to be a string/);
    expect(() => new Local({ defaults: { [Symbol('s')]: 1 } as never })).toThrow(/string keys only/);
    expect(() => new Local({ store: {} as never })).toThrow(/has no methods `get`, `run`, `set`/);
    expect(() => new Local({ store: 42 as never })).toThrow(/`options.store` to be a ContextStore/);
    expect(new Local({ threadCritical: true, store: createSyncStore() })).toBeInstanceOf(Local);
  });

  it('accepts a store factory as well as a store', () => {
    const local = new Local<{ a: number }>({ store: createSyncStore });
    runWith(local, { a: 1 }, () => expect(local.a).toBe(1));
  });

  it('rejects a view of keys that are not strings', () => {
    const local = new Local({ store: createSyncStore() });
    expect(() => view(local, [1 as never])).toThrow(/array of string keys/);
    expect(() => view({} as never, [])).toThrow(/`local` to be a Local/);
  });
});

describe('tasks and gather', () => {
  it('gather resolves in order and turns a synchronous throw into a rejection', async () => {
    const local = new Local<{ id: number }>({ store: createStore() });
    await runWith(local, {}, async () => {
      expect(await gather([async () => 1, () => 2, async () => 3])).toEqual([1, 2, 3]);
      await expect(
        gather([
          () => {
            throw new Error('sync');
          },
        ]),
      ).rejects.toThrow('sync');
      await expect(gather(5 as never)).rejects.toThrow(/array of functions/);
    });
  });

  it('task on a backend without `enter` isolates `runWith` scopes and still refuses in-place writes', () => {
    const store = { ...createSyncStore(), capabilities: defineCapabilities({}), name: 'no-enter' };
    const local = new Local<{ a: number }>({ store });
    runWith(local, { a: 1 }, () => {
      expect(task(() => runWith(local, { a: 2 }, () => local.a))).toBe(2);
      expect(local.a).toBe(1);
      try {
        local.a = 3;
        expect.unreachable();
      } catch (error) {
        expect(LocalError.is(error)).toBe(true);
        expect((error as LocalError).code).toBe('ERR_TASKLOCAL_WRITE_UNSUPPORTED');
        expect((error as Error).message).toContain('`no-enter` backend');
      }
    });
  });
});

describe('LocalError', () => {
  it('carries a stable code and is recognised by LocalError.is', () => {
    const error = new LocalError('ERR_TASKLOCAL_NO_BACKEND', 'message');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('LocalError');
    expect(LocalError.is(error)).toBe(true);
    expect(LocalError.is(new Error('x'))).toBe(false);
    expect(LocalError.is(null)).toBe(false);
  });
});
