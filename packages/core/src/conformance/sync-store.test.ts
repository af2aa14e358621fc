import { createSyncStore } from '../index.ts';
import { describeConformance } from './vitest.ts';

describeConformance('sync store', createSyncStore);
