/**
 * Request ids for Fastify 5: a plugin.
 * @module @tasklocal/request-id/fastify
 */
import { runWith } from '@tasklocal/core';
import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import { requestIdLocal } from './local.ts';
import { beginRequest } from './node-request.ts';
import { type RequestIdOptions, resolveOptions } from './options.ts';

export type { RequestIdOptions, RequestLogEntry } from './options.ts';

function plugin(fastify: FastifyInstance, options: RequestIdOptions, done: (error?: Error) => void): void {
  const resolved = resolveOptions(options);
  // Fastify reads the body in the request's 'data' and 'end' listeners and
  // runs `onResponse` from the response's 'finish': the bound emitters
  // (see node-request.ts) keep those in the scope too.
  fastify.addHook('onRequest', (request, reply, next) => {
    runWith(requestIdLocal, beginRequest(resolved, request.raw, reply.raw, request.url), next);
  });
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
