import 'zone.js';
import { describeConformance } from '@tasklocal/conformance/vitest';
import { createZoneStore } from '../src/zone.ts';

// Untransformed code: the declaration leaves out what needs `@tasklocal/await-transform`, and what it keeps must hold.
describeConformance('zone', () => createZoneStore());
