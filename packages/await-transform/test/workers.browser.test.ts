import { expect, test } from 'vitest';
import type { WorkerReport } from './worker-suite.ts';

function fromWorker(worker: Worker): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<WorkerReport>) => resolve(event.data));
    worker.addEventListener('error', (event) => reject(new Error(event.message)));
  });
}

function expectClean(report: WorkerReport): void {
  expect(report.failures).toEqual([]);
  expect(report.failed).toBe(0);
  expect(report.passed).toBeGreaterThan(150);
}

test('the AsyncContext polyfill passes the conformance suite (with the transform) inside a Web Worker', async () => {
  const worker = new Worker(new URL('./worker-async-context.ts', import.meta.url), { type: 'module' });
  const report = await fromWorker(worker);
  worker.terminate();
  expect(report.backend).toBe('async-context-polyfill');
  expectClean(report);
});

test('the Zone.js backend passes the conformance suite (with the transform) inside a Web Worker', async () => {
  const worker = new Worker(new URL('./worker-zone.ts', import.meta.url), { type: 'module' });
  const report = await fromWorker(worker);
  worker.terminate();
  expect(report.backend).toBe('zone');
  expectClean(report);
});

test('the AsyncContext polyfill passes the conformance suite inside a Service Worker', async () => {
  const url = new URL('./worker-async-context.ts', import.meta.url);
  const registration = await navigator.serviceWorker.register(url, { type: 'module', scope: new URL('./', url).pathname });
  try {
    const worker = registration.installing ?? registration.waiting ?? registration.active;
    if (worker === null) throw new Error('no service worker');
    if (worker.state !== 'activated') {
      await new Promise<void>((resolve) => worker.addEventListener('statechange', () => worker.state === 'activated' && resolve()));
    }
    const channel = new MessageChannel();
    const report = new Promise<WorkerReport>((resolve) => {
      channel.port1.onmessage = (event: MessageEvent<WorkerReport>) => resolve(event.data);
    });
    worker.postMessage('run', [channel.port2]);
    const result = await report;
    expect(result.backend).toBe('async-context-polyfill');
    expectClean(result);
  } finally {
    await registration.unregister();
  }
});
