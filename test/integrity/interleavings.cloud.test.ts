/**
 * The same invariants over explored interleavings, on the cloud adapters: CloudStore over the real
 * wx-server-sdk and the emulator (MongoDB semantics, transactions where the first writer wins).
 * Fewer schedules than the embedded run (every store operation goes through the SDK's request
 * path): INTERLEAVING_CLOUD_RUNS, 60 by default.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { cloudEmulatorPorts } from '../support/ports';
import { interleavingProperty, reached } from '../support/interleavings';

const cloudFileDocId = (fileID: string): string => createHash('sha256').update(fileID).digest('hex').slice(0, 32);

describe('the write path under explored interleavings (cloud adapters on the emulator)', () => {
  it('keeps the ledger, caps, receipt registry, histories and cards right', async () => {
    await fc.assert(
      interleavingProperty(() => cloudEmulatorPorts(), cloudFileDocId),
      { numRuns: Number(process.env.INTERLEAVING_CLOUD_RUNS ?? '60'), verbose: 1 },
    );
    console.log(`interleavings explored (cloud emulator): ${JSON.stringify(reached)}`);
    expect(reached.settled).toBeGreaterThan(reached.runs / 10);
  }, 900_000);
});
