/// <reference types="vite/client" />
import path from '@tasklocal/browser-zone/runtime?url';

/**
 * The URL of the runtime module the page already loaded with the backends, for code transformed in
 * Node and imported from a blob: the same module, so the same context slot as the store under test.
 */
export const runtime: string = new URL(path, location.href).href;
