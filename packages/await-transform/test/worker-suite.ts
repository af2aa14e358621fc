import type { ContextStoreFactory } from '@tasklocal/core/backend';
import { runConformance } from '@tasklocal/conformance';

/** What a worker reports back: the suite's counts and the failures. */
export interface WorkerReport {
  readonly backend: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly failures: readonly string[];
}

/** Runs the whole conformance suite in this worker. */
export async function runSuite(factory: ContextStoreFactory): Promise<WorkerReport> {
  const report = await runConformance(factory, { timeoutMs: 5000 });
  return {
    backend: report.backend,
    passed: report.passed,
    failed: report.failed,
    skipped: report.skipped,
    failures: report.results.filter((r) => r.status === 'failed').map((r) => `${r.id} [${r.mode}]: ${r.detail ?? ''}`),
  };
}
