// Bundled without the `await` transform (see commands.ts), to measure what holds without it.
export { runConformance } from '@tasklocal/conformance';
export { createAsyncContextStore } from '@tasklocal/browser-zone/async-context';
export { createZoneStore } from '@tasklocal/browser-zone/zone';
export { runProbes } from './probes.ts';
