import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        // Results must not depend on the host's zone; range tests switch TZ themselves.
        test: { name: 'all', include: ['test/**/*.test.ts'], env: { TZ: 'UTC' } },
      },
      {
        extends: true,
        // The end-to-end suite once more with every chart drawn here and uploaded through the fake upload flow.
        test: {
          name: 'e2e CHARTS=local',
          include: ['test/e2e/**/*.test.ts'],
          env: { TZ: 'UTC', CHARTS: 'local' },
        },
      },
    ],
  },
});
