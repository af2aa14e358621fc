import { agent, type Mapping, runIn } from './agent.ts';

/** Options for {@link Variable}, as in the TC39 proposal. */
export interface VariableOptions<T> {
  readonly name?: string;
  readonly defaultValue?: T;
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)})`;
  if (typeof value === 'symbol') return 'a Symbol';
  return `${typeof value} \`${String(value)}\``;
}

/** The proposal reads `name` with ToString, which refuses a Symbol; `String()` alone would not. */
function toName(name: unknown): string {
  if (typeof name === 'symbol') {
    throw new TypeError(
      `Expected \`options.name\` of \`AsyncContext.Variable\` to be a string, got a Symbol. Pass a string, e.g. \`new AsyncContext.Variable({ name: 'requestId' })\`.`,
    );
  }
  return String(name);
}

function assertCallable(fn: unknown, where: string): void {
  if (typeof fn !== 'function') {
    throw new TypeError(`Expected \`fn\` of \`${where}\` to be a function, got ${describe(fn)}. Pass the function to call.`);
  }
}

/**
 * A class reads `newTarget.prototype` before its constructor runs and falls
 * back to `Object.prototype` when that is not an object; the proposal falls
 * back to the built-in's own prototype. Only `Reflect.construct` and
 * subclasses reach here, so `new Variable()` pays nothing for it.
 */
function fixPrototype(instance: object, newTarget: unknown, fallback: object): void {
  if (!isObject((newTarget as { prototype?: unknown }).prototype)) Object.setPrototypeOf(instance, fallback);
}

/**
 * `AsyncContext.Variable` from the TC39 proposal, on this package's shared
 * context slot: `run` opens a scope, `get` reads it.
 */
export class Variable<T> {
  readonly #name: string;
  readonly #defaultValue: T | undefined;

  // `options` has no default: a default would make `Variable.length` 0, and the proposal's is 1.
  constructor(options?: VariableOptions<T> | null) {
    let name = '';
    let defaultValue: T | undefined;
    // As the proposal: only an object is read, `name` only when present, then `defaultValue`.
    if (isObject(options)) {
      if ('name' in options) name = toName(options.name);
      defaultValue = options.defaultValue;
    }
    this.#name = name;
    this.#defaultValue = defaultValue;
    if (new.target !== Variable) fixPrototype(this, new.target, Variable.prototype);
  }

  static #check(value: unknown, member: string): Variable<unknown> {
    if (isObject(value) && #name in value) return value as Variable<unknown>;
    throw new TypeError(
      `\`AsyncContext.Variable.prototype.${member}\` was called on ${describe(value)}, not on a \`Variable\`. Call it on the variable, e.g. \`variable.${member}\`.`,
    );
  }

  /** The name given at construction. */
  get name(): string {
    return Variable.#check(this, 'name').#name;
  }

  /** The value in the current context, or the default. */
  get(): T | undefined {
    const mapping = agent.current;
    const value = mapping.get(this) as T | undefined;
    // A mapping's keys are Variables and keys private to this package's stores, so a hit needs no check.
    if (value !== undefined || mapping.has(this)) return value;
    return Variable.#check(this, 'get()').#defaultValue as T | undefined;
  }

  /** Calls `fn(...args)` with this variable set to `value`, restoring the previous context afterwards. */
  run<R, A extends unknown[]>(value: T, fn: (...args: A) => R, ...args: A): R {
    Variable.#check(this, 'run()');
    assertCallable(fn, 'AsyncContext.Variable.prototype.run');
    return runIn(withValue(agent.current, this, value), fn, undefined, args);
  }
}

Object.defineProperty(Variable.prototype, Symbol.toStringTag, { value: 'AsyncContext.Variable', configurable: true });

/** A copy of `mapping` with `key` set to `value`: mappings are never changed once current. */
export function withValue(mapping: Mapping, key: object, value: unknown): Mapping {
  const next = new Map(mapping);
  next.set(key, value);
  return next;
}

/**
 * The proposal's `CopyNameAndLength(wrapped, fn, 'wrapped')`, the steps
 * `Function.prototype.bind` uses: only an own numeric `length` counts, and a
 * `name` that is not a string becomes the empty string.
 */
function copyNameAndLength(wrapped: object, fn: object): void {
  let length = 0;
  if (Object.hasOwn(fn, 'length')) {
    const own = (fn as { length?: unknown }).length;
    if (typeof own === 'number') {
      if (own === Number.POSITIVE_INFINITY) length = own;
      else if (own !== Number.NEGATIVE_INFINITY) length = Math.max(Math.trunc(own) || 0, 0);
    }
  }
  Object.defineProperty(wrapped, 'length', { value: length, configurable: true });
  const name = (fn as { name?: unknown }).name;
  Object.defineProperty(wrapped, 'name', { value: `wrapped ${typeof name === 'string' ? name : ''}`, configurable: true });
}

/** `AsyncContext.Snapshot` from the TC39 proposal: every variable's value now, to run code in later. */
export class Snapshot {
  readonly #mapping: Mapping = agent.current;

  constructor() {
    if (new.target !== Snapshot) fixPrototype(this, new.target, Snapshot.prototype);
  }

  /** Calls `fn(...args)` in the captured context. */
  run<R, A extends unknown[]>(fn: (...args: A) => R, ...args: A): R {
    if (!isObject(this) || !(#mapping in this)) {
      throw new TypeError(
        `\`AsyncContext.Snapshot.prototype.run()\` was called on ${describe(this)}, not on a \`Snapshot\`. Call it on the snapshot, e.g. \`snapshot.run(fn)\`.`,
      );
    }
    assertCallable(fn, 'AsyncContext.Snapshot.prototype.run');
    return runIn(this.#mapping, fn, undefined, args);
  }

  /** `fn` bound to the current context; like the proposal's, the result is not a constructor and is named `wrapped <name>`. */
  static wrap<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    assertCallable(fn, 'AsyncContext.Snapshot.wrap');
    const mapping = agent.current;
    // A method, not a `function`: methods have no `prototype` and cannot be called with `new`, as the proposal's wrapper.
    const { wrapped } = {
      wrapped(this: unknown, ...args: A): R {
        return runIn(mapping, fn, this, args);
      },
    };
    copyNameAndLength(wrapped, fn);
    return wrapped;
  }
}

Object.defineProperty(Snapshot.prototype, Symbol.toStringTag, { value: 'AsyncContext.Snapshot', configurable: true });

/**
 * The proposal's namespace, for code written against `AsyncContext`. Its
 * properties are writable, configurable and not enumerable, as those of a
 * built-in namespace such as `Math`.
 */
export const AsyncContext: { readonly Variable: typeof Variable; readonly Snapshot: typeof Snapshot } = Object.defineProperties(
  {},
  {
    Variable: { value: Variable, writable: true, configurable: true },
    Snapshot: { value: Snapshot, writable: true, configurable: true },
    [Symbol.toStringTag]: { value: 'AsyncContext', configurable: true },
  },
) as { readonly Variable: typeof Variable; readonly Snapshot: typeof Snapshot };
