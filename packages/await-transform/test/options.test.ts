// The plugins' `include` and `exclude` options, read as `@rollup/pluginutils`' `createFilter` reads them
// (plus a function of the id), against the ids bundlers really pass; and every wrong type refused by name.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rollup } from 'rollup';
import { describe, expect, test } from 'vitest';
import { awaitTransform as esbuildPlugin } from '../src/esbuild.ts';
import { createIdFilter } from '../src/filter.ts';
import { awaitTransform as rollupPlugin } from '../src/rollup.ts';
import { unplugin } from '../src/unplugin.ts';
import { awaitTransform as vitePlugin } from '../src/vite.ts';
import { awaitTransform as webpackPlugin } from '../src/webpack.ts';

const cwd = process.cwd();
const at = (path: string): string => join(cwd, path);

describe('which ids the plugin rewrites', () => {
  test('by default: JavaScript and TypeScript files outside node_modules, with or without a query', () => {
    const filter = createIdFilter(undefined, undefined);
    for (const id of ['a.js', 'a.mjs', 'a.cjs', 'a.jsx', 'a.ts', 'a.mts', 'a.cts', 'a.tsx', 'src/a.ts?v=123', 'src/a.js#hash']) {
      expect(filter(at(id)), id).toBe(true);
    }
    for (const id of ['a.css', 'a.vue', 'a.json', 'a.ts.map', 'node_modules/x/index.js', 'node_modules/.vite/deps/x.js?v=1']) {
      expect(filter(at(id)), id).toBe(false);
    }
    expect(createIdFilter(null, null)(at('a.ts'))).toBe(true);
    expect(createIdFilter(null, null)(at('node_modules/x/a.js'))).toBe(false);
  });

  test('never a virtual module (`\\0` id) nor the runtime the rewritten code imports', () => {
    for (const filter of [
      createIdFilter(undefined, undefined),
      createIdFilter('**', []),
      createIdFilter(
        () => true,
        () => false,
      ),
    ]) {
      expect(filter('\0virtual:entry.js')).toBe(false);
      expect(filter('\0commonjsHelpers.js?commonjs-proxy')).toBe(false);
      expect(filter(at('node_modules/@tasklocal/browser-zone/dist/runtime.js'))).toBe(false);
      expect(filter(at('packages/browser-zone/dist/agent.js'))).toBe(false);
    }
  });

  test('a glob resolves against the current directory, unless absolute or starting with `**`', () => {
    const filter = createIdFilter('src/**/*.ts', undefined);
    expect(filter(at('src/a.ts'))).toBe(true);
    expect(filter(at('src/deep/a.ts?v=123'))).toBe(true);
    expect(filter(at('lib/a.ts'))).toBe(false);
    expect(filter('/elsewhere/src/a.ts')).toBe(false);
    expect(createIdFilter(at('lib/*.js'), undefined)(at('lib/a.js'))).toBe(true);
    expect(createIdFilter(at('lib/*.js'), undefined)(at('lib/deep/a.js'))).toBe(false);
    expect(createIdFilter('**/feature/*.js', undefined)('/anywhere/feature/a.js')).toBe(true);
    // picomatch with `dot: true`, as createFilter sets it.
    expect(filter(at('src/.hidden/a.ts'))).toBe(true);
  });

  test('Windows paths are matched with forward slashes by globs and RegExps', () => {
    expect(createIdFilter('**/src/**/*.ts', undefined)('C:\\project\\src\\a.ts?v=1')).toBe(true);
    expect(createIdFilter(/\/src\/[^/]+\.ts$/, undefined)('C:\\project\\src\\a.ts')).toBe(true);
    expect(createIdFilter(undefined, undefined)('C:\\project\\node_modules\\x\\a.js')).toBe(false);
    expect(createIdFilter(undefined, undefined)('C:\\project\\src\\a.js')).toBe(true);
  });

  test('a RegExp, also with the `g` flag, matched again and again', () => {
    const filter = createIdFilter(/\.page\.js$/g, undefined);
    for (let i = 0; i < 3; i++) {
      expect(filter(at('home.page.js?v=123'))).toBe(true);
      expect(filter(at('home.js'))).toBe(false);
    }
  });

  test('an array of globs and RegExps matches when any does', () => {
    const filter = createIdFilter(['src/**/*.ts', /\.vue$/], undefined);
    expect(filter(at('src/a.ts'))).toBe(true);
    expect(filter(at('components/b.vue?vue&type=script'))).toBe(true);
    expect(filter(at('lib/c.js'))).toBe(false);
  });

  test('a function gets the id without its query', () => {
    const seen: string[] = [];
    const filter = createIdFilter((id: string) => {
      seen.push(id);
      return id.endsWith('.ts');
    }, undefined);
    expect(filter(at('src/a.ts?v=123'))).toBe(true);
    expect(filter(at('src/a.js'))).toBe(false);
    expect(seen).toEqual([at('src/a.ts'), at('src/a.js')]);
  });

  test('exclude wins over include; an empty exclude excludes nothing; a function may exclude', () => {
    expect(createIdFilter('**/*.js', 'src/legacy/**')(at('src/legacy/a.js'))).toBe(false);
    expect(createIdFilter('**/*.js', 'src/legacy/**')(at('src/a.js'))).toBe(true);
    expect(createIdFilter(undefined, [])(at('node_modules/x/a.js'))).toBe(true);
    expect(createIdFilter(undefined, (id: string) => id.includes('vendor'))(at('vendor/a.js'))).toBe(false);
    // A function that excludes replaces the default, so node_modules is in.
    expect(createIdFilter(undefined, (id: string) => id.includes('vendor'))(at('node_modules/x/a.js'))).toBe(true);
    expect(createIdFilter(() => true, /legacy/)(at('legacy/a.css'))).toBe(false);
    expect(createIdFilter(() => true, /legacy/)(at('app/a.css'))).toBe(true);
  });
});

