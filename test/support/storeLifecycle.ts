/** jest setupFilesAfterEnv: the stores a test opened are closed after it, those opened outside a test after the file (test/support/testStore.ts). */
import { closeTestStores } from './testStore';

// Generous: after a property test, hundreds of PostgreSQL schemas are dropped.
afterEach(() => closeTestStores('test'), 300_000);
afterAll(() => closeTestStores('file'), 300_000);
