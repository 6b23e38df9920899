import { defineConfig } from 'vitest/config';

// Three projects so that `npm test` reads as unit → integration → e2e, and each can run alone.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts'],
          exclude: ['packages/*/test/integration/**'],
        },
      },
      {
        test: {
          name: 'integration',
          globalSetup: ['packages/collector/test/support/pglite-template.ts'],
          include: ['packages/*/test/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          globalSetup: ['packages/collector/test/support/pglite-template.ts'],
          include: ['e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
