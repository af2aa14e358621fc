// The `await` transform on code the conformance suite does not write: minified code, labels, classes,
// directives, TypeScript. Transformed in Node (a browser command), run here in Chromium.
import { describe, expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import { runtime } from './runtime-url.ts';
import { createAsyncContextStore } from '@tasklocal/browser-zone/async-context';

const extra = commands as unknown as {
  transform(code: string, id: string, runtime: string): Promise<{ code: string; map: { mappings: string } } | null>;
  runTransformedFiles(files: Record<string, string>, main: string): Promise<{ exitCode: number | null; stdout: string; stderr: string }>;
  originalPosition(map: string, line: number, column: number): Promise<{ line: number | null; column: number | null }>;
};
const store = createAsyncContextStore({ awaitTransform: true });
(globalThis as { __store?: unknown }).__store = store;

/** Transforms `code`, imports it from a blob, and returns its exports. */
async function load(code: string, id = 'case.js'): Promise<Record<string, (...args: unknown[]) => Promise<unknown>>> {
  const result = await extra.transform(code, id, runtime);
  if (result === null) throw new Error('nothing was transformed');
  const url = URL.createObjectURL(new Blob([result.code], { type: 'text/javascript' }));
  return import(/* @vite-ignore */ url);
}

const prelude = `const store = globalThis.__store; const sleep = (ms) => new Promise((r) => setTimeout(r, ms));`;

describe('the await transform', () => {
  test('code without await is left alone', async () => {
    expect(await extra.transform('export const x = 1;', 'plain.js', runtime)).toBeNull();
  });

  test('minified code, labels, nested for-await with continue and break', async () => {
    const m = await load(
      `${prelude}async function*g(n){for(let i=0;i<n;i++){await sleep(1);yield i}}` +
        `export async function f(){const out=[];outer:for await(const a of g(3)){for await(const b of g(2)){if(b===1)continue outer;await null;out.push(a+':'+b+':'+store.get())}}` +
        `for await(const c of g(5)){if(c===1)break;out.push('c'+store.get())}for await(const _ of g(1)){}out.push('end:'+store.get());return out}`,
    );
    const out = await store.run('A', () => m['f']?.());
    expect(out).toEqual(['0:0:A', '1:0:A', '2:0:A', 'cA', 'end:A']);
    expect(store.get()).toBeUndefined();
  });

  test('class methods, static and private methods, object methods, async arrows returning objects', async () => {
    const m = await load(`${prelude}
      class C { static async s() { await sleep(1); return store.get(); }
        async #p() { await null; return store.get(); }
        async m() { return [await this.#p(), await C.s()]; } }
      const o = { async m() { await sleep(1); return store.get(); } };
      const arrow = async () => ({ v: await sleep(1) ?? store.get() });
      export async function f() { return [...(await new C().m()), await o.m(), (await arrow()).v]; }`);
    expect(await store.run('B', () => m['f']?.())).toEqual(['B', 'B', 'B', 'B']);
  });

  test('directives stay directives, try/finally with return await, and a sync throw in catch', async () => {
    const m = await load(`${prelude}
      export async function f() { 'use strict';
        const strict = (function () { return this === undefined; })();
        try { return await Promise.reject(new Error('x')); }
        catch { store.set('C'); await sleep(1); return [strict, store.get()]; }
        finally { await null; } }`);
    expect(await store.run('A', () => m['f']?.())).toEqual([true, 'C']);
  });

  test('TypeScript input keeps its types and is still TypeScript', async () => {
    const result = await extra.transform(
      'export async function f(x: number): Promise<number> { const y = await g<number>(x); return y as number; }',
      'a.ts',
      runtime,
    );
    expect(result?.code).toContain('function f(x: number): Promise<number>');
    expect(result?.code).toContain('(__tl$t = (g<number>(x))');
    expect(result?.code).toContain('return __tl$rt.rt(y as number)');
  });

  test('the source map points back at the original lines', async () => {
    const source = 'export async function f() {\n  await one();\n  const marker = await two();\n  return marker;\n}\n';
    const result = await extra.transform(source, 'mapped.js', runtime);
    const lines = result?.code.split('\n') ?? [];
    const line = lines.findIndex((l) => l.includes('two()'));
    const position = await extra.originalPosition(JSON.stringify(result?.map), line + 1, (lines[line] ?? '').indexOf('two()'));
    expect(position.line).toBe(3);
    expect(position.column).toBe(source.split('\n')[2]?.indexOf('two()'));
  });
});

describe('code without semicolons', () => {
  test('a line that starts with `await` does not continue the line before it', async () => {
    const m = await load(`${prelude}
      export async function f() {
        const log = []
        log.push('start')
        await sleep(1)
        const one = 1
        await one
        let i = 0
        i++
        await i
        log.push(store.get())
        return log
      }`);
    expect(await store.run('A', () => m['f']?.())).toEqual(['start', 'A']);
  });

  test('after a directive, in a block, a case and a loop body, with comments between', async () => {
    const m = await load(`${prelude}
      export async function f() {
        'use strict'
        const log = []
        const strict = (function () { return this === undefined })()
        // a comment
        await sleep(1)
        if (strict) {
          log.push('block')
          /* another */ await null
        }
        switch (log.length) {
          case 1:
            log.push('case')
            await null
        }
        for (const n of [1]) log.push(n)
        await null
        lbl: for (;;) { log.push('label')
          await null
          break lbl }
        return [strict, store.get(), ...log]
      }`);
    expect(await store.run('B', () => m['f']?.())).toEqual([true, 'B', 'block', 'case', 1, 'label']);
  });

  test('a bare `yield` and a `return` that end their line do not run into the next one', async () => {
    const m = await load(`${prelude}
      async function* g() {
        await null
        yield
        [1].forEach(() => {})
        yield
        (0)
      }
      async function r() {
        let i = 0
        await null
        return i++
        (function () { return 'called' })()
      }
      export async function f() {
        const out = []
        for await (const v of g()) out.push(v)
        out.push(await r())
        return out
      }`);
    expect(await store.run('C', () => m['f']?.())).toEqual([undefined, undefined, 0]);
  });

  test('`for await` whose body is a `return await` keeps the return inside the loop', async () => {
    const m = await load(`${prelude}
      async function* g() { yield 1; yield 2 }
      export async function f() {
        for await (const v of g()) return await (v + store.get())
      }`);
    expect(await store.run('D', () => m['f']?.())).toBe('1D');
  });
});

describe('CommonJS and scripts', () => {
  test('a .cjs file gets the helpers with require, after its directives', async () => {
    const run = await extra.runTransformedFiles(
      {
        'main.cjs': `'use strict'
          const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
          async function f() { await sleep(1); return (function () { return this })() === undefined }
          f().then((strict) => console.log('strict', strict))`,
      },
      'main.cjs',
    );
    expect(run.stdout, run.stderr).toBe('strict true\n');
  });

  test('a .js file that uses require or module.exports is CommonJS', async () => {
    const run = await extra.runTransformedFiles(
      {
        'package.json': '{ "type": "commonjs" }',
        'lib.js': 'module.exports = async function twice(x) { return 2 * (await x) }',
        'main.js': "require('./lib.js')(Promise.resolve(21)).then((n) => console.log(n))",
      },
      'main.js',
    );
    expect(run.stdout, run.stderr).toBe('42\n');
    const result = await extra.transform('exports.f = async () => { await 1 }', 'lib.js', 'rt');
    expect(result?.code).toMatch(/^const __tl\$rt = require\("rt"\);$/m);
    expect(result?.code).not.toContain('import ');
    const typescript = await extra.transform('export async function f(x: number) { await x }', 'lib.cts', 'rt');
    expect(typescript?.code).toContain('const __tl$rt = require("rt");');
  });

  test('a file with neither import nor require is a script, left alone; .mjs is always a module', async () => {
    const code = 'async function f() { await g() }';
    expect(await extra.transform(code, 'classic.js', 'rt')).toBeNull();
    expect((await extra.transform(code, 'module.mjs', 'rt'))?.code).toContain('import * as __tl$rt from "rt";');
    expect((await extra.transform(`export ${code}`, 'module.js', 'rt'))?.code).toContain('import * as __tl$rt from "rt";');
  });
});
