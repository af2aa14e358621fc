import { awaitTransform } from '@tasklocal/await-transform/vite';
import { defineConfig } from 'vite';

// The transform keeps each request's id across native `await`: no downleveling.
export default defineConfig({ plugins: [awaitTransform()] });
