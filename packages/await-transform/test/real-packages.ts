// Node side of the tests over real packages: the `await` transform on every file of packages in
// node_modules, and scripts run against transformed copies of them. Browser commands call these.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSync } from 'oxc-parser';
import { transformAwait } from '../src/transform.ts';

const here = dirname(fileURLToPath(import.meta.url));
const JAVASCRIPT = /\.(?:c|m)?js$/;

/** The directory of an installed package, found the way Node finds it from this package. */
export function packageDir(name: string): string {
  for (let dir = resolve(here, '..'); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`Package \`${name}\` is not installed: run \`npm install\` at the repository root.`);
  }
}

async function* javascriptFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* javascriptFiles(path);
    else if (entry.isFile() && JAVASCRIPT.test(entry.name)) yield path;
  }
}

const breather = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** How a file is parsed: `.mjs` as a module, `.cjs` as CommonJS, `.js` as whichever its syntax says. */
function sourceTypeOf(file: string): 'module' | 'commonjs' | 'unambiguous' {
  return file.endsWith('.mjs') ? 'module' : file.endsWith('.cjs') ? 'commonjs' : 'unambiguous';
}

function position(code: string, offset: number): string {
  const before = code.slice(0, offset).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

/** What the transform did to every JavaScript file of some packages. */
export interface ParseReport {
  /** Files read. */
  readonly files: number;
  /** Files the transform rewrote. */
  readonly transformed: number;
  /** One line per broken output: file, line:column of the error in the output, and the error. */
  readonly failures: string[];
}

/**
 * Transforms every `.js`, `.mjs` and `.cjs` file of the packages and parses each output again: it must
 * parse, as the same kind of file (no `import` put into CommonJS or a script).
 */
export async function parseTransformed(names: readonly string[]): Promise<ParseReport> {
  let files = 0;
  let transformed = 0;
  const failures: string[] = [];
  for (const name of names) {
    const root = packageDir(name);
    for await (const file of javascriptFiles(root)) {
      // This runs in the test runner's own process: let it answer other work between files.
      await breather();
      files++;
      const code = await readFile(file, 'utf8');
      const result = transformAwait(code, file, { sourceMap: false });
      if (result === undefined) continue;
      transformed++;
      const shown = `${name}/${relative(root, file)}`;
      const sourceType = sourceTypeOf(file);
      const after = parseSync(file, result.code, { sourceType });
      const error = after.errors[0];
      if (error !== undefined) {
        failures.push(`${shown}:${position(result.code, error.labels[0]?.start ?? 0)}: ${error.message}`);
        continue;
      }
      const before = parseSync(file, code, { sourceType }).program.sourceType;
      if (before !== after.program.sourceType)
        failures.push(`${shown}: was parsed as ${before}, its output as ${after.program.sourceType}`);
    }
  }
  return { files, transformed, failures };
}

/** The runtime helper as the transformed code imports it: `@tasklocal/browser-zone/runtime`, one ES module. */
async function installRuntime(nodeModules: string): Promise<void> {
  const dir = join(nodeModules, '@tasklocal', 'browser-zone');
  await mkdir(dir, { recursive: true });
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(packageDir('@tasklocal/browser-zone'), 'dist/runtime.js')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile: join(dir, 'runtime.js'),
    logLevel: 'silent',
  });
  const manifest = { name: '@tasklocal/browser-zone', type: 'module', exports: { './runtime': './runtime.js' } };
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest));
}

async function link(nodeModules: string, name: string, target: string): Promise<void> {
  const path = join(nodeModules, name);
  if (existsSync(path)) return;
  await mkdir(dirname(path), { recursive: true });
  await symlink(target, path, 'dir');
}

/**
 * A project in a temporary directory whose `node_modules` holds `transformed` (copies of the installed
 * packages, every file rewritten in place) and links to their dependencies; with `transformed` false,
 * links to the installed packages themselves.
 */
async function project(names: readonly string[], transformed: boolean): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), transformed ? 'tasklocal-transformed-' : 'tasklocal-plain-'));
  const nodeModules = join(root, 'node_modules');
  await mkdir(nodeModules);
  if (!transformed) {
    for (const name of names) await link(nodeModules, name, await realpath(packageDir(name)));
    return root;
  }
  await installRuntime(nodeModules);
  for (const name of names) {
    const source = await realpath(packageDir(name));
    const copy = join(nodeModules, name);
    await cp(source, copy, { recursive: true });
    for await (const file of javascriptFiles(copy)) {
      await breather();
      const result = transformAwait(await readFile(file, 'utf8'), file, { sourceMap: false });
      if (result !== undefined) await writeFile(file, result.code);
    }
  }
  // Dependencies that are not copied stay where they are installed, linked, so that they resolve their own.
  for (const name of names) {
    const source = await realpath(packageDir(name));
    const manifest = JSON.parse(await readFile(join(source, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const dependencies = Object.keys({ ...manifest['dependencies'], ...manifest['optionalDependencies'], ...manifest['peerDependencies'] });
    for (const dependency of dependencies) {
      if (names.includes(dependency) || existsSync(join(source, 'node_modules', dependency))) continue;
      const found = dependencyDir(source, dependency);
      if (found !== undefined) await link(nodeModules, dependency, await realpath(found));
    }
  }
  return root;
}

function dependencyDir(from: string, name: string): string | undefined {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const candidate = dir.endsWith('node_modules') ? join(dir, name) : join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** What a script printed and how it ended. */
export interface Run {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(script: string, cwd: string, args: readonly string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (exitCode) => done({ exitCode, stdout, stderr }));
  });
}

/**
 * Runs the fixture script `test/fixtures/real-packages/<fixture>.mjs` twice, once against transformed copies
 * of `names` and once against the installed packages; the script gets a scratch directory as its argument.
 */
export async function runTransformed(fixture: string, names: readonly string[]): Promise<{ transformed: Run; plain: Run }> {
  const roots: string[] = [];
  try {
    const runs: Run[] = [];
    for (const transformed of [true, false]) {
      const root = await project(names, transformed);
      roots.push(root);
      const script = join(root, `${fixture}.mjs`);
      await cp(resolve(here, 'fixtures/real-packages', `${fixture}.mjs`), script);
      const scratch = join(root, 'scratch');
      await mkdir(scratch);
      runs.push(await run(script, root, [scratch]));
    }
    const [transformed, plain] = runs as [Run, Run];
    return { transformed, plain };
  } finally {
    for (const root of roots) await rm(root, { recursive: true, force: true });
  }
}

/** Transforms `files` (name to source) into a scratch project with the runtime installed and runs `main`. */
export async function runTransformedFiles(files: Readonly<Record<string, string>>, main: string): Promise<Run> {
  const root = await mkdtemp(join(tmpdir(), 'tasklocal-files-'));
  try {
    await installRuntime(join(root, 'node_modules'));
    for (const [name, code] of Object.entries(files)) {
      const result = transformAwait(code, join(root, name), { sourceMap: false });
      await writeFile(join(root, name), result === undefined ? code : result.code);
    }
    return await run(join(root, main), root, []);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
