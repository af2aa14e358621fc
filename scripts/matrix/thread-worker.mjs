// The other thread of the conformance suite's `threads` cases on Node, Bun and
// Deno: a worker_threads worker serving the cases' handler through @tasklocal/worker.
import '@tasklocal/node-als/register';
import { parentPort } from 'node:worker_threads';
import { createThreadCaseHandler } from '@tasklocal/conformance';
import { serve } from '@tasklocal/worker';

serve(createThreadCaseHandler(), { port: parentPort });
