import { agent, type Mapping, once, wrap } from './agent.ts';

type AnyFn = (...args: never[]) => unknown;
type Host = Record<string, unknown>;

const host = globalThis as unknown as Host;

/** Replaces `owner[name]` (a function) with `make(original)`, keeping it non-enumerable. */
function replace(owner: object, name: string, make: (original: AnyFn) => AnyFn): void {
  const original = (owner as Record<string, unknown>)[name];
  if (typeof original !== 'function') return;
  Object.defineProperty(owner, name, { configurable: true, writable: true, value: make(original as AnyFn) });
}

/** Schedulers: the callback runs in the context of the code that scheduled it (the proposal's registration time). */
function patchSchedulers(): void {
  const scheduling = (original: AnyFn): AnyFn =>
    function (this: unknown, callback: unknown, ...rest: unknown[]) {
      return Reflect.apply(original, this, [typeof callback === 'function' ? wrap(callback as AnyFn) : callback, ...rest]);
    };
  for (const name of ['setTimeout', 'setInterval', 'queueMicrotask', 'requestAnimationFrame', 'requestIdleCallback']) {
    replace(globalThis, name, scheduling);
  }
  const scheduler = host['scheduler'] as { postTask?: AnyFn } | undefined;
  if (scheduler !== undefined && typeof scheduler.postTask === 'function') {
    replace(Object.getPrototypeOf(scheduler) as object, 'postTask', scheduling);
  }
}

/** Contexts of XHRs, captured at `send()`: their events propagate from the task start. */
const xhrContexts = new WeakMap<object, Mapping>();
/** Each port of a MessageChannel made in this realm, to its partner. */
const partners = new WeakMap<object, object>();
/** Per sending port, the contexts of the messages it posted and its partner has not yet received. */
const pending = new WeakMap<object, Mapping[]>();
/** Per message event, its context, so that several listeners see the same one. */
const eventContexts = new WeakMap<Event, Mapping>();

/** The context a listener on `target` runs in for `event`, or undefined for the dispatcher's. */
function taskContext(target: unknown, event: unknown): Mapping | undefined {
  if (typeof target !== 'object' || target === null) return undefined;
  const xhr = xhrContexts.get(target);
  if (xhr !== undefined) return xhr;
  const partner = partners.get(target);
  if (partner === undefined || !(event instanceof Event) || event.type !== 'message') return undefined;
  let mapping = eventContexts.get(event);
  if (mapping === undefined) {
    mapping = pending.get(partner)?.shift();
    if (mapping !== undefined) eventContexts.set(event, mapping);
  }
  return mapping;
}

type Listener = ((event: Event) => unknown) | { handleEvent(event: Event): unknown };
const wrappers = new WeakMap<object, AnyFn>();

/**
 * A listener runs as a plain call from the code that dispatches (the
 * proposal's dispatch-time rule for `dispatchEvent` and `el.click()`); the
 * wrapper only keeps its writes inside the call, and gives XHR and
 * MessageChannel events the context of `send()` and `postMessage()`.
 */
function listenerWrapper(listener: Listener): AnyFn {
  let wrapper = wrappers.get(listener);
  if (wrapper === undefined) {
    wrapper = function (this: unknown, event: Event) {
      const previous = agent.current;
      const mapping = taskContext(this, event);
      if (mapping !== undefined) agent.current = mapping;
      try {
        return typeof listener === 'function' ? listener.call(this, event) : listener.handleEvent(event);
      } finally {
        agent.current = previous;
      }
    };
    wrappers.set(listener, wrapper);
  }
  return wrapper;
}

function patchEvents(): void {
  const EventTargetCtor = host['EventTarget'] as { prototype: EventTarget } | undefined;
  if (EventTargetCtor === undefined) return;
  const proto = EventTargetCtor.prototype;
  const listening = (original: AnyFn): AnyFn =>
    function (this: unknown, type: unknown, listener: unknown, ...rest: unknown[]) {
      const usable = typeof listener === 'function' || (typeof listener === 'object' && listener !== null);
      return Reflect.apply(original, this, [type, usable ? listenerWrapper(listener as Listener) : listener, ...rest]);
    };
  replace(proto, 'addEventListener', listening);
  replace(proto, 'removeEventListener', listening);
}

