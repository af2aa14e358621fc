// A worker thread of the talk's thread example: `serve` runs each call with its
// caller's values.
import { threadId, parentPort } from 'node:worker_threads';
import { serve } from '@tasklocal/worker';
import { localStorage } from './thread-locals.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

serve(
  async ({ wait }) => {
    const startUniqueId = crypto.randomUUID().replaceAll('-', '');
    localStorage.uniqueId = startUniqueId;
    await sleep(wait * 100);
    const endUniqueId = localStorage.uniqueId;
    return { threadId, startUniqueId, endUniqueId, requestId: localStorage.requestId };
  },
  { port: parentPort },
);
