import { describeConformance } from '@tasklocal/conformance/vitest';
import { createAsyncContextStore } from '../src/async-context.ts';

describeConformance('async-context polyfill + await transform', () => createAsyncContextStore({ awaitTransform: true }));
