// The whole request-scope operation, one library per process: enter a scope
// with one value, read it, `await null`, read it twice more. ns per scope.
//
//   node --expose-gc bench/peers.mjs <library>      (node bench/peers.mjs --list names them)
//
// prints one JSON line {"library","ns","n","trials","min","max","clock",...}:
// the median of several timed trials after a warm-up, timed as
// bench/local.mjs times (process CPU time unless BENCH_CLOCK=wall).
// scripts/bench.mjs runs every library on Node 20 and Node 24 in fresh
// processes, in the same interleaved sweeps as bench/local.mjs, and writes
// the table to docs/benchmarks.md. A library loaded in the process can slow
// every other one down (cls-hooked installs async hooks for the whole
// process), so each process loads one library only.
//
// Each library is set up the way its own documentation sets up a request;
// every scope checks its three reads, so a library that lost the value, or
// a loop the compiler emptied, fails the run.

import { CLOCK, timeRuns } from './lib/timing.mjs';

let sink = 0;

/** The request ids: strings made once, so no scope pays for making one. */
const IDS = Array.from({ length: 1024 }, (_, i) => `req-${i.toString(36).padStart(4, '0')}`);

/**
 * Each library: `setup()` returns `{ enter(id, body), read() }`, where
 * `enter` runs `body(id)` in a new scope holding `id` and returns its promise,
 * and `read` returns the id of the current scope. `note` says what is
 * measured; `packages`, whose versions the report names.
 */
