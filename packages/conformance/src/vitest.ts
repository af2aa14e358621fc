import { describe, it } from 'vitest';
import type { ContextStoreFactory } from './core-backend.ts';
import { capabilityGap, type ConformanceOptions, detectEnvironment, environmentGap, MODES, runCase, selectCases } from './run.ts';

/**
 * Registers the whole conformance suite as vitest tests, one per case and
 * mode; cases for capabilities the backend does not declare are skipped.
 * @example
 * ```ts
 * import { describeConformance } from '@tasklocal/conformance/vitest';
 * import { createAlsStore } from '@tasklocal/node-als';
 * describeConformance('node-als', createAlsStore);
 * ```
 */
export function describeConformance(name: string, factory: ContextStoreFactory, options: ConformanceOptions = {}): void {
  const probe = factory();
  const capabilities = options.capabilities ?? probe.capabilities;
  probe.dispose?.();
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const timeout = (options.timeoutMs ?? 10_000) + 1_000;
  describe(`${name} conformance (seed ${seed})`, () => {
    for (const testCase of selectCases(options)) {
      for (const mode of options.modes ?? MODES) {
        const title = `${testCase.group} › ${testCase.id} [${mode}]: ${testCase.title}`;
        const gap = capabilityGap(testCase, capabilities);
        it(
          gap === undefined ? title : `${title} (${gap})`,
          async (context) => {
            // A case is skipped only with its reason, which vitest reports as the skip note:
            // a capability the backend does not declare, or what this environment lacks
            // (a thread bridge, `--expose-gc`, a runtime feature).
            const missing = gap ?? environmentGap(testCase, await detectEnvironment(options.gc), options);
            if (missing !== undefined) {
              context.skip(missing);
              return;
            }
            await runCase(factory, testCase, mode, { ...options, seed, capabilities });
          },
          timeout,
        );
      }
    }
  });
}
