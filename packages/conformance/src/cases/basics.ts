import { bind, gather, Local, runWith, snapshot, task, valuesOf, view } from '@tasklocal/core';
import type { ConformanceCase } from '../types.ts';

const group = 'basics';

/** The Local facade in synchronous code: what every backend must do. */
export const basicCases: readonly ConformanceCase[] = [
  {
    id: 'unset-reads-undefined',
    group,
    title: 'a key that was never set reads as undefined',
    run({ createLocal, assert }) {
      const local = createLocal<{ requestId: string }>();
      assert.equal(local.requestId, undefined);
      assert.equal('requestId' in local, false);
      assert.deepEqual(Object.keys(local), []);
    },
  },
  {
    id: 'set-get',
    group,
    title: 'a write is read back in the same task',
    requires: { enter: true },
    run({ createLocal, assert }) {
      const local = createLocal<{ requestId: string; user: string }>();
      local.requestId = 'r-1';
      local.user = 'ada';
      assert.equal(local.requestId, 'r-1');
      assert.equal(local.user, 'ada');
      local.requestId = 'r-2';
      assert.equal(local.requestId, 'r-2');
    },
  },
  {
    id: 'delete',
    group,
    title: '`delete` unsets a key; deleting an unset key is a no-op',
    requires: { enter: true },
    run({ createLocal, assert }) {
      const local = createLocal<{ a: number; b: number }>();
      local.a = 1;
      local.b = 2;
      assert.equal(delete local.a, true);
      assert.equal(local.a, undefined);
      assert.equal('a' in local, false);
      assert.equal(local.b, 2);
      assert.equal(delete local.a, true);
      assert.deepEqual(Object.keys(local), ['b']);
    },
  },
  {
    id: 'has-and-keys',
    group,
    title: '`in` and `Object.keys` report the keys set in the current context, also when set to undefined',
    requires: { enter: true },
    run({ createLocal, assert }) {
      const local = createLocal<{ a: number; b: undefined; c: string }>();
      local.c = 'x';
      local.a = 1;
      local.b = undefined;
      assert.equal('b' in local, true);
      assert.equal('zzz' in local, false);
      assert.deepEqual(Object.keys(local).sort(), ['a', 'b', 'c']);
      assert.deepEqual(JSON.parse(JSON.stringify(local)), { a: 1, c: 'x' });
      assert.deepEqual({ ...local }, { c: 'x', a: 1, b: undefined });
    },
  },
  {
    id: 'defaults',
    group,
    title: 'defaults are what a read returns while a key is unset; they are not set keys',
    requires: { enter: true },
    run({ createLocal, assert }) {
      const local = createLocal<{ requestId: string; n: number }>({ defaults: { requestId: 'none' } });
      assert.equal(local.requestId, 'none');
      assert.equal('requestId' in local, false);
      assert.deepEqual(Object.keys(local), []);
      local.requestId = 'r-1';
      assert.equal(local.requestId, 'r-1');
      delete local.requestId;
      assert.equal(local.requestId, 'none');
      assert.equal(local.n, undefined);
    },
  },
  {
    id: 'set-undefined-shadows-default',
    group,
    title: 'a key set to undefined reads undefined, not its default',
    requires: { enter: true },
    run({ createLocal, assert }) {
      const local = createLocal<{ user: string | undefined }>({ defaults: { user: 'anonymous' } });
      local.user = undefined;
      assert.equal(local.user, undefined);
      assert.equal('user' in local, true);
    },
  },
  {
    id: 'reserved-names-are-plain-keys',
    group,
    title: '`__proto__`, `constructor`, `toString` and friends are plain keys that never touch a prototype',
    requires: { enter: true },
    run({ createLocal, assert }) {
      const local = createLocal() as Record<string, unknown>;
      for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'then', 'prototype']) {
        assert.equal(local[key], undefined, `unset ${key}`);
        assert.equal(key in local, false, `${key} in local`);
      }
      const polluted = { polluted: true };
      local.__proto__ = polluted;
      local['constructor'] = 'c';
      local['toString'] = 't';
      assert.equal(local.__proto__, polluted);
      assert.equal(local['constructor'], 'c');
      assert.equal(local['toString'], 't');
      assert.ok(Object.getPrototypeOf(local) === Local.prototype, 'the prototype of the Local is unchanged');
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is not polluted');
      assert.deepEqual(Object.keys(local).sort(), ['__proto__', 'constructor', 'toString']);
      assert.ok(Object.getPrototypeOf(valuesOf(local)) === null, 'valuesOf returns an object without a prototype');
      assert.equal(valuesOf(local).__proto__, polluted);
    },
  },
  {
    id: 'symbol-keys',
    group,
    title: 'symbol keys read as undefined and writing one is a TypeError that says to use a string',
    run({ createLocal, assert }) {
      const local = createLocal() as Record<PropertyKey, unknown>;
      const key = Symbol('k');
      assert.equal(local[key], undefined);
      assert.equal(key in local, false);
      assert.throws(
        () => {
          local[key] = 1;
        },
        { name: 'TypeError', message: /symbol key.*string/ },
      );
      assert.throws(() => delete local[key], { name: 'TypeError' });
      assert.equal(Object.prototype.toString.call(local), '[object Local]');
    },
  },
  {
    id: 'object-shape-is-fixed',
    group,
    title: 'a Local is `instanceof Local`, and its prototype cannot be changed nor the object frozen',
    run({ createLocal, assert }) {
      const local = createLocal();
      assert.ok(local instanceof Local);
      assert.throws(() => Object.setPrototypeOf(local, null), { name: 'TypeError' });
      assert.throws(() => Object.freeze(local), { name: 'TypeError' });
      assert.throws(() => Object.defineProperty(local, 'x', { get: () => 1 }), { name: 'TypeError', message: /accessor/ });
    },
  },
  {
    id: 'define-property-sets',
    group,
    title: '`Object.defineProperty` with a value is a write',
    requires: { enter: true },
    run({ createLocal, assert }) {
      const local = createLocal<{ a: number }>();
      Object.defineProperty(local, 'a', { value: 5 });
      assert.equal(local.a, 5);
    },
  },
  {
    id: 'independent-locals',
    group,
    title: 'fifty Locals with the same key names never see each other’s values',
    requires: { enter: true },
    run({ createLocal, assert }) {
      const locals = Array.from({ length: 50 }, () => createLocal<{ id: number; only?: number }>());
      locals.forEach((local, i) => {
        local.id = i;
      });
      (locals[7] as { only?: number }).only = 7;
      locals.forEach((local, i) => {
        assert.equal(local.id, i);
        assert.equal('only' in local, i === 7);
      });
    },
  },
  {
    id: 'run-with-scope',
    group,
    title: '`runWith` sets values for the function and restores the caller’s afterwards',
    run({ createLocal, assert }) {
      const local = createLocal<{ requestId: string; user: string }>();
      const result = runWith(
        local,
        { requestId: 'inner' },
        (a: number, b: number) => {
          assert.equal(local.requestId, 'inner');
          return a + b;
        },
        2,
        3,
      );
      assert.equal(result, 5);
      assert.equal(local.requestId, undefined);
    },
  },
  {
    id: 'run-with-inherits',
    group,
    title: 'keys `runWith` does not name keep their outer values; three nested levels restore in order',
    run({ createLocal, assert }) {
      const local = createLocal<{ a: string; b: string; c: string }>();
      runWith(local, { a: 'a1', b: 'b1' }, () => {
        runWith(local, { b: 'b2' }, () => {
          runWith(local, { c: 'c3', a: 'a3' }, () => {
            assert.deepEqual({ ...local }, { a: 'a3', b: 'b2', c: 'c3' });
          });
          assert.deepEqual({ ...local }, { a: 'a1', b: 'b2' });
        });
        assert.deepEqual({ ...local }, { a: 'a1', b: 'b1' });
      });
      assert.deepEqual({ ...local }, {});
    },
  },
  {
    id: 'run-with-many-locals',
    group,
    title: '`runWith` with [local, values] pairs sets several Locals in one scope',
    run({ createLocal, assert }) {
      const a = createLocal<{ x: number }>();
      const b = createLocal<{ y: number }>();
      runWith(
        [
          [a, { x: 1 }],
          [b, { y: 2 }],
        ],
        () => {
          assert.equal(a.x, 1);
          assert.equal(b.y, 2);
        },
      );
      assert.equal(a.x, undefined);
      assert.equal(b.y, undefined);
    },
  },
  {
    id: 'run-with-restores-on-throw',
    group,
    title: 'a throw inside `runWith` restores the caller’s values',
    run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      runWith(local, { v: 'outer' }, () => {
        assert.throws(
          () =>
            runWith(local, { v: 'inner' }, () => {
              throw new Error('boom');
            }),
          { message: /boom/ },
        );
        assert.equal(local.v, 'outer');
      });
    },
  },
  {
    id: 'writes-stay-in-scope',
    group,
    title: 'a write inside `runWith` is not seen after it returns',
    requires: { enter: true },
    run({ createLocal, assert }) {
      const local = createLocal<{ v: string; w: string }>();
      runWith(local, { v: 'outer' }, () => {
        runWith(local, {}, () => {
          local.v = 'inner';
          local.w = 'new';
          delete local.v;
        });
        assert.equal(local.v, 'outer');
        assert.equal('w' in local, false);
      });
    },
  },
  {
    id: 'call-shares-context',
    group,
    title: 'a synchronous callee writes into its caller’s context: a plain call is the same task',
    requires: { enter: true },
    run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      const callee = () => {
        local.v = 'from-callee';
      };
      callee();
      assert.equal(local.v, 'from-callee');
    },
  },
  {
    id: 'task-isolates-sync',
    group,
    title: '`task` starts with the caller’s values and its writes never reach the caller',
    requires: { enter: true },
    run({ createLocal, assert }) {
      const local = createLocal<{ v: string; w: string }>();
      local.v = 'caller';
      const seen = task((suffix: string) => {
        const before = local.v;
        local.v = 'task';
        local.w = 'task';
        return `${before}${suffix}`;
      }, '!');
      assert.equal(seen, 'caller!');
      assert.equal(local.v, 'caller');
      assert.equal('w' in local, false);
    },
  },
  {
    id: 'snapshot-copy-on-write',
    group,
    title: 'a snapshot keeps the values of its moment: later writes never change it, and writes inside stay inside',
    requires: { enter: true },
    run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      local.v = 'then';
      const snap = snapshot();
      local.v = 'now';
      assert.equal(
        snap.run(() => local.v),
        'then',
      );
      snap.run(() => {
        local.v = 'inside';
      });
      assert.equal(
        snap.run(() => local.v),
        'then',
      );
      assert.equal(local.v, 'now');
    },
  },
  {
    id: 'snapshot-covers-every-local',
    group,
    title: 'a snapshot captures every Local, not one',
    run({ createLocal, assert }) {
      const a = createLocal<{ x: string }>();
      const b = createLocal<{ y: string }>();
      const snap = runWith(a, { x: 'x' }, () => runWith(b, { y: 'y' }, () => snapshot()));
      assert.deepEqual(
        snap.run(() => [a.x, b.y]),
        ['x', 'y'],
      );
    },
  },
  {
    id: 'bind',
    group,
    title: '`bind` runs a function with the values it was bound in, passing `this` and arguments',
    run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      const bound = runWith(local, { v: 'bound' }, () =>
        bind(function (this: { tag: string }, x: number) {
          return `${this.tag}:${x}:${local.v}`;
        }),
      );
      runWith(local, { v: 'caller' }, () => {
        assert.equal(bound.call({ tag: 't' }, 1), 't:1:bound');
        assert.equal(local.v, 'caller');
      });
    },
  },
  {
    id: 'values-of',
    group,
    title: '`valuesOf` returns a detached copy of the current values',
    run({ createLocal, assert }) {
      const local = createLocal<{ a: number; b: number }>({ defaults: { b: 0 } });
      runWith(local, { a: 1 }, () => {
        const values = valuesOf(local);
        assert.deepEqual({ ...values }, { a: 1 });
        (values as { a: number }).a = 99;
        assert.equal(local.a, 1);
      });
    },
  },
  {
    id: 'view-fast-form',
    group,
    title: 'the fast form (`view`) reads and writes the same values as the Local, with its defaults',
    requires: { enter: true },
    run({ createLocal, assert }) {
      const local = createLocal<{ requestId: string; user: string }>({ defaults: { user: 'anon' } });
      const fast = view(local, ['requestId', 'user']);
      assert.equal(fast.requestId, undefined);
      assert.equal(fast.user, 'anon');
      runWith(local, { requestId: 'r-1' }, () => {
        assert.equal(fast.requestId, 'r-1');
        fast.user = 'ada';
        assert.equal(local.user, 'ada');
      });
      assert.equal(fast.user, 'anon');
      assert.throws(
        () => {
          (fast as Record<string, unknown>).other = 1;
        },
        { name: 'TypeError' },
      );
    },
  },
  {
    id: 'write-unsupported',
    group,
    title: 'on a backend that cannot change the current context, a write is a LocalError that points to `runWith`',
    requires: { enter: false },
    run({ createLocal, assert }) {
      const local = createLocal<{ a: number }>();
      assert.throws(
        () => {
          local.a = 1;
        },
        { name: 'LocalError', code: 'ERR_TASKLOCAL_WRITE_UNSUPPORTED', message: /runWith/ },
      );
      runWith(local, { a: 2 }, () => assert.equal(local.a, 2));
    },
  },
  {
    id: 'bad-arguments',
    group,
    title: 'bad arguments are TypeErrors that name the argument and say what to pass',
    async run({ createLocal, assert }) {
      const local = createLocal<{ a: number }>();
      assert.throws(() => runWith({} as never, {}, () => 1), { name: 'TypeError', message: /`local`.*Local/ });
      assert.throws(() => runWith(local, 5 as never, () => 1), { name: 'TypeError', message: /`values`/ });
      assert.throws(() => runWith(local, {}, 'nope' as never), { name: 'TypeError', message: /`fn`/ });
      assert.throws(() => task(null as never), { name: 'TypeError', message: /`fn`/ });
      await assert.rejects(() => gatherLike([Promise.resolve(1)]), { name: 'TypeError', message: /\(\) => work\(\)/ });
      assert.throws(() => new Local({ defaults: 3 as never }), { name: 'TypeError', message: /defaults/ });
    },
  },
];

function gatherLike(values: unknown[]): Promise<unknown> {
  return gather(values as never);
}
