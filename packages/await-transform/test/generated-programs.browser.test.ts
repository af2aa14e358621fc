// Generated programs, run as written and once transformed: both must leave the same trace. The
// programs mix `await`, `yield`, `for await`, labels, try/catch/finally, async arrows, comments, and
// lines that start with `(`, `[`, a template, `+`, `-` or `/` with or without semicolons before them.
// The transformed run also checks the transform's purpose: every probe sees its task's value.
//
// Seed and runs: FC_SEED and FC_RUNS in the environment; a failure prints the seed and the shrunk program.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import { runtime } from './runtime-url.ts';
import { createAsyncContextStore } from '@tasklocal/browser-zone/async-context';

const node = commands as unknown as {
  transform(code: string, id: string, runtime: string): Promise<{ code: string } | null>;
  env(name: string): Promise<string | undefined>;
};
const store = createAsyncContextStore({ awaitTransform: true });
(globalThis as { __generatedStore?: unknown }).__generatedStore = store;

/** Where a statement is generated: which task (for probes; none in the generator), in an async generator, inside which labelled loops. */
interface Place {
  readonly task: string | undefined;
  readonly generator: boolean;
  readonly labels: readonly string[];
  /** At the module's top level, where there is no `return`. */
  readonly top?: boolean;
}

const n = fc.integer({ min: 0, max: 99 });

/** Statements with no statement inside. */
function simple(place: Place): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [
    n.map((i) => `log.push(${i})`),
    n.map((i) => `u.p${i}`),
    n.map((i) => `await tick(${i})`),
    n.map((i) => `await micro(${i})`),
    fc.constant('await u'),
    n.map((i) => `await thenable(${i})`),
    n.map((i) => `log.push(await micro(${i}))`),
    n.map((i) => `var v = await thenable(${i})`),
    fc.constant('log.push(show(v))'),
    // Lines that continue the one before when it has no semicolon.
    n.map((i) => `(log.push('paren ${i}'))`),
    n.map((i) => `[log.push('bracket ${i}')].length`),
    n.map((i) => `\`template \${log.push('template ${i}')}\``),
    n.map((i) => `+log.push('plus ${i}')`),
    n.map((i) => `-log.push('minus ${i}')`),
    n.map((i) => `/re/g[log.push('slash ${i}')]`),
    // The same starts with an await inside.
    n.map((i) => `(await micro(${i}))`),
    n.map((i) => `[await micro(${i})].length`),
    n.map((i) => `\`template \${await micro(${i})}\``),
    n.map((i) => `-await micro(${i})`),
    fc.constant('+await u'),
    n.map((i) => `/re/g[await micro(${i})]`),
    n.map((i) => `log.push(\`in a template \${await tick(${i})}\`)`),
    n.map((i) => `await (async () => await micro(${i}))()`),
    n.map((i) => `log.push(await (async (x) => x + await tick(${i}))(1))`),
  ];
  if (place.task !== undefined) options.push(fc.constant(`probe('${place.task}')`));
  if (place.generator) {
    options.push(
      n.map((i) => `yield ${i}`),
      fc.constant('yield'),
      n.map((i) => `yield await micro(${i})`),
      fc.constant('yield* source(2)'),
      fc.constant('log.push(show(yield))'),
    );
  } else if (place.top !== true) {
    options.push(n.map((i) => `return await micro(${i})`));
  }
  for (const label of place.labels)
    options.push(fc.constant(`if (log.length % 2) continue ${label}`), fc.constant(`if (log.length % 3) break ${label}`));
  return fc.oneof(...options);
}

const separator = fc.constantFrom('\n', ';\n', '\n\n', '\n// a comment\n', '\n/* a comment */ ', ' /* a comment */\n');

function block(place: Place, depth: number): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(statement(place, depth), separator), { minLength: 1, maxLength: 5 })
    .map((items) => items.map(([text, after]) => text + after).join(''));
}

function statement(place: Place, depth: number): fc.Arbitrary<string> {
  if (depth === 0) return simple(place);
  const inner = (labelled: Place) => block(labelled, depth - 1);
  return fc.oneof(
    { weight: 6, arbitrary: simple(place) },
    {
      weight: 1,
      arbitrary: fc.boolean().chain((labelled) => {
        const label = `loop${place.labels.length}`;
        const within = labelled ? { ...place, labels: [...place.labels, label] } : place;
        return fc
          .tuple(fc.integer({ min: 0, max: 3 }), inner(within))
          .map(([count, body]) => `${labelled ? `${label}: ` : ''}for await (const x of source(${count})) {\nlog.push(x)\n${body}}`);
      }),
    },
    { weight: 1, arbitrary: simple(place).map((body) => `for await (const x of source(2)) ${body}`) },
    { weight: 1, arbitrary: fc.tuple(inner(place), inner(place)).map(([body, after]) => `try {\n${body}} finally {\n${after}}`) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(inner(place), inner(place))
        .map(
          ([body, handler]) =>
            `try {\n${body}\nthrow new Error('thrown')\n} catch (error) {\nlog.push(error.name === 'Error' ? error.message : error.name)\n${handler}}`,
        ),
    },
    { weight: 1, arbitrary: fc.tuple(inner(place), simple(place)).map(([body, other]) => `if (log.length % 2) {\n${body}} else ${other}`) },
    { weight: 1, arbitrary: fc.tuple(simple(place), simple(place)).map(([one, other]) => `if (log.length % 2) ${one}\nelse ${other}`) },
    { weight: 1, arbitrary: simple(place).map((body) => `do ${body}\nwhile (log.length < 0)`) },
    { weight: 1, arbitrary: inner(place).map((body) => `do {\n${body}} while (await micro(false))`) },
    {
      weight: 1,
      arbitrary: fc.tuple(inner(place), inner(place)).map(([zero, one]) => `switch (log.length % 2) {\ncase 0:\n${zero}\ncase 1:\n${one}}`),
    },
    {
      weight: 1,
      arbitrary: inner(place).map(
        (body) => `block${place.labels.length}: {\n${body}\nif (log.length) break block${place.labels.length}\nlog.push('not broken')\n}`,
      ),
    },
    {
      weight: 1,
      arbitrary: inner({ ...place, generator: false, labels: [], top: false }).map(
        (body) => `log.push(show(await (async () => {\n${body}})()))`,
      ),
    },
    {
      weight: 1,
      arbitrary: inner({ ...place, generator: false, labels: [], top: false }).map(
        (body) => `log.push(show(await new (class {\nfield = log.push('field')\nasync method() {\n${body}}\n})().method()))`,
      ),
    },
  );
}

