// Generated programs over many Locals, many keys and two stores: scopes of
// one Local and of several, writes, deletes, tasks, snapshots, Locals created
// and dropped mid-program, values moved through the packed transfer form. At
// every step every Local must read what a plain model (a Map per Local,
// copied at every scope) says. fast-check shrinks a failure to a minimal
// program and prints the seed; FC_SEED and FC_RUNS change them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContextStore } from '../src/backend.ts';
import { exportValues, runWithValues } from '../src/bridge.ts';
import { Local, runWith, snapshot, task, valuesOf, view } from '../src/index.ts';
import { createRawAlsStore as createStore } from '../../../test-support/als-store.ts';

const SEED = Number(process.env.FC_SEED ?? 20261202);
const RUNS = Number(process.env.FC_RUNS ?? 300);

// Keys that collide with Object.prototype, look like indexes, or are empty,
// plus enough plain ones that a record passes the size where it gets an index.
const KEYS = ['__proto__', 'constructor', 'toString', '0', '1', '', 'a', 'b', ...Array.from({ length: 24 }, (_, i) => `k${i}`)];
const LOCALS = 6;

type Op =
  | { kind: 'set'; local: number; key: string; value: number }
  | { kind: 'delete'; local: number; key: string }
  | { kind: 'check' }
  | { kind: 'runWith'; local: number; values: [string, number][]; body: Op[] }
  | { kind: 'bindings'; pairs: [number, [string, number][]][]; body: Op[] }
  | { kind: 'task'; body: Op[] }
  | { kind: 'snapshot'; body: Op[] }
  | { kind: 'transfer'; body: Op[] }
  | { kind: 'fresh'; body: Op[] };

const local = fc.integer({ min: 0, max: LOCALS - 1 });
const key = fc.constantFrom(...KEYS);
const value = fc.integer({ min: 0, max: 999 });
const values = fc.array(fc.tuple(key, value), { maxLength: 20 });

const { program } = fc.letrec<{ program: Op[]; op: Op }>((tie) => ({
  program: fc.array(tie('op'), { maxLength: 6 }),
  op: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('set' as const), local, key, value }),
    fc.record({ kind: fc.constant('delete' as const), local, key }),
    fc.constant({ kind: 'check' as const }),
    fc.record({ kind: fc.constant('runWith' as const), local, values, body: tie('program') as fc.Arbitrary<Op[]> }),
    fc.record({
      kind: fc.constant('bindings' as const),
      pairs: fc.array(fc.tuple(local, values), { maxLength: 4 }),
      body: tie('program') as fc.Arbitrary<Op[]>,
    }),
    fc.record({ kind: fc.constant('task' as const), body: tie('program') as fc.Arbitrary<Op[]> }),
    fc.record({ kind: fc.constant('snapshot' as const), body: tie('program') as fc.Arbitrary<Op[]> }),
    fc.record({ kind: fc.constant('transfer' as const), body: tie('program') as fc.Arbitrary<Op[]> }),
    fc.record({ kind: fc.constant('fresh' as const), body: tie('program') as fc.Arbitrary<Op[]> }),
  ),
}));

type Model = Map<string, number>[];

function copy(model: Model): Model {
  return model.map((values) => new Map(values));
}

