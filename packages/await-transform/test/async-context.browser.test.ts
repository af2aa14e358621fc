import { createAsyncContextStore } from '@tasklocal/browser-zone/async-context';
import { describeConformance } from '@tasklocal/conformance/vitest';

describeConformance('async-context polyfill + await transform', () => createAsyncContextStore({ awaitTransform: true }));
