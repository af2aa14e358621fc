import { createRawAlsStore } from '../../../test-support/als-store.ts';
import { describeConformance } from '../src/vitest.ts';

// The suite against a store written on the raw AsyncLocalStorage, so the
// cases are proven without depending on a backend package.
describeConformance('raw AsyncLocalStorage', () => createRawAlsStore());
