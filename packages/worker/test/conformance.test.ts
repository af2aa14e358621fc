// The conformance suite's `threads` cases, with @tasklocal/worker as the bridge and real worker threads.
import { Worker } from 'node:worker_threads';
import { describeConformance } from '@tasklocal/conformance/vitest';
import { createAlsStore } from '@tasklocal/node-als';
import { threadBridge } from '@tasklocal/worker/conformance';

const bridge = threadBridge(() => new Worker(new URL('./fixtures/conformance-worker.mjs', import.meta.url)));

describeConformance('node-als + @tasklocal/worker (worker_threads)', createAlsStore, {
  bridge,
  filter: (testCase) => testCase.group === 'threads',
});
