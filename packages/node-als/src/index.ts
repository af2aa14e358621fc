/**
 * The backend on `AsyncLocalStorage`, for Node, Deno, Bun and workerd.
 * @module @tasklocal/node-als
 */
export { type AlsImplementation, alsCapabilities, alsImplementation, createAlsStore } from './store.ts';
