// The conformance suite's `threads` cases, with @tasklocal/worker as the bridge and real Web Workers in Chromium.
import { createAsyncContextStore } from '@tasklocal/browser-zone/async-context';
import { describeConformance } from '@tasklocal/conformance/vitest';
import { threadBridge } from '@tasklocal/worker/conformance';

const bridge = threadBridge(() => new Worker(new URL('./fixtures/conformance-web-worker.ts', import.meta.url), { type: 'module' }));

describeConformance('AsyncContext polyfill + @tasklocal/worker (Web Workers)', () => createAsyncContextStore({ awaitTransform: true }), {
  bridge,
  filter: (testCase) => testCase.group === 'threads',
});
