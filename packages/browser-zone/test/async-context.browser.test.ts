import { describeConformance } from '@tasklocal/core/conformance/vitest';
import { createAsyncContextStore } from '../src/async-context.ts';

describeConformance('async-context polyfill + await transform', () => createAsyncContextStore({ awaitTransform: true }));
