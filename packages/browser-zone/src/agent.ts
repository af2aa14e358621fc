/**
 * The one slot every browser backend and the `await` transform share: the
 * current context (an immutable {@link Mapping}), kept on `globalThis` under a
 * versioned `Symbol.for` key so that two copies of this package in one page
 * agree on it.
 */

/** An immutable map from variable to value. Never mutated once current. */
export type Mapping = ReadonlyMap<object, unknown>;

interface Agent {
  /** The current context. */
  current: Mapping;
  /** The empty context: what a host task starts with. */
  readonly root: Mapping;
  /** What has been patched already, by name. */
  readonly patched: Set<string>;
}

const AGENT_KEY = Symbol.for('tasklocal.browser.agent.v1');
const holder = globalThis as typeof globalThis & { [AGENT_KEY]?: Agent };
const root: Mapping = new Map();

/** The shared slot. Read `agent.current` on hot paths; it is a plain property. */
export const agent: Agent = (holder[AGENT_KEY] ??= { current: root, root, patched: new Set() });

/** Runs `fn` with `mapping` current and restores the previous one afterwards, also on throw. */
export function runIn<R>(mapping: Mapping, fn: (...args: never) => R, thisArg: unknown, args: ArrayLike<unknown>): R {
  const previous = agent.current;
  agent.current = mapping;
  try {
    return Reflect.apply(fn, thisArg, args as unknown[]);
  } finally {
    agent.current = previous;
  }
}

/** `fn` bound to the current context: whoever calls it later, it runs in the context of now. */
export function wrap<F extends (...args: never[]) => unknown>(fn: F): F {
  const mapping = agent.current;
  return function (this: unknown) {
    const previous = agent.current;
    agent.current = mapping;
    try {
      // biome-ignore lint/complexity/noArguments: forwards any arguments without allocating a rest array
      return Reflect.apply(fn, this, arguments);
    } finally {
      agent.current = previous;
    }
  } as F;
}

/** `fn` wrapped so that whatever it writes to the current context stays inside the call. */
export function bracket<F extends (...args: never[]) => unknown>(fn: F): F {
  return function (this: unknown) {
    const previous = agent.current;
    try {
      // biome-ignore lint/complexity/noArguments: forwards any arguments without allocating a rest array
      return Reflect.apply(fn, this, arguments);
    } finally {
      agent.current = previous;
    }
  } as F;
}

/** Runs `install` once per page (per realm), even across copies of this package. */
export function once(name: string, install: () => void): void {
  if (agent.patched.has(name)) return;
  agent.patched.add(name);
  install();
}
