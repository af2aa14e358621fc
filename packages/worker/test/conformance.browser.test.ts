// The core suite's `threads` cases, with @tasklocal/worker as the bridge and real Web Workers in Chromium.
import { createAsyncContextStore } from '@tasklocal/browser-zone/async-context';
import type { ThreadBridge } from '@tasklocal/core/conformance';
import { describeConformance } from '@tasklocal/core/conformance/vitest';
import { connect } from '../src/index.ts';

const bridge: ThreadBridge = {
  open() {
    const worker = new Worker(new URL('./fixtures/conformance-web-worker.ts', import.meta.url), { type: 'module' });
    const client = connect(worker);
    return {
      call: (payload) => client.call(payload),
      callForValues: (payload) => client.callForValues(payload),
      close() {
        client.close();
        worker.terminate();
      },
    };
  },
};

describeConformance('AsyncContext polyfill + @tasklocal/worker (Web Workers)', () => createAsyncContextStore({ awaitTransform: true }), {
  bridge,
  filter: (testCase) => testCase.group === 'threads',
});
