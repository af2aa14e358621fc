// The conformance suite on the built packages, with no test runner: for any
// runtime that can load ESM. Prints `conformance: N passed, N failed, N skipped`.
import { runConformanceCli } from '@tasklocal/core/conformance';
import { createAlsStore } from '@tasklocal/node-als';

const quiet = process.argv.includes('--quiet');
await runConformanceCli(createAlsStore, {
  log: (line) => {
    if (!quiet || line.startsWith('not ok') || line.startsWith('conformance:') || line.startsWith('#')) console.log(line);
  },
});
