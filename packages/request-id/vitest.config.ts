import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'request-id', testTimeout: 60_000, hookTimeout: 30_000 },
});