/** Wraps `on*` handler properties of `proto` the way listeners are wrapped. */
function patchHandlerProperties(proto: object, names: readonly string[]): void {
  for (const name of names) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor?.set === undefined || descriptor.get === undefined) continue;
    const { get, set } = descriptor;
    const originals = new WeakMap<object, unknown>();
    Object.defineProperty(proto, name, {
      configurable: true,
      enumerable: descriptor.enumerable ?? true,
      get(this: object) {
        return originals.has(this) ? originals.get(this) : get.call(this);
      },
      set(this: object, handler: unknown) {
        originals.set(this, handler);
        set.call(this, typeof handler === 'function' ? listenerWrapper(handler as Listener) : handler);
      },
    });
  }
}

function patchXhr(): void {
  const Xhr = host['XMLHttpRequest'] as { prototype: XMLHttpRequest } | undefined;
  if (Xhr === undefined) return;
  replace(
    Xhr.prototype,
    'send',
    (original) =>
      function (this: XMLHttpRequest, ...args: unknown[]) {
        xhrContexts.set(this, agent.current);
        xhrContexts.set(this.upload, agent.current);
        return Reflect.apply(original, this, args);
      },
  );
  const events = ['onloadstart', 'onprogress', 'onabort', 'onerror', 'onload', 'ontimeout', 'onloadend'];
  const target = host['XMLHttpRequestEventTarget'] as { prototype: object } | undefined;
  if (target !== undefined) patchHandlerProperties(target.prototype, events);
  patchHandlerProperties(Xhr.prototype, ['onreadystatechange']);
}

function patchMessageChannel(): void {
  const Channel = host['MessageChannel'] as (new () => MessageChannel) | undefined;
  const Port = host['MessagePort'] as { prototype: MessagePort } | undefined;
  if (Channel === undefined || Port === undefined) return;
  class TrackedMessageChannel extends Channel {
    constructor() {
      super();
      partners.set(this.port1, this.port2);
      partners.set(this.port2, this.port1);
    }
  }
  Object.defineProperty(TrackedMessageChannel, 'name', { value: 'MessageChannel' });
  host['MessageChannel'] = TrackedMessageChannel;
  replace(
    Port.prototype,
    'postMessage',
    (original) =>
      function (this: MessagePort, ...args: unknown[]) {
        const result = Reflect.apply(original, this, args);
        if (partners.has(this)) {
          const transfer = args[1];
          const list = Array.isArray(transfer) ? transfer : (transfer as { transfer?: unknown[] } | undefined)?.transfer;
          // A port sent elsewhere leaves this realm: stop pairing it, or its queue would never drain.
          for (const item of list ?? []) partners.delete(item as object);
          let queue = pending.get(this);
          if (queue === undefined) pending.set(this, (queue = []));
          queue.push(agent.current);
        }
        return result;
      },
  );
  patchHandlerProperties(Port.prototype, ['onmessage']);
}

/**
 * A `FinalizationRegistry` cleanup callback runs in the context where the
 * registry was constructed, as the proposal specifies (the callback is
 * captured with the registry, not with each `register()`). The replacement
 * shares the original's prototype, so `instanceof` holds for registries made
 * before and after the patch.
 */
function patchFinalizationRegistry(): void {
  const Original = host['FinalizationRegistry'] as (new (cleanup: unknown) => object) | undefined;
  if (typeof Original !== 'function') return;
  const Patched = function (this: unknown, cleanup: unknown): object {
    if (new.target === undefined) {
      throw new TypeError(
        "Class constructor FinalizationRegistry cannot be invoked without 'new': write `new FinalizationRegistry(callback)`.",
      );
    }
    return Reflect.construct(Original, [typeof cleanup === 'function' ? wrap(cleanup as AnyFn) : cleanup], new.target);
  };
  Object.defineProperty(Patched, 'name', { value: 'FinalizationRegistry' });
  Object.defineProperty(Patched, 'prototype', { value: Original.prototype, writable: false });
  Object.defineProperty(Original.prototype, 'constructor', { value: Patched, writable: true, configurable: true });
  Object.defineProperty(globalThis, 'FinalizationRegistry', { value: Patched, writable: true, configurable: true });
}

/**
 * Installs the polyfill's host integration, once per realm: promise
 * reactions, timers, `queueMicrotask`, `requestAnimationFrame`,
 * `requestIdleCallback`, `scheduler.postTask`, EventTarget listeners, XHR,
 * MessageChannel and `FinalizationRegistry` callbacks. Works in windows and
 * in Web and Service Workers.
 */
export function patchHost(): void {
  once('schedulers', patchSchedulers);
  once('events', patchEvents);
  once('xhr', patchXhr);
  once('message-channel', patchMessageChannel);
  once('finalization-registry', patchFinalizationRegistry);
}
