/**
 * The Zone.js backend, for apps that already load Zone.js.
 * @module @tasklocal/browser-zone/zone
 */
import type { ContextStore } from '@tasklocal/core/backend';
import { agent, type Mapping } from './agent.ts';
import { type BrowserStoreOptions, withTransform } from './capabilities.ts';
import { patchPromises } from './patch-promise.ts';
import { withValue } from './variable.ts';

export type { BrowserStoreOptions } from './capabilities.ts';

/** The part of a Zone.js task this backend uses. */
interface TaskLike {
  [FRAME]?: Mapping;
}
interface DelegateLike {
  scheduleTask(target: ZoneLike, task: TaskLike): TaskLike;
  invokeTask(target: ZoneLike, task: TaskLike, applyThis: unknown, applyArgs: unknown): unknown;
}
/** The part of a Zone.js zone this backend uses. */
export interface ZoneLike {
  readonly name: string;
  fork(spec: object): ZoneLike;
  run<R>(fn: (...args: never) => R, applyThis?: unknown, applyArgs?: unknown[]): R;
}
/** The part of the global `Zone` this backend uses. */
export interface ZoneStatic {
  readonly current: ZoneLike;
  readonly root: ZoneLike;
}

const FRAME = Symbol('tasklocal.frame');

/**
 * The zone spec: a task captures the context when it is scheduled and gets
 * it back each time it runs, so writes never leak between tasks that share a
 * zone. Whatever a task writes stays inside it.
 */
const spec = {
  name: 'tasklocal',
  onScheduleTask(delegate: DelegateLike, _current: ZoneLike, target: ZoneLike, task: TaskLike): TaskLike {
    task[FRAME] = agent.current;
    return delegate.scheduleTask(target, task);
  },
  onInvokeTask(
    delegate: DelegateLike,
    _current: ZoneLike,
    target: ZoneLike,
    task: TaskLike,
    applyThis: unknown,
    applyArgs: unknown,
  ): unknown {
    const previous = agent.current;
    const mapping = task[FRAME];
    if (mapping !== undefined) agent.current = mapping;
    try {
      return delegate.invokeTask(target, task, applyThis, applyArgs);
    } finally {
      agent.current = previous;
    }
  },
};

/** The global `Zone`, or a `TypeError` that says how to load it. */
export function zoneGlobal(): ZoneStatic {
  const zone = (globalThis as { Zone?: ZoneStatic }).Zone;
  if (zone === undefined || typeof zone.current?.fork !== 'function') {
    throw new TypeError(
      'Zone.js is not loaded, so the `zone` backend cannot work. Import `zone.js` before the first Local is used, or import `@tasklocal/browser-zone/zone/load`, which loads it.',
    );
  }
  return zone;
}

/** What the Zone.js backend declares without the transform: Zone.js tasks, and listeners in the zone they were added in. */
const ZONE_CAPABILITIES = {
  enter: true,
  promiseThen: true,
  timers: true,
  queueMicrotask: true,
  generators: 'resume',
  eventTarget: 'registration',
} as const;

/**
 * A `ContextStore` over Zone.js. A scope (`run`) enters a child of the
 * current zone (one per parent, so Angular's zone still sees every task),
 * and every task scheduled inside it carries the values it was scheduled
 * with. Zone.js itself loses the zone after a native `await`: compile with
 * the transform of `@tasklocal/await-transform` to keep the values there too.
 * @example
 * ```ts
 * import 'zone.js';
 * import { Local } from '@tasklocal/core';
 * import { createZoneStore } from '@tasklocal/browser-zone/zone';
 * const local = new Local({ store: createZoneStore() });
 * ```
 */
export function createZoneStore(options: BrowserStoreOptions = {}): ContextStore {
  const Zone = zoneGlobal();
  // After Zone.js has replaced the global Promise, so both promise classes register callbacks in their context.
  patchPromises();
  const children = new WeakMap<ZoneLike, ZoneLike>();
  const ours = new WeakSet<ZoneLike>();
  const enter = (): ZoneLike | undefined => {
    const current = Zone.current;
    if (ours.has(current)) return undefined;
    let child = children.get(current);
    if (child === undefined) {
      child = current.fork(spec);
      children.set(current, child);
      ours.add(child);
    }
    return child;
  };
  const key = {};
  return {
    version: 1,
    name: 'zone',
    capabilities: withTransform(ZONE_CAPABILITIES, options),
    get: () => agent.current.get(key),
    run(value, fn, ...args) {
      const previous = agent.current;
      agent.current = withValue(previous, key, value);
      try {
        const zone = enter();
        return zone === undefined ? fn(...args) : zone.run(fn, undefined, args);
      } finally {
        agent.current = previous;
      }
    },
    set(value) {
      agent.current = withValue(agent.current, key, value);
    },
  };
}
