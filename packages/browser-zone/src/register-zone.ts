/**
 * Registers the Zone.js backend for every Local created without a `store`
 * option. Load Zone.js before the first Local is used.
 * @module @tasklocal/browser-zone/register/zone
 */
import { registerStore } from '@tasklocal/core';
import { createZoneStore } from './zone.ts';

registerStore(createZoneStore, { id: '@tasklocal/browser-zone/register/zone' });
