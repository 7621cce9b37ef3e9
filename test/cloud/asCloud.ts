/**
 * For `npm run test:cloud`: the handler suites import `embeddedPorts` from test/support/ports; this
 * module stands in for it (jest moduleNameMapper in test/cloud/jest.config.js) so the very same
 * suites run on the cloud adapters over the real SDK and the emulator.
 */
import { cloudEmulatorPorts } from '../support/ports';

export * from '../support/ports';
export const embeddedPorts = cloudEmulatorPorts;
