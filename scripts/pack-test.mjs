// The published packages, as users get them: `npm pack` every package, install
// the tarballs into an empty project outside the repository (no workspace
// links), type-check each README's usage example against them with `tsc`, and
// run it. Catches missing files, wrong `exports`, undeclared dependencies and
// broken types. Prints `pack: N passed, N failed`.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { $ } from 'zx';
import { createChecks } from './lib/checks.mjs';
import { launchChromium } from './lib/chromium.mjs';
import { root } from './lib/runtimes.mjs';
import { serveStatic } from './lib/static.mjs';

$.verbose = false;
$.quiet = true;
const packages = (await readdir(join(root, 'packages'))).sort();
const project = await mkdtemp(join(tmpdir(), 'tasklocal-pack-'));
const { check, finish } = createChecks('pack');

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
        !files.some((f) => /\.(test|test-d|fixture)\.ts$/.test(f)),
      files.join('\n'),
    );
    if (info.name === '@tasklocal/core') {
      const manifest = JSON.parse(await readFile(join(root, 'packages', name, 'package.json'), 'utf8'));
      check(
        '@tasklocal/core: no conformance suite in the tarball, no `./conformance` export and no vitest peer',
        !files.some((f) => /conformance|fixture/.test(f)) &&
          !Object.keys(manifest.exports).some((key) => key.includes('conformance')) &&
          manifest.peerDependencies?.vitest === undefined,
        files.filter((f) => /conformance|fixture/.test(f)).join('\n') || JSON.stringify(manifest, null, 2),
      );
    }
    if (info.name === '@tasklocal/conformance') {
      check(
        '@tasklocal/conformance: the tarball has the runner and the vitest binding, and no test files',
        files.includes('dist/vitest.js') && files.includes('dist/vitest.d.ts') && !files.some((f) => /\.test\.|fixture/.test(f)),
        files.join('\n'),
      );
    }
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
      if (spec.startsWith('node:') || spec.startsWith('.')) continue;
      const manifest = JSON.parse(await readFile(join(root, 'packages', name, 'package.json'), 'utf8'));
      // `@tasklocal/await-transform/vite` is used from a vite config: the project has vite.
      const sub = spec.startsWith('@tasklocal/') ? spec.split('/')[2] : undefined;
      if (spec.startsWith('@tasklocal/') && !(sub !== undefined && manifest.peerDependencies?.[sub])) continue;
      const pkg = sub ?? (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
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
    // Each example is its own program, so one package's types cannot hide or cause another's errors.
    await writeFile(join(project, `${name}.ts`), usage);
    await writeFile(join(project, `tsconfig.${name}.json`), JSON.stringify({ extends: './tsconfig.json', files: [`${name}.ts`] }));
    const tsc = await $({ cwd: project })`npx tsc -p tsconfig.${name}.json`.nothrow();
    check(`${name}: README usage type-checks against the packed types`, tsc.exitCode === 0, tsc.stdout + tsc.stderr);
    const run = await $({ cwd: project })`node out/${name}.js`.nothrow();
    check(`${name}: README usage runs from the tarballs`, run.exitCode === 0, run.stdout + run.stderr);
  }
  const conformance = await $({
    cwd: project,
  })`node --input-type=module -e ${"import { runConformance } from '@tasklocal/conformance'; import { createAlsStore } from '@tasklocal/node-als'; const r = await runConformance(createAlsStore, { modes: ['fresh'] }); console.log(r.failed + ' ' + r.passed); process.exitCode = r.failed ? 1 : 0;"}`.nothrow();
  check(
    'the conformance suite runs from the packed @tasklocal/conformance against the packed backend',
    conformance.exitCode === 0,
    conformance.stdout + conformance.stderr,
  );
  const entries = await $({
    cwd: project,
  })`node --input-type=module -e ${"const backend = await import('@tasklocal/core/backend'); const bridge = await import('@tasklocal/core/bridge'); if (typeof backend.createSyncStore !== 'function' || typeof bridge.exportValues !== 'function') throw new Error('an entry lacks its names');"}`.nothrow();
  check('the `/backend` and `/bridge` entries of the packed core resolve', entries.exitCode === 0, entries.stdout + entries.stderr);
  // The `threads` cases from the tarballs: the worker's test-only subpath as the bridge, the suite as its optional peer.
  await writeFile(
    join(project, 'thread-worker.mjs'),
    "import '@tasklocal/node-als/register';\nimport { parentPort } from 'node:worker_threads';\nimport { createThreadCaseHandler } from '@tasklocal/conformance';\nimport { serve } from '@tasklocal/worker';\nserve(createThreadCaseHandler(), { port: parentPort });\n",
  );
  await writeFile(
    join(project, 'threads.mjs'),
    "import { Worker } from 'node:worker_threads';\nimport { runConformance } from '@tasklocal/conformance';\nimport { createAlsStore } from '@tasklocal/node-als';\nimport { threadBridge } from '@tasklocal/worker/conformance';\nconst bridge = threadBridge(() => new Worker(new URL('./thread-worker.mjs', import.meta.url)));\nconst r = await runConformance(createAlsStore, { modes: ['fresh'], bridge, filter: (c) => c.group === 'threads' });\nconsole.log(`${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);\nprocess.exitCode = r.failed > 0 || r.passed === 0 || r.skipped > 0 ? 1 : 0;\n",
  );
  const threads = await $({ cwd: project })`node threads.mjs`.nothrow();
  check(
    "the `threads` cases run from the packed packages with `@tasklocal/worker/conformance`'s bridge",
    threads.exitCode === 0,
    threads.stdout + threads.stderr,
  );
  await transformSnippet();
  await browserZoneAlone(tarballs);
  await browserApp();
} finally {
  await rm(project, { recursive: true, force: true });
}