/** An object with these own keys, `__proto__` included, as a user's JSON would give. */
function objectOf(entries: [string, number][]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** What `runWith` does with a values object: its own keys in the language's order (index-like keys first). */
function merge(values: Map<string, number>, entries: [string, number][]): void {
  for (const [k, v] of Object.entries(objectOf(entries))) values.set(k, v);
}

describe('generated programs over many Locals and keys match the model', () => {
  it('every read, `in`, Object.keys and valuesOf equals the model at every step', () => {
    const stores = [createStore('churn-1'), createStore('churn-2')];
    let generation = 0;
    fc.assert(
      fc.property(program, (ops) => {
        // Fresh Locals for every program (the old ones are dropped and collected as they go), named so
        // that the transfer form matches them; Locals alternate between the two stores.
        generation++;
        let locals = Array.from(
          { length: LOCALS },
          (_, i) => new Local<Record<string, number>>({ store: stores[i % 2] as ContextStore, name: `churn.${generation}.${i}` }),
        );
        const errors: string[] = [];
        const check = (model: Model, where: string) => {
          for (let i = 0; i < LOCALS; i++) {
            const actual = locals[i] as Record<string, number>;
            const expected = model[i] as Map<string, number>;
            const keys = Object.keys(actual);
            if (JSON.stringify(keys) !== JSON.stringify([...expected.keys()])) {
              errors.push(`${where}: Object.keys(local ${i}) is ${JSON.stringify(keys)}, model ${JSON.stringify([...expected.keys()])}`);
            }
            const fast = view(locals[i] as Local<Record<string, number>>, KEYS);
            const all = valuesOf(locals[i] as Local<Record<string, number>>);
            for (const k of KEYS) {
              const want = expected.get(k);
              if (actual[k] !== want) errors.push(`${where}: local ${i}[${JSON.stringify(k)}] is ${actual[k]}, model ${want}`);
              if ((fast as Record<string, unknown>)[k] !== want) errors.push(`${where}: view of local ${i} reads ${k} wrong`);
              if (k in actual !== expected.has(k)) errors.push(`${where}: \`${k} in local ${i}\` disagrees`);
              if (Object.hasOwn(all, k) !== expected.has(k) || all[k] !== want)
                errors.push(`${where}: valuesOf(local ${i}).${k} disagrees`);
            }
          }
        };
        const exec = (body: Op[], model: Model, path: string): void => {
          for (const [n, op] of body.entries()) {
            const where = `${path}.${n}:${op.kind}`;
            switch (op.kind) {
              case 'set':
                (locals[op.local] as Record<string, number>)[op.key] = op.value;
                (model[op.local] as Map<string, number>).set(op.key, op.value);
                break;
              case 'delete':
                delete (locals[op.local] as Record<string, number>)[op.key];
                (model[op.local] as Map<string, number>).delete(op.key);
                break;
              case 'check':
                check(model, where);
                break;
              case 'runWith': {
                const inner = copy(model);
                merge(inner[op.local] as Map<string, number>, op.values);
                runWith(locals[op.local] as Local<Record<string, number>>, objectOf(op.values), () => {
                  check(inner, `${where} (entered)`);
                  exec(op.body, inner, where);
                });
                check(model, `${where} (left)`);
                break;
              }
              case 'bindings': {
                const inner = copy(model);
                for (const [i, entries] of op.pairs) merge(inner[i] as Map<string, number>, entries);
                runWith(
                  op.pairs.map(([i, entries]) => [locals[i] as object, objectOf(entries)] as const),
                  () => {
                    check(inner, `${where} (entered)`);
                    exec(op.body, inner, where);
                  },
                );
                check(model, `${where} (left)`);
                break;
              }
              case 'task':
                task(() => exec(op.body, copy(model), where));
                check(model, `${where} (after)`);
                break;
              case 'snapshot': {
                const snap = snapshot();
                const captured = copy(model);
                // Change everything after the capture: the snapshot must not see it.
                runWith(
                  locals.map((l) => [l, { later: 1 }] as const),
                  () => snap.run(() => exec(op.body, copy(captured), where)),
                );
                check(model, `${where} (after)`);
                break;
              }
              case 'transfer': {
                // Out through the packed form, into a scope that starts empty, as a worker's first call.
                const packed = exportValues();
                const moved = copy(model);
                runWith(
                  locals.map((l) => [l, {}] as const),
                  () => {
                    for (let i = 0; i < LOCALS; i++)
                      for (const k of Object.keys(locals[i] as object)) delete (locals[i] as Record<string, number>)[k];
                    runWithValues(structuredClone(packed), () => {
                      check(moved, `${where} (received)`);
                      exec(op.body, moved, where);
                    });
                  },
                );
                check(model, `${where} (after)`);
                break;
              }
              case 'fresh': {
                // Churn: a new set of Locals for the body, the old ones unreachable from it.
                const before = locals;
                generation++;
                locals = Array.from(
                  { length: LOCALS },
                  (_, i) => new Local<Record<string, number>>({ store: stores[i % 2] as ContextStore, name: `churn.${generation}.${i}` }),
                );
                exec(
                  op.body,
                  Array.from({ length: LOCALS }, () => new Map()),
                  where,
                );
                locals = before;
                check(model, `${where} (after)`);
                break;
              }
            }
          }
        };
        runWith(
          locals.map((l) => [l, {}] as const),
          () =>
            exec(
              ops,
              Array.from({ length: LOCALS }, () => new Map()),
              'program',
            ),
        );
        expect(errors).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);
});
