// Runs the conformance suite with @tasklocal/node-als and prints one JSON line
// per result (`RESULT {...}`) and a closing `SUMMARY {...}` line. Plain ESM:
// node, bun and deno run it directly; workerd runs a bundle of it.
import '@tasklocal/node-als/register';
import { Local, runWith } from '@tasklocal/core';
import { runConformance } from '@tasklocal/conformance';
import { alsCapabilities, createAlsStore } from '@tasklocal/node-als';

/** The `register` entry on this runtime: a Local with no store option resolves to node-als and follows `await`. */
async function checkRegister() {
  const local = new Local();
  const seen = await runWith(local, { id: 'registered' }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return local.id;
  });
  return seen === 'registered';
}

/** A bridge into worker_threads through @tasklocal/worker, where the runtime has them (not workerd). */
async function threadBridge() {
  try {
    const { Worker } = await import('node:worker_threads');
    const { threadBridge } = await import('@tasklocal/worker/conformance');
    if (typeof Worker !== 'function') return undefined;
    return threadBridge(() => new Worker(new URL('./thread-worker.mjs', import.meta.url)));
  } catch {
    return undefined;
  }
}

export async function main(log = console.log) {
  const registered = await checkRegister().catch((error) => {
    log(`# register entry failed: ${error?.message}`);
    return false;
  });
  log(
    `RESULT ${JSON.stringify({ id: 'register-entry', title: 'the register entry resolves and propagates', group: 'register', mode: 'fresh', status: registered ? 'passed' : 'failed' })}`,
  );
  const bridge = host.navigator?.userAgent === 'Cloudflare-Workers' ? undefined : await threadBridge();
  const report = await runConformance(createAlsStore, bridge === undefined ? {} : { bridge }, (result) => {
    const { detail, ...rest } = result;
    log(`RESULT ${JSON.stringify(result.status === 'failed' ? { ...rest, detail: detail?.split('\n')[0] } : rest)}`);
  });
  log(`CAPABILITIES ${JSON.stringify(alsCapabilities())}`);
  log(`# backend ${report.backend}, seed ${report.seed}`);
  const passed = report.passed + (registered ? 1 : 0);
  const failed = report.failed + (registered ? 0 : 1);
  log(`SUMMARY ${JSON.stringify({ passed, failed, skipped: report.skipped })}`);
  return { ...report, passed, failed };
}

const host = globalThis;

export default {
  // workerd's test entry point
  async test() {
    const report = await main();
    if (report.failed > 0) throw new Error(`${report.failed} conformance cases failed`);
  },
};

if (host.navigator?.userAgent !== 'Cloudflare-Workers') {
  const report = await main();
  if (report.failed > 0 && host.process) host.process.exitCode = 1;
}