describe('wrong option types', () => {
  const factories = {
    vite: vitePlugin,
    rollup: rollupPlugin,
    esbuild: esbuildPlugin,
    webpack: webpackPlugin,
    unplugin: (options?: unknown) => unplugin.raw(options as never, { framework: 'rollup', versions: {} }),
  };
  const wrong: [string, unknown, RegExp][] = [
    ['a number', 42, /got 42 \(a number\)/],
    ['a boolean', true, /got true \(a boolean\)/],
    ['a plain object', { test: '*.ts' }, /got an object \(Object\)/],
    ['a Map', new Map(), /got an object \(Map\)/],
    ['an array with a number', ['src/**', 1], /got an array with 1 \(a number\) at index 1/],
    ['an array with a function', [() => true], /got an array with .* \(a function\) at index 0/],
    ['an array with null', [null], /got an array with null at index 0/],
  ];

  describe.each(Object.entries(factories))('the %s plugin', (_name, create) => {
    test.each(['include', 'exclude'] as const)('`%s`: each wrong type is a TypeError naming the option', (option) => {
      for (const [what, value, got] of wrong) {
        const call = () => create({ [option]: value } as never);
        expect(call, what).toThrow(TypeError);
        expect(call, what).toThrow(new RegExp(`\`${option}\` option`));
        expect(call, what).toThrow(got);
        expect(call, what).toThrow(/a glob string, a RegExp, an array of those, or a function/);
      }
    });

    test('options that are not an object, and a runtime that is not a string', () => {
      expect(() => create(42 as never)).toThrow(/Expected the `options` .* got 42 \(a number\)/);
      expect(() => create(['src'] as never)).toThrow(/`options` .* got an array/);
      expect(() => create({ runtime: 1 } as never)).toThrow(/`runtime` option to be a module specifier string/);
    });

    test('null and undefined options mean the defaults', () => {
      expect(() => create()).not.toThrow();
      expect(() => create({ include: null, exclude: undefined, runtime: undefined } as never)).not.toThrow();
    });
  });
});

test('in a real Rollup build, only the modules `include` matches are rewritten', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tasklocal-include-'));
  try {
    const body = (name: string) => `export async function ${name}() { await null; return '${name}'; }\n`;
    await writeFile(join(dir, 'main.js'), "export { kept } from './kept.js';\nexport { rewritten } from './feature/rewritten.js';\n");
    await writeFile(join(dir, 'kept.js'), body('kept'));
    await mkdir(join(dir, 'feature'));
    await writeFile(join(dir, 'feature', 'rewritten.js'), body('rewritten'));
    const bundle = await rollup({
      input: join(dir, 'main.js'),
      external: ['@tasklocal/browser-zone/runtime'],
      plugins: [rollupPlugin({ include: '**/feature/*.js', exclude: /kept/ })],
    });
    const { output } = await bundle.generate({ format: 'es' });
    await bundle.close();
    const code = output[0].code;
    expect(code).toContain("from '@tasklocal/browser-zone/runtime'");
    expect(code).toMatch(/async function rewritten\(\) \{ let __tl\$t/);
    expect(code).toMatch(/async function kept\(\) \{ await null; return 'kept'; \}/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
