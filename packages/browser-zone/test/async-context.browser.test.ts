import { describeConformance } from '@tasklocal/conformance/vitest';
import { createAsyncContextStore } from '../src/async-context.ts';

// Untransformed code: the declaration leaves out what needs `@tasklocal/await-transform`, and what it keeps must hold.
describeConformance('async-context polyfill', () => createAsyncContextStore());
