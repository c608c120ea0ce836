import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // No test touches the user's own state directory (input history, read markers).
    globalSetup: ['test/setup/state-dir.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    teardownTimeout: 10_000,
    // Two cores: a couple of files at once keeps servers from starving each other.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
