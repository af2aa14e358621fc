import 'zone.js';
import { runConformance } from '@tasklocal/conformance';
import { expect, test } from 'vitest';
import { createZoneStore } from '@tasklocal/browser-zone/zone';
import { checkDeclaration, loadUntransformed, observe, report } from './declarations.ts';
import { runProbes } from './probes.ts';

test('zone: the declaration without the transform is exact', async () => {
  const raw = await loadUntransformed();
  const observation = await observe(raw.runConformance, raw.runProbes, () => raw.createZoneStore(), false);
  await report('zone', observation);
  expect(observation.declared.await).toBe(false);
  expect(checkDeclaration(observation)).toEqual([]);
});

test('zone + transform: the declaration is exact', async () => {
  const observation = await observe(runConformance, runProbes, () => createZoneStore({ awaitTransform: true }), true);
  await report('zone-transform', observation);
  expect(checkDeclaration(observation)).toEqual([]);
  // Zone.js runs a listener in the zone it was added in: an XHR listener added outside any scope sees no values.
  expect(observation.probes).toMatchObject({ 'await-native': 'A', 'request-animation-frame': 'A', 'fetch-then': 'A', 'user-click': 'A' });
});
