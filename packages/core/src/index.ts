/**
 * The `Local` facade and the operations applications use. Backend authors
 * import from `@tasklocal/core/backend`, bridges between threads from
 * `@tasklocal/core/bridge`.
 * @module @tasklocal/core
 */
export { LocalError, type LocalErrorCode } from './errors.ts';
export { Local, type LocalConstructor, type LocalOptions } from './local.ts';
export {
  type Binding,
  bind,
  gather,
  isLocalObject as isLocal,
  runWith,
  type Snapshot,
  snapshot,
  task,
  valuesOf,
} from './operations.ts';
export { type RegisterStoreOptions, registerStore } from './registry.ts';
export { type LocalView, view } from './view.ts';
