/**
 * `npm run test:cloud`: the handler and outbox suites, unchanged, on the cloud adapters (CloudStore,
 * CloudFiles) over the real wx-server-sdk and the emulator — their `embeddedPorts` import resolves to
 * test/cloud/asCloud.ts, which hands out cloudEmulatorPorts instead.
 */
const base = require('../../jest.config.js');

module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/server', '<rootDir>/test/integrity'],
  testMatch: [
    '<rootDir>/server/handlers/*.test.ts',
    '<rootDir>/server/notifications/outbox.test.ts',
    '<rootDir>/server/notifications/reminders.test.ts',
    '<rootDir>/test/integrity/*.cloud.test.ts',
  ],
  // 10,000 malformed payloads per action test validation, not the store: 7 minutes through the SDK for nothing new.
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/server/handlers/badInput.test.ts'],
  moduleNameMapper: { ...base.moduleNameMapper, '^(\\.\\./)+test/support/ports$': '<rootDir>/test/cloud/asCloud.ts' },
};