// The transform from its tarball, as a build tool calls it: a snippet rewritten, then run with Node
// against the packed backend and runtime. Every task must see its own value after `await`.
async function transformSnippet() {
  const source = `import '@tasklocal/browser-zone/register/async-context';
import { Local, runWith } from '@tasklocal/core';

const local = new Local();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const task = (n) => runWith(local, { id: n }, async () => {
  await sleep(n * 5);
  return local.id === n ? '==' : '!=';
});
console.log((await Promise.all([task(3), task(2), task(1)])).join(' '));
`;
  await writeFile(join(project, 'snippet.mjs'), source);
  const transform = await $({
    cwd: project,
  })`node --input-type=module -e ${"import { readFileSync, writeFileSync } from 'node:fs'; import { transformAwait } from '@tasklocal/await-transform'; writeFileSync('snippet.out.mjs', transformAwait(readFileSync('snippet.mjs', 'utf8'), 'snippet.mjs').code);"}`.nothrow();
  check('await-transform: the packed transform rewrites a snippet', transform.exitCode === 0, transform.stderr);
  const run = await $({ cwd: project })`node snippet.out.mjs`.nothrow();
  check(
    'await-transform: the rewritten snippet keeps every task its value after await',
    run.stdout.trim() === '== == ==',
    run.stdout + run.stderr,
  );
}

// What an app that needs only a backend gets: the browser-zone and core tarballs alone, in a project of
// their own, pull in no parser, bundler or bundler plugin.
async function browserZoneAlone(tarballs) {
  const alone = join(project, 'backend-only');
  await mkdir(alone);
  await writeFile(join(alone, 'package.json'), JSON.stringify({ name: 'backend-only', private: true, type: 'module' }, null, 2));
  const wanted = tarballs.filter((tarball) => /tasklocal-(?:core|browser-zone)-\d/.test(tarball));
  const install = await $({ cwd: alone })`npm install --no-audit --no-fund ${wanted}`.nothrow();
  check('browser-zone: installs with core alone', wanted.length === 2 && install.exitCode === 0, install.stderr);
  // `--omit=dev` is what `--prod` now expands to.
  const ls = await $({ cwd: alone })`npm ls --omit=dev --all --json`.nothrow();
  const names = new Set();
  const walk = (node) => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      // An optional peer that is not installed (zone.js; vitest for core's conformance binding) is listed without a version.
      if (child.version === undefined) continue;
      names.add(name);
      walk(child);
    }
  };
  walk(JSON.parse(ls.stdout || '{}'));
  const forbidden = ['oxc-parser', 'magic-string', 'unplugin', 'acorn', 'esbuild', 'rollup', 'vite', 'webpack'];
  const found = forbidden.filter(
    (name) => names.has(name) || [...names].some((n) => n.startsWith(`${name}/`) || n.startsWith(`@${name}/`)),
  );
  check(
    `browser-zone: no parser or bundler among its production dependencies (${[...names].sort().join(', ')})`,
    names.has('@tasklocal/browser-zone') && found.length === 0,
    `found: ${found.join(', ')}`,
  );
}

