// `npm test`: every test on every runtime we promise, ending with one line
// `N passed, N failed, N skipped`. Installs what it needs (Node 24) itself.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { $ } from 'zx';
import { ensureChromium } from './lib/chromium.mjs';
import { ensureNode, root } from './lib/runtimes.mjs';

$.cwd = root;
$.verbose = false;
$.quiet = true;
const totals = { passed: 0, failed: 0, skipped: 0 };
const rows = [];

function record(name, passed, failed, skipped = 0) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  rows.push({ name, passed, failed, skipped });
  console.log(`${failed > 0 ? '✗' : '✓'} ${name}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
}

/** Runs a command, streaming its output; resolves to its exit code and output. */
async function step(command) {
  const result = await command.nothrow();
  return { ok: result.exitCode === 0, output: result.stdout + result.stderr };
}

const node24 = await ensureNode(24);
const node20 = await ensureNode(20);
process.env.CHROMIUM_PATH = await ensureChromium();

for (const task of ['build', 'typecheck', 'lint', 'docs:build']) {
  const { ok, output } = await step($`npx turbo run ${task} --output-logs=errors-only`);
  if (!ok) console.log(output);
  record(`turbo ${task}`, ok ? 1 : 0, ok ? 0 : 1);
}

async function vitest(label, node, flags = []) {
  const out = join(root, '.cache', `vitest-${label}.json`);
  await rm(out, { force: true });
  const { output } = await step(
    $`${node} ${flags} node_modules/vitest/vitest.mjs run --reporter=dot --reporter=json --outputFile.json=${out}`,
  );
  try {
    const report = JSON.parse(await readFile(out, 'utf8'));
    const failedFiles = report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
    if (report.numFailedTests > 0 || failedFiles > 0) console.log(output);
    record(`vitest on ${label}`, report.numPassedTests, report.numFailedTests + failedFiles, report.numPendingTests + report.numTodoTests);
  } catch {
    console.log(output);
    record(`vitest on ${label}`, 0, 1);
  }
}

/** The runtime matrix: the plain conformance runner on every runtime, one result line each. */
async function matrix() {
  const { output } = await step($`node node_modules/zx/build/cli.js scripts/matrix.mjs --no-build`);
  const lines = [...output.matchAll(/^([✓✗]) (.+): (\d+) passed, (\d+) failed, (\d+) skipped$/gm)];
  if (lines.length === 0 || lines.some((m) => m[1] === '✗') || /did not finish/.test(output)) console.log(output);
  for (const m of lines) record(`conformance on ${m[2]}`, Number(m[3]), Number(m[4]), Number(m[5]));
  for (const m of output.matchAll(/^✗ (.+): the runner did not finish$/gm)) record(`conformance on ${m[1]}`, 0, 1);
  if (lines.length === 0) record('conformance matrix', 0, 1);
}

const v20 = (await $`${node20} --version`).stdout.trim();
const v24 = (await $`${node24} --version`).stdout.trim();
await vitest(`Node ${v20} (async_hooks)`, node20);
await vitest(`Node ${v24} (AsyncContextFrame)`, node24);
await matrix();

/** A zx script that ends with `<word>: N passed, N failed`. */
async function counted(label, script) {
  const { output } = await step($`node node_modules/zx/build/cli.js ${script}`);
  const match = /^\w+: (\d+) passed, (\d+) failed$/m.exec(output);
  if (match === null || match[2] !== '0') console.log(output);
  record(label, match ? Number(match[1]) : 0, match ? Number(match[2]) : 1);
}

await counted('documentation samples, type-checked and run', 'scripts/docs-samples.mjs');
await counted('documentation site in headless Chromium', 'scripts/site-test.mjs');

await counted('packed tarballs in an empty project', 'scripts/pack-test.mjs');
await counted('release flow: changeset version, build, publish --dry-run', 'scripts/release-test.mjs');

console.log('');
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 ? 1 : 0;
