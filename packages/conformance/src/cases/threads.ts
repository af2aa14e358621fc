import { type Local, runWith } from '@tasklocal/core';
import { THREAD_CASE_LOCALS, type ThreadChannel } from '../threads.ts';
import type { CaseContext, ConformanceCase, Requirements } from '../types.ts';

interface ThreadCaseParts {
  /** The Locals the other thread also defines, on the store under test. */
  readonly request: Local<Record<string, unknown>>;
  readonly critical: Local<Record<string, unknown>>;
  /** A thread opened through the bridge under test; the suite closes it after the case. */
  readonly thread: ThreadChannel;
}

/** A `threads` case: needs a bridge and `await`, and runs with the shared Locals and one open thread. */
function threadCase(
  id: string,
  title: string,
  run: (t: CaseContext, parts: ThreadCaseParts) => Promise<void>,
  requires: Requirements = { await: true },
): ConformanceCase {
  return {
    id,
    group: 'threads',
    title,
    requires,
    env: ['thread-bridge'],
    async run(t) {
      const request = t.createLocal<Record<string, unknown>>({ name: THREAD_CASE_LOCALS.request });
      const critical = t.createLocal<Record<string, unknown>>({ name: THREAD_CASE_LOCALS.critical, threadCritical: true });
      await run(t, { request, critical, thread: await t.openThread() });
    },
  };
}

/**
 * Values that cross into another thread and come back, through a bridge the
 * runner is given (`options.bridge`): asgiref's `sync_to_async`. Skipped when
 * no bridge is given. The other thread serves `createThreadCaseHandler()`.
 */
export const threadCases: readonly ConformanceCase[] = [
  threadCase(
    'thread-carries-values',
    'a call carries the caller’s values into the other thread, where they hold across its awaits',
    async (t, { request, thread }) => {
      const seen = await runWith(request, { id: 'r-1', n: 1 }, () => thread.call({ op: 'read', ms: 2 }));
      t.assert.deepEqual(seen, { request: { id: 'r-1', n: 1 }, critical: {} });
      t.assert.deepEqual({ ...request }, {});
    },
  ),
  threadCase(
    'thread-critical-stays',
    'thread-critical Locals are never sent, and live per thread from call to call',
    async (t, { request, critical, thread }) => {
      const [one, two] = [thread, await t.openThread()];
      await runWith(critical, { socket: 'this-thread-only', count: 100 }, async () => {
        const seen = await runWith(request, { id: 'r' }, () => one.call({ op: 'read' }));
        t.assert.deepEqual(seen, { request: { id: 'r' }, critical: {} });
        t.assert.equal(await one.call({ op: 'count' }), 1);
        t.assert.equal(await one.call({ op: 'count' }), 2);
        t.assert.equal(await two.call({ op: 'count' }), 1);
        t.assert.equal(critical['count'], 100);
      });
    },
  ),
  threadCase(
    'thread-concurrent-isolation',
    '100 concurrent calls with random delays each see exactly their caller’s values',
    async (t, { request, thread }) => {
      const errors: string[] = [];
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          runWith(request, { id: `c${i}` }, async () => {
            const seen = await thread.call({ op: 'echo', ms: t.randomInt(5), ms2: t.randomInt(3) });
            if (seen !== `c${i}`) errors.push(`call ${i} saw ${String(seen)}`);
            if (request['id'] !== `c${i}`) errors.push(`call ${i} came back to ${String(request['id'])}`);
          }),
        ),
      );
      t.assert.deepEqual(errors.slice(0, 5), []);
    },
  ),
  threadCase(
    'thread-writes-stay',
    'the other thread’s writes stay there unless the caller copies them back',
    async (t, { request, thread }) => {
      await runWith(request, { id: 'r', gone: 'yes' }, async () => {
        t.assert.equal(await thread.call({ op: 'write', value: 'w1' }), 'written');
        t.assert.deepEqual({ ...request }, { id: 'r', gone: 'yes' });
        const reply = await thread.callForValues({ op: 'write', value: 'w2' });
        t.assert.deepEqual({ ...request }, { id: 'r', gone: 'yes' }, 'nothing changes before copyBack()');
        reply.copyBack();
        t.assert.deepEqual({ ...request }, { id: 'r', before: 'w2', after: 'w2' }, 'writes before and after its await, and the delete');
      });
      t.assert.deepEqual({ ...request }, {});
    },
  ),
  threadCase(
    'thread-copy-back-reaches-only-its-caller',
    'copied-back writes reach only the caller that copies them, across 200 concurrent calls',
    async (t, { request, thread }) => {
      const errors: string[] = [];
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          runWith(request, { id: `c${i}` }, async () => {
            const reply = await thread.callForValues({ op: 'echo', ms: t.randomInt(5), ms2: t.randomInt(3) });
            if (request['reply'] !== undefined) errors.push(`call ${i} saw a reply before copying back`);
            reply.copyBack();
            await t.sleep(t.randomInt(3));
            if (request['reply'] !== `c${i}:done`) errors.push(`call ${i} holds ${String(request['reply'])}`);
          }),
        ),
      );
      t.assert.deepEqual(errors.slice(0, 5), []);
      t.assert.equal(request['reply'], undefined);
    },
    { await: true, enter: true },
  ),
  threadCase(
    'thread-error-keeps-values',
    'a call the other thread fails rejects with its error; the caller’s values are unchanged',
    async (t, { request, thread }) => {
      await runWith(request, { id: 'r-err' }, async () => {
        await t.assert.rejects(thread.call({ op: 'throw' }), { name: 'RangeError', message: /thread refuses r-err/ });
        t.assert.deepEqual({ ...request }, { id: 'r-err' });
        t.assert.equal(await thread.call({ op: 'echo', ms: 0, ms2: 0 }), 'r-err', 'the thread still serves');
      });
    },
  ),
  threadCase(
    'thread-uncloneable-value',
    'a value that cannot be cloned is a TypeError naming its key, and nothing is sent',
    async (t, { request, thread }) => {
      await runWith(request, { id: 'r', callback: () => 1 }, async () => {
        await t.assert.rejects(async () => thread.call({ op: 'read' }), { name: 'TypeError', message: /callback/ });
      });
      t.assert.deepEqual(await runWith(request, { id: 'ok' }, () => thread.call({ op: 'read' })), {
        request: { id: 'ok' },
        critical: {},
      });
    },
  ),
];