const libraries = {
  'raw AsyncLocalStorage': {
    note: '`als.run({ requestId }, fn)`, `als.getStore()?.requestId`',
    async setup() {
      const { AsyncLocalStorage } = await import('node:async_hooks');
      const als = new AsyncLocalStorage();
      return { enter: (id, body) => als.run({ requestId: id }, body, id), read: () => als.getStore()?.requestId };
    },
  },
  'tasklocal, view': {
    note: "`runWith(local, { requestId }, fn)`, `view(local, ['requestId']).requestId`",
    async setup() {
      await import('@tasklocal/node-als/register');
      const { Local, runWith, view } = await import('@tasklocal/core');
      const local = new Local();
      const fast = view(local, ['requestId']);
      return { enter: (id, body) => runWith(local, { requestId: id }, body, id), read: () => fast.requestId };
    },
  },
  'tasklocal, Proxy': {
    note: '`runWith(local, { requestId }, fn)`, `local.requestId`',
    async setup() {
      await import('@tasklocal/node-als/register');
      const { Local, runWith } = await import('@tasklocal/core');
      const local = new Local();
      return { enter: (id, body) => runWith(local, { requestId: id }, body, id), read: () => local.requestId };
    },
  },
  'cls-rtracer': {
    packages: ['cls-rtracer'],
    note: '`rTracer.runWithId(fn, id)`, `rTracer.id()`',
    async setup() {
      const { default: rTracer } = await import('cls-rtracer');
      return { enter: (id, body) => rTracer.runWithId(() => body(id), id), read: () => rTracer.id() };
    },
  },
  '@fastify/request-context': {
    packages: ['@fastify/request-context'],
    note: "the plugin's own `onRequest` hook (its `AsyncLocalStorage.run` and `AsyncResource` per request), called with a stand-in request and no server, with `defaultStoreValues: (req) => ({ requestId: req.id })`; `requestContext.get('requestId')`. Its `preValidation` re-entry, which Fastify runs too, is not counted",
    async setup() {
      const { fastifyRequestContext, requestContext } = await import('@fastify/request-context');
      const hooks = {};
      const app = { decorate() {}, decorateRequest() {}, addHook: (name, hook) => void (hooks[name] = hook) };
      fastifyRequestContext(app, { defaultStoreValues: (req) => ({ requestId: req.id }) }, () => {});
      const onRequest = hooks.onRequest;
      if (typeof onRequest !== 'function') throw new Error('@fastify/request-context added no onRequest hook');
      return {
        enter(id, body) {
          let result;
          onRequest({ id, raw: {} }, {}, () => {
            result = body(id);
          });
          return result;
        },
        read: () => requestContext.get('requestId'),
      };
    },
  },
  '@opentelemetry/api': {
    packages: ['@opentelemetry/api', '@opentelemetry/context-async-hooks'],
    note: '`AsyncLocalStorageContextManager` from `@opentelemetry/context-async-hooks` as the global context manager; `context.with(ROOT_CONTEXT.setValue(key, id), fn)`, `context.active().getValue(key)`',
    async setup() {
      const { context, createContextKey, ROOT_CONTEXT } = await import('@opentelemetry/api');
      const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
      if (!context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()))
        throw new Error('OpenTelemetry: no context manager');
      const key = createContextKey('requestId');
      return {
        enter: (id, body) => context.with(ROOT_CONTEXT.setValue(key, id), body, undefined, id),
        read: () => context.active().getValue(key),
      };
    },
  },
  'nestjs-cls': {
    packages: ['nestjs-cls', '@nestjs/core'],
    note: "`ClsService` outside Nest's DI (`ClsServiceManager.getClsService()`, as its docs allow): `cls.run(fn)` then `cls.set('requestId', id)`, as its middleware does; `cls.get('requestId')`",
    async setup() {
      await import('reflect-metadata');
      const { ClsServiceManager } = await import('nestjs-cls');
      const cls = ClsServiceManager.getClsService();
      return {
        enter: (id, body) =>
          cls.run(() => {
            cls.set('requestId', id);
            return body(id);
          }),
        read: () => cls.get('requestId'),
      };
    },
  },
  unctx: {
    packages: ['unctx'],
    note: '`createContext({ asyncContext: true, AsyncLocalStorage })`, `ctx.callAsync({ requestId }, fn)`, `ctx.use().requestId`',
    async setup() {
      const { AsyncLocalStorage } = await import('node:async_hooks');
      const { createContext } = await import('unctx');
      const ctx = createContext({ asyncContext: true, AsyncLocalStorage });
      return { enter: (id, body) => ctx.callAsync({ requestId: id }, () => body(id)), read: () => ctx.use().requestId };
    },
  },
  'cls-hooked': {
    packages: ['cls-hooked'],
    note: "`ns.runPromise(fn)` then `ns.set('requestId', id)`; `ns.get('requestId')`",
    async setup() {
      const { createNamespace } = (await import('cls-hooked')).default;
      const ns = createNamespace('bench');
      return {
        enter: (id, body) =>
          ns.runPromise(() => {
            ns.set('requestId', id);
            return body(id);
          }),
        read: () => ns.get('requestId'),
      };
    },
  },
};

/** Times scopes, one after another; ns per scope. */
function measure({ enter, read }) {
  const body = async (id) => {
    let ok = read() === id;
    await null;
    ok = read() === id && ok;
    ok = read() === id && ok;
    return ok ? 1 : 0;
  };
  return timeRuns(async (repeats) => {
    const before = sink;
    for (let i = 0; i < repeats; i++) sink += await enter(IDS[i & 1023], body);
    if (sink - before !== repeats) throw new Error(`check failed: ${repeats - (sink - before)} of ${repeats} scopes read another value`);
  });
}

const library = process.argv[2];
if (library === '--list') {
  // For scripts/bench.mjs: the libraries, and what is measured of each.
  console.log(
    JSON.stringify(Object.fromEntries(Object.entries(libraries).map(([name, { note, packages = [] }]) => [name, { note, packages }]))),
  );
} else if (!Object.hasOwn(libraries, library)) {
  console.error(`Usage: node --expose-gc bench/peers.mjs <${Object.keys(libraries).join('|')}|--list>`);
  process.exit(2);
} else {
  const result = await measure(await libraries[library].setup());
  console.log(JSON.stringify({ library, ...result, clock: CLOCK, node: process.version }));
}
