/**
 * Request ids for Fastify 5: a plugin.
 * @module @tasklocal/request-id/fastify
 */
import { runWith } from '@tasklocal/core';
import type { FastifyInstance, FastifyPluginCallback, FastifyRequest } from 'fastify';
import { fast, type RequestIdValues, requestIdLocal } from './local.ts';
import { beginRequest } from './node-request.ts';
import { type RequestIdOptions, resolveOptions } from './options.ts';

export type { RequestIdOptions, RequestLogEntry } from './options.ts';

const kValues = Symbol('tasklocal.requestId');
type WithValues = FastifyRequest & { [kValues]: RequestIdValues | null };

function plugin(fastify: FastifyInstance, options: RequestIdOptions, done: (error?: Error) => void): void {
  const resolved = resolveOptions(options);
  // The echo goes through `reply.header`, so Fastify writes it with its own
  // headers in one `writeHead`; a header set on the raw response first makes
  // Node merge the two sets, which costs a few percent of a hello-world request.
  const { echo } = resolved;
  const begin = { ...resolved, echo: undefined };
  fastify.decorateRequest(kValues as unknown as string, null);
  fastify.addHook('onRequest', (request, reply, next) => {
    const values = beginRequest(begin, request.raw, reply.raw, request.url);
    if (echo !== undefined) reply.header(echo, values.requestId);
    (request as WithValues)[kValues] = values;
    runWith(requestIdLocal, values, next);
  });
  // Fastify continues after reading a body from the socket's 'end' event
  // (nodejs/node#34430), outside the request's scope: enter it again before
  // validation. Cheaper than binding the emitters (one scope per request, not
  // per event). `onResponse` needs nothing: the response's 'finish' comes from
  // the write the handler's scope started.
  const reenter = (request: FastifyRequest, _reply: unknown, next: () => void): void => {
    const values = (request as WithValues)[kValues];
    // Without a body, preValidation runs on in the onRequest scope: no need for another.
    if (values === null || fast.requestId === values.requestId) next();
    else runWith(requestIdLocal, values, next);
  };
  fastify.addHook('preValidation', reenter);
  done();
}
// What `fastify-plugin` does, without the dependency: the hook applies to every route of the parent.
Object.defineProperty(plugin, Symbol.for('skip-override'), { value: true });
Object.defineProperty(plugin, Symbol.for('fastify.display-name'), { value: '@tasklocal/request-id' });
Object.defineProperty(plugin, Symbol.for('plugin-meta'), { value: { name: '@tasklocal/request-id', fastify: '5.x' } });

/**
 * The Fastify plugin: each request, from `onRequest` to `onResponse`, runs
 * with its own id.
 * @example
 * ```ts
 * await app.register(fastifyRequestId, { header: 'X-Request-ID' });
 * ```
 */
export const fastifyRequestId: FastifyPluginCallback<RequestIdOptions> = plugin;
