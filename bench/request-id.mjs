// Requests per second of a hello-world handler that logs one pino line, with
// autocannon on 127.0.0.1, on node:http, Express 5, Fastify 5, Koa 3 and
// Hono 4, on Node 20 and Node 24 in the same run. Per framework: no request id
// at all; the id's own work without context; the same work with one
// `AsyncLocalStorage.run` per request by hand; @tasklocal/request-id as its
// README says to set it up (its middleware with defaults, `requestIdMixin()`);
// and the peers that have an integration for that framework.
//
//   npx turbo run build && node bench/request-id.mjs            (writes docs/benchmarks-request-id.md)
//   node bench/request-id.mjs --serve <variant>                 (one server, prints its port)
//   node bench/request-id.mjs --profile <variant>               (CPU profile of one server under load: top functions)
//
// FRAMEWORKS=http,koa, NODES=24, ROUNDS=n and SECONDS=n narrow a run for a
// quick comparison; a narrowed run prints its tables and writes no file.
//
// Each server runs in its own process; autocannon runs in this one. Variants
// are measured in interleaved rounds, after a warm-up, and the best round of
// each counts (noise on a shared machine only ever slows a run down). Every
// variant's server checks that the id it logs is the id of the request.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Number(process.env.SECONDS ?? 5);
const CONNECTIONS = 100;
/** Ours may serve at most this much less than AsyncLocalStorage by hand (issue 11). */
const TARGET = 0.05;
const FRAMEWORKS = ['http', 'express', 'fastify', 'koa', 'hono'];
const OURS = '@tasklocal/request-id';
const HAND = 'AsyncLocalStorage by hand';
const isPeer = (variant) => !/: (no id|id work, no context|AsyncLocalStorage by hand|@tasklocal\/request-id)$/.test(variant);

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** A node:http server whose request listener is `wrap(handler)`, the handler logging one line through `log`. */
async function httpServer(log, wrap = (handler) => handler) {
  const { createServer } = await import('node:http');
  const server = createServer(
    wrap((_req, res) => {
      log.info('hello');
      res.end('hello world');
    }),
  );
  return server.listen(0, '127.0.0.1');
}

/** An Express app with `middleware`, serving the hello-world handler that logs one line through `log`. */
async function expressServer(log, ...middleware) {
  const { default: express } = await import('express');
  const app = express();
  for (const use of middleware) app.use(use);
  app.get('/', (_req, res) => {
    log.info('hello');
    res.send('hello world');
  });
  return app.listen(0, '127.0.0.1');
}

