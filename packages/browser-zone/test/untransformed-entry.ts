// Bundled without the `await` transform (see commands.ts), to measure what holds without it.
export { runConformance } from '@tasklocal/conformance';
export { createAsyncContextStore } from '../src/async-context.ts';
export { createZoneStore } from '../src/zone.ts';
export { runProbes } from './probes.ts';
