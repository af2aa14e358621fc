// The `await` transform on code the conformance suite does not write: minified code, labels, classes,
// directives, TypeScript. Transformed in Node (a browser command), run here in Chromium.
import { describe, expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import { createAsyncContextStore } from '../src/async-context.ts';

const extra = commands as unknown as {
  transform(code: string, id: string, runtime: string): Promise<{ code: string; map: { mappings: string } } | null>;
  originalPosition(map: string, line: number, column: number): Promise<{ line: number | null; column: number | null }>;
};
const runtime = new URL('../src/runtime.ts', import.meta.url).href;
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