/** A Fastify app set up by `setup(app)`, serving the hello-world handler that logs one line through `log`. */
async function fastifyServer(log, setup = async () => {}) {
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  await setup(app);
  app.get('/', async () => {
    log.info('hello');
    return 'hello world';
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server;
}

/** A Koa app with `middleware`, serving the hello-world handler that logs one line through `log`. */
async function koaServer(log, ...middleware) {
  const { default: Koa } = await import('koa');
  const app = new Koa();
  for (const use of middleware) app.use(use);
  app.use((ctx) => {
    log.info('hello');
    ctx.body = 'hello world';
  });
  return app.listen(0, '127.0.0.1');
}

/** A Hono app on @hono/node-server with `middleware`, serving the hello-world handler that logs one line through `log`. */
async function honoServer(log, ...middleware) {
  const { Hono } = await import('hono');
  const { serve } = await import('@hono/node-server');
  const app = new Hono();
  for (const use of middleware) app.use(use);
  app.get('/', (c) => {
    log.info('hello');
    return c.text('hello world');
  });
  return serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
}

/** The id work every variant with an id does: a safe incoming header, or a fresh id. */
async function idTaker() {
  const { randomUUID } = await import('node:crypto');
  return (incoming) => (typeof incoming === 'string' && /^[\w.:+=/@-]{1,128}$/.test(incoming) ? incoming : randomUUID());
}

/** The setup the README tells users to write: the backend's register import, and the pino mixin. */
async function oursLogger() {
  await import('@tasklocal/node-als/register');
  const { requestIdMixin } = await import('@tasklocal/request-id/pino');
  return logger(requestIdMixin());
}

/** The id's own work without any context: a global variable (wrong under load; the cost floor). */
async function noContext() {
  const takeId = await idTaker();
  let current = 'none';
  const log = await logger(() => ({ requestId: current }));
  return { log, take: (incoming) => (current = takeId(incoming)) };
}

/** AsyncLocalStorage by hand: what any context library does at least, with no options and no checks. */
async function byHand() {
  const takeId = await idTaker();
  const { AsyncLocalStorage } = await import('node:async_hooks');
  const als = new AsyncLocalStorage();
  const log = await logger(() => ({ requestId: als.getStore()?.requestId ?? 'none' }));
  return { log, als, takeId };
}

const variants = {
  'http: no id': async () => httpServer(await logger()),
  'http: id work, no context': async () => {
    const { log, take } = await noContext();
    return httpServer(log, (handler) => (req, res) => {
      res.setHeader('x-request-id', take(req.headers['x-request-id']));
      handler(req, res);
    });
  },
  'http: AsyncLocalStorage by hand': async () => {
    const { log, als, takeId } = await byHand();
    return httpServer(log, (handler) => (req, res) => {
      const requestId = takeId(req.headers['x-request-id']);
      res.setHeader('x-request-id', requestId);
      als.run({ requestId }, handler, req, res);
    });
  },
  'http: @tasklocal/request-id': async () => {
    const log = await oursLogger();
    const { withRequestId } = await import('@tasklocal/request-id/http');
    return httpServer(log, (handler) => withRequestId(handler));
  },

  'express: no id': async () => expressServer(await logger()),
  'express: id work, no context': async () => {
    const { log, take } = await noContext();
    return expressServer(log, (req, res, next) => {
      res.setHeader('x-request-id', take(req.headers['x-request-id']));
      next();
    });
  },
  'express: AsyncLocalStorage by hand': async () => {
    const { log, als, takeId } = await byHand();
    return expressServer(log, (req, res, next) => {
      const requestId = takeId(req.headers['x-request-id']);
      res.setHeader('x-request-id', requestId);
      als.run({ requestId }, next);
    });
  },
  'express: @tasklocal/request-id': async () => {
    const log = await oursLogger();
    const { expressRequestId } = await import('@tasklocal/request-id/express');
    return expressServer(log, expressRequestId());
  },
  'express: cls-rtracer': async () => {
    const { default: rTracer } = await import('cls-rtracer');
    const log = await logger(() => ({ requestId: rTracer.id() }));
    return expressServer(log, rTracer.expressMiddleware({ useHeader: true, echoHeader: true }));
  },

  'fastify: no id': async () => fastifyServer(await logger()),
  'fastify: id work, no context': async () => {
    const { log, take } = await noContext();
    return fastifyServer(log, (app) => {
      app.addHook('onRequest', (request, reply, done) => {
        reply.header('x-request-id', take(request.headers['x-request-id']));
        done();
      });
    });
  },
  'fastify: AsyncLocalStorage by hand': async () => {
    const { log, als, takeId } = await byHand();
    // Enough for these GET requests: a request with a body would need the
    // scope entered again before validation, as the plugins do.
    return fastifyServer(log, (app) => {
      app.addHook('onRequest', (request, reply, done) => {
        const requestId = takeId(request.headers['x-request-id']);
        reply.header('x-request-id', requestId);
        als.run({ requestId }, done);
      });
    });
  },
  'fastify: @tasklocal/request-id': async () => {
    const log = await oursLogger();
    const { fastifyRequestId } = await import('@tasklocal/request-id/fastify');
    return fastifyServer(log, (app) => app.register(fastifyRequestId));
  },
  'fastify: cls-rtracer': async () => {
    const { default: rTracer } = await import('cls-rtracer');
    const log = await logger(() => ({ requestId: rTracer.id() }));
    return fastifyServer(log, (app) => app.register(rTracer.fastifyPlugin, { useHeader: true, echoHeader: true }));
  },
  'fastify: @fastify/request-context': async () => {
    const { fastifyRequestContext, requestContext } = await import('@fastify/request-context');
    const takeId = await idTaker();
    const log = await logger(() => ({ requestId: requestContext.get('requestId') }));
    return fastifyServer(log, async (app) => {
      await app.register(fastifyRequestContext);
      // The same work as the others: take a safe header or generate, echo it.
      app.addHook('onRequest', (request, reply, done) => {
        const id = takeId(request.headers['x-request-id']);
        requestContext.set('requestId', id);
        reply.header('x-request-id', id);
        done();
      });
    });
  },

  'koa: no id': async () => koaServer(await logger()),
  'koa: id work, no context': async () => {
    const { log, take } = await noContext();
    return koaServer(log, (ctx, next) => {
      ctx.res.setHeader('x-request-id', take(ctx.req.headers['x-request-id']));
      return next();
    });
  },
  'koa: AsyncLocalStorage by hand': async () => {
    const { log, als, takeId } = await byHand();
    return koaServer(log, (ctx, next) => {
      const requestId = takeId(ctx.req.headers['x-request-id']);
      ctx.res.setHeader('x-request-id', requestId);
      return als.run({ requestId }, next);
    });
  },
  'koa: @tasklocal/request-id': async () => {
    const log = await oursLogger();
    const { koaRequestId } = await import('@tasklocal/request-id/koa');
    return koaServer(log, koaRequestId());
  },
  'koa: cls-rtracer': async () => {
    const { default: rTracer } = await import('cls-rtracer');
    const log = await logger(() => ({ requestId: rTracer.id() }));
    return koaServer(log, rTracer.koaMiddleware({ useHeader: true, echoHeader: true }));
  },

  'hono: no id': async () => honoServer(await logger()),
  'hono: id work, no context': async () => {
    const { log, take } = await noContext();
    return honoServer(log, async (c, next) => {
      const requestId = take(c.req.header('x-request-id'));
      await next();
      c.res.headers.set('x-request-id', requestId);
    });
  },
  'hono: AsyncLocalStorage by hand': async () => {
    const { log, als, takeId } = await byHand();
    return honoServer(log, (c, next) => {
      const requestId = takeId(c.req.header('x-request-id'));
      return als.run({ requestId }, async () => {
        await next();
        c.res.headers.set('x-request-id', requestId);
      });
    });
  },
  'hono: @tasklocal/request-id': async () => {
    const log = await oursLogger();
    const { honoRequestId } = await import('@tasklocal/request-id/hono');
    return honoServer(log, honoRequestId());
  },
};

/** A pino logger writing to /dev/null; with a mixin, it checks the first lines carry an id. */
async function logger(mixin) {
  const { pino } = await import('pino');
  const destination = pino.destination({ dest: '/dev/null', sync: false, minLength: 4096 });
  if (mixin === undefined) return pino({ base: null }, destination);
  let checked = 0;
  const checking = () => {
    const fields = mixin();
    if (checked < 1000) {
      checked++;
      if (typeof fields.requestId !== 'string' || fields.requestId === 'none') {
        console.error(`no request id in a log line: ${JSON.stringify(fields)}`);
        process.exit(3);
      }
    }
    return fields;
  };
  return pino({ base: null, mixin: checking }, destination);
}

if (process.argv[2] === '--serve') {
  const server = await variants[process.argv[3]]();
  if (!server.listening) await once(server, 'listening');
  // A clean exit on SIGINT, so that `--cpu-prof` writes its profile.
  process.on('SIGINT', () => process.exit(0));
  console.log(JSON.stringify({ port: server.address().port }));
} else if (process.argv[2] === '--profile') {
  await profile(process.argv[3]);
} else {
  await main();
}

async function serve(node, variant, flags = []) {
  if (!Object.hasOwn(variants, variant))
    throw new Error(`No variant ${JSON.stringify(variant)}: one of ${Object.keys(variants).join(', ')}`);
  const child = spawn(node, [...flags, fileURLToPath(import.meta.url), '--serve', variant], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = await once(child.stdout, 'data');
  return { child, port: JSON.parse(line.toString()).port };
}

/**
 * The CPU time a process has used, in µs (Linux: user + system from
 * /proc/<pid>/stat, in clock ticks of 10 ms); undefined elsewhere.
 */
async function cpuOf(pid) {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

async function load(port, seconds) {
  const { default: autocannon } = await import('autocannon');
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'x-request-id': 'bench-request-1' },
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, requests: result.requests.total };
}

/** Requests per second, and the server's CPU time per request in µs (not inflated by waiting for a core). */
async function measure(node, variant, seconds) {
  const { child, port } = await serve(node, variant);
  try {
    const before = await cpuOf(child.pid);
    const { rps, requests } = await load(port, seconds);
    const after = await cpuOf(child.pid);
    return { rps, cpu: before === undefined || after === undefined ? Number.NaN : (after - before) / requests };
  } catch (error) {
    throw new Error(`${variant}: ${error.message}`);
  } finally {
    child.kill();
    await once(child, 'exit');
  }
}

/** One server under load with `--cpu-prof`; prints the functions with the most self time. */
async function profile(variant) {
  const dir = await mkdtemp(join(tmpdir(), 'request-id-profile-'));
  const node = process.env.NODES === undefined ? process.execPath : await nodeOf(Number(process.env.NODES));
  const { child, port } = await serve(node, variant, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const { rps } = await load(port, SECONDS);
  child.kill('SIGINT');
  await once(child, 'exit');
  const [file] = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error('the server wrote no profile');
  const { nodes, samples, timeDeltas } = JSON.parse(await readFile(join(dir, file), 'utf8'));
  const self = new Map();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (let i = 0; i < samples.length; i++) {
    const { callFrame } = byId.get(samples[i]);
    const key = `${callFrame.functionName || '(anonymous)'} ${callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(packages|bench)\//, '$1/')}:${callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(
    `${variant} on ${execFileSync(node, ['--version']).toString().trim()}: ${Math.round(rps)} req/s; self time, % of all samples:`,
  );
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 30))) {
    console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
  }
  await rm(dir, { recursive: true, force: true });
}

async function nodeOf(major) {
  const { ensureNode } = await import(join(root, 'scripts', 'lib', 'runtimes.mjs'));
  return ensureNode(major);
}

async function main() {
  const majors = (process.env.NODES ?? '20,24').split(',').map(Number);
  const frameworks = process.env.FRAMEWORKS?.split(',') ?? FRAMEWORKS;
  const unknown = frameworks.filter((name) => !FRAMEWORKS.includes(name));
  if (unknown.length > 0) throw new Error(`FRAMEWORKS: unknown ${unknown.join(', ')}; choose from ${FRAMEWORKS.join(', ')}`);
  const narrowed = majors.join() !== '20,24' || frameworks.length !== FRAMEWORKS.length;
  const chosen = Object.keys(variants).filter((name) => frameworks.includes(name.split(':')[0]));
  const nodes = [];
  for (const major of majors) nodes.push(await nodeOf(major));
  const versions = {};
  for (const node of nodes) versions[node] = execFileSync(node, ['--version']).toString().trim();
  const started = Date.now();
  const loadBefore = loadavg()[0];
  const best = {};
  const worst = {};
  const cpuTimes = {};
  for (let round = 0; round <= ROUNDS; round++) {
    for (const node of nodes) {
      // A new order each round, so no variant always runs after the same one.
      for (const variant of shuffled(chosen)) {
        // Round 0 is the warm-up of the machine and of each server's code paths.
        const { rps, cpu } = await measure(node, variant, round === 0 ? 1 : SECONDS);
        if (round === 0) continue;
        const key = `${versions[node]}|${variant}`;
        best[key] = Math.max(best[key] ?? 0, rps);
        worst[key] = Math.min(worst[key] ?? Number.POSITIVE_INFINITY, rps);
        cpuTimes[key] = [...(cpuTimes[key] ?? []), cpu];
        console.log(`round ${round} ${versions[node]} ${variant}: ${Math.round(rps)} req/s, ${cpu.toFixed(1)} µs CPU/request`);
      }
    }
  }
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  const load = [loadBefore, loadavg()[0]];
  const doc = await report(
    nodes.map((node) => versions[node]),
    frameworks,
    chosen,
    { best, worst, cpuTimes },
    minutes,
    load,
  );
  if (narrowed) {
    console.log(doc);
    console.log('(a narrowed run: docs/benchmarks-request-id.md left as it was)');
  } else {
    await writeFile(join(root, 'docs', 'benchmarks-request-id.md'), doc);
    console.log(doc);
  }
}

function shuffled(list) {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

async function report(versionList, frameworks, chosen, { best, worst, cpuTimes }, minutes, load) {
  // From the installed package.json files (hono's `exports` does not list its package.json).
  const installed = {};
  for (const name of [
    'express',
    'fastify',
    'koa',
    'hono',
    '@hono/node-server',
    'pino',
    'autocannon',
    'cls-rtracer',
    '@fastify/request-context',
  ]) {
    installed[name] = JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  }
  const version = (name) => installed[name];
  const pct = (value) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
  const rows = [];
  const verdicts = [];
  const summary = [];
  for (const v of versionList) {
    for (const framework of frameworks) {
      const at = (kind) => best[`${v}|${framework}: ${kind}`];
      const cpuAt = (kind) => median(cpuTimes[`${v}|${framework}: ${kind}`]);
      // How far apart a variant's own rounds were: a smaller difference is not a result.
      const noise = (kind) => 1 - worst[`${v}|${framework}: ${kind}`] / at(kind);
      const baseline = at('no id');
      const ours = at(OURS);
      const hand = at(HAND);
      for (const variant of chosen.filter((name) => name.startsWith(`${framework}:`))) {
        const kind = variant.slice(framework.length + 2);
        const rps = at(kind);
        rows.push(
          `| ${v} | ${variant} | ${Math.round(rps).toLocaleString('en-US')} | ${(noise(kind) * 100).toFixed(0)}% | ${pct(rps / baseline - 1)} | ${kind === HAND ? '' : pct(rps / hand - 1)} | ${cpuAt(kind).toFixed(1)} |`,
        );
      }
      const gap = 1 - ours / hand;
      const spread = Math.max(noise(OURS), noise(HAND));
      const met = gap <= TARGET;
      const borderline = Math.abs(gap - TARGET) < spread;
      summary.push(
        `| ${v} | ${framework} | ${(ours / hand).toFixed(3)} | ${(spread * 100).toFixed(0)}% | ${met ? 'yes' : '**no**'}${borderline ? ' (within the spread)' : ''} | ${(cpuAt(OURS) - cpuAt(HAND)).toFixed(1)} | ${(cpuAt(OURS) / cpuAt(HAND)).toFixed(3)} | ${cpuAt(OURS) / cpuAt(HAND) <= 1 + TARGET ? 'yes' : '**no**'} |`,
      );
      const peers = chosen.filter((name) => name.startsWith(`${framework}:`) && isPeer(name));
      const faster = peers
        .filter((peer) => best[`${v}|${peer}`] > ours)
        .map((peer) => `${peer.slice(framework.length + 2)} (${pct(best[`${v}|${peer}`] / ours - 1)})`);
      verdicts.push(
        `- ${v}, ${framework}: ours serves ${(ours / hand).toFixed(3)}× AsyncLocalStorage by hand ` +
          `(${gap > 0 ? `${(gap * 100).toFixed(1)}% less` : `${(-gap * 100).toFixed(1)}% more`}; target: at most ${TARGET * 100}% less: ${met ? 'met' : '**not met**'}` +
          `${borderline ? `, but the difference is within the ${(spread * 100).toFixed(0)}% spread of their rounds` : ''}). ` +
          `By hand serves ${(hand / baseline).toFixed(3)}× the no-id baseline and the id work without context ${(at('id work, no context') / baseline).toFixed(3)}×` +
          `${peers.length === 0 ? '.' : faster.length === 0 ? '; no peer served more.' : `; peers that served more: ${faster.join(', ')}.`}`,
      );
    }
  }
  const cpu = cpus();
  return `# Benchmarks: @tasklocal/request-id

Requests per second of a hello-world handler that logs one pino line (to
\`/dev/null\`), measured with autocannon on 127.0.0.1, on \`node:http\`,
Express, Fastify, Koa and Hono. Written by \`node bench/request-id.mjs\`
(after \`npx turbo run build\`; about 15 minutes); every number below comes
from that run, which took ${minutes} minutes.

## Machine and versions

- ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB; ${process.platform} ${process.arch}
- Load average (1 min) before and after the run: ${load[0].toFixed(2)} and ${load[1].toFixed(2)}
- Node: ${versionList.join(', ')}
- express ${version('express')}, fastify ${version('fastify')}, koa ${version('koa')}, hono ${version('hono')} (on @hono/node-server ${version('@hono/node-server')}),
  pino ${version('pino')}, autocannon ${version('autocannon')}, cls-rtracer ${version('cls-rtracer')}, @fastify/request-context ${version('@fastify/request-context')}

## Target

Every middleware, with its defaults, serves at least ${100 - TARGET * 100}% of what one
\`AsyncLocalStorage.run\` per request by hand serves, doing the same header work.
"Met by CPU" asks the same of the server's CPU time per request (ours at most
${TARGET * 100}% above by hand), which a shared machine disturbs less than req/s:

| Node | framework | req/s, ours ÷ by hand | spread | met | CPU µs per request, ours − by hand | CPU per request, ours ÷ by hand | met by CPU |
| --- | --- | ---: | ---: | :---: | ---: | ---: | :---: |
${summary.join('\n')}

${verdicts.join('\n')}

## Method

- Each variant is a server in its own process; autocannon (${CONNECTIONS} connections,
  keep-alive, ${SECONDS} s) runs in the parent process, so on a 2-core machine each
  gets about one core.
- Every request sends \`X-Request-ID: bench-request-1\`; each variant with an id
  takes it from the header (after checking it is safe) and echoes it, so all do
  the same work. The first 1,000 log lines of each server are checked to carry an id.
- A warm-up round (1 s per variant), then ${ROUNDS} interleaved round${ROUNDS === 1 ? '' : 's'} of every
  variant on every Node, each round in a new random order; the table shows the
  best round of each (noise from a shared machine only slows a run down), and
  how far its worst round fell below it (the spread). A difference smaller than
  the spread of the two variants compared is not a result.
- Beside the throughput, the server's own CPU time per request (user + system
  from \`/proc\`, median of the rounds): time spent waiting for a core does not
  inflate it, so on a shared machine it shows a cost more steadily than req/s.
- Variants, per framework:
  - **no id**: the handler alone.
  - **id work, no context**: take and check the header, echo it, a log field
    from a global variable (wrong under concurrency, but the cost floor of any
    request-id library).
  - **${HAND}**: the same work with one \`als.run({ requestId }, next)\` per
    request in the framework's first middleware (\`onRequest\` hook for Fastify,
    the request listener for \`node:http\`) and a mixin reading \`als.getStore()\`:
    the raw primitive, the floor of any library built on it.
  - **${OURS}**: what its README tells users to write:
    \`import '@tasklocal/node-als/register'\`, the framework's middleware with
    its defaults (\`withRequestId(handler)\`, \`expressRequestId()\`,
    \`fastifyRequestId\`, \`koaRequestId()\`, \`honoRequestId()\`), and
    \`pino({ mixin: requestIdMixin() })\`.
  - Peers where they have an integration: cls-rtracer (its Express, Fastify and
    Koa middleware with \`useHeader\` and \`echoHeader\`, a mixin reading
    \`rTracer.id()\`); \`@fastify/request-context\` (its plugin, an \`onRequest\`
    hook that sets the id, a mixin reading it).

## Results

| Node | Variant | req/s (best round) | worst round below best | vs no id | vs by hand | server CPU µs per request (median) |
| --- | --- | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`;
}
