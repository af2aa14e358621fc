import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserCommand } from 'vitest/node';

const here = dirname(fileURLToPath(import.meta.url));

/** Bundles `entry` without the `await` transform, so a test can see what holds without it. */
const bundleUntransformed: BrowserCommand<[entry: string]> = async (_context, entry) => {
  const { rolldown } = await import('rolldown');
  const bundle = await rolldown({ input: resolve(here, entry), platform: 'browser', logLevel: 'silent' });
  const { output } = await bundle.generate({ format: 'esm' });
  await bundle.close();
  return output[0].code;
};

/** Bundles the fixture app with a bundler, with or without our plugin for it, into one ES module. */
const bundleWith: BrowserCommand<[bundler: string, transformed: boolean]> = async (_context, bundler, transformed) => {
  const entry = resolve(here, 'fixtures/talk-app.js');
  if (bundler === 'esbuild') {
    const { build } = await import('esbuild');
    const { awaitTransform } = await import('../src/esbuild.ts');
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
      plugins: transformed ? [awaitTransform()] : [],
    });
    return result.outputFiles[0]?.text ?? '';
  }
  if (bundler === 'rollup') {
    const { rollup } = await import('rollup');
    const { nodeResolve } = await import('@rollup/plugin-node-resolve');
    const { awaitTransform } = await import('../src/rollup.ts');
    const bundle = await rollup({
      input: entry,
      plugins: [nodeResolve({ browser: true }), ...(transformed ? [awaitTransform()] : [])],
      onwarn: () => {},
    });
    const { output } = await bundle.generate({ format: 'es' });
    await bundle.close();
    return output[0].code;
  }
  if (bundler === 'webpack') {
    const { default: webpack } = await import('webpack');
    const { awaitTransform } = await import('../src/webpack.ts');
    const out = await mkdtemp(join(tmpdir(), 'tasklocal-webpack-'));
    try {
      const compiler = webpack({
        mode: 'production',
        entry,
        target: 'web',
        devtool: false,
        optimization: { minimize: false },
        experiments: { outputModule: true },
        output: { path: out, filename: 'bundle.js', module: true, library: { type: 'module' } },
        plugins: transformed ? [awaitTransform()] : [],
      });
      await new Promise<void>((done, fail) =>
        compiler.run((error, stats) => {
          compiler.close(() => {});
          if (error) fail(error);
          else if (stats?.hasErrors()) fail(new Error(stats.toString('errors-only')));
          else done();
        }),
      );
      return await readFile(join(out, 'bundle.js'), 'utf8');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }
  if (bundler === 'vite') {
    const { build } = await import('vite');
    const { awaitTransform } = await import('../src/vite.ts');
    const result = await build({
      configFile: false,
      root: here,
      logLevel: 'silent',
      plugins: transformed ? [awaitTransform()] : [],
      build: { write: false, minify: false, lib: { entry, formats: ['es'], fileName: 'bundle' } },
    });
    const [first] = Array.isArray(result) ? result : [result];
    if (first === undefined || !('output' in first)) throw new Error('vite returned no bundle');
    return first.output[0].code;
  }
  throw new Error(`Unknown bundler ${bundler}: use esbuild, rollup, webpack or vite.`);
};

/** Writes a result file for the docs generator (only when it asked for one). */
const writeResults: BrowserCommand<[name: string, json: string]> = async (_context, name, json) => {
  const dir = process.env['TASKLOCAL_RESULTS_DIR'];
  if (dir === undefined) return false;
  await mkdir(dir, { recursive: true });
  await writeFile(resolve(dir, `${name}.json`), json);
  return true;
};

/** Runs the `await` transform in Node (it parses with oxc), for the transform's own tests. */
const transform: BrowserCommand<[code: string, id: string, runtime: string]> = async (_context, code, id, runtime) => {
  const { transformAwait } = await import('../src/transform.ts');
  const result = transformAwait(code, id, { runtime });
  return result === undefined ? null : { code: result.code, map: JSON.parse(result.map?.toString() ?? 'null') };
};

/** The original position of a generated one, through the transform's source map. */
const originalPosition: BrowserCommand<[map: string, line: number, column: number]> = async (_context, map, line, column) => {
  const { TraceMap, originalPositionFor } = await import('@jridgewell/trace-mapping');
  return originalPositionFor(new TraceMap(map), { line, column });
};

/** Transforms every JavaScript file of installed packages and parses the outputs again. */
const parseTransformed: BrowserCommand<[names: string[]]> = async (_context, names) => {
  const { parseTransformed } = await import('./real-packages.ts');
  return parseTransformed(names);
};

/** Runs a fixture script against transformed copies of installed packages and against the originals. */
const runTransformed: BrowserCommand<[fixture: string, names: string[]]> = async (_context, fixture, names) => {
  const { runTransformed } = await import('./real-packages.ts');
  return runTransformed(fixture, names);
};

/** Transforms a few files into a scratch project and runs one of them with Node. */
const runTransformedFiles: BrowserCommand<[files: Record<string, string>, main: string]> = async (_context, files, main) => {
  const { runTransformedFiles } = await import('./real-packages.ts');
  return runTransformedFiles(files, main);
};

/** An environment variable of the test run, such as a seed for the generated programs. */
const env: BrowserCommand<[name: string]> = async (_context, name) => process.env[name];

export const commands: Record<string, BrowserCommand<never[]>> = {
  env: env as BrowserCommand<never[]>,
  parseTransformed: parseTransformed as BrowserCommand<never[]>,
  runTransformed: runTransformed as BrowserCommand<never[]>,
  runTransformedFiles: runTransformedFiles as BrowserCommand<never[]>,
  bundleUntransformed: bundleUntransformed as BrowserCommand<never[]>,
  bundleWith: bundleWith as BrowserCommand<never[]>,
  writeResults: writeResults as BrowserCommand<never[]>,
  transform: transform as BrowserCommand<never[]>,
  originalPosition: originalPosition as BrowserCommand<never[]>,
};
