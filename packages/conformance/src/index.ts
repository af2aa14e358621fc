/**
 * The conformance suite every backend proves: runner-agnostic cases, a plain runner and a vitest binding.
 * @module @tasklocal/conformance
 */
export { type Assert, AssertionError, assert, type ErrorMatch } from './assert.ts';
export { cases } from './cases/index.ts';
export {
  type CaseResult,
  capabilityGap,
  type ConformanceOptions,
  type ConformanceReport,
  MODES,
  runCase,
  runConformance,
  runConformanceCli,
  selectCases,
} from './run.ts';
export {
  createThreadCaseHandler,
  THREAD_CASE_LOCALS,
  type ThreadBridge,
  type ThreadCasePayload,
  type ThreadChannel,
  type ThreadReply,
} from './threads.ts';
export type { CaseContext, ConformanceCase, Environment, Mode, Requirements } from './types.ts';
