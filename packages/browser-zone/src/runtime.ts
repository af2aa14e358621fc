/**
 * Helpers that code rewritten by the `await` transform calls. Not for direct
 * use: the names are short because they appear at every `await`.
 *
 * The protocol, per async function: before an `await`, `s` captures the
 * current context and, when the function is running on its own (it was
 * resumed by the event loop), gives the event loop back the context it had;
 * after the `await`, `r` makes the captured context current again and
 * remembers the one it replaced, which `l` puts back when the function ends.
 * So a resumed function never leaves its values behind for unrelated code.
 * @module @tasklocal/browser-zone/runtime
 */
import { agent, type Mapping, runIn } from './agent.ts';
import { NativePromise } from './patch-promise.ts';

export type { Mapping };

/** Suspend: returns the context to restore after the `await`; gives the event loop back `resumedFrom`. */
export function s(resumedFrom: Mapping | undefined): Mapping {
  const current = agent.current;
  if (resumedFrom !== undefined) agent.current = resumedFrom;
  return current;
}

/** Resume: makes `captured` current and returns the context it replaced. */
export function r(captured: Mapping): Mapping {
  const previous = agent.current;
  agent.current = captured;
  return previous;
}

/** Leave: when a resumed function returns or throws, the event loop gets its context back. */
export function l(resumedFrom: Mapping | undefined): void {
  if (resumedFrom !== undefined) agent.current = resumedFrom;
}

/** Yield (async generators): like a suspend whose context the caller of `next()` replaces. */
export function y(resumedFrom: Mapping | undefined): undefined {
  if (resumedFrom !== undefined) agent.current = resumedFrom;
  return undefined;
}

type Then = (this: unknown, onFulfilled: (value: unknown) => unknown, onRejected: (reason: unknown) => unknown) => unknown;

/**
 * The awaited value: a thenable that is not an engine promise gets its
 * `then` called in `captured` (the proposal's `NewPromiseResolveThenableJob`
 * rule); anything else is returned as is.
 */
export function t(value: unknown, captured: Mapping): unknown {
  if (((typeof value === 'object' && value !== null) || typeof value === 'function') && !(value instanceof NativePromise)) {
    const then = (value as { then?: unknown }).then;
    if (typeof then === 'function') {
      return {
        // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose: `await` calls it in the captured context
        then: (onFulfilled: (value: unknown) => unknown, onRejected: (reason: unknown) => unknown) =>
          runIn(captured, then as Then, value, [onFulfilled, onRejected]),
      };
    }
  }
  return value;
}

/** A value returned from an async function: a thenable's `then` runs in the returning code's context. */
export function rt(value: unknown): unknown {
  return t(value, agent.current);
}

type AnyIterator = {
  next(value?: unknown): unknown;
  return?(value?: unknown): unknown;
};

/**
 * A `for await` loop's iterable: keeps the loop's context across the implicit
 * `await` of each `next()` and of `return()`.
 */
class ForAwait {
  /** The loop's context, captured when it suspends. */
  c: Mapping = agent.current;
  /** The event loop's context, to give back when the loop suspends. */
  p: Mapping | undefined;
  #source: unknown;
  #inner: AnyIterator | undefined;
  #waiting = false;

  constructor(source: unknown, resumedFrom: Mapping | undefined) {
    this.#source = source;
    this.p = resumedFrom;
  }

  [Symbol.asyncIterator](): this {
    const source = this.#source as { [Symbol.asyncIterator]?: () => AnyIterator; [Symbol.iterator]?: () => Iterator<unknown> };
    this.#source = undefined;
    const asyncIterator = source?.[Symbol.asyncIterator];
    if (asyncIterator !== undefined && asyncIterator !== null) {
      this.#inner = asyncIterator.call(source);
    } else {
      const iterator = (source as Iterable<unknown>)[Symbol.iterator]();
      this.#inner = {
        next: (value?: unknown) => {
          const result = iterator.next(value);
          return result.done === true
            ? NativePromise.resolve(result)
            : NativePromise.resolve(result.value).then((v) => ({ value: v, done: false }));
        },
        return: (value?: unknown) => NativePromise.resolve(iterator.return?.(value) ?? { value, done: true }),
      };
    }
    return this;
  }

  #suspend(result: unknown): unknown {
    this.c = agent.current;
    this.#waiting = true;
    if (this.p !== undefined) {
      agent.current = this.p;
      this.p = undefined;
    }
    return result;
  }

  next(): unknown {
    return this.#suspend((this.#inner as AnyIterator).next());
  }

  return(value?: unknown): unknown {
    const inner = this.#inner as AnyIterator;
    return this.#suspend(typeof inner.return === 'function' ? inner.return(value) : NativePromise.resolve({ value, done: true }));
  }

  /** Loop body entered: the loop's context is current again; returns the event loop's. */
  e(): Mapping {
    const previous = agent.current;
    agent.current = this.c;
    this.#waiting = false;
    return previous;
  }

  /** Loop left: as `e`, or, when it never suspended, the context to give back later. */
  x(): Mapping | undefined {
    if (!this.#waiting) return this.p;
    this.#waiting = false;
    const previous = agent.current;
    agent.current = this.c;
    return previous;
  }
}

/** Wraps the iterable of a `for await` loop. */
export function fa(source: unknown, resumedFrom: Mapping | undefined): ForAwait {
  return new ForAwait(source, resumedFrom);
}
