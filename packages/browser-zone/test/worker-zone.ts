// A Web Worker running the suite on the Zone.js backend.
import 'zone.js';
import { createZoneStore } from '../src/zone.ts';
import { runSuite } from './worker-suite.ts';

runSuite(() => createZoneStore({ awaitTransform: true })).then((report) => postMessage(report));