// @tasklocal/browser-zone as a browser app gets it: bundled by Vite from the tarballs, once with the
// `await` transform and once without (the control), and run in headless Chromium.
async function browserApp() {
  const web = join(project, 'web');
  await mkdir(web, { recursive: true });
  await writeFile(join(web, 'index.html'), '<!doctype html><title>tasklocal</title><script type="module" src="/main.js"></script>');
  await writeFile(
    join(web, 'main.js'),
    `import '@tasklocal/browser-zone/register/async-context';
import { Local } from '@tasklocal/core';

const local = new Local();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function task(n) {
  local.uniqueId = n;
  await sleep(n * 20);
  return \`\${n} \${local.uniqueId === n ? '==' : '!='} \${local.uniqueId}\`;
}
Promise.all([task(3), task(2), task(1)]).then(
  (lines) => { document.body.dataset.result = lines.join(', '); },
  (error) => { document.body.dataset.result = \`error: \${error}\`; },
);
`,
  );
  for (const [config, plugin] of [
    ['transformed', true],
    ['plain', false],
  ]) {
    await writeFile(
      join(web, `vite.${config}.config.mjs`),
      `${plugin ? "import { awaitTransform } from '@tasklocal/await-transform/vite';\n" : ''}` +
        `export default { ${plugin ? 'plugins: [awaitTransform()], ' : ''}logLevel: 'warn', build: { outDir: 'dist-${config}', minify: false } };\n`,
    );
    const build = await $({ cwd: project })`npx vite build web --config web/vite.${config}.config.mjs`.nothrow();
    check(`browser-zone: a Vite app builds from the tarballs (${config})`, build.exitCode === 0, build.stdout + build.stderr);
  }
  const bundle = async (config) => {
    const dir = join(web, `dist-${config}`, 'assets');
    const files = await readdir(dir).catch(() => []);
    return (await Promise.all(files.filter((f) => f.endsWith('.js')).map((f) => readFile(join(dir, f), 'utf8')))).join('\n');
  };
  const transformed = await bundle('transformed');
  check(
    'browser-zone: the Vite bundle keeps native async/await (no downleveling)',
    /async function task\(n\)/.test(transformed) && /\bawait\b/.test(transformed) && !/regeneratorRuntime|__awaiter/.test(transformed),
    transformed.slice(transformed.indexOf('task('), transformed.indexOf('task(') + 400),
  );
  const browser = await launchChromium();
  try {
    const results = {};
    for (const config of ['transformed', 'plain']) {
      const server = await serveStatic(join(web, `dist-${config}`));
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(server.base);
      results[config] = await page
        .waitForFunction(() => document.body?.dataset.result, undefined, { timeout: 10_000 })
        .then(
          (handle) => handle.jsonValue(),
          (error) => `no result: ${error.message}; ${errors.join('; ')}`,
        );
      await page.close();
      await server.close();
    }
    check(
      'browser-zone: the talk example in Chromium, bundled with the transform: == for every task',
      results.transformed === '3 == 3, 2 == 2, 1 == 1',
      results.transformed,
    );
    check(
      'browser-zone: the same app bundled without the transform loses the values after await (the control)',
      typeof results.plain === 'string' && results.plain.includes('!=') && !results.plain.startsWith('no result'),
      results.plain,
    );
  } finally {
    await browser.close();
  }
}
await finish();
