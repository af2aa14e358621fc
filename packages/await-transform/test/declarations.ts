import type { ContextStore, ContextStoreFactory, StoreCapabilities } from '@tasklocal/core/backend';
import { type CaseResult, type ConformanceOptions, type ConformanceReport, cases, type runConformance } from '@tasklocal/conformance';
import { commands, userEvent } from 'vitest/browser';
import { probes as probeList, type runProbes } from './probes.ts';

type Factory = (options?: { awaitTransform?: boolean }) => ContextStore;

interface Untransformed {
  runConformance: typeof runConformance;
  createAsyncContextStore: Factory;
  createZoneStore: Factory;
  runProbes: typeof runProbes;
}

const extra = commands as unknown as {
  bundleUntransformed(entry: string): Promise<string>;
  writeResults(name: string, json: string): Promise<boolean>;
};

/** The same modules, bundled without the transform and loaded from a blob. */
export async function loadUntransformed(): Promise<Untransformed> {
  const code = await extra.bundleUntransformed('untransformed-entry.ts');
  const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  return (await import(/* @vite-ignore */ url)) as Untransformed;
}

/**
 * Every capability browsers can have (no `setImmediate`, no `process.nextTick`), with one choice of the rule-valued
 * ones: what we ask of a backend to see what it really does.
 */
const PROBES: readonly StoreCapabilities[] = [
  {
    enter: true,
    await: true,
    promiseThen: true,
    thenables: true,
    timers: true,
    setImmediate: false,
    queueMicrotask: true,
    nextTick: false,
    asyncGenerators: 'resume',
    generators: 'resume',
    eventEmitter: 'dispatch',
    eventTarget: 'dispatch',
  },
  {
    enter: true,
    await: true,
    promiseThen: true,
    thenables: true,
    timers: true,
    setImmediate: false,
    queueMicrotask: true,
    nextTick: false,
    asyncGenerators: 'creation',
    generators: 'creation',
    eventEmitter: 'registration',
    eventTarget: 'registration',
  },
];

export interface Observation {
  readonly backend: string;
  readonly transform: boolean;
  readonly declared: StoreCapabilities;
  /** Case id to whether it passed in every mode when forced; absent when the runtime cannot run it. */
  readonly cases: Record<string, boolean>;
  readonly probes: Record<string, string>;
  readonly probeTitles: Record<string, string>;
  readonly userAgent: string;
  /** Cases passed, per mode, with the declared capabilities. */
  readonly declaredPassed: number;
  /** Cases that failed with the declared capabilities: must be none. */
  readonly declaredFailures: readonly string[];
}

/** Runs every case with every capability forced on, and the browser probes. */
export async function observe(
  run: typeof runConformance,
  probe: typeof runProbes,
  factory: ContextStoreFactory,
  transform: boolean,
): Promise<Observation> {
  const store = factory();
  const declared = store.capabilities;
  const backend = store.name;
  store.dispose?.();
  const outcome = new Map<string, boolean>();
  for (const capabilities of PROBES) {
    // Fresh mode only: the nested and snapshot modes check an unrelated Local after `await`, which would blame every case.
    const options: ConformanceOptions = { capabilities, timeoutMs: 3000, seed: 1, modes: ['fresh'] };
    const report: ConformanceReport = await run(factory, options);
    const byId = new Map<string, CaseResult[]>();
    for (const result of report.results) byId.set(result.id, [...(byId.get(result.id) ?? []), result]);
    for (const [id, results] of byId) {
      if (results.some((r) => r.status === 'skipped')) continue;
      const passed = results.every((r) => r.status === 'passed');
      outcome.set(id, outcome.get(id) === true || passed);
    }
  }
  // And the declaration as it stands, in every mode: nothing it covers may fail.
  const declaredRun = await run(factory, { timeoutMs: 5000 });
  const declaredFailures = declaredRun.results.filter((r) => r.status === 'failed').map((r) => `${r.id} [${r.mode}]: ${r.detail ?? ''}`);
  const probes = await probe(factory, async (element) => {
    await userEvent.click(element);
  });
  return {
    backend,
    transform,
    declared,
    cases: Object.fromEntries(outcome),
    probes,
    probeTitles: Object.fromEntries(probeList.map((p) => [p.id, `${p.title} (want: ${p.expected})`])),
    userAgent: navigator.userAgent.replace(/^.*(HeadlessChrome\/[\d.]+).*$/, '$1'),
    declaredPassed: declaredRun.passed,
    declaredFailures,
  };
}

/**
 * Checks that the declaration is exact: every case it covers passed, and for
 * every capability it does not declare, some case that needs only it failed.
 * Returns the problems found.
 */
export function checkDeclaration(observation: Observation): string[] {
  const problems: string[] = [...observation.declaredFailures];
  const { declared } = observation;
  const ran = (id: string) => observation.cases[id];
  for (const testCase of cases) {
    const requires = Object.entries(testCase.requires ?? {}) as [keyof StoreCapabilities, unknown][];
    const covered = requires.every(([name, wanted]) => declared[name] === wanted);
    if (covered && ran(testCase.id) === false) problems.push(`declares what \`${testCase.id}\` needs, but it fails`);
  }
  const keys = Object.keys(declared) as (keyof StoreCapabilities)[];
  for (const key of keys) {
    for (const value of key === 'asyncGenerators' || key === 'generators'
      ? ['resume', 'creation']
      : key.startsWith('event')
        ? ['dispatch', 'registration']
        : [true]) {
      if (declared[key] === value) continue;
      // Cases that need `key: value` and nothing else the backend lacks.
      const telling = cases.filter((c) => {
        const requires = Object.entries(c.requires ?? {}) as [keyof StoreCapabilities, unknown][];
        return (
          c.requires?.[key] === value &&
          requires.every(([name, wanted]) => name === key || declared[name] === wanted) &&
          ran(c.id) !== undefined
        );
      });
      if (telling.length > 0 && telling.every((c) => ran(c.id) === true)) {
        problems.push(
          `does not declare \`${key}: ${String(value)}\`, but every case that needs it passes (${telling.map((c) => c.id).join(', ')})`,
        );
      }
    }
  }
  return problems;
}

export async function report(name: string, observation: Observation): Promise<void> {
  await extra.writeResults(name, JSON.stringify(observation, null, 2));
}
