/**
 * For packages that carry Local values between threads or realms: one wire
 * form, {@link PackedValues}, whose layout only these functions read and
 * write.
 * @module @tasklocal/core/bridge
 */
export { observeWrites, type WriteObserver } from './registry.ts';
export {
  addLocalValues,
  applyValues,
  exportValues,
  findUncloneable,
  isPackedValues,
  type KeyWrite,
  type PackedValues,
  packWrites,
  runWithValues,
  type ThreadCriticalFilter,
  unpackWrites,
} from './transfer.ts';
