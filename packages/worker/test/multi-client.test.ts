// The multi-client program. Several clients, a pool and blocking bridges share one served
// thread (a plain worker, or the only thread of a piscina, tinypool or workerpool pool);
// fast-check picks who calls, with which values and payload, in what order, and which
// fault strikes (a handler that throws, hangs past its timeout or is aborted, a worker that exits
// or is terminated). Every call must settle with its own reply, computed from exactly its
// caller's values and payload, or with an error its run allows; none may stay pending.
//
// The seed is fixed; `TASKLOCAL_SEED=<n>` varies it and `TASKLOCAL_RUNS=<n>` sets the number of
// runs. A failure prints the seed and the run that failed.
import { fileURLToPath } from 'node:url';
import { MessageChannel, MessagePort, Worker } from 'node:worker_threads';
import { runWith } from '@tasklocal/core';
import fc from 'fast-check';
import { Piscina } from 'piscina';
import { Tinypool } from 'tinypool';
import workerpool from 'workerpool';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carry, connect, connectSync, type SyncClient, unwrap, WorkerCallError, type WorkerClient } from '../src/index.ts';
import { settleAll, type SyncOutcome } from './fixtures/harness.ts';
// @ts-expect-error plain JS fixture shared with the worker threads
import { request } from './fixtures/locals.mjs';

const SEED = Number(process.env['TASKLOCAL_SEED'] ?? 11);
const RUNS = Number(process.env['TASKLOCAL_RUNS'] ?? 24);
const local = request as Record<string, unknown>;
const servedFile = new URL('./fixtures/multi-worker.mjs', import.meta.url);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Who makes a call: two clients on one endpoint, a client on a port of its own, the pool (when the served thread is a pool's), a blocking bridge in this thread, and two in threads of their own. */
const VIAS = ['client-a', 'client-b', 'client-port', 'pool', 'sync-here', 'sync-thread-1', 'sync-thread-2'] as const;
type Via = (typeof VIAS)[number];
type Op = 'compute' | 'throw' | 'hang' | 'exit';

interface CallSpec {
  readonly via: Via;
  readonly op: Op;
  /** The caller's value (`request.n`) and the payload's (`x`): the reply must add exactly these two. */
  readonly n: number;
  readonly x: number;
  readonly ms: number;
  readonly ms2: number;
  /** Wait this long before the next call. */
  readonly gap: number;
  readonly forValues: boolean;
  /** Abort an async client's call this many ms after it starts. */
  readonly abortAfter: number | undefined;
}

const HOSTS = ['worker', 'piscina', 'tinypool', 'workerpool'] as const;
type HostKind = (typeof HOSTS)[number];

interface RunSpec {
  readonly host: HostKind;
  readonly calls: readonly CallSpec[];
  readonly fault: 'none' | 'exit' | 'terminate';
  readonly faultAt: number;
}

const callArb: fc.Arbitrary<CallSpec> = fc.record({
  via: fc.constantFrom(...VIAS),
  op: fc.constantFrom<Op>('compute', 'compute', 'compute', 'throw', 'hang'),
  n: fc.integer({ min: -1000, max: 1000 }),
  x: fc.integer({ min: -1000, max: 1000 }),
  ms: fc.integer({ min: 0, max: 4 }),
  ms2: fc.integer({ min: 0, max: 4 }),
  gap: fc.integer({ min: 0, max: 3 }),
  forValues: fc.boolean(),
  // One call in four is aborted.
  abortAfter: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 6 }), weight: 1 }),
});

const runArb: fc.Arbitrary<RunSpec> = fc.record({
  host: fc.constantFrom(...HOSTS),
  calls: fc.array(callArb, { minLength: 1, maxLength: 24 }),
  fault: fc.constantFrom<'none' | 'exit' | 'terminate'>('none', 'none', 'exit', 'terminate'),
  faultAt: fc.nat(),
});

/** The served thread of one run, and how to reach it. */
interface Host {
  /** Has the served thread serve a port, and returns the other end; closed by `destroy`. */
  port(): Promise<MessagePort>;
  /** The endpoint clients a and b share. */
  shared: Promise<Parameters<typeof connect>[0]>;
  run(task: unknown): Promise<unknown>;
  terminate(): Promise<unknown>;
  destroy(): Promise<unknown>;
}

