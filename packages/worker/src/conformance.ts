/**
 * @tasklocal/worker as the bridge under test in the conformance suite's `threads` cases.
 * For tests only; kept off the main entry so applications never load it.
 * @module @tasklocal/worker/conformance
 */
import type { ThreadBridge } from '@tasklocal/conformance';
import { connect } from './connect.ts';
import type { Endpoint } from './protocol.ts';

/** A worker the bridge starts: a `worker_threads` Worker or a Web Worker. */
export type StartedWorker = Endpoint & { terminate(): unknown };

/**
 * A {@link ThreadBridge} that starts a worker per thread the suite opens and
 * talks to it through {@link connect}. The worker file runs
 * `serve(createThreadCaseHandler(), { port })`.
 * @example
 * ```ts
 * import { describeConformance } from '@tasklocal/conformance/vitest';
 * import { createAlsStore } from '@tasklocal/node-als';
 * import { threadBridge } from '@tasklocal/worker/conformance';
 * describeConformance('node-als + worker', createAlsStore, {
 *   bridge: threadBridge(() => new Worker(new URL('./thread-worker.js', import.meta.url))),
 * });
 * ```
 */
export function threadBridge(start: () => StartedWorker): ThreadBridge {
  if (typeof start !== 'function') throw new TypeError(`Expected \`start\` to be a function that starts a worker, got ${typeof start}.`);
  return {
    open() {
      const worker = start();
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
}
