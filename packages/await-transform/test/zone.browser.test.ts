import 'zone.js';
import { createZoneStore } from '@tasklocal/browser-zone/zone';
import { describeConformance } from '@tasklocal/conformance/vitest';

describeConformance('zone + await transform', () => createZoneStore({ awaitTransform: true }));
