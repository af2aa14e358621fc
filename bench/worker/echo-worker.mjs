// The worker side of bench/worker/run.mjs: plain messages are echoed; tasklocal
// calls are answered by `serve`, which carries the caller's values in.
import { parentPort } from 'node:worker_threads';
import { serve } from '@tasklocal/worker';
import './locals.mjs';

parentPort.on('message', (message) => {
  if (message?.plain === true) parentPort.postMessage(message);
});
serve((payload) => payload, { port: parentPort });
