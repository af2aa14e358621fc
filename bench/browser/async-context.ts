// tasklocal on the AsyncContext polyfill, code compiled with the `await` transform.
import { Local, runWith, view } from '@tasklocal/core';
import { createAsyncContextStore } from '@tasklocal/browser-zone/async-context';
import { measureAsync, measureRead } from './workload.ts';

export async function run(): Promise<Record<string, number>> {
  const store = createAsyncContextStore({ awaitTransform: true });
  const local = new Local<{ requestId: string }>({ store });
  const fast = view(local, ['requestId']);
  const { await: awaitNs, perThen } = await measureAsync((fn) => runWith(local, { requestId: 'r' }, fn));
  const readLocal = runWith(local, { requestId: 'r' }, () => ({
    readLocal: measureRead(() => local.requestId),
    readView: measureRead(() => fast.requestId),
  }));
  // A plain property read on a frame object: what a hand-written library does with the same store.
  const readStoreFrame = store.run({ requestId: 'r' }, () =>
    measureRead(() => (store.get() as { requestId?: string } | undefined)?.requestId),
  );
  return { await: awaitNs, perThen, readStoreFrame, ...readLocal };
}

(globalThis as unknown as { __run: typeof run }).__run = run;
