import { agent, type Mapping, runIn } from './agent.ts';

/** Options for {@link Variable}, as in the TC39 proposal. */
export interface VariableOptions<T> {
  readonly name?: string;
  readonly defaultValue?: T;
}

/**
 * `AsyncContext.Variable` from the TC39 proposal, on this package's shared
 * context slot: `run` opens a scope, `get` reads it.
 */
export class Variable<T> {
  readonly #name: string;
  readonly #defaultValue: T | undefined;

  constructor(options: VariableOptions<T> = {}) {
    this.#name = options.name ?? '';
    this.#defaultValue = options.defaultValue;
  }

  /** The name given at construction. */
  get name(): string {
    return this.#name;
  }

  /** The value in the current context, or the default. */
  get(): T | undefined {
    const mapping = agent.current;
    const value = mapping.get(this) as T | undefined;
    return value !== undefined || mapping.has(this) ? value : this.#defaultValue;
  }

  /** Calls `fn(...args)` with this variable set to `value`, restoring the previous context afterwards. */
  run<R, A extends unknown[]>(value: T, fn: (...args: A) => R, ...args: A): R {
    return runIn(withValue(agent.current, this, value), fn, undefined, args);
  }
}

/** A copy of `mapping` with `key` set to `value`: mappings are never changed once current. */
export function withValue(mapping: Mapping, key: object, value: unknown): Mapping {
  const next = new Map(mapping);
  next.set(key, value);
  return next;
}

/** `AsyncContext.Snapshot` from the TC39 proposal: every variable's value now, to run code in later. */
export class Snapshot {
  readonly #mapping: Mapping = agent.current;

  /** Calls `fn(...args)` in the captured context. */
  run<R, A extends unknown[]>(fn: (...args: A) => R, ...args: A): R {
    return runIn(this.#mapping, fn, undefined, args);
  }

  /** `fn` bound to the current context. */
  static wrap<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    const mapping = agent.current;
    return function (this: unknown, ...args: A): R {
      return runIn(mapping, fn, this, args);
    };
  }
}

/** The proposal's namespace, for code written against `AsyncContext`. */
export const AsyncContext: { readonly Variable: typeof Variable; readonly Snapshot: typeof Snapshot } = Object.freeze({
  Variable,
  Snapshot,
});
