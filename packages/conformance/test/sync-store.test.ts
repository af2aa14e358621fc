import { createSyncStore } from '../src/core-backend.ts';
import { describeConformance } from '../src/vitest.ts';

describeConformance('sync store', createSyncStore);