const PRELUDE = `const store = globalThis.__generatedStore;
const log = globalThis.__generatedLog;
const seen = [];
const re = 2, g = 3;
var v;
const u = new Proxy(function () {}, {
  apply() { log.push('call'); return u; },
  get(_, key) {
    if (key === Symbol.toPrimitive) return () => { log.push('primitive'); return 1; };
    if (key === 'then' || typeof key === 'symbol') return undefined;
    log.push('get ' + key);
    return u;
  },
});
const show = (value) => (value === u ? 'u' : value === undefined ? 'undefined' : typeof value === 'object' ? JSON.stringify(value) : value);
const tick = (value) => new Promise((resolve) => setTimeout(() => resolve(value), 0));
const micro = (value) => Promise.resolve(value);
const thenable = (value) => ({ then(resolve) { log.push('then ' + value); resolve(value); } });
const probe = (task) => seen.push([task, store.get()]);
async function* source(count) { for (let i = 0; i < count; i++) { await micro(); yield i; } }
`;

const MAIN = `
export async function main() {
  const settle = (promise) => promise.then(show, (error) => 'threw ' + error.name);
  const tasks = await Promise.all([settle(store.run('A', a)), settle(store.run('B', b))]);
  const yielded = [];
  try {
    for await (const value of gen()) yielded.push(show(value));
  } catch (error) {
    yielded.push('threw ' + error.name);
  }
  return { log, tasks, yielded, seen };
}
`;

/** A generated program: its source, shown as it reads when fast-check reports it. */
interface Program {
  readonly source: string;
  readonly [fc.toStringMethod]: () => string;
}

const programs: fc.Arbitrary<Program> = fc
  .tuple(
    block({ task: undefined, generator: false, labels: [], top: true }, 1),
    block({ task: 'A', generator: false, labels: [] }, 2),
    block({ task: 'B', generator: false, labels: [] }, 2),
    block({ task: undefined, generator: true, labels: [] }, 2),
  )
  .map(([top, a, b, gen]) => {
    const functions = `async function a() {\n${a}}\nasync function b() {\n${b}}\nasync function* gen() {\nawait micro()\n${gen}}\n`;
    const source = `${PRELUDE}${top}\nexport default await micro('default')\n${functions}${MAIN}`;
    return { source, [fc.toStringMethod]: () => `\n${source}` };
  });

interface Trace {
  readonly log: unknown[];
  readonly tasks: unknown[];
  readonly yielded: unknown[];
  readonly seen: [string, unknown][];
}

/** Imports the program and runs its `main`; a throw at its top level ends the trace. A SyntaxError is thrown. */
async function run(code: string): Promise<Trace> {
  const log: unknown[] = [];
  (globalThis as { __generatedLog?: unknown[] }).__generatedLog = log;
  const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  let module: { main(): Promise<Trace>; default: unknown };
  try {
    module = await import(/* @vite-ignore */ url);
  } catch (error) {
    if (error instanceof SyntaxError || (error instanceof TypeError && /dynamically imported module/.test(error.message))) throw error;
    return { log: [...log, `top level threw ${(error as Error).name}`], tasks: [], yielded: [], seen: [] };
  } finally {
    URL.revokeObjectURL(url);
  }
  const trace = await module.main();
  return { ...trace, tasks: [module.default, ...trace.tasks] };
}

test('generated programs leave the same trace transformed as written', async () => {
  const seed = Number((await node.env('FC_SEED')) || 20261202);
  const numRuns = Number((await node.env('FC_RUNS')) || 200);
  await fc.assert(
    fc.asyncProperty(programs, async ({ source }) => {
      let written: Trace;
      try {
        written = await run(source);
      } catch (error) {
        // A line that continues the one before can make a program that does not parse; skip it.
        fc.pre(!(error instanceof SyntaxError || (error instanceof TypeError && /dynamically imported module/.test(error.message))));
        throw error;
      }
      const transformed = await node.transform(source, 'generated.js', runtime);
      expect(transformed, 'the transform left a program with await alone').not.toBeNull();
      const trace = await run(transformed?.code ?? '');
      expect({ log: trace.log, tasks: trace.tasks, yielded: trace.yielded }).toEqual({
        log: written.log,
        tasks: written.tasks,
        yielded: written.yielded,
      });
      for (const [task, value] of trace.seen) expect(value, `a probe in task ${task}`).toBe(task);
    }),
    // Most programs parse: if as many were skipped as run, the generator is broken, and fast-check fails.
    { seed, numRuns, maxSkipsPerRun: 1 },
  );
}, 300_000);
