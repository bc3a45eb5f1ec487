import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Results must not depend on the host's zone; range tests switch TZ themselves.
    env: { TZ: 'UTC' },
    testTimeout: 20_000,
    pool: 'forks',
  },
});
