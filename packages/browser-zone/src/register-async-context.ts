/**
 * Registers the AsyncContext backend (native `AsyncContext` when the browser
 * has it, this package's polyfill otherwise) for every Local created without
 * a `store` option. Import it once, first thing in the app's entry module.
 * @module @tasklocal/browser-zone/register/async-context
 */
import { registerStore } from '@tasklocal/core';
import { createAsyncContextStore } from './async-context.ts';

registerStore(createAsyncContextStore, { id: '@tasklocal/browser-zone/register/async-context' });
