/**
 * Context that crosses into worker threads and Web Workers, and comes back.
 * @module @tasklocal/worker
 */
export { type CallOptions, type ConnectOptions, connect, type Reply, type WorkerClient } from './connect.ts';
export { WorkerCallError, type WorkerCallErrorCode } from './errors.ts';
export { carry, contextual, unwrap } from './pool.ts';
export { ENVELOPE, type Endpoint } from './protocol.ts';
export { type Handler, serve, type ServeOptions } from './serve.ts';
export { connectSync, type SyncCallOptions, type SyncClient, type SyncOptions } from './sync.ts';
