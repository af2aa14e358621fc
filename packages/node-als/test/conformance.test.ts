import { describeConformance } from '@tasklocal/conformance/vitest';
import { createAlsStore } from '../src/index.ts';

describeConformance(createAlsStore().name, createAlsStore);
