import { createRawAlsStore } from './als-store.fixture.ts';
import { describeConformance } from './vitest.ts';

// The suite against a store written on the raw AsyncLocalStorage, so the
// cases are proven without depending on a backend package.
describeConformance('raw AsyncLocalStorage', () => createRawAlsStore());
