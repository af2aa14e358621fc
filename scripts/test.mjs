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

/**
 * Runs a zx script that writes its results as JSON rows to the file named by
 * `TASKLOCAL_RESULTS` (scripts/lib/checks.mjs); prints its output when a row
 * failed or it wrote none. `label` names the row of a script that writes one
 * (and the failure of one that wrote none).
 */
async function script(file, label, args = []) {
  const out = join(root, '.cache', `results-${file.replace(/\W+/g, '-')}.json`);
  await rm(out, { force: true });
  const { output } = await step($({ env: { ...process.env, TASKLOCAL_RESULTS: out } })`node node_modules/zx/build/cli.js ${file} ${args}`);
  const rows = await readFile(out, 'utf8').then(
    (text) => JSON.parse(text).rows,
    () => [],
  );
  if (rows.length === 0 || rows.some((row) => row.failed > 0)) console.log(output);
  if (rows.length === 0) record(`${label}: wrote no results`, 0, 1);
  for (const row of rows) record(label && rows.length === 1 ? label : row.name, row.passed, row.failed, row.skipped);
}

const v20 = (await $`${node20} --version`).stdout.trim();
const v24 = (await $`${node24} --version`).stdout.trim();
await vitest(`Node ${v20} (async_hooks)`, node20);
await vitest(`Node ${v24} (AsyncContextFrame)`, node24);
// The runtime matrix: the plain conformance runner on every runtime, one row each.
await script('scripts/matrix.mjs', 'conformance matrix', ['--no-build']);

await script('scripts/docs-samples.mjs', 'documentation samples, type-checked and run');
await script('scripts/site-test.mjs', 'documentation site in headless Chromium');

await script('scripts/pack-test.mjs', 'packed tarballs in an empty project');
await script('scripts/release-test.mjs', 'release flow: changeset version, build, publish --dry-run');

console.log('');
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 ? 1 : 0;
