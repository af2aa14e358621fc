import { gather, Local, runWith, task } from '@tasklocal/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAlsStore } from '../src/index.ts';

// Model-based test: random programs of writes, deletes, scopes, tasks and
// gathers, run under interleavings chosen by fast-check's scheduler, checked at
// every step against a reference model where each task owns a copy of its
// parent's values (Python's task semantics). fast-check shrinks any failure to
// a minimal program and schedule.

type Key = 'a' | 'b' | 'c';
type Op =
  | { kind: 'set'; key: Key; value: number }
  | { kind: 'delete'; key: Key }
  | { kind: 'check' }
  | { kind: 'await' }
  | { kind: 'runWith'; values: Partial<Record<Key, number>>; body: Op[] }
  | { kind: 'task'; body: Op[] }
  | { kind: 'gather'; bodies: Op[][] };

const key = fc.constantFrom<Key>('a', 'b', 'c');
const { program } = fc.letrec<{ program: Op[]; op: Op }>((tie) => ({
  program: fc.array(tie('op'), { maxLength: 6 }),
  op: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('set' as const), key, value: fc.integer({ min: 0, max: 99 }) }),
    fc.record({ kind: fc.constant('delete' as const), key }),
    fc.constant({ kind: 'check' as const }),
    fc.constant({ kind: 'await' as const }),
    fc.record({
      kind: fc.constant('runWith' as const),
      values: fc.dictionary(key, fc.integer({ min: 100, max: 199 }), { maxKeys: 2 }) as fc.Arbitrary<Partial<Record<Key, number>>>,
      body: tie('program') as fc.Arbitrary<Op[]>,
    }),
    fc.record({ kind: fc.constant('task' as const), body: tie('program') as fc.Arbitrary<Op[]> }),
    fc.record({ kind: fc.constant('gather' as const), bodies: fc.array(tie('program') as fc.Arbitrary<Op[]>, { maxLength: 3 }) }),
  ),
}));

describe('random programs under random interleavings match the task model', () => {
  it('every read equals the model, at every step', async () => {
    const store = createAlsStore();
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), program, async (scheduler, ops) => {
        const local = new Local<Record<Key, number>>({ store });
        const errors: string[] = [];
        const check = (model: Map<Key, number>, where: string) => {
          for (const k of ['a', 'b', 'c'] as const) {
            const actual = local[k];
            const expected = model.get(k);
            if (actual !== expected) errors.push(`${where}: ${k} is ${actual}, model says ${expected}`);
            if (k in local !== model.has(k)) errors.push(`${where}: \`${k} in local\` disagrees with the model`);
          }
        };
        const exec = async (body: Op[], model: Map<Key, number>, path: string): Promise<void> => {
          const children: Promise<void>[] = [];
          for (const [i, op] of body.entries()) {
            const where = `${path}.${i}:${op.kind}`;
            switch (op.kind) {
              case 'set':
                local[op.key] = op.value;
                model.set(op.key, op.value);
                break;
              case 'delete':
                delete local[op.key];
                model.delete(op.key);
                break;
              case 'check':
                check(model, where);
                break;
              case 'await':
                await scheduler.schedule(Promise.resolve(), where);
                check(model, `${where} (after)`);
                break;
              case 'runWith': {
                const inner = new Map(model);
                for (const [k, v] of Object.entries(op.values)) inner.set(k as Key, v);
                await runWith(local, op.values, () => exec(op.body, inner, where));
                check(model, `${where} (back)`);
                break;
              }
              case 'task':
                children.push(task(() => exec(op.body, new Map(model), where)));
                break;
              case 'gather':
                await gather(op.bodies.map((b, j) => () => exec(b, new Map(model), `${where}[${j}]`)));
                check(model, `${where} (back)`);
                break;
            }
          }
          await Promise.all(children);
          check(model, `${path} (end)`);
        };
        await scheduler.waitFor(task(() => exec(ops, new Map(), 'root')));
        expect(errors).toEqual([]);
      }),
      { numRuns: 300 },
    );
    store.dispose?.();
  });
});
