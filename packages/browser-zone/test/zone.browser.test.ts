import 'zone.js';
import { describeConformance } from '@tasklocal/conformance/vitest';
import { createZoneStore } from '../src/zone.ts';

describeConformance('zone + await transform', () => createZoneStore({ awaitTransform: true }));
