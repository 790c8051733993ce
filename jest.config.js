// Three projects: unit tests (no services), workflow tests (Temporal's test server, stubbed
// activities, stored-history replay) and integration tests against a real Postgres and a real
// Temporal dev server, both started once by test/helpers/global-setup.ts.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60_000,
  forceExit: true,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/packages/*/test/unit/**/*.test.ts'],
    },
    {
      // Workflow code on Temporal's time-skipping test server with stubbed activities, and the
      // replay of every stored history (test/workflows/histories). No database.
      displayName: 'workflows',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/workflows/**/*.test.ts', '<rootDir>/packages/*/test/workflows/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: [
        '<rootDir>/test/integration/**/*.test.ts',
        '<rootDir>/test/e2e/**/*.test.ts',
        '<rootDir>/packages/*/test/integration/**/*.test.ts',
        '<rootDir>/packages/*/test/e2e/**/*.test.ts',
      ],
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
    },
  ],
};
