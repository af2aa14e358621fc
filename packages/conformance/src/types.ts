import type { Local, LocalOptions } from '@tasklocal/core';
import type { ContextStore, StoreCapabilities } from './core-backend.ts';
import type { Assert } from './assert.ts';
import type { ThreadChannel } from './threads.ts';

/**
 * What a case needs: each named capability must equal the given value
 * (`true`, `false`, or a mode such as `'dispatch'`).
 */
export type Requirements = { readonly [K in keyof StoreCapabilities]?: StoreCapabilities[K] };

/** What a case needs from the environment rather than from the backend. */
export type Environment = 'gc' | 'node:events' | 'EventTarget' | 'thread-bridge';

/** How a case is entered: from a fresh state, inside an unrelated scope, inside a snapshot. */
export type Mode = 'fresh' | 'nested' | 'snapshot';

/** What a case receives. */
export interface CaseContext {
  /** The store under test, new for this run of the case. */
  readonly store: ContextStore;
  readonly capabilities: StoreCapabilities;
  /** A new Local on the store under test. */
  createLocal<T extends object = Record<string, unknown>>(options?: Omit<LocalOptions<T>, 'store'>): Local<T>;
  readonly assert: Assert;
  /** Resolves after `ms` milliseconds, through `setTimeout`. */
  sleep(ms: number): Promise<void>;
  /** A seeded random number in [0, 1): the same seed gives the same interleaving. */
  random(): number;
  /** A random integer in [0, n). */
  randomInt(n: number): number;
  /** Collects garbage, when the environment allows it (cases that need it declare `env: ['gc']`). */
  gc(): Promise<void>;
  /** Loads a Node built-in module without bundlers resolving it statically. */
  importBuiltin<M>(name: string): Promise<M>;
  /** Opens a thread through the bridge under test (cases that use it declare `env: ['thread-bridge']`); closed after the case. */
  openThread(): Promise<ThreadChannel>;
  readonly mode: Mode;
}

/** One conformance case. */
export interface ConformanceCase {
  /** Stable id, kebab-case, unique in the suite. */
  readonly id: string;
  readonly group: string;
  /** What the case proves, as a sentence. */
  readonly title: string;
  readonly requires?: Requirements;
  readonly env?: readonly Environment[];
  run(t: CaseContext): void | Promise<void>;
}
