/**
 * A unique id on every log line of a request. The integrations are on
 * subpaths: `/http`, `/express`, `/fastify`, `/koa`, `/hono`, `/pino`,
 * `/winston`, `/console`, `/fetch`, `/undici`.
 * @module @tasklocal/request-id
 */
export { currentRequestId, type FieldsOptions, NO_REQUEST_ID, requestFields } from './fields.ts';
export { getRequestId, type RequestIdValues, requestIdLocal, runWithRequestId } from './local.ts';
export { isSafeRequestId, MAX_REQUEST_ID_LENGTH, type RequestIdOptions, type RequestLogEntry } from './options.ts';
