// Zone.js loaded, inside a forked zone, no tasklocal: Zone.js's own overhead.
import 'zone.js';
import { measureAsync } from './workload.ts';

declare const Zone: { current: { fork(spec: object): { run<R>(fn: () => R): R } } };

export async function run(): Promise<Record<string, number>> {
  const zone = Zone.current.fork({ name: 'bench', properties: { requestId: 'r' } });
  const { await: awaitNs, perThen } = await measureAsync((fn) => zone.run(fn));
  return { await: awaitNs, perThen };
}

(globalThis as unknown as { __run: typeof run }).__run = run;
