// Every export, given every kind of hostile argument: it either accepts the
// value and behaves, or throws a TypeError (or LocalError) that names the
// argument, never an engine message from somewhere inside. Either way the
// caller's values are exactly what they were.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertContextStore, createSyncStore, defineCapabilities, releaseStore, storeFromAsyncContext } from '../src/backend.ts';
import {
  addLocalValues,
  applyValues,
  exportValues,
  findUncloneable,
  isPackedValues,
  observeWrites,
  packWrites,
  runWithValues,
  unpackWrites,
} from '../src/bridge.ts';
import { bind, gather, isLocal, Local, LocalError, registerStore, runWith, snapshot, task, valuesOf, view } from '../src/index.ts';
import { createRawAlsStore as createStore } from '../../../test-support/als-store.ts';
import * as backendEntry from '../src/backend.ts';
import * as bridgeEntry from '../src/bridge.ts';
import * as mainEntry from '../src/index.ts';

const SEED = Number(process.env.FC_SEED ?? 20261202);

const store = createStore();
const factory = () => store;
registerStore(factory, { id: 'hostile-test' });

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const boom = () => {
  throw new Error('boom from user code');
};

/** Hostile values, by name, fresh for each use. */
const hostile: Record<string, () => unknown> = {
  null: () => null,
  undefined: () => undefined,
  zero: () => 0,
  NaN: () => Number.NaN,
  'empty string': () => '',
  string: () => 'requestId',
  symbol: () => Symbol('s'),
  bigint: () => 10n,
  boolean: () => true,
  'empty array': () => [],
  array: () => [1, 'two'],
  function: () => () => 1,
  'revoked proxy': revoked,
  'throwing getter': () => Object.defineProperty({}, 'requestId', { enumerable: true, get: boom }),
  'throwing proxy': () => new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom }),
  'frozen object': () => Object.freeze({ requestId: 'frozen' }),
  '__proto__ and constructor keys': () => JSON.parse('{"__proto__": "p", "constructor": "c", "toString": "t"}'),
  'null-prototype object': () => Object.create(null),
  date: () => new Date(0),
  map: () => new Map([['requestId', 1]]),
  'iterable of junk': () => ({
    *[Symbol.iterator]() {
      yield 1;
      yield null;
    },
  }),
  'throwing iterable': () => ({ [Symbol.iterator]: boom }),
};

const a = new Local<Record<string, unknown>>({ name: 'hostile.a' });
const b = new Local<Record<string, unknown>>({ name: 'hostile.b', threadCritical: true });

