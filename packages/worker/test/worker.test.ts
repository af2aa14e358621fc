import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { type Local, LocalError, runWith } from '@tasklocal/core';
import { unpackWrites } from '@tasklocal/core/bridge';
import { Piscina } from 'piscina';
import { Tinypool } from 'tinypool';
import workerpool from 'workerpool';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, connectSync, carry, ENVELOPE, unwrap, WorkerCallError, type WorkerClient } from '../src/index.ts';
// @ts-expect-error plain JS fixture shared with the worker thread
import { connection, request } from './fixtures/locals.mjs';
import { settleAll, startSyncCaller, type SyncOutcome } from './fixtures/harness.ts';
import { stressCalls } from './fixtures/stress.ts';

type Values = Record<string, unknown>;
const local = request as Values;
const thread = connection as Values;
const workerFile = new URL('./fixtures/worker.mjs', import.meta.url);
const started: Worker[] = [];

function start(workerData?: Values): { worker: Worker; client: WorkerClient } {
  const worker = new Worker(workerFile, { workerData });
  started.push(worker);
  return { worker, client: connect(worker) };
}

function expectCode(outcome: PromiseSettledResult<unknown> | undefined, code: string, message: RegExp): void {
  expect(outcome?.status).toBe('rejected');
  const reason = (outcome as PromiseRejectedResult).reason as WorkerCallError;
  expect(WorkerCallError.is(reason)).toBe(true);
  expect(reason.code).toBe(code);
  expect(reason.message).toMatch(message);
}

function expectSyncCode(outcome: SyncOutcome, code: string, message: RegExp): void {
  expect(outcome.ok).toBe(false);
  expect(outcome).toMatchObject({ name: 'WorkerCallError', code });
  expect((outcome as { message: string }).message).toMatch(message);
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((worker) => worker.terminate()));
});

