/** Test wiring: the embedded adapters on a fresh temporary directory, and the dev callers. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedStore } from '../../server/adapters/embedded/store';
import { DiskFiles } from '../../server/adapters/embedded/files';
import type { Caller, Clock, Ports } from '../../server/ports';
import { FieldCipher } from '../../server/security/fieldCipher';
import { samplePolicies } from '../../src/core/policy';

export const callers = {
  zhangsan: { openid: 'dev-openid-zhangsan', roles: ['claimant'] } satisfies Caller,
  lisi: { openid: 'dev-openid-lisi', roles: ['claimant'] } satisfies Caller,
  reviewer: { openid: 'dev-openid-reviewer', roles: ['claimant', 'reviewer'] } satisfies Caller,
  reviewer2: { openid: 'dev-openid-reviewer2', roles: ['claimant', 'reviewer', 'secondReviewer'] } satisfies Caller,
};

export function tempDir(prefix = 'yb-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export class FixedClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export async function embeddedPorts(options: { persistent?: boolean; clock?: Clock } = {}): Promise<Ports & { store: EmbeddedStore; files: DiskFiles; dataDir: string }> {
  const dataDir = tempDir();
  const clock = options.clock ?? new FixedClock(new Date('2026-03-02T02:00:00Z'));
  const store = await EmbeddedStore.open(options.persistent ? dataDir : null);
  const files = new DiskFiles(dataDir, store, Buffer.alloc(32, 7), clock);
  return { store, files, clock, dataDir, sealer: FieldCipher.fromHex('5a'.repeat(32)), policies: samplePolicies };
}
