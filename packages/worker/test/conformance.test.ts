// The conformance suite's `threads` cases, with @tasklocal/worker as the bridge and real worker threads.
import { Worker } from 'node:worker_threads';
import { describeConformance } from '@tasklocal/conformance/vitest';
import { createAlsStore } from '@tasklocal/node-als';
import { threadBridge } from '@tasklocal/worker/conformance';
import { describe, expect, it } from 'vitest';

const bridge = threadBridge(() => new Worker(new URL('./fixtures/conformance-worker.mjs', import.meta.url)));

describeConformance('node-als + @tasklocal/worker (worker_threads)', createAlsStore, {
  bridge,
  filter: (testCase) => testCase.group === 'threads',
});

describe('@tasklocal/worker/conformance', () => {
  it('is the only entry with the bridge: the main entry carries no test code', async () => {
    const main = await import('@tasklocal/worker');
    expect(Object.keys(main)).not.toContain('threadBridge');
  });

  it('refuses a `start` that is not a function, naming it', () => {
    expect(() => threadBridge('worker.js' as never)).toThrow(
      new TypeError('Expected `start` to be a function that starts a worker, got string.'),
    );
  });
});
