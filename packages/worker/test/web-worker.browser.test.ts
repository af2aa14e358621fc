// @tasklocal/worker with real Web Workers in headless Chromium, through `self` and
// `new Worker(url, { type: 'module' })`. Values in, copy-back and thread-critical
// Locals are the conformance suite's `threads` cases (conformance.browser.test.ts); here
// what is particular to browsers, faults, and the 1,000-call stress test.
import { type Local, runWith } from '@tasklocal/core';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, WorkerCallError, type WorkerClient } from '../src/index.ts';
import { request } from './fixtures/web-locals.ts';
import { stressCalls } from './fixtures/stress.ts';

const local = request as Record<string, unknown>;
const started: Worker[] = [];

function start(): { worker: Worker; client: WorkerClient } {
  const worker = new Worker(new URL('./fixtures/web-worker.ts', import.meta.url), { type: 'module' });
  started.push(worker);
  return { worker, client: connect(worker) };
}

afterEach(() => {
  for (const worker of started.splice(0)) worker.terminate();
});

function expectExited(outcomes: PromiseSettledResult<unknown>[], message: RegExp): void {
  for (const outcome of outcomes) {
    expect(outcome.status).toBe('rejected');
    const reason = (outcome as PromiseRejectedResult).reason as WorkerCallError;
    expect(WorkerCallError.is(reason)).toBe(true);
    expect(reason.code).toBe('ERR_TASKLOCAL_WORKER_EXITED');
    expect(reason.message).toMatch(message);
  }
}

describe('calls into Web Workers', () => {
  it('refuse a value that cannot be cloned with a TypeError naming the key, before posting', async () => {
    const { client } = start();
    await runWith(request, { id: 'r', node: document.createElement('div') }, async () => {
      await expect(client.call({ op: 'read' })).rejects.toThrow(
        /Cannot carry `node` of the Local `request` into a worker.*threadCritical: true/,
      );
      expect(client.pending).toBe(0);
    });
  });

  it('reject with the worker’s error; the caller’s values are unchanged', async () => {
    const { client } = start();
    await runWith(request, { id: 'r-err' }, async () => {
      const error = (await client.call({ op: 'throw' }).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toBe('worker says no to r-err');
      expect(local['id']).toBe('r-err');
    });
  });

  it('reject every pending call when the worker closes itself; none hangs', async () => {
    const { client } = start();
    await runWith(request, { id: 'r-close' }, async () => {
      const outcomes = await Promise.allSettled([
        client.call({ op: 'echo-after', ms: 300 }),
        client.call({ op: 'close', ms: 5 }),
        client.call({ op: 'echo-after', ms: 400 }),
      ]);
      expectExited(outcomes, /closed itself while 3 call\(s\) were pending/);
      expect(local['id']).toBe('r-close');
      await expect(client.call({ op: 'read' })).rejects.toThrow(/start a new worker/);
    });
  });

  it('reject every pending call when the page terminates the worker', async () => {
    const { worker, client } = start();
    const calls = [client.call({ op: 'echo-after', ms: 300 }), client.call({ op: 'echo-after', ms: 300 })];
    await new Promise((resolve) => setTimeout(resolve, 20));
    worker.terminate();
    expectExited(await Promise.allSettled(calls), /terminated while 2 call\(s\) were pending/);
  });

  it('reject the pending calls on an uncaught error in the worker, which keeps serving', async () => {
    const { worker, client } = start();
    worker.addEventListener('error', (event) => event.preventDefault()); // handled here: keep it off the console
    expectExited(await Promise.allSettled([client.call({ op: 'uncaught' })]), /uncaught error.*stray failure in the worker/);
    expect(await runWith(request, { id: 'after' }, () => client.call({ op: 'echo-after', ms: 0 }))).toEqual({ id: 'after' });
  });

  it('two clients on one Web Worker each get only their own replies', async () => {
    const { worker, client: a } = start();
    const b = connect(worker);
    const results = await Promise.all([
      runWith(request, { id: 'A' }, () => a.call({ op: 'echo-after', ms: 5 })),
      runWith(request, { id: 'B' }, () => b.call({ op: 'echo-after', ms: 0 })),
    ]);
    expect(results).toEqual([{ id: 'A' }, { id: 'B' }]);
    // Both clients hear the page terminate the worker.
    const calls = [a.call({ op: 'hang' }), b.call({ op: 'hang' })];
    worker.terminate();
    expectExited(await Promise.allSettled(calls), /terminated while 1 call\(s\) were pending/);
  });

  it('stop waiting at timeoutMs or when the signal aborts, with a WorkerCallError that says which', async () => {
    const { client } = start();
    const controller = new AbortController();
    const outcomes = await Promise.allSettled([
      client.call({ op: 'hang' }, { timeoutMs: 20 }),
      client.call({ op: 'hang' }, { signal: controller.signal }),
      Promise.resolve().then(() => controller.abort()),
    ]);
    expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({ name: 'WorkerCallError', code: 'ERR_TASKLOCAL_WORKER_TIMEOUT' });
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'WorkerCallError', code: 'ERR_TASKLOCAL_WORKER_ABORTED' });
    expect(client.pending).toBe(0);
  });

  it('leave messages that are not tasklocal calls untouched, both ways', async () => {
    const { worker, client } = start();
    const echoed = new Promise((resolve) => worker.addEventListener('message', (event) => resolve(event.data), { once: true }));
    worker.postMessage({ plain: 'hello' });
    expect(await echoed).toEqual({ plainEcho: 'hello' });
    expect(await runWith(request, { id: 'after-plain' }, () => client.call({ op: 'echo-after', ms: 0 }))).toEqual({ id: 'after-plain' });
  });

  it('work over a MessagePort handed to the worker', async () => {
    const { worker } = start();
    const channel = new MessageChannel();
    worker.postMessage({ port: channel.port2 }, [channel.port2]);
    const client = connect(channel.port1);
    // The worker serves the port it is given (see the fixture's listener).
    expect(await runWith(request, { id: 'via-port' }, () => client.call({ op: 'echo-after', ms: 1 }))).toEqual({ id: 'via-port' });
    client.close();
  });

  it('stress: 1,000 concurrent calls over 4 workers see exactly their caller’s values, and copy-back reaches only that caller', async () => {
    const clients = [start(), start(), start(), start()].map((s) => s.client);
    const errors = await stressCalls(clients, request as Local<Record<string, unknown>>);
    expect(errors.slice(0, 5)).toEqual([]);
    expect(local['reply']).toBeUndefined();
  });
});
