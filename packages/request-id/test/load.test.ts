// The proof: for each framework, 20,000 requests, 200 at a time, each
// streaming its body in two parts, awaiting random delays, running
// concurrent sub-tasks and timers, and logging 7 lines. Every line's id is
// checked against the request that wrote it. Half the requests send an id;
// the other half get a generated one, learned from the echoed header.
import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isSafeRequestId } from '../src/index.ts';
import { createSink, type Logger } from './sinks.ts';
import { type Framework, frameworks, start } from './servers.ts';

const TOTAL = 20_000;
const CONCURRENCY = 200;
const LINES = ['body', 'start', 'sub-a', 'sub-b', 'timer', 'end', 'request'];
const loggerOf: Record<Framework, Logger> = { http: 'console', express: 'pino', fastify: 'pino', koa: 'winston', hono: 'pino' };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Result {
  status: number;
  echoed: string | undefined;
  body: string;
}

function post(agent: Agent, base: URL, n: number, id: string | undefined): Promise<Result> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: 'POST',
        path: `/work/${n}`,
        headers: { 'content-type': 'text/plain', ...(id === undefined ? {} : { 'x-request-id': id }) },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, echoed: res.headers['x-request-id'] as string | undefined, body }));
        res.on('error', reject);
      },
    );
    req.setTimeout(20_000, () => req.destroy(new Error(`request ${n} timed out`)));
    req.on('error', reject);
    // A streamed body: two chunks with a pause between them.
    req.write('a'.repeat(1 + (n % 512)));
    sleep(n % 3).then(() => req.end('b'.repeat(n % 97)));
  });
}

describe.each(frameworks)('%s under load', (framework) => {
  it(`${TOTAL} requests, ${CONCURRENCY} at a time: every log line has its own request's id`, { timeout: 120_000 }, async () => {
    const sink = createSink(loggerOf[framework]);
    const server = await start(
      framework,
      { log: (entry) => sink.log(`request ${entry.status}`, Number(entry.path.split('/')[2])) },
      sink.log,
    );
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const ids = new Array<string>(TOTAL);
    const problems: string[] = [];
    try {
      const base = new URL(server.url);
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < TOTAL) {
            const n = next++;
            const sent = n % 2 === 0 ? `load-${n}-${Math.random().toString(36).slice(2)}` : undefined;
            const { status, echoed, body } = await post(agent, base, n, sent);
            const id = sent ?? echoed;
            if (status !== 200) problems.push(`request ${n}: status ${status}`);
            if (echoed !== id) problems.push(`request ${n}: sent ${sent}, echoed ${echoed}`);
            if (body !== id) problems.push(`request ${n}: the handler ended with ${body}, expected ${id}`);
            if (sent === undefined && !isSafeRequestId(echoed)) problems.push(`request ${n}: generated ${echoed}`);
            ids[n] = id as string;
          }
        }),
      );
    } finally {
      agent.destroy();
      await server.close();
    }
    // The last request-log lines come with 'close', after the response: wait while they still arrive.
    for (let seen = -1; sink.entries().length < TOTAL * LINES.length && sink.entries().length !== seen; ) {
      seen = sink.entries().length;
      await sleep(50);
    }
    const entries = sink.entries();
    const perRequest = new Array<number>(TOTAL).fill(0);
    let mismatches = 0;
    for (const entry of entries) {
      perRequest[entry.n] = (perRequest[entry.n] ?? 0) + 1;
      if (entry.requestId !== ids[entry.n]) {
        mismatches++;
        if (problems.length < 20)
          problems.push(`line "${entry.msg}" of request ${entry.n} has id ${entry.requestId}, expected ${ids[entry.n]}`);
      }
      if (!LINES.includes(entry.msg.split(' ')[0] as string)) problems.push(`unexpected line ${entry.msg}`);
    }
    const incomplete = perRequest.filter((count) => count !== LINES.length).length;
    expect({ mismatches, incomplete, lines: entries.length, problems: problems.slice(0, 20) }).toEqual({
      mismatches: 0,
      incomplete: 0,
      lines: TOTAL * LINES.length,
      problems: [],
    });
  });
});
