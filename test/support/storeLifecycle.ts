/** jest setupFilesAfterEnv: the stores a test opened are closed after it, those opened outside a test after the file (test/support/testStore.ts). */
import { closeTestStores } from './testStore';

afterEach(() => closeTestStores('test'));
afterAll(() => closeTestStores('file'));
