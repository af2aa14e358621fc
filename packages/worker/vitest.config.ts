import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'worker', exclude: [...configDefaults.exclude, '**/*.browser.test.ts'] },
});
