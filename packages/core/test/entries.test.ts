// Each entry exports exactly what its users need: an export added by accident
// (or lost) fails here, for the source barrels and for the built package as
// its `exports` map resolves it.
import { describe, expect, it } from 'vitest';
import * as backendSource from '../src/backend.ts';
import * as bridgeSource from '../src/bridge.ts';
import * as mainSource from '../src/index.ts';

const entries = {
  '@tasklocal/core': {
    source: mainSource,
    names: ['Local', 'LocalError', 'bind', 'gather', 'isLocal', 'registerStore', 'runWith', 'snapshot', 'task', 'valuesOf', 'view'],
  },
  '@tasklocal/core/backend': {
    source: backendSource,
    names: ['STORE_VERSION', 'assertContextStore', 'createSyncStore', 'defineCapabilities', 'releaseStore', 'storeFromAsyncContext'],
  },
  '@tasklocal/core/bridge': {
    source: bridgeSource,
    names: [
      'addLocalValues',
      'applyValues',
      'exportValues',
      'findUncloneable',
      'isPackedValues',
      'observeWrites',
      'packWrites',
      'runWithValues',
      'unpackWrites',
    ],
  },
} as const;

describe.each(Object.entries(entries))('%s', (specifier, { source, names }) => {
  it('exports exactly its names from source', () => {
    expect(Object.keys(source).sort()).toEqual([...names].sort());
  });

  it('exports exactly its names from the built package, through `exports`', async () => {
    const built = (await import(/* @vite-ignore */ specifier)) as object;
    expect(Object.keys(built).sort()).toEqual([...names].sort());
  });
});

it('no name is exported by two entries', () => {
  const all = Object.values(entries).flatMap(({ names }) => names);
  expect(new Set(all).size).toBe(all.length);
});
