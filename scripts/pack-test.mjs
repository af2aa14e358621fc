// The published packages, as users get them: `npm pack` every package, install
// the tarballs into an empty project outside the repository (no workspace
// links), type-check each README's usage example against them with `tsc`, and
// run it. Catches missing files, wrong `exports`, undeclared dependencies and
// broken types. Prints `pack: N passed, N failed`.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { $ } from 'zx';
import { root } from './lib/runtimes.mjs';

$.verbose = false;
$.quiet = true;
const packages = (await readdir(join(root, 'packages'))).sort();
const project = await mkdtemp(join(tmpdir(), 'tasklocal-pack-'));
let passed = 0;
let failed = 0;
const check = (name, ok, detail = '') => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? '✓' : '✗'} ${name}${ok || !detail ? '' : `\n${detail}`}`);
};

try {
  const tarballs = [];
  for (const name of packages) {
    const out = await $({ cwd: join(root, 'packages', name) })`npm pack --json --pack-destination ${project}`;
    const [info] = JSON.parse(out.stdout);
    tarballs.push(join(project, info.filename));
    const files = info.files.map((f) => f.path);
    const publish = await $({ cwd: join(root, 'packages', name) })`npm publish --dry-run --access public --tag next`.nothrow();
    check(`${info.name}: \`npm publish --dry-run\` succeeds`, publish.exitCode === 0, publish.stderr);
    check(
      `${info.name}: the tarball has dist, README and package.json, and no tests`,
      files.includes('dist/index.js') &&
        files.includes('README.md') &&
        files.includes('package.json') &&
        !files.some((f) => f.endsWith('.test.ts')),
      files.join('\n'),
    );
  }
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  await writeFile(
    join(project, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          types: ['node'],
          skipLibCheck: false,
          outDir: 'out',
        },
      },
      null,
      2,
    ),
  );
  // Third-party packages the README examples import (a framework, a logger) come from the registry, as a user would add them.
  const usages = new Map();
  const extra = new Set();
  for (const name of packages) {
    const readme = await readFile(join(root, 'packages', name, 'README.md'), 'utf8').catch(() => '');
    const usage = /## Usage\n[\s\S]*?```(ts|js)\n([\s\S]*?)```/.exec(readme);
    usages.set(name, usage?.[2]);
    for (const [, spec] of (usage?.[2] ?? '').matchAll(/from ['"]([^'"]+)['"]/g)) {
      if (spec.startsWith('node:') || spec.startsWith('.') || spec.startsWith('@tasklocal/')) continue;
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      const manifest = JSON.parse(await readFile(join(root, 'packages', name, 'package.json'), 'utf8'));
      const range = manifest.devDependencies?.[pkg] ?? manifest.peerDependencies?.[pkg];
      extra.add(range ? `${pkg}@${range}` : pkg);
    }
  }
  const install = await $({
    cwd: project,
  })`npm install --no-audit --no-fund ${tarballs} typescript@5.9 @types/node@20 ${[...extra]}`.nothrow();
  check(
    `the tarballs install into an empty project${extra.size ? ` (with ${[...extra].join(', ')})` : ''}`,
    install.exitCode === 0,
    install.stderr,
  );

  for (const name of packages) {
    const usage = usages.get(name);
    if (usage === undefined) {
      check(`${name}: README has a runnable Usage example`, false);
      continue;
    }
    const file = join(project, `${name}.ts`);
    await writeFile(file, usage);
    const tsc = await $({ cwd: project })`npx tsc -p tsconfig.json`.nothrow();
    check(`${name}: README usage type-checks against the packed types`, tsc.exitCode === 0, tsc.stdout + tsc.stderr);
    const run = await $({ cwd: project })`node out/${name}.js`.nothrow();
    check(`${name}: README usage runs from the tarballs`, run.exitCode === 0, run.stdout + run.stderr);
  }
  const conformance = await $({
    cwd: project,
  })`node --input-type=module -e ${"import { runConformance } from '@tasklocal/core/conformance'; import { createAlsStore } from '@tasklocal/node-als'; const r = await runConformance(createAlsStore, { modes: ['fresh'] }); console.log(r.failed + ' ' + r.passed); process.exitCode = r.failed ? 1 : 0;"}`.nothrow();
  check(
    'the conformance suite runs from the packed core against the packed backend',
    conformance.exitCode === 0,
    conformance.stdout + conformance.stderr,
  );
} finally {
  await rm(project, { recursive: true, force: true });
}
console.log(`pack: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
