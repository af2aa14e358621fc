// The core suite's `threads` cases, with @tasklocal/worker as the bridge and real worker threads.
import { Worker } from 'node:worker_threads';
import type { ThreadBridge } from '@tasklocal/core/conformance';
import { describeConformance } from '@tasklocal/core/conformance/vitest';
import { createAlsStore } from '@tasklocal/node-als';
import { connect } from '../src/index.ts';

const bridge: ThreadBridge = {
  open() {
    const worker = new Worker(new URL('./fixtures/conformance-worker.mjs', import.meta.url));
    const client = connect(worker);
    return {
      call: (payload) => client.call(payload),
      callForValues: (payload) => client.callForValues(payload),
      async close() {
        client.close();
        await worker.terminate();
      },
    };
  },
};

describeConformance('node-als + @tasklocal/worker (worker_threads)', createAlsStore, {
  bridge,
  filter: (testCase) => testCase.group === 'threads',
});
