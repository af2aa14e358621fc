// Every code sample on the documentation site is a program: this script takes
// each ```ts/```js block from the site's pages (not the generated API pages),
// type-checks them all with `tsc` against the built packages, and runs each one.
// Prints `docs: N passed, N failed`.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { $ } from 'zx';
import { root } from './lib/runtimes.mjs';
import { createChecks } from './lib/checks.mjs';

$.verbose = false;
$.quiet = true;
const docs = join(root, 'docs');
const out = join(root, '.cache', 'doc-samples');

async function pages(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (['node_modules', 'api', '.vitepress'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await pages(path)));
    else if (entry.name.endsWith('.md') && entry.name !== 'README.md') found.push(path);
  }
  return found;
}

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const samples = [];
for (const page of await pages(docs)) {
  const text = await readFile(page, 'utf8');
  let n = 0;
  for (const match of text.matchAll(/^```(ts|js|typescript|javascript)\n([\s\S]*?)^```$/gm)) {
    n++;
    const name = `${relative(docs, page).replace(/\.md$/, '').replace(/[\\/]/g, '--')}-${n}`;
    const line = text.slice(0, match.index).split('\n').length;
    // `export {}` makes every sample a module, so top-level await and local names are allowed.
    await writeFile(join(out, `${name}.ts`), `${match[2]}\nexport {};\n`);
    samples.push({ name, where: `${relative(root, page)}:${line}` });
  }
}
await writeFile(join(out, 'package.json'), '{ "type": "module" }\n');
await writeFile(
  join(out, 'tsconfig.json'),
  JSON.stringify({
    extends: '../../tsconfig.base.json',
    compilerOptions: {
      noEmit: false,
      declaration: false,
      declarationMap: false,
      isolatedDeclarations: false,
      sourceMap: false,
      types: ['node'],
      lib: ['ES2023', 'DOM'],
      rootDir: '.',
      outDir: 'js',
    },
    include: ['*.ts'],
  }),
);

const { check, finish } = createChecks('docs');
const tsc = await $({ cwd: out })`${join(root, 'node_modules', '.bin', 'tsc')} -p tsconfig.json`.nothrow();
const typeErrors = tsc.stdout + tsc.stderr;
for (const sample of samples) {
  const errors = typeErrors.split('\n').filter((l) => l.startsWith(`${sample.name}.ts`));
  if (errors.length > 0) {
    check(`${sample.where} type-checks`, false, errors.join('\n'));
    continue;
  }
  const run = await $({ cwd: out, timeout: '30s' })`node js/${sample.name}.js`.nothrow();
  check(sample.where, run.exitCode === 0, `exited with ${run.exitCode}:\n${(run.stdout + run.stderr).slice(-1500)}`);
}
await finish();
