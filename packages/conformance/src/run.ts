import { Local, runWith, snapshot } from '@tasklocal/core';
import { assertContextStore, type ContextStore, type ContextStoreFactory, releaseStore, type StoreCapabilities } from './core-backend.ts';
import { AssertionError, assert } from './assert.ts';
import { cases as allCases } from './cases/index.ts';
import type { ThreadBridge, ThreadChannel } from './threads.ts';
import type { CaseContext, ConformanceCase, Environment, Mode } from './types.ts';

/** Options shared by {@link runConformance} and the vitest binding. */
export interface ConformanceOptions {
  /** Capabilities to hold the backend to; by default the ones its stores declare. */
  readonly capabilities?: StoreCapabilities;
  /** The entry modes to run each case in; by default all three. */
  readonly modes?: readonly Mode[];
  /** Seed for the random schedules; by default a new one, printed on failure. */
  readonly seed?: number;
  /** A case that has not settled after this long fails (a hang guard, not a speed test). Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Runs only the cases it returns true for. */
  readonly filter?: (testCase: ConformanceCase) => boolean;
  /** A function that forces a full garbage collection; detected when not given. */
  readonly gc?: () => void;
  /** A bridge that carries values into another thread and back: runs the `threads` cases, skipped without it. */
  readonly bridge?: ThreadBridge;
}

/** The outcome of one case in one mode. */
export interface CaseResult {
  readonly id: string;
  readonly title: string;
  readonly group: string;
  readonly mode: Mode;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** Why it failed or was skipped. */
  readonly detail?: string;
}

/** What a run of the suite found. */
export interface ConformanceReport {
  readonly backend: string;
  readonly seed: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly results: readonly CaseResult[];
}

export const MODES: readonly Mode[] = ['fresh', 'nested', 'snapshot'];

/** Why `testCase` does not apply to a backend with `capabilities`, or undefined when it does. */
export function capabilityGap(testCase: ConformanceCase, capabilities: StoreCapabilities): string | undefined {
  const missing = Object.entries(testCase.requires ?? {})
    .filter(([name, wanted]) => capabilities[name as keyof StoreCapabilities] !== wanted)
    .map(([name, wanted]) => `${name}: ${String(wanted)}`);
  return missing.length === 0 ? undefined : `backend does not declare ${missing.join(', ')}`;
}

/** The environment features this runtime offers, detected once. */
export interface Environment_ {
  readonly gc: (() => void) | undefined;
  readonly has: ReadonlySet<Environment>;
}

let detected: Promise<Environment_> | undefined;

function importBuiltin<M>(name: string): Promise<M> {
  // A variable specifier keeps bundlers from resolving Node built-ins for browser builds.
  const specifier = name;
  return import(/* @vite-ignore */ specifier) as Promise<M>;
}

