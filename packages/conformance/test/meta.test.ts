import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { ALS_CAPABILITIES } from '../../../test-support/als-store.ts';
import { type ContextStore, createSyncStore, type StoreCapabilities } from '../src/core-backend.ts';
import { runConformance } from '../src/run.ts';

// The suite must fail broken backends, or it proves nothing. Each store here
// has one realistic defect; the suite has to catch it.

/** cls-hooked's and express-http-context's design: one mutable box per scope, shared by everything started in it. */
function createSharedBoxStore(): ContextStore {
  const als = new AsyncLocalStorage<{ value: unknown }>();
  return {
    version: 1,
    name: 'shared-box',
    capabilities: ALS_CAPABILITIES,
    get: () => als.getStore()?.value,
    run: (value, fn, ...args) => als.run({ value }, fn, ...args),
    set(value) {
      const box = als.getStore();
      if (box === undefined) als.enterWith({ value });
      else box.value = value;
    },
    dispose: () => als.disable(),
  };
}

/** A store whose `run` forgets to restore the previous value when `fn` throws. */
function createNoRestoreStore(): ContextStore {
  const als = new AsyncLocalStorage<unknown>();
  return {
    version: 1,
    name: 'no-restore',
    capabilities: ALS_CAPABILITIES,
    get: () => als.getStore(),
    run(value, fn, ...args) {
      const previous = als.getStore();
      als.enterWith(value);
      const result = fn(...args);
      als.enterWith(previous);
      return result;
    },
    set: (value) => als.enterWith(value),
    dispose: () => als.disable(),
  };
}

/** A store that opens no scope when asked to run with the current value: ALS's own `run(sameValue)` short-circuit, copied. */
function createSameValueShortcutStore(): ContextStore {
  const als = new AsyncLocalStorage<unknown>();
  let shortcut = false;
  return {
    version: 1,
    name: 'same-value-shortcut',
    capabilities: ALS_CAPABILITIES,
    get: () => als.getStore(),
    run(value, fn, ...args) {
      // Compares contents rather than identity, so even fresh frames short-circuit.
      if (JSON.stringify(value) === JSON.stringify(als.getStore())) {
        shortcut = true;
        return fn(...args);
      }
      return als.run(value, fn, ...args);
    },
    set: (value) => als.enterWith(value),
    dispose: () => {
      als.disable();
      void shortcut;
    },
  };
}

async function failures(factory: () => ContextStore, capabilities?: StoreCapabilities): Promise<Set<string>> {
  const report = await runConformance(factory, { seed: 42, modes: ['fresh'], ...(capabilities ? { capabilities } : {}) });
  return new Set(report.results.filter((r) => r.status === 'failed').map((r) => r.id));
}

describe('the conformance suite catches broken backends', () => {
  it('a shared mutable box per scope leaks between sibling tasks', async () => {
    const failed = await failures(createSharedBoxStore);
    expect(failed).toContain('siblings-after-parent-set');
    expect(failed).toContain('stress-writes');
    expect(failed).toContain('talk-coroutine-example');
  });

  it('a run that does not restore on throw is caught', async () => {
    const failed = await failures(createNoRestoreStore);
    expect(failed).toContain('run-with-restores-on-throw');
  });

  it('a run that skips opening a scope for an equal value is caught', async () => {
    const failed = await failures(createSameValueShortcutStore);
    expect(failed).toContain('task-isolates-sync');
  });

  it('a synchronous store that claims async capabilities fails their cases', async () => {
    const failed = await failures(createSyncStore, ALS_CAPABILITIES);
    for (const id of ['await-keeps-values', 'then-registration', 'set-timeout', 'stress-run-with']) expect(failed).toContain(id);
  });

  it('counts the suite: more than sixty cases, each run in three modes', async () => {
    const report = await runConformance(createSyncStore, { seed: 1 });
    const ids = new Set(report.results.map((r) => r.id));
    expect(ids.size).toBeGreaterThanOrEqual(60);
    expect(report.results.length).toBe(ids.size * 3);
    expect(report.failed).toBe(0);
  });
});