/** Every export and argument position, called with `value` there and valid arguments elsewhere. */
const calls: Record<string, (value: unknown) => unknown> = {
  'new Local(options)': (v) => new Local(v as never),
  'new Local({ defaults })': (v) => new Local({ defaults: v as never }),
  'new Local({ threadCritical })': (v) => new Local({ threadCritical: v as never }),
  'new Local({ name })': (v) => new Local({ name: v as never }),
  'new Local({ store })': (v) => new Local({ store: v as never }),
  'runWith(local, values, fn)': (v) => runWith(a, v as never, () => a.requestId),
  'runWith(local, values, fn) [fn]': (v) => runWith(a, { x: 1 }, v as never),
  'runWith(bindings, fn)': (v) => runWith(v as never, () => 1),
  'runWith([[local, values]], fn)': (v) => runWith([[a, v as object]], () => 1),
  'runWith([[local, values]], fn) [local]': (v) => runWith([[v as object, {}]], () => 1),
  'runWith([pair], fn)': (v) => runWith([v as never], () => 1),
  'task(fn)': (v) => task(v as never),
  'gather(fns)': (v) => gather(v as never),
  'gather([fn])': (v) => gather([v as never]),
  'snapshot().run(fn)': (v) => snapshot().run(v as never),
  'bind(fn)': (v) => bind(v as never),
  'valuesOf(local)': (v) => valuesOf(v as never),
  'view(local, keys)': (v) => view(v as never, ['requestId'] as never),
  'view(local, keys) [keys]': (v) => view(a, v as never),
  'isLocal(value)': (v) => isLocal(v),
  'LocalError.is(value)': (v) => LocalError.is(v),
  'registerStore(factory)': (v) => registerStore(v as never),
  'registerStore(factory, options)': (v) => registerStore(factory, v as never),
  'assertContextStore(value)': (v) => assertContextStore(v, 'value'),
  'defineCapabilities(capabilities)': (v) => defineCapabilities(v as never),
  'storeFromAsyncContext(namespace)': (v) => storeFromAsyncContext(v as never),
  'createSyncStore()': () => createSyncStore(),
  'observeWrites(observer)': (v) => observeWrites(v as never)(),
  // An object that is not one of ours is a no-op to release; only the values that cannot be a store are tried.
  'releaseStore(store)': (v) => (typeof v === 'object' && v !== null ? undefined : releaseStore(v as never)),
  'exportValues(filter)': (v) => exportValues(v as never),
  'runWithValues(packed, fn)': (v) => runWithValues(v as never, () => 1),
  'runWithValues([id, count, …])': (v) => runWithValues(['hostile.a', v, 'k', 1, 0], () => 1),
  'runWithValues([id, 1, key, …])': (v) => runWithValues(['hostile.a', 1, v, 1, 0], () => 1),
  'runWithValues(packed, fn) [fn]': (v) => runWithValues([], v as never),
  'applyValues(packed)': (v) => applyValues(v as never),
  'applyValues([id, 0, deleted count])': (v) => applyValues(['hostile.a', 0, v]),
  'applyValues([id, …]) [id]': (v) => applyValues([v, 0, 0]),
  'findUncloneable(packed)': (v) => findUncloneable(v as never),
  'findUncloneable([id, 1, key, value, 0])': (v) => findUncloneable(['hostile.a', 1, 'k', v, 0]),
  'isPackedValues(value)': (v) => isPackedValues(v),
  'unpackWrites(packed)': (v) => unpackWrites(v as never),
  'addLocalValues(packed, localId, keys)': (v) => addLocalValues(v as never, 'x', new Map()),
  'addLocalValues(packed, localId, keys) [localId]': (v) => addLocalValues([], v as never, new Map()),
  'addLocalValues(packed, localId, keys) [keys]': (v) => addLocalValues([], 'x', v as never),
  'addLocalValues(…, new Map([[key, write]]))': (v) => addLocalValues([], 'x', new Map([['k', v as never]])),
  'packWrites(writes)': (v) => packWrites(v as never),
  'packWrites(new Map([[localId, keys]]))': (v) => packWrites(new Map([['x', v as never]])),
  'packWrites(new Map([[localId, new Map([[key, write]])]]))': (v) => packWrites(new Map([['x', new Map([['k', v as never]])]])),
};

/** What engines say when code reads from the wrong thing: never acceptable as our error. */
const ENGINE =
  /Cannot read propert|Cannot perform '|is not a function|is not iterable|Cannot convert|Cannot create property|proxy that has been revoked|'(get|set|ownKeys)' on proxy/;

function scopeState(): unknown[] {
  return [store.get(), valuesOf(a), valuesOf(b)];
}

function settle(result: unknown): Promise<unknown> {
  return result instanceof Promise ? result.then(() => undefined) : Promise.resolve(result);
}