async function findGc(): Promise<(() => void) | undefined> {
  const host = globalThis as { gc?: () => void; Bun?: { gc?(force: boolean): void } };
  if (typeof host.gc === 'function') return host.gc;
  if (typeof host.Bun?.gc === 'function') {
    const bun = host.Bun;
    return () => bun.gc?.(true);
  }
  try {
    const v8 = await importBuiltin<{ setFlagsFromString(flags: string): void }>('node:v8');
    const vm = await importBuiltin<{ runInNewContext(code: string): unknown }>('node:vm');
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/** Detects the garbage collector, `node:events` and `EventTarget` in this runtime. */
export function detectEnvironment(gc?: () => void): Promise<Environment_> {
  detected ??= (async () => {
    const found = gc ?? (await findGc());
    const has = new Set<Environment>();
    if (found !== undefined) has.add('gc');
    if (typeof EventTarget === 'function' && typeof Event === 'function') has.add('EventTarget');
    try {
      await importBuiltin('node:events');
      has.add('node:events');
    } catch {
      // not a Node-compatible runtime
    }
    return { gc: found, has };
  })();
  return detected;
}

/** Why `testCase` cannot run in this environment, or undefined when it can. */
export function environmentGap(testCase: ConformanceCase, environment: Environment_, options: ConformanceOptions = {}): string | undefined {
  const needs = testCase.env ?? [];
  if (needs.includes('thread-bridge') && options.bridge === undefined) return 'no thread bridge given (options.bridge)';
  const missing = needs.filter((need) => need !== 'thread-bridge' && !environment.has.has(need));
  return missing.length === 0 ? undefined : `runtime lacks ${missing.join(', ')}`;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function createContext(
  store: ContextStore,
  capabilities: StoreCapabilities,
  mode: Mode,
  seed: number,
  environment: Environment_,
  bridge: ThreadBridge | undefined,
  threads: ThreadChannel[],
): CaseContext {
  const random = mulberry32(seed);
  return {
    store,
    capabilities,
    mode,
    assert,
    createLocal: (options) => new Local({ ...options, store }),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random,
    randomInt: (n) => Math.floor(random() * n),
    async gc() {
      const gc = environment.gc;
      if (gc === undefined) throw new Error('This runtime offers no way to collect garbage.');
      gc();
      await new Promise((resolve) => setTimeout(resolve, 0));
      gc();
    },
    importBuiltin,
    async openThread() {
      if (bridge === undefined) throw new Error('This run has no thread bridge: pass `bridge` in the conformance options.');
      const channel = await bridge.open();
      threads.push(channel);
      return channel;
    },
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Enters `mode` on `store` and runs `body` there; checks that the unrelated scope was left alone. */
function enterMode(mode: Mode, store: ContextStore, capabilities: StoreCapabilities, body: () => unknown): unknown {
  if (mode === 'fresh') return body();
  const noise = new Local<{ unrelated: string }>({ store, name: 'unrelated' });
  const token = `unrelated-${mode}`;
  const check = () => {
    if (noise.unrelated !== token) {
      throw new AssertionError(
        `the case disturbed an unrelated Local: it reads ${JSON.stringify(noise.unrelated)}, expected ${JSON.stringify(token)}`,
      );
    }
  };
  const guarded = () => {
    check();
    const result = body();
    check();
    return isThenable(result) && capabilities.await
      ? (async () => {
          await result;
          check();
        })()
      : result;
  };
  if (mode === 'nested') return runWith(noise, { unrelated: token }, guarded);
  const snap = runWith(noise, { unrelated: token }, () => snapshot());
  return snap.run(guarded);
}

/**
 * Runs one case in one mode against a fresh store from `factory`, and
 * releases the store afterwards. Resolves when the case passes; rejects with
 * its failure.
 */
export async function runCase(
  factory: ContextStoreFactory,
  testCase: ConformanceCase,
  mode: Mode,
  options: ConformanceOptions & { readonly seed: number },
): Promise<void> {
  const environment = await detectEnvironment(options.gc);
  const store = factory();
  assertContextStore(store, 'the store the factory returned');
  const capabilities = options.capabilities ?? store.capabilities;
  const threads: ThreadChannel[] = [];
  const context = createContext(store, capabilities, mode, options.seed, environment, options.bridge, threads);
  const timeoutMs = options.timeoutMs ?? 10_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(() => enterMode(mode, store, capabilities, () => testCase.run(context))),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the case did not settle within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    if (error instanceof Error && !error.message.includes('seed')) {
      error.message += ` (seed ${options.seed})`;
    }
    throw error;
  } finally {
    clearTimeout(timer);
    await Promise.all(threads.map((thread) => thread.close()));
    releaseStore(store);
  }
}

/** The cases `options` selects, in suite order. */
export function selectCases(options: ConformanceOptions = {}): readonly ConformanceCase[] {
  return options.filter === undefined ? allCases : allCases.filter(options.filter);
}

/**
 * Runs the whole suite against a backend without any test runner, for
 * runtimes vitest does not reach. Calls `onResult` after each case.
 */
export async function runConformance(
  factory: ContextStoreFactory,
  options: ConformanceOptions = {},
  onResult?: (result: CaseResult) => void,
): Promise<ConformanceReport> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const probe = factory();
  assertContextStore(probe, 'the store the factory returned');
  const capabilities = options.capabilities ?? probe.capabilities;
  const backend = probe.name;
  probe.dispose?.();
  const environment = await detectEnvironment(options.gc);
  const results: CaseResult[] = [];
  for (const testCase of selectCases(options)) {
    for (const mode of options.modes ?? MODES) {
      const base = { id: testCase.id, title: testCase.title, group: testCase.group, mode };
      const gap = capabilityGap(testCase, capabilities) ?? environmentGap(testCase, environment, options);
      let result: CaseResult;
      if (gap !== undefined) {
        result = { ...base, status: 'skipped', detail: gap };
      } else {
        try {
          await runCase(factory, testCase, mode, { ...options, seed, capabilities });
          result = { ...base, status: 'passed' };
        } catch (error) {
          result = { ...base, status: 'failed', detail: error instanceof Error ? (error.stack ?? error.message) : String(error) };
        }
      }
      results.push(result);
      onResult?.(result);
    }
  }
  const count = (status: CaseResult['status']) => results.filter((r) => r.status === status).length;
  return { backend, seed, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), results };
}

/**
 * Runs the suite and prints one line per case and a closing
 * `conformance: N passed, N failed, N skipped` line; sets a failing exit code
 * when a case fails. For `node`, `deno`, `bun` and other plain runtimes.
 * @example
 * ```ts
 * import { runConformanceCli } from '@tasklocal/conformance';
 * import { createAlsStore } from '@tasklocal/node-als';
 * await runConformanceCli(createAlsStore);
 * ```
 */
export async function runConformanceCli(
  factory: ContextStoreFactory,
  options: ConformanceOptions & { readonly log?: (line: string) => void } = {},
): Promise<ConformanceReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  let n = 0;
  const report = await runConformance(factory, options, (result) => {
    n++;
    const name = `${result.group} › ${result.id} [${result.mode}]`;
    if (result.status === 'passed') log(`ok ${n} - ${name}`);
    else if (result.status === 'skipped') log(`ok ${n} - ${name} # SKIP ${result.detail ?? ''}`);
    else log(`not ok ${n} - ${name}\n  ${(result.detail ?? '').split('\n').join('\n  ')}`);
  });
  log(`# backend ${report.backend}, seed ${report.seed}`);
  log(`conformance: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  const host = globalThis as { process?: { exitCode?: number } };
  if (report.failed > 0 && host.process !== undefined) host.process.exitCode = 1;
  return report;
}
