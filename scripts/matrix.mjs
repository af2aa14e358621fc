// `npm run matrix`: the conformance suite with @tasklocal/node-als on every
// runtime we support, installed from npm into .cache/runtimes. Prints one
// table (runtime × group of cases) and writes it to docs/matrix.md.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { $ } from 'zx';
import { writeResults } from './lib/checks.mjs';
import { ensureBun, ensureDeno, ensureNode, ensureWorkerd, root } from './lib/runtimes.mjs';

$.cwd = root;
$.verbose = false;
$.quiet = true;
const runner = 'scripts/matrix/runner.mjs';
const skipBuild = process.argv.includes('--no-build');
if (!skipBuild) await $`npx turbo run build --output-logs=errors-only`;

async function version(bin, args = ['--version']) {
  return (await $`${bin} ${args}`.nothrow()).stdout.trim().split('\n')[0];
}

const targets = [];
for (const major of [20, 22, 24, 26]) {
  const node = await ensureNode(major);
  const v = await version(node);
  targets.push({ runtime: `Node ${v}`, command: () => $`${node} ${runner}` });
  if (major === 22)
    targets.push({
      runtime: `Node ${v} --experimental-async-context-frame`,
      command: () => $`${node} --experimental-async-context-frame ${runner}`,
    });
  if (major >= 24)
    targets.push({ runtime: `Node ${v} --no-async-context-frame`, command: () => $`${node} --no-async-context-frame ${runner}` });
}
const bun = await ensureBun();
targets.push({ runtime: `Bun ${await version(bun)}`, command: () => $`${bun} ${runner}` });
const deno = await ensureDeno();
targets.push({
  runtime: (await version(deno)).replace(/^deno/, 'Deno').replace(/ \(.*$/, ''),
  command: () => $`${deno} run -A --v8-flags=--expose-gc ${runner}`,
});
const workerd = await ensureWorkerd();
await mkdir(join(root, '.cache', 'matrix'), { recursive: true });
await $`npx rolldown --logLevel silent ${runner} --format esm --platform neutral --external ${'node:*'} --external @tasklocal/worker --external @tasklocal/worker/conformance -o .cache/matrix/workerd-runner.mjs`;
targets.push({
  runtime: `${(await version(workerd)).replace(/^workerd /, 'workerd ')} (nodejs_compat)`,
  command: () => $`${workerd} test scripts/matrix/workerd.capnp`,
});

// Chromium: the browser backends' conformance files, through vitest's browser mode and its JSON report.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumVersion = (await $`${chromium} --version`.nothrow()).stdout.trim().replace(/^Chromium (\S+).*/, '$1');
// [describe titles of the row's suites, row label]; the AsyncContext row adds the `threads` cases over Web Workers.
const browserSuites = [
  [
    ['async-context polyfill + await transform', 'AsyncContext polyfill + @tasklocal/worker (Web Workers)'],
    'AsyncContext polyfill + await transform',
  ],
  [['zone + await transform'], 'Zone.js + await transform'],
];
let browserReport;
async function browserResults() {
  if (browserReport === undefined) {
    const out = join(root, '.cache', 'matrix', 'chromium.json');
    await $`node node_modules/vitest/vitest.mjs run --project ${'await-transform (Chromium)'} --project ${'worker (Chromium)'} packages/await-transform/test/async-context.browser.test.ts packages/await-transform/test/zone.browser.test.ts packages/worker/test/conformance.browser.test.ts --reporter=json --outputFile.json=${out}`.nothrow();
    browserReport = JSON.parse(await readFile(out, 'utf8').catch(() => '{"testResults":[]}'));
  }
  return browserReport;
}
for (const [suites, label] of browserSuites) {
  targets.push({
    runtime: `Chromium ${chromiumVersion}: ${label}`,
    async command() {
      const report = await browserResults();
      // One result per case and mode: a case one suite skips and another runs (the `threads` cases) counts as run.
      const results = new Map();
      for (const file of report.testResults) {
        for (const test of file.assertionResults) {
          if (!suites.some((suite) => test.ancestorTitles[0]?.startsWith(`${suite} conformance`))) continue;
          const match = /^(\w+) › ([\w-]+) \[(\w+)\]/.exec(test.title);
          if (match === null) continue;
          const status = test.status === 'passed' ? 'passed' : test.status === 'failed' ? 'failed' : 'skipped';
          const key = `${match[2]} ${match[3]}`;
          if (status === 'skipped' && results.has(key)) continue;
          results.set(key, { group: match[1], id: match[2], mode: match[3], status, detail: test.failureMessages?.[0]?.split('\n')[0] });
        }
      }
      const count = (status) => [...results.values()].filter((r) => r.status === status).length;
      const lines = [...results.values()].map((r) => `RESULT ${JSON.stringify(r)}`);
      lines.push(`SUMMARY ${JSON.stringify({ passed: count('passed'), failed: count('failed'), skipped: count('skipped') })}`);
      return { stdout: lines.join('\n'), stderr: '' };
    },
  });
}

const groups = ['register', 'basics', 'async', 'promises', 'thenables', 'schedulers', 'generators', 'events', 'stress', 'gc', 'threads'];
const rows = [];
let failed = 0;
for (const target of targets) {
  const pending = target.command();
  const out = typeof pending.nothrow === 'function' ? await pending.nothrow() : await pending;
  const text = `${out.stdout}\n${out.stderr}`;
  const results = [...text.matchAll(/^RESULT (.*)$/gm)].map((m) => JSON.parse(m[1]));
  const caps = /^CAPABILITIES (.*)$/m.exec(text);
  const summaryLine = /^SUMMARY (.*)$/m.exec(text);
  if (summaryLine === null) {
    console.log(`✗ ${target.runtime}: the runner did not finish\n${text.slice(-2000)}`);
    rows.push({
      runtime: target.runtime,
      cells: {},
      summary: 'did not finish',
      capabilities: {},
      totals: { passed: 0, failed: 1, skipped: 0 },
    });
    failed++;
    continue;
  }
  const cells = {};
  for (const group of groups) {
    const inGroup = results.filter((r) => r.group === group);
    const count = (status) => inGroup.filter((r) => r.status === status).length;
    cells[group] = { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
  }
  const totals = JSON.parse(summaryLine[1]);
  const failures = results.filter((r) => r.status === 'failed');
  failed += failures.length;
  rows.push({
    runtime: target.runtime,
    cells,
    summary: `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`,
    totals,
    capabilities: caps ? JSON.parse(caps[1]) : {},
    failures,
  });
  console.log(
    `${failures.length > 0 ? '✗' : '✓'} ${target.runtime}: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`,
  );
  for (const f of failures.slice(0, 10)) console.log(`    ${f.group} › ${f.id} [${f.mode}]: ${f.detail}`);
}

const cell = (c) =>
  c === undefined
    ? '—'
    : c.passed + c.failed === 0
      ? `skip ${c.skipped}`
      : `${c.failed > 0 ? `**${c.failed} ✗** ` : ''}${c.passed} ✓${c.skipped ? ` · ${c.skipped} skip` : ''}`;
const capabilityNames = [
  'enter',
  'await',
  'promiseThen',
  'thenables',
  'timers',
  'setImmediate',
  'queueMicrotask',
  'nextTick',
  'asyncGenerators',
  'generators',
  'eventEmitter',
  'eventTarget',
];
const lines = [
  '# Conformance matrix',
  '',
  `The conformance suite (\`@tasklocal/conformance\`) with \`@tasklocal/node-als\`, run by \`npm run matrix\` (also part of \`npm test\`) on ${new Date().toISOString().slice(0, 10)}. Every case runs three times: from a fresh state, inside an unrelated scope and inside a snapshot. Cells count case runs: passed ✓, failed ✗, skipped (the backend does not declare the capability on that runtime, or the runtime has no garbage collector to call).`,
  '',
  `| runtime | ${groups.join(' | ')} | total |`,
  `| --- | ${groups.map(() => '---').join(' | ')} | --- |`,
  ...rows.map((row) => `| ${row.runtime} | ${groups.map((g) => cell(row.cells[g])).join(' | ')} | ${row.summary} |`),
  '',
  '## Declared capabilities',
  '',
  'What `@tasklocal/node-als` declares on each runtime; the suite holds it to exactly these.',
  '',
  `| runtime | ${capabilityNames.join(' | ')} |`,
  `| --- | ${capabilityNames.map(() => '---').join(' | ')} |`,
  ...rows.map((row) => `| ${row.runtime} | ${capabilityNames.map((n) => String(row.capabilities[n] ?? '—')).join(' | ')} |`),
  '',
  '## Where a runtime falls short',
  '',
  "- **Chromium** runs `@tasklocal/browser-zone`'s two backends with the `await` transform of `@tasklocal/await-transform`, through vitest's browser mode; the Node-only capabilities (`setImmediate`, `process.nextTick`, `node:events`) are not declared there, and each backend skips the rule it does not follow (listeners: the AsyncContext backend dispatches, Zone.js registers). Its `register` row is not run there.",
  '- **threads**: values carried into a worker and back, with `@tasklocal/worker` as the bridge: `worker_threads` on Node, Bun and Deno, Web Workers in Chromium (the AsyncContext row). workerd has no threads to carry values into, so it skips them; so does the Zone.js row, whose worker side is the same as the AsyncContext one.',
  '- **workerd**: its `AsyncLocalStorage` declares `enterWith` and `disable` but throws "not implemented", so the backend declares `enter: false` there: `local.key = v` throws `ERR_TASKLOCAL_WRITE_UNSUPPORTED`, and values are set with `runWith`. The cases that write in place are skipped, not hidden. workerd exposes no garbage collector, so the `gc` cases are skipped too. It has no `setImmediate` or `process.nextTick` in this configuration.',
  ...rows
    .filter((r) => r.failures?.length)
    .map((r) => `- **${r.runtime}**: ${r.failures.length} failing case runs: ${[...new Set(r.failures.map((f) => f.id))].join(', ')}.`),
  '',
];
await writeFile(join(root, 'docs', 'matrix.md'), `${lines.join('\n')}`);
console.log(`\nwrote docs/matrix.md`);
const total = rows.reduce((n, r) => n + (r.failures?.length ?? 0), 0);
console.log(`matrix: ${rows.length} runtimes, ${total} failed case runs`);
await writeResults(rows.map((row) => ({ name: `conformance on ${row.runtime}`, ...row.totals })));
process.exitCode = failed > 0 ? 1 : 0;