describe('every export given hostile values', () => {
  const cases = Object.entries(calls).flatMap(([call, fn]) => Object.keys(hostile).map((value) => [call, value, fn] as const));

  it.each(cases.map(([call, value]) => [call, value]))(
    '%s with %s: accepted, or a TypeError naming it, and nothing changed',
    async (call, value) => {
      const fn = calls[call] as (value: unknown) => unknown;
      await runWith(
        [
          [a, { requestId: 'caller', user: 'u' }],
          [b, { tenant: 't' }],
        ],
        async () => {
          const before = scopeState();
          let error: unknown;
          try {
            await settle(fn((hostile[value] as () => unknown)()));
          } catch (caught) {
            error = caught;
          }
          expect(scopeState()).toEqual(before);
          expect(store.get()).toBe(before[0]);
          if (error === undefined) return;
          expect(error instanceof TypeError || LocalError.is(error), `${call} threw ${String(error)}`).toBe(true);
          const message = (error as Error).message;
          expect(message, `${call} threw an engine message`).not.toMatch(ENGINE);
          // Names what was wrong: an argument, an option or a path in backticks.
          expect(message).toMatch(/`[^`]+`/);
        },
      );
    },
  );

  it('covers every function of every entry', () => {
    const functions = [mainEntry, backendEntry, bridgeEntry].flatMap((entry) =>
      Object.entries(entry)
        .filter(([, value]) => typeof value === 'function')
        .map(([name]) => name),
    );
    const covered = new Set(Object.keys(calls).map((call) => /^(?:new )?(\w+)/.exec(call)?.[1]));
    expect(functions.filter((name) => !covered.has(name))).toEqual([]);
  });

  it('the boolean checks never throw, whatever they are given', () => {
    for (const make of Object.values(hostile)) {
      const value = make();
      expect(typeof isLocal(value)).toBe('boolean');
      expect(typeof LocalError.is(value)).toBe('boolean');
      expect(typeof isPackedValues(value)).toBe('boolean');
    }
    expect(LocalError.is(revoked())).toBe(false);
  });
});

describe('specific hostile inputs', () => {
  it('malformed packed values are refused, not half-applied', () => {
    runWith(a, { a: 1, b: 2, req: 3 }, () => {
      expect(() => applyValues(['hostile.a', 1, 'a', 9, 1, 'b', 'hostile.b', 0, 1, 5])).toThrow(
        /`packed` to be packed values .*; at \[9\] is number 5, not a deleted key/,
      );
      expect(valuesOf(a)).toEqual({ a: 1, b: 2, req: 3 });
      expect(() => runWithValues(['hostile.a', 1, 7, 'v', 0], () => 1)).toThrow(/Expected `packed` to be packed values/);
    });
  });

  it('__proto__, constructor and friends are plain keys, everywhere', () => {
    const keys = JSON.parse('{"__proto__": 1, "constructor": 2, "toString": 3, "hasOwnProperty": 4, "": 5, "0": 6}');
    runWith(a, keys, () => {
      expect(valuesOf(a)).toEqual(Object.assign(Object.create(null), keys));
      expect(a.__proto__).toBe(1);
      expect(a.constructor).toBe(2);
      expect(Object.getPrototypeOf(valuesOf(a))).toBe(null);
      const moved = exportValues();
      expect([...(unpackWrites(moved).get('hostile.a')?.keys() ?? [])].sort()).toEqual(Object.keys(keys).sort());
      runWith(a, { other: 0 }, () => {
        runWithValues(moved, () => expect(valuesOf(a)).toEqual(Object.assign(Object.create(null), keys, { other: 0 })));
      });
    });
    expect(({} as Record<string, unknown>).constructor).toBe(Object); // nothing polluted
  });

  it('defineProperty with configurable, writable or enumerable false is refused before anything is written', () => {
    runWith(a, { x: 0 }, () => {
      for (const flag of ['configurable', 'writable', 'enumerable']) {
        expect(() => Object.defineProperty(a, 'x', { value: 1, [flag]: false })).toThrow(/Cannot define `x` as non-configurable/);
        expect(a.x).toBe(0);
      }
      Object.defineProperty(a, 'x', { value: 2 });
      expect(a.x).toBe(2);
    });
  });

  it('a misspelt capability is refused by name, not silently false', () => {
    expect(() => defineCapabilities({ promisethen: true } as never)).toThrow(
      /Unknown capability `promisethen` in `capabilities`; known ones are `enter`/,
    );
    expect(defineCapabilities({ await: true }).await).toBe(true);
  });

  it('a values object whose getter throws: a TypeError that names `values`, with the original as its cause', () => {
    const values = Object.defineProperty({}, 'requestId', { enumerable: true, get: boom });
    let error: unknown;
    try {
      runWith(a, values, () => 1);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/Could not read `values`.*boom from user code/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('random nests of hostile values, as packed values, never pollute or crash (seed printed on failure)', () => {
    // fast-check generates plans (names of hostile values in a shape) and the property builds
    // them: a throwing Proxy must reach our code, not fast-check's own inspection of values.
    type Plan = { leaf: string } | { object: [string, Plan][] } | { array: Plan[] } | { key: string } | { number: number };
    const leaf = fc.constantFrom(...Object.keys(hostile)).map((name): Plan => ({ leaf: name }));
    const key = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hostile.a', 'hostile.b', '', 'k');
    const dict = (value: fc.Arbitrary<Plan>) =>
      fc.array(fc.tuple(key, value), { maxLength: 3 }).map((entries): Plan => ({ object: entries }));
    const transferred = (locals: fc.Arbitrary<Plan>, deleted: fc.Arbitrary<Plan>) =>
      fc.tuple(fc.oneof(fc.constant<Plan>({ number: 1 }), leaf), locals, deleted).map(
        ([v, l, d]): Plan => ({
          object: [
            ['v', v],
            ['locals', l],
            ['deleted', d],
          ],
        }),
      );
    const shape = fc.oneof(
      leaf,
      dict(leaf),
      transferred(fc.oneof(leaf, dict(fc.oneof(leaf, dict(leaf)))), fc.constant<Plan>({ leaf: 'undefined' })),
      transferred(
        dict(leaf),
        fc.oneof(
          leaf,
          dict(
            fc.oneof(
              leaf,
              fc.array(leaf).map((items): Plan => ({ array: items })),
            ),
          ),
        ),
      ),
      fc
        .array(
          fc.oneof(
            leaf,
            key.map((k): Plan => ({ key: k })),
            fc.integer({ min: -1, max: 3 }).map((n): Plan => ({ number: n })),
          ),
          {
            maxLength: 8,
          },
        )
        .map((items): Plan => ({ array: items })),
    );
    const build = (plan: Plan): unknown => {
      if ('leaf' in plan) return (hostile[plan.leaf] as () => unknown)();
      if ('key' in plan) return plan.key;
      if ('number' in plan) return plan.number;
      if ('array' in plan) return plan.array.map(build);
      const out: Record<string, unknown> = {};
      // defineProperty: `__proto__` becomes an own key, as JSON.parse and structured clone make it.
      for (const [k, v] of plan.object)
        Object.defineProperty(out, k, { value: build(v), enumerable: true, writable: true, configurable: true });
      return out;
    };
    fc.assert(
      fc.property(shape, (plan) => {
        const value = build(plan);
        runWith(a, { requestId: 'caller' }, () => {
          const readers = [
            applyValues,
            unpackWrites,
            findUncloneable,
            isPackedValues,
            (v: unknown) => runWithValues(v as never, () => 1),
            (v: unknown) => addLocalValues(v as never, 'hostile.a', new Map([['k', { value: 1, deleted: false }]])),
          ];
          for (const call of readers) {
            try {
              // A task: a well-formed array that names `hostile.a` may write to it, in a scope of its own.
              task(() => call(value as never));
            } catch (error) {
              if (!(error instanceof TypeError) || ENGINE.test(error.message)) throw error;
            }
          }
          expect(a.requestId).toBe('caller');
        });
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.prototype.toString.call([])).toBe('[object Array]');
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
