import { runWith } from '@tasklocal/core';
import type { ConformanceCase } from '../types.ts';

interface Emitter {
  on(event: string, listener: () => void): unknown;
  emit(event: string): boolean;
}

/**
 * Async generators and events. Backends differ here, so each declares which
 * rule it follows and the suite tests exactly that rule:
 * - async and sync generators: `'resume'` (the body sees the caller of
 *   `next()`) or `'creation'` (the body sees where the generator was created);
 * - listeners: `'dispatch'` (a listener is a plain call from the code that
 *   emits) or `'registration'` (it runs with the values where it was added).
 */
export const eventCases: readonly ConformanceCase[] = [
  ...(['resume', 'creation'] as const).map(
    (rule): ConformanceCase => ({
      id: `async-generator-${rule}`,
      group: 'generators',
      title: `an async generator body sees the values of its ${rule === 'resume' ? 'caller of `next()`' : 'creation'}, before and after its own \`await\``,
      requires: { await: true, asyncGenerators: rule },
      async run({ createLocal, assert }) {
        const local = createLocal<{ v: string }>();
        async function* gen() {
          yield local.v;
          await null;
          yield local.v;
        }
        const it = runWith(local, { v: 'created' }, () => gen());
        const first = await runWith(local, { v: 'next-1' }, () => it.next());
        const second = await runWith(local, { v: 'next-2' }, () => it.next());
        const expected = rule === 'resume' ? ['next-1', 'next-2'] : ['created', 'created'];
        assert.deepEqual([first.value, second.value], expected);
      },
    }),
  ),
  ...(['resume', 'creation'] as const).map(
    (rule): ConformanceCase => ({
      id: `generator-${rule}`,
      group: 'generators',
      title: `a sync generator body sees the values of its ${rule === 'resume' ? 'caller of `next()`' : 'creation'}`,
      requires: { generators: rule },
      run({ createLocal, assert }) {
        const local = createLocal<{ v: string }>();
        function* gen() {
          yield local.v;
          yield local.v;
        }
        const it = runWith(local, { v: 'created' }, () => gen());
        const first = runWith(local, { v: 'next-1' }, () => it.next());
        const second = runWith(local, { v: 'next-2' }, () => it.next());
        const expected = rule === 'resume' ? ['next-1', 'next-2'] : ['created', 'created'];
        assert.deepEqual([first.value, second.value], expected);
      },
    }),
  ),
  {
    id: 'for-await-in-scope',
    group: 'generators',
    title: '`for await` inside a scope sees the scope’s values in the loop body',
    requires: { await: true },
    async run({ createLocal, assert }) {
      const local = createLocal<{ v: string }>();
      async function* numbers() {
        for (let i = 0; i < 3; i++) {
          await null;
          yield i;
        }
      }
      const seen = await runWith(local, { v: 'A' }, async () => {
        const out: string[] = [];
        for await (const n of numbers()) out.push(`${n}:${local.v}`);
        return out;
      });
      assert.deepEqual(seen, ['0:A', '1:A', '2:A']);
    },
  },
  ...(['dispatch', 'registration'] as const).map(
    (rule): ConformanceCase => ({
      id: `event-emitter-${rule}`,
      group: 'events',
      title: `an EventEmitter listener runs with the values of the ${rule === 'dispatch' ? 'code that emits' : 'code that added it'}`,
      requires: { eventEmitter: rule },
      env: ['node:events'],
      async run({ createLocal, assert, importBuiltin }) {
        const { EventEmitter } = await importBuiltin<{ EventEmitter: new () => Emitter }>('node:events');
        const local = createLocal<{ v: string }>();
        const emitter = new EventEmitter();
        const seen: (string | undefined)[] = [];
        runWith(local, { v: 'registered' }, () => emitter.on('ping', () => seen.push(local.v)));
        runWith(local, { v: 'emitted' }, () => emitter.emit('ping'));
        assert.deepEqual(seen, [rule === 'dispatch' ? 'emitted' : 'registered']);
      },
    }),
  ),
  ...(['dispatch', 'registration'] as const).map(
    (rule): ConformanceCase => ({
      id: `event-target-${rule}`,
      group: 'events',
      title: `an EventTarget listener runs, on \`dispatchEvent\`, with the values of the ${rule === 'dispatch' ? 'dispatching code' : 'code that added it'}`,
      requires: { eventTarget: rule },
      env: ['EventTarget'],
      run({ createLocal, assert }) {
        const local = createLocal<{ v: string }>();
        const target = new EventTarget();
        const seen: (string | undefined)[] = [];
        runWith(local, { v: 'registered' }, () =>
          target.addEventListener('ping', () => {
            seen.push(local.v);
          }),
        );
        runWith(local, { v: 'dispatched' }, () => target.dispatchEvent(new Event('ping')));
        assert.deepEqual(seen, [rule === 'dispatch' ? 'dispatched' : 'registered']);
      },
    }),
  ),
];
