import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests that start servers or databases keep to their own ports and files; two workers fit the 2-core machines.
    maxWorkers: 2,
  },
});
