/**
 * Registers the AsyncLocalStorage backend for every Local created without a
 * `store` option. Import it once at startup, or preload it:
 * `node --import @tasklocal/node-als/register app.js`.
 */
import { registerStore } from '@tasklocal/core';
import { createAlsStore } from './store.ts';

registerStore(createAlsStore, { id: '@tasklocal/node-als/register' });
