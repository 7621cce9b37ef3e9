/**
 * Jest's order of test files: the longest first, so that no worker is left with a long suite at the end while the
 * others idle. Jest does this from its cache of earlier runs; a fresh clone (CI) has none, and Jest then orders by
 * file size, which started the interleavings suite (≈ 8 minutes) five minutes into the run. Here a file's expected
 * seconds come from Jest's cache when it has them, else from the table below (measured in a fresh-clone run,
 * 2026-12-03), else a few seconds per 10 KB of test file, as Jest's own guess.
 */
const Sequencer = require('@jest/test-sequencer').default;

/** Seconds a run took, by path suffix (the heavy ones: everything else takes under 20 s). */
const measuredSeconds = {
  'server/handlers/badInput.test.ts': 120,
  'test/integrity/interleavings.test.ts': 35,
  'test/integrity/interleavings.cloud.test.ts': 60,
  'test/receipts/ocr.test.ts': 170,
  'server/ocr/prepare.test.ts': 57,
  'server/handlers/authorization.test.ts': 52,
  'test/durability.test.ts': 30,
  'scripts/read-receipt.test.ts': 28,
  'test/http/hostile.test.ts': 26,
  'test/postgres.multiprocess.test.ts': 23,
  'server/ocr/ocrProcesses.test.ts': 45,
};

const expectedOf = (test, cached) => {
  if (cached != null) return cached / 1000;
  const path = test.path.replace(/\\/g, '/');
  const known = Object.keys(measuredSeconds).find((suffix) => path.endsWith(suffix));
  if (known) return measuredSeconds[known];
  return (test.context.hasteFS.getSize(test.path) ?? 0) / 10_000;
};

class LongestFirst extends Sequencer {
  sort(tests) {
    const expected = new Map(tests.map((test) => [test.path, expectedOf(test, this.time(test))]));
    return [...tests].sort((a, b) => {
      const failedA = this.hasFailed(a);
      if (failedA !== this.hasFailed(b)) return failedA ? -1 : 1;
      return expected.get(b.path) - expected.get(a.path);
    });
  }
}

module.exports = LongestFirst;
