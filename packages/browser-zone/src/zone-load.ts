/**
 * The Zone.js backend, for apps that do not load Zone.js yet: this entry loads it first.
 * @module @tasklocal/browser-zone/zone/load
 */
import 'zone.js';

export { type BrowserStoreOptions, createZoneStore, type ZoneLike, type ZoneStatic, zoneGlobal } from './zone.ts';
