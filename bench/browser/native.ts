// No context library at all.
import { measureAsync, measureRead } from './workload.ts';

const frame = { requestId: 'r' };
const holder = { current: frame as { requestId: string } | undefined };

export async function run(): Promise<Record<string, number>> {
  const { await: awaitNs, perThen } = await measureAsync((fn) => fn());
  return { await: awaitNs, perThen, readPlain: measureRead(() => holder.current?.requestId) };
}

(globalThis as unknown as { __run: typeof run }).__run = run;
