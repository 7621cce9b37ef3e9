/** Jest: pure TypeScript (core, server, scripts) through @swc/jest. Browser tests live in test/e2e and run with their own config. */
const os = require('node:os');

module.exports = {
  testEnvironment: 'node',
  // One test file per core, at least two: Jest's default (cores − 1) ran one file at a time on CI's 2 cores, and
  // many files wait on a child server, PostgreSQL or a file write for much of their time.
  maxWorkers: Math.max(2, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length),
  roots: ['<rootDir>/src', '<rootDir>/server', '<rootDir>/test', '<rootDir>/scripts'],
  testMatch: ['**/*.test.ts'],
  // *.cloud.test.ts run the same suites on the cloud adapters: `npm run test:cloud` (test/cloud/jest.config.js).
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '\\.cloud\\.test\\.ts$'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleNameMapper: { '^@/(.*)$': '<rootDir>/src/$1' },
  // The handler and HTTP suites' store: TEST_STORE=sqlite (default) | postgres | nedb (test/support/testStore.ts).
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/storeLifecycle.ts'],
  testTimeout: 30000,
  // The longest files first, also on a fresh clone without Jest's cache of durations.
  testSequencer: '<rootDir>/test/support/sequencer.js',
};
