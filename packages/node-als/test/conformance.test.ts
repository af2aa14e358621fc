import { describeConformance } from '@tasklocal/core/conformance/vitest';
import { createAlsStore } from '../src/index.ts';

describeConformance(createAlsStore().name, createAlsStore);
