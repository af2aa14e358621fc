// The talk's thread example with worker threads: three workers each store a
// unique id, sleep 3, 2 and 1 (scaled to 300, 200, 100 ms) and read it back.
// The caller's values go into each call, and the call's writes come back.
import { Worker } from 'node:worker_threads';
import { runWith } from '@tasklocal/core';
import { connect } from '@tasklocal/worker';
import { localStorage } from './thread-locals.mjs';

export async function threads() {
  console.log('\n4. The talk’s thread example, with worker threads (`@tasklocal/worker`):');
  const workers = [0, 1, 2].map(() => new Worker(new URL('./thread-worker.mjs', import.meta.url)));
  let mismatches = 0;
  try {
    await Promise.all(
      [3, 2, 1].map((wait, i) =>
        runWith(localStorage, { requestId: `req-${wait}` }, async () => {
          const reply = await connect(workers[i]).callForValues({ wait });
          const { threadId, startUniqueId, endUniqueId, requestId } = reply.result;
          const equalOrNot = startUniqueId === endUniqueId ? '==' : '!=';
          if (equalOrNot === '!=' || requestId !== `req-${wait}`) mismatches++;
          reply.copyBack();
          if (localStorage.uniqueId !== endUniqueId) mismatches++;
          console.log(
            `  thread_id=${threadId} task=${wait} (start_unique_id='${startUniqueId}') ${equalOrNot} (end_unique_id='${endUniqueId}')`,
          );
        }),
      ),
    );
    console.log('  each call carried its caller’s requestId into the worker, and copyBack() brought its uniqueId home');
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return { threadMismatches: mismatches };
}
