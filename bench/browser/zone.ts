// tasklocal on Zone.js, code compiled with the `await` transform.
import 'zone.js';
import { Local, runWith } from '@tasklocal/core';
import { createZoneStore } from '@tasklocal/browser-zone/zone';
import { measureAsync, measureRead } from './workload.ts';

export async function run(): Promise<Record<string, number>> {
  const local = new Local<{ requestId: string }>({ store: createZoneStore({ awaitTransform: true }) });
  const { await: awaitNs, perThen } = await measureAsync((fn) => runWith(local, { requestId: 'r' }, fn));
  return { await: awaitNs, perThen, readLocal: runWith(local, { requestId: 'r' }, () => measureRead(() => local.requestId)) };
}

(globalThis as unknown as { __run: typeof run }).__run = run;
