import { createAsyncContextStore } from '@tasklocal/browser-zone/async-context';
import { describeConformance } from '@tasklocal/core/conformance/vitest';

describeConformance('async-context polyfill + await transform', () => createAsyncContextStore({ awaitTransform: true }));
