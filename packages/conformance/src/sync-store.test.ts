import { createSyncStore } from './core-backend.ts';
import { describeConformance } from './vitest.ts';

describeConformance('sync store', createSyncStore);
