// A Web Worker running the suite on the Zone.js backend.
import 'zone.js';
import { createZoneStore } from '@tasklocal/browser-zone/zone';
import { runSuite } from './worker-suite.ts';

runSuite(() => createZoneStore({ awaitTransform: true })).then((report) => postMessage(report));
