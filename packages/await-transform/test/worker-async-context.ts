// A Web Worker (and a Service Worker: see workers.browser.test.ts) running the suite on the polyfill.
import { createAsyncContextStore } from '@tasklocal/browser-zone/async-context';
import { runSuite } from './worker-suite.ts';

const scope = globalThis as unknown as {
  postMessage?: (message: unknown) => void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
};
const run = () => runSuite(() => createAsyncContextStore({ awaitTransform: true }));

if (typeof scope.postMessage === 'function') {
  // Dedicated worker: run at once and post the report.
  run().then((report) => scope.postMessage?.(report));
} else {
  // Service worker: run when a page asks, and answer on the port it sent.
  scope.addEventListener('message', (event) => {
    const port = event.ports[0];
    run().then((report) => port?.postMessage(report));
  });
}