describe('calls into worker threads', () => {
  it('carry the caller’s values, except thread-critical Locals', async () => {
    const { client } = start();
    const seen = await runWith(request, { id: 'r-1', tag: 'a' }, () =>
      runWith(connection, { socket: 'main-thread-only' }, () => client.call({ op: 'read' })),
    );
    expect(seen).toEqual({ request: { id: 'r-1', tag: 'a' }, connection: {} });
  });

  it('run concurrently without seeing each other’s values', async () => {
    const { client } = start();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        runWith(request, { id: `r-${i}`, tag: i }, () => client.call({ op: 'echo-after', ms: (i * 7) % 11 })),
      ),
    );
    for (const [i, result] of results.entries()) expect(result).toEqual({ id: `r-${i}`, tag: i });
  });

  it('keep their writes in the worker unless the caller copies them back', async () => {
    const { client } = start();
    await runWith(request, { id: 'r', gone: 'yes' }, async () => {
      expect(await client.call({ op: 'write', value: 'w1' })).toBe('written');
      expect({ ...local }).toEqual({ id: 'r', gone: 'yes' });
      const reply = await client.callForValues({ op: 'write', value: 'w2' });
      // The packed wire form, which `@tasklocal/core/bridge` reads.
      expect(unpackWrites(reply.written).get('request')).toEqual(
        new Map([
          ['before', { value: 'w2', deleted: false }],
          ['gone', { value: undefined, deleted: true }],
          ['after', { value: 'w2', deleted: false }],
        ]),
      );
      expect(reply.copyBack()).toBe('written');
      // Writes before and after the worker's first await come back, and so does the delete.
      expect({ ...local }).toEqual({ id: 'r', before: 'w2', after: 'w2' });
    });
    expect({ ...local }).toEqual({});
  });

  it('keep thread-critical values per worker, from call to call', async () => {
    const { client } = start();
    expect(await client.call({ op: 'connection' })).toBe(1);
    expect(await client.call({ op: 'connection' })).toBe(2);
    const other = start().client;
    expect(await other.call({ op: 'connection' })).toBe(1);
    expect(thread.count).toBeUndefined();
  });

  it('refuse a value that cannot be cloned with a TypeError naming the key, before posting', async () => {
    const { client } = start();
    await runWith(request, { id: 'r', callback: () => 1 }, async () => {
      await expect(client.call({ op: 'read' })).rejects.toThrow(
        /Cannot carry `callback` of the Local `request` into a worker: its value is a function.*threadCritical: true/,
      );
      expect(client.pending).toBe(0);
    });
    expect(await runWith(request, { id: 'ok' }, () => client.call({ op: 'echo-after', ms: 0 }))).toEqual({ id: 'ok' });
  });

  it('reject with the worker’s error and stack; the caller’s values are unchanged', async () => {
    const { client } = start();
    await runWith(request, { id: 'r-err' }, async () => {
      const error = await client.call({ op: 'throw' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toBe('worker says no to r-err');
      expect((error as Error).stack).toContain('worker.mjs');
      expect(local.id).toBe('r-err');
    });
  });

  it('reject every pending call when the worker exits mid-call; none hangs', async () => {
    const { client } = start();
    await runWith(request, { id: 'r-crash' }, async () => {
      const calls = [
        client.call({ op: 'echo-after', ms: 200 }),
        client.call({ op: 'crash', ms: 5 }),
        client.call({ op: 'echo-after', ms: 300 }),
      ];
      const outcomes = await Promise.allSettled(calls);
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        const reason = (outcome as PromiseRejectedResult).reason as WorkerCallError;
        expect(WorkerCallError.is(reason)).toBe(true);
        expect(reason.code).toBe('ERR_TASKLOCAL_WORKER_EXITED');
        expect(reason.message).toMatch(/exited \(code 3\)/);
      }
      expect(local.id).toBe('r-crash');
      await expect(client.call({ op: 'read' })).rejects.toThrow(/start a new worker/);
    });
  });

  it('keep thread-critical values the worker set in its top-level code, before and after serve, before any call', async () => {
    const { client } = start({ boot: 'before serve', late: 'after serve' });
    const seen = await client.call<{ connection: Values }>({ op: 'read' });
    expect(seen.connection).toEqual({ boot: 'before serve', late: 'after serve' });
    expect(await client.call({ op: 'connection' })).toBe(1);
    expect((await client.call<{ connection: Values }>({ op: 'read' })).connection).toEqual({
      boot: 'before serve',
      late: 'after serve',
      count: 1,
    });
  });

  it('two clients on one worker each get only their own replies', async () => {
    const { worker, client: a } = start();
    const b = connect(worker);
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all([
        runWith(request, { id: `A${round}` }, () => a.call({ op: 'echo-after', ms: round % 2 })),
        runWith(request, { id: `B${round}` }, () => b.call({ op: 'echo-after', ms: 0 })),
        runWith(request, { id: `C${round}` }, () => a.call({ op: 'echo-after', ms: 0 })),
      ]);
      expect(results).toEqual([{ id: `A${round}` }, { id: `B${round}` }, { id: `C${round}` }]);
    }
    expect([a.pending, b.pending]).toEqual([0, 0]);
  });

  it('reject a call past its timeoutMs with ERR_TASKLOCAL_WORKER_TIMEOUT; its late reply reaches no other call', async () => {
    const { client } = start();
    const [hung] = await settleAll([['hang', client.call({ op: 'hang' }, { timeoutMs: 20 })]]);
    expectCode(hung, 'ERR_TASKLOCAL_WORKER_TIMEOUT', /did not answer within 20 ms/);
    // `gate` answers only when `release` runs: its reply arrives after it timed out, while `release` and `after` wait for theirs.
    const [gated] = await settleAll([['gate', runWith(request, { id: 'gate' }, () => client.call({ op: 'gate' }, { timeoutMs: 20 }))]]);
    expectCode(gated, 'ERR_TASKLOCAL_WORKER_TIMEOUT', /did not answer within 20 ms.*its reply is dropped/);
    const [released, after] = await Promise.all([
      runWith(request, { id: 'release' }, () => client.call({ op: 'release' })),
      runWith(request, { id: 'after' }, () => client.call({ op: 'echo-after', ms: 5 })),
    ]);
    expect([released, after]).toEqual([{ id: 'release' }, { id: 'after' }]);
    expect(client.pending).toBe(0);
  });

  it('fail with WorkerCallError, recognised across copies of the package and never taken for a LocalError', async () => {
    const { client } = start();
    const [hung] = await settleAll([['hang', client.call({ op: 'hang' }, { timeoutMs: 5 })]]);
    const error = (hung as PromiseRejectedResult).reason as WorkerCallError;
    expect(error).toBeInstanceOf(WorkerCallError);
    expect(LocalError.is(error)).toBe(false);
    // The built package is another copy of the class: `is` still knows its errors, `instanceof` does not.
    const built = (await import('@tasklocal/worker')) as { WorkerCallError: typeof WorkerCallError };
    expect(built.WorkerCallError).not.toBe(WorkerCallError);
    expect(built.WorkerCallError.is(error)).toBe(true);
    expect(WorkerCallError.is(new built.WorkerCallError('ERR_TASKLOCAL_WORKER_EXITED', 'gone'))).toBe(true);
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    for (const value of [null, undefined, 'ERR_TASKLOCAL_WORKER_EXITED', { code: 'ERR_TASKLOCAL_WORKER_EXITED' }, new Error('x'), proxy]) {
      expect(WorkerCallError.is(value)).toBe(false);
    }
  });

  it('take a default timeoutMs from connect, which a call can override', async () => {
    const { worker } = start();
    const client = connect(worker, { timeoutMs: 20 });
    const [hung] = await settleAll([['hang', client.call({ op: 'hang' })]]);
    expectCode(hung, 'ERR_TASKLOCAL_WORKER_TIMEOUT', /within 20 ms/);
    expect(await runWith(request, { id: 'slow' }, () => client.call({ op: 'echo-after', ms: 60 }, { timeoutMs: 60_000 }))).toEqual({
      id: 'slow',
    });
    expect(() => connect(worker, { timeoutMs: -1 })).toThrow(TypeError);
    expect(() => client.call({ op: 'read' }, { timeoutMs: Number.NaN })).toThrow(/Expected `timeoutMs` to be a positive number/);
  });

  it('reject a call whose signal aborts with ERR_TASKLOCAL_WORKER_ABORTED, with the abort reason as its cause', async () => {
    const { client } = start();
    const controller = new AbortController();
    const call = client.call({ op: 'hang' }, { signal: controller.signal });
    expect(client.pending).toBe(1);
    const reason = new Error('the user left');
    controller.abort(reason);
    const [aborted] = await settleAll([['hang', call]]);
    expectCode(aborted, 'ERR_TASKLOCAL_WORKER_ABORTED', /aborted.*its reply is dropped/);
    expect((aborted as PromiseRejectedResult).reason.cause).toBe(reason);
    expect(client.pending).toBe(0);
    // Already aborted: nothing is posted.
    const [early] = await settleAll([['early', client.callForValues({ op: 'read' }, { signal: AbortSignal.abort() })]]);
    expectCode(early, 'ERR_TASKLOCAL_WORKER_ABORTED', /aborted/);
    expect(client.pending).toBe(0);
    expect(await runWith(request, { id: 'next' }, () => client.call({ op: 'echo-after', ms: 0 }))).toEqual({ id: 'next' });
  });

  it('keep the name, message, stack, code and cloneable cause of a worker error, also one that cannot be cloned', async () => {
    const { client } = start();
    await runWith(request, { id: 'r' }, async () => {
      for (const op of ['throw-coded', 'throw-uncloneable']) {
        const error = (await client.call({ op }).catch((e: unknown) => e)) as Error & { code?: unknown };
        expect(error).toBeInstanceOf(Error);
        expect(error.name).toBe('ValidationError');
        expect(error.message).toBe('bad input for r');
        expect(error.code).toBe('E_BAD');
        expect(error.stack).toContain('worker.mjs');
        // The uncloneable error's cause held a function: it is left out, the rest kept.
        expect(error.cause).toEqual(op === 'throw-coded' ? { field: 'items' } : undefined);
      }
      const thrown = (await client.call({ op: 'throw-object' }).catch((e: unknown) => e)) as Error;
      expect(thrown).toBeInstanceOf(TypeError);
      expect(thrown.message).toMatch(/^The worker threw a value that cannot be structured-cloned: .*could not be cloned\. Throw an Error/);
      expect(thrown.message).not.toMatch(/\.\./);
      const returned = (await client.call({ op: 'return-function' }).catch((e: unknown) => e)) as Error;
      expect(returned.message).toMatch(/^The worker's reply cannot be structured-cloned: .*could not be cloned\. Return plain data/);
      expect(returned.message).not.toMatch(/\.\./);
    });
  });

  it('reject every pending call of every client, async and blocking, when the worker exits mid-call', async () => {
    const { worker, client: a } = start();
    const b = connect(worker);
    const sync = startSyncCaller(worker, [{ id: 's-hang', payload: { op: 'hang' } }]);
    await sync.connected;
    const outcomes = await settleAll<unknown>([
      ['a-hang', a.call({ op: 'hang' })],
      ['b-hang', b.call({ op: 'hang' })],
      ['b-crash', b.call({ op: 'crash', ms: 30 })],
      ['s-hang', sync.outcomes[0] as Promise<SyncOutcome>],
    ]);
    for (const outcome of outcomes.slice(0, 3)) expectCode(outcome, 'ERR_TASKLOCAL_WORKER_EXITED', /exited \(code 3\)/);
    expectSyncCode(
      (outcomes[3] as PromiseFulfilledResult<SyncOutcome>).value,
      'ERR_TASKLOCAL_WORKER_EXITED',
      /worker exited or was terminated/,
    );
    await sync.caller.terminate();
  });

  it('reject the pending calls of a client on a MessagePort when the worker at its other end exits', async () => {
    const { worker } = start();
    const { port1, port2 } = new MessageChannel();
    worker.postMessage({ port: port2 }, [port2]);
    const client = connect(port1);
    expect(await runWith(request, { id: 'via-port' }, () => client.call({ op: 'echo-after', ms: 0 }))).toEqual({ id: 'via-port' });
    const outcomes = await settleAll([
      ['hang', client.call({ op: 'hang' })],
      ['crash', client.call({ op: 'crash', ms: 10 })],
    ]);
    for (const outcome of outcomes) expectCode(outcome, 'ERR_TASKLOCAL_WORKER_EXITED', /port closed while 2 call\(s\) were pending/);
    await expect(client.call({ op: 'read' })).rejects.toThrow(/start a new worker/);
  });

  it('leave messages that are not tasklocal calls untouched, both ways', async () => {
    const { worker, client } = start();
    const echoed = new Promise((resolve) => worker.once('message', resolve));
    worker.postMessage({ plain: 'hello' });
    expect(await echoed).toEqual({ plainEcho: 'hello' });
    expect(await runWith(request, { id: 'after-plain' }, () => client.call({ op: 'echo-after', ms: 0 }))).toEqual({ id: 'after-plain' });
  });

  it('answer a malformed tasklocal call with an error that says so, and go on serving', async () => {
    const { worker, client } = start();
    const answered = new Promise<unknown[]>((resolve) => {
      const onMessage = (message: unknown) => {
        if (Array.isArray(message) && message[0] === ENVELOPE && message[2] === 99) {
          worker.off('message', onMessage);
          resolve(message);
        }
      };
      worker.on('message', onMessage);
    });
    worker.postMessage([ENVELOPE, 1, 99, { op: 'read' }, { not: 'an array' }]);
    const [, kind, , error] = await answered;
    expect(kind).toBe(3); // a failure
    expect((error as Error).message).toMatch(/values are not an array.*same version of @tasklocal\/worker/);
    worker.postMessage([ENVELOPE, 1, 98, { op: 'read' }, ['request', 2, 'id']]); // a count past the end
    expect(await runWith(request, { id: 'still-serving' }, () => client.call({ op: 'echo-after', ms: 0 }))).toEqual({
      id: 'still-serving',
    });
  });

  it('run the talk’s thread example: three workers each set uniqueId, sleep 3, 2, 1 and read it back ==', async () => {
    const clients = [start(), start(), start()].map((s) => s.client);
    const results = await Promise.all(
      [3, 2, 1].map((wait, i) => (clients[i] as WorkerClient).call<{ start: string; end: string }>({ op: 'talk', wait })),
    );
    for (const { start: first, end } of results) expect(end).toBe(first);
  });

  it('stress: 1,000 concurrent calls over 4 workers see exactly their caller’s values, and copy-back reaches only that caller', async () => {
    const clients = [start(), start(), start(), start()].map((s) => s.client);
    const errors = await stressCalls(clients, request as Local<Record<string, unknown>>);
    expect(errors.slice(0, 5)).toEqual([]);
    expect(local.reply).toBeUndefined();
  });
});

