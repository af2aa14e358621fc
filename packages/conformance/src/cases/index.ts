import type { ConformanceCase } from '../types.ts';
import { asyncCases } from './async.ts';
import { basicCases } from './basics.ts';
import { eventCases } from './events.ts';
import { gcCases } from './gc.ts';
import { schedulerCases } from './schedulers.ts';
import { stressCases } from './stress.ts';
import { threadCases } from './threads.ts';

/** Every conformance case, in the order they run. */
export const cases: readonly ConformanceCase[] = [
  ...basicCases,
  ...asyncCases,
  ...schedulerCases,
  ...eventCases,
  ...stressCases,
  ...gcCases,
  ...threadCases,
];