function startHost(kind: HostKind): Host {
  const host = startThread(kind);
  const ports: MessagePort[] = [];
  const port = async () => {
    const opened = await host.port();
    ports.push(opened);
    return opened;
  };
  return {
    ...host,
    port,
    shared: host.shared.then((shared) => {
      if (shared instanceof MessagePort) ports.push(shared);
      return shared;
    }),
    // Every port closed first: a thread that serves an open port stays alive, and some pools wait for their threads to exit.
    destroy: () => {
      for (const opened of ports) opened.close();
      return host.destroy();
    },
  };
}

function startThread(kind: HostKind): Host {
  if (kind === 'worker') {
    const worker = new Worker(servedFile, { workerData: { serveParent: true } });
    const setup = connect(worker);
    const port = async () => {
      const { port1, port2 } = new MessageChannel();
      await setup.call({ op: 'serve-port', port: port2 }, { transfer: [port2] });
      return port1;
    };
    return {
      port,
      shared: Promise.resolve(worker),
      run: () => Promise.reject(new Error('no pool in this run')),
      terminate: () => worker.terminate(),
      destroy: () => worker.terminate(),
    };
  }
  if (kind === 'workerpool') {
    const pool = workerpool.pool(fileURLToPath(servedFile), {
      workerType: 'thread',
      maxWorkers: 1,
      workerThreadOpts: { workerData: { workerpool: true } },
    });
    let ended: Promise<unknown> | undefined;
    const port = async () => {
      const { port1, port2 } = new MessageChannel();
      await pool.exec('task', [{ op: 'serve-port', port: port2 }], { transfer: [port2] });
      return port1;
    };
    return {
      port,
      shared: port(),
      run: (task) => pool.exec('task', [task]),
      // workerpool ends its threads only all at once, and only once.
      terminate: () => (ended ??= Promise.resolve(pool.terminate(true))),
      destroy: () => (ended ??= Promise.resolve(pool.terminate(true))),
    };
  }
  // One thread, and no Atomics wait between tasks: the thread's event loop serves the ports too.
  const pool =
    kind === 'piscina'
      ? new Piscina({ filename: servedFile.href, minThreads: 1, maxThreads: 1, atomics: 'disabled' })
      : new Tinypool({ filename: servedFile.href, minThreads: 1, maxThreads: 1, useAtomics: false });
  const port = async () => {
    const { port1, port2 } = new MessageChannel();
    await pool.run({ op: 'serve-port', port: port2 }, { transferList: [port2] });
    return port1;
  };
  return {
    port,
    shared: port(),
    run: (task) => pool.run(task),
    terminate: async () => pool.threads[0]?.terminate(),
    destroy: () => pool.destroy(),
  };
}

/** A thread that makes blocking calls (fixtures/sync-caller.mjs), reused across runs with a new port each. */
class SyncThread {
  readonly #worker = new Worker(new URL('./fixtures/sync-caller.mjs', import.meta.url));
  readonly #waiting = new Map<string, (outcome: SyncOutcome) => void>();
  constructor() {
    this.#worker.on('message', (message: SyncOutcome | { connected: true }) => {
      if (!('connected' in message)) this.#waiting.get(message.id)?.(message);
    });
  }
  connect(port: MessagePort): void {
    this.#worker.postMessage({ port }, [port]);
  }
  call(id: string, values: Record<string, unknown>, payload: unknown, timeoutMs: number | undefined): Promise<SyncOutcome> {
    const outcome = new Promise<SyncOutcome>((resolve) => this.#waiting.set(id, resolve));
    this.#worker.postMessage({ call: { id, values, payload, timeoutMs } });
    return outcome;
  }
  terminate(): Promise<number> {
    return this.#worker.terminate();
  }
}

/** What a call ended with, as the test sees it. */
type Outcome =
  | { readonly ok: true; readonly value: unknown; readonly copied?: unknown; readonly idAfter: unknown }
  | { readonly ok: false; readonly error: { readonly name?: unknown; readonly code?: unknown; readonly message?: unknown } };

const HANG_TIMEOUT_MS = 20;