describe('the synchronous bridge', () => {
  it('blocks until the worker answers, carrying values both ways', async () => {
    const { worker } = start();
    const sync = await connectSync(worker);
    runWith(request, { id: 'sync-1' }, () => {
      const seen = sync.call<{ id: string }>({ op: 'echo-after', ms: 20 }); // async in the worker, blocking here
      expect(seen).toEqual({ id: 'sync-1' });
      expect(sync.call({ op: 'sync-cpu', n: 1000 }, { copyBack: true })).toBe(499500);
      expect(local.computed).toBe(499500);
      expect(() => sync.call({ op: 'throw' })).toThrow('worker says no to sync-1');
    });
    sync.close();
  });

  it('gives up after timeoutMs, and the late reply never answers a later call', async () => {
    const { worker } = start();
    const sync = await connectSync(worker, { timeoutMs: 30 });
    runWith(request, { id: 'slow' }, () => {
      expect(() => sync.call({ op: 'echo-after', ms: 200 })).toThrow(/did not answer within 30 ms/);
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the slow call's reply is now queued on the channel
    runWith(request, { id: 'next' }, () => {
      expect(sync.call({ op: 'echo-after', ms: 1 })).toEqual({ id: 'next' });
    });
    sync.close();
  });
});

describe('the synchronous bridge, from a thread of its own', () => {
  it('throws ERR_TASKLOCAL_WORKER_EXITED when the worker exits mid-call, without timeoutMs; later calls throw at once', async () => {
    const { worker } = start();
    const sync = startSyncCaller(worker, [
      { id: 's-crash', payload: { op: 'crash', ms: 20 } },
      { id: 's-after', payload: { op: 'read' } },
    ]);
    const outcomes = await settleAll(sync.outcomes.map((outcome, i) => [`call ${i}`, outcome] as const));
    for (const outcome of outcomes) {
      expectSyncCode(
        (outcome as PromiseFulfilledResult<SyncOutcome>).value,
        'ERR_TASKLOCAL_WORKER_EXITED',
        /worker exited or was terminated/,
      );
    }
    await sync.caller.terminate();
  });

  it('throws ERR_TASKLOCAL_WORKER_EXITED when the worker is terminated mid-call, without timeoutMs', async () => {
    const { worker } = start();
    const sync = startSyncCaller(worker, [{ id: 's-hang', payload: { op: 'hang' } }]);
    await sync.connected;
    await new Promise((resolve) => setTimeout(resolve, 20)); // the call is most likely in flight; either way it must settle
    await worker.terminate();
    const [outcome] = await settleAll([['s-hang', sync.outcomes[0] as Promise<SyncOutcome>]]);
    expectSyncCode(
      (outcome as PromiseFulfilledResult<SyncOutcome>).value,
      'ERR_TASKLOCAL_WORKER_EXITED',
      /worker exited or was terminated/,
    );
    await sync.caller.terminate();
  });

  it('throws ERR_TASKLOCAL_WORKER_TIMEOUT past a per-call timeoutMs', async () => {
    const { worker } = start();
    const sync = startSyncCaller(worker, [
      { id: 's-hang', payload: { op: 'hang' }, timeoutMs: 20 },
      { id: 's-next', payload: { op: 'echo-after', ms: 1 } },
    ]);
    const outcomes = await settleAll(sync.outcomes.map((outcome, i) => [`call ${i}`, outcome] as const));
    expectSyncCode(
      (outcomes[0] as PromiseFulfilledResult<SyncOutcome>).value,
      'ERR_TASKLOCAL_WORKER_TIMEOUT',
      /did not answer within 20 ms/,
    );
    expect((outcomes[1] as PromiseFulfilledResult<SyncOutcome>).value).toEqual({ id: 's-next', ok: true, value: { id: 's-next' } });
    await sync.caller.terminate();
  });
});

describe('worker pools (piscina)', () => {
  // tinypool leaves a task pending when its worker exits mid-task (its own behaviour), so the crash step is piscina's.
  it.each([
    ['piscina', Piscina, true],
    ['tinypool', Tinypool, false],
  ] as const)('carry values into %s calls and isolate them', async (_name, Pool, crashes) => {
    const pool = new Pool({ filename: new URL('./fixtures/pool-worker.mjs', import.meta.url).href, maxThreads: 2, minThreads: 1 });
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          runWith(request, { id: `p${i}` }, async () => unwrap(await pool.run(carry({ delay: i % 5 }))).result),
        ),
      );
      for (const [i, result] of results.entries()) expect(result).toEqual({ id: `p${i}`, plain: false });
      await runWith(request, { id: 'p-copy' }, async () => {
        unwrap(await pool.run(carry({}))).copyBack();
        expect(local.handledBy).toBe('pool');
      });
      expect(await pool.run({ plain: true })).toEqual({ id: null, plain: true });
      if (crashes) await expect(pool.run(carry({ op: 'crash' }))).rejects.toThrow();
      expect(unwrap(await runWith(request, { id: 'after-crash' }, () => pool.run(carry({})))).result).toEqual({
        id: 'after-crash',
        plain: false,
      });
    } finally {
      await pool.destroy();
    }
  });

  it('carry values into workerpool calls, isolate them, and recover from a crash', async () => {
    const pool = workerpool.pool(fileURLToPath(new URL('./fixtures/workerpool-worker.mjs', import.meta.url)), {
      workerType: 'thread',
      maxWorkers: 2,
    });
    try {
      const run = (task: unknown) => pool.exec('price', [carry(task)]);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => runWith(request, { id: `w${i}` }, async () => unwrap(await run({ delay: i % 5 })).result)),
      );
      for (const [i, result] of results.entries()) expect(result).toEqual({ id: `w${i}`, plain: false });
      await runWith(request, { id: 'w-copy' }, async () => {
        unwrap(await run({})).copyBack();
        expect(local.handledBy).toBe('workerpool');
      });
      expect(await pool.exec('price', [{ plain: true }])).toEqual({ id: null, plain: true });
      await expect(run({ op: 'crash' })).rejects.toThrow();
      expect(unwrap(await runWith(request, { id: 'after-crash' }, () => run({}))).result).toEqual({ id: 'after-crash', plain: false });
    } finally {
      await pool.terminate();
    }
  });
});
