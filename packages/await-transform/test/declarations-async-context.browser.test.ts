import { runConformance } from '@tasklocal/conformance';
import { expect, test } from 'vitest';
import { createAsyncContextStore } from '@tasklocal/browser-zone/async-context';
import { checkDeclaration, loadUntransformed, observe, report } from './declarations.ts';
import { runProbes } from './probes.ts';

test('async-context polyfill: the declaration without the transform is exact', async () => {
  const raw = await loadUntransformed();
  const observation = await observe(raw.runConformance, raw.runProbes, () => raw.createAsyncContextStore(), false);
  await report('async-context', observation);
  expect(observation.declared.await).toBe(false);
  expect(checkDeclaration(observation)).toEqual([]);
});

test('async-context polyfill + transform: the declaration is exact', async () => {
  const observation = await observe(runConformance, runProbes, () => createAsyncContextStore({ awaitTransform: true }), true);
  await report('async-context-transform', observation);
  expect(checkDeclaration(observation)).toEqual([]);
  expect(observation.probes).toMatchObject({
    'await-native': 'A',
    'request-animation-frame': 'A',
    'message-channel': 'A',
    'xhr-load': 'A',
    'fetch-then': 'A',
    'user-click': 'empty',
  });
});