let syncThreads: SyncThread[] = [];
beforeAll(() => {
  syncThreads = [new SyncThread(), new SyncThread()];
});
afterAll(async () => {
  await Promise.all(syncThreads.map((thread) => thread.terminate()));
});

/** Runs one generated run; returns what went wrong, empty when every call settled as it should. */
async function check(run: RunSpec, runIndex: number): Promise<string[]> {
  const host = startHost(run.host);
  const faultIndex = run.fault === 'none' ? -1 : run.faultAt % run.calls.length;
  const calls = run.calls.map((spec, i): CallSpec => {
    let { op, abortAfter } = spec;
    // The pools' own behaviour: tinypool leaves a task pending when its thread dies, so no tinypool tasks in runs
    // with a fault; workerpool leaves pending a task queued when its thread dies, or run after it was terminated,
    // so no workerpool tasks after the fault.
    const noPool =
      run.host === 'worker' ||
      (run.host === 'tinypool' && run.fault !== 'none') ||
      (run.host === 'workerpool' && run.fault !== 'none' && i > faultIndex);
    const via: Via = spec.via === 'pool' && noPool ? 'client-port' : spec.via;
    if (op === 'exit') op = 'compute';
    if (i === faultIndex && run.fault === 'exit') op = 'exit';
    if (op === 'hang' && via === 'pool') op = 'compute'; // a pool task cannot stop waiting without killing the thread
    if (!via.startsWith('client')) abortAfter = undefined;
    return { ...spec, via, op, abortAfter };
  });
  try {
    const shared = await host.shared;
    const clientA = connect(shared);
    const clientB = connect(shared);
    const clientPort = connect(await host.port());
    const syncHere: SyncClient = await connectSync(await host.port());
    for (const thread of syncThreads) thread.connect(await host.port());
    const clients: Record<string, WorkerClient> = { 'client-a': clientA, 'client-b': clientB, 'client-port': clientPort };

    const issue = (spec: CallSpec, label: string): Promise<Outcome> => {
      const values = { id: label, n: spec.n };
      const payload = { op: spec.op, x: spec.x, ms: spec.ms, ms2: spec.ms2 };
      const timeoutMs = spec.op === 'hang' && spec.abortAfter === undefined ? HANG_TIMEOUT_MS : undefined;
      const failed = (error: unknown): Outcome => ({ ok: false, error: error as Record<string, unknown> });
      const client = clients[spec.via];
      if (client !== undefined) {
        return runWith(request, values, async (): Promise<Outcome> => {
          const controller = new AbortController();
          if (spec.abortAfter !== undefined) setTimeout(() => controller.abort(new Error('the caller left')), spec.abortAfter);
          const options = {
            ...(timeoutMs === undefined ? {} : { timeoutMs }),
            ...(spec.abortAfter === undefined ? {} : { signal: controller.signal }),
          };
          try {
            if (!spec.forValues) return { ok: true, value: await client.call(payload, options), idAfter: local['id'] };
            const reply = await client.callForValues(payload, options);
            reply.copyBack();
            return { ok: true, value: reply.result, copied: local['result'], idAfter: local['id'] };
          } catch (error) {
            return failed(error);
          }
        });
      }
      if (spec.via === 'pool') {
        return runWith(request, values, async (): Promise<Outcome> => {
          try {
            const reply = unwrap(await host.run(carry(payload)));
            if (!spec.forValues) return { ok: true, value: reply.result, idAfter: local['id'] };
            reply.copyBack();
            return { ok: true, value: reply.result, copied: local['result'], idAfter: local['id'] };
          } catch (error) {
            return failed(error);
          }
        });
      }
      if (spec.via === 'sync-here') {
        return runWith(request, values, (): Promise<Outcome> => {
          try {
            const options = { copyBack: spec.forValues, ...(timeoutMs === undefined ? {} : { timeoutMs }) };
            const value = syncHere.call(payload, options);
            return Promise.resolve(
              spec.forValues
                ? { ok: true, value, copied: local['result'], idAfter: local['id'] }
                : { ok: true, value, idAfter: local['id'] },
            );
          } catch (error) {
            return Promise.resolve(failed(error));
          }
        });
      }
      const thread = syncThreads[spec.via === 'sync-thread-1' ? 0 : 1] as SyncThread;
      return thread
        .call(label, values, payload, timeoutMs)
        .then((outcome) => (outcome.ok ? { ok: true, value: outcome.value, idAfter: label } : failed(outcome)));
    };

    const pending: [string, Promise<Outcome>][] = [];
    for (const [i, spec] of calls.entries()) {
      const label = `r${runIndex}-${i}`;
      pending.push([`${label} (${spec.via} ${spec.op}${spec.abortAfter === undefined ? '' : ' aborted'})`, issue(spec, label)]);
      if (i === faultIndex && run.fault === 'terminate') void host.terminate();
      if (spec.gap > 0) await sleep(spec.gap);
    }
    const settled = await settleAll(pending);

    const problems: string[] = [];
    for (const [i, result] of settled.entries()) {
      const spec = calls[i] as CallSpec;
      const label = `r${runIndex}-${i}`;
      const name = (pending[i] as [string, unknown])[0];
      const outcome = (result as PromiseFulfilledResult<Outcome>).value;
      if (outcome.ok) {
        const own = { id: label, seenBefore: label, n: spec.n, x: spec.x, sum: spec.n + spec.x };
        if (spec.op !== 'compute')
          problems.push(
            `${name}: resolved although its handler ${spec.op === 'throw' ? 'threw' : spec.op === 'hang' ? 'never settles' : 'exits'}`,
          );
        else if (JSON.stringify(outcome.value) !== JSON.stringify(own))
          problems.push(`${name}: got ${JSON.stringify(outcome.value)}, expected ${JSON.stringify(own)}`);
        if (outcome.idAfter !== label) problems.push(`${name}: the caller's id became ${String(outcome.idAfter)}`);
        if ('copied' in outcome && outcome.copied !== `${label}:${spec.x}`) problems.push(`${name}: copied back ${String(outcome.copied)}`);
        continue;
      }
      const { error } = outcome;
      const code = WorkerCallError.is(error) || typeof error.code === 'string' ? error.code : undefined;
      const faulted = run.fault !== 'none';
      const allowed =
        // workerpool sends a task's error as a plain Error: the message is what says whose it is.
        (spec.op === 'throw' && (error.name === 'RangeError' || spec.via === 'pool') && error.message === `refused ${label} ${spec.x}`) ||
        (code === 'ERR_TASKLOCAL_WORKER_TIMEOUT' && spec.op === 'hang' && spec.abortAfter === undefined) ||
        (code === 'ERR_TASKLOCAL_WORKER_ABORTED' && spec.abortAfter !== undefined) ||
        (code === 'ERR_TASKLOCAL_WORKER_EXITED' && faulted) ||
        // The pool's own error for a task its thread died under.
        (spec.via === 'pool' && faulted && !String(error.message).startsWith('refused '));
      if (!allowed) problems.push(`${name}: rejected with ${String(error.name)} ${String(code ?? '')} ${String(error.message)}`);
    }
    for (const client of Object.values(clients)) {
      if (client.pending !== 0) problems.push(`a client still counts ${client.pending} pending call(s)`);
      client.close();
    }
    syncHere.close();
    return problems;
  } finally {
    // After a fault, tinypool's destroy and workerpool's terminate can wait forever for a thread that has already
    // exited (their own behaviour): end them without waiting then.
    const ended = host.destroy();
    if (run.fault === 'none' || run.host === 'worker' || run.host === 'piscina') await ended;
    else ended.catch(() => {});
  }
}

describe('the multi-client program', () => {
  it(`every call of clients, a pool and blocking bridges sharing a worker gets its own reply or an error its run allows, and none stays pending (seed ${SEED}, ${RUNS} runs)`, async () => {
    let runIndex = 0;
    await fc
      .assert(
        fc.asyncProperty(runArb, async (run) => {
          const problems = await check(run, runIndex++);
          if (problems.length > 0) throw new Error(`${problems.length} call(s) went wrong:\n${problems.slice(0, 20).join('\n')}`);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      )
      .catch((error: Error) => {
        error.message += `\nReplay with TASKLOCAL_SEED=${SEED} TASKLOCAL_RUNS=${RUNS}.`;
        throw error;
      });
    expect(runIndex).toBe(RUNS);
  });
});
