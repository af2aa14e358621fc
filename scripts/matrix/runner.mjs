// Runs the conformance suite with @tasklocal/node-als and prints one JSON line
// per result (`RESULT {...}`) and a closing `conformance: …` line. Plain ESM:
// node, bun and deno run it directly; workerd runs a bundle of it.
import { runConformance } from '@tasklocal/core/conformance';
import { alsCapabilities, createAlsStore } from '@tasklocal/node-als';

export async function main(log = console.log) {
  const report = await runConformance(createAlsStore, {}, (result) => {
    const { detail, ...rest } = result;
    log(`RESULT ${JSON.stringify(result.status === 'failed' ? { ...rest, detail: detail?.split('\n')[0] } : rest)}`);
  });
  log(`CAPABILITIES ${JSON.stringify(alsCapabilities())}`);
  log(`# backend ${report.backend}, seed ${report.seed}`);
  log(`conformance: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  return report;
}

export default {
  // workerd's test entry point
  async test() {
    const report = await main();
    if (report.failed > 0) throw new Error(`${report.failed} conformance cases failed`);
  },
};

const host = globalThis;
if (host.navigator?.userAgent !== 'Cloudflare-Workers') {
  const report = await main();
  if (report.failed > 0 && host.process) host.process.exitCode = 1;
}
