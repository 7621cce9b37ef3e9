/**
 * Test wiring: the local adapters on a fresh temporary directory — the store chosen by TEST_STORE
 * (SQLite by default, PostgreSQL, nedb: test/support/testStore.ts) and files on disk —, the cloud
 * adapters on the emulator, and the dev callers.
 */
import type { UploadLimits } from '../../src/core/uploadQuota';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DiskFiles } from '../../server/adapters/embedded/files';
import { CloudFiles } from '../../server/adapters/cloud/files';
import type { WxCloud } from '../../server/adapters/cloud/sdk';
import { CloudStore } from '../../server/adapters/cloud/store';
import type { Caller, Clock, Collection, Ports, Store, StoredDoc, StoredFile } from '../../server/ports';
import { cloudWithEmulator, type CloudEmulator } from '../cloud/emulator';
import { FieldCipher } from '../../server/security/fieldCipher';
import { samplePolicies } from '../../src/core/policy';
import { staticCatalog } from '../../server/policies/catalog';
import { openTestStore } from './testStore';
import { readQr } from '../../server/ocr/readQr';

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

export interface PortOptions {
  clock?: Clock;
  /**
   * The product's QR reader (`Ports.readQr`): submit then reads the QR code of every receipt photo nobody read, ≈ 16 ms
   * of CPU a photo. Off unless a suite tests that: the handler suites submit thousands of unread photos.
   */
  readQr?: boolean;
  /** How much one account may upload a day (the product's defaults unless a suite tests the limit). */
  uploadLimits?: UploadLimits;
}

/**
 * Fresh ports of the local server's kind: an empty store of the kind TEST_STORE names (SQLite, the
 * product's default, unless set; closed after the test), files on disk in a new temp directory.
 */
export async function embeddedPorts(
  options: PortOptions = {},
): Promise<Ports & { store: Store; files: DiskFiles; dataDir: string }> {
  const dataDir = tempDir();
  const clock = options.clock ?? new FixedClock(new Date('2026-03-02T02:00:00Z'));
  const store = await openTestStore(dataDir);
  const files = new DiskFiles(dataDir, store, Buffer.alloc(32, 7), clock, '', options.uploadLimits);
  return {
    store,
    files,
    clock,
    dataDir,
    sealer: FieldCipher.fromHex('5a'.repeat(32)),
    policies: staticCatalog(samplePolicies),
    ...(options.readQr ? { readQr } : {}),
  };
}

/** Cloud files on the emulator, with the same `put` as DiskFiles: upload to storage as the app does, then register. */
export class EmulatedCloudFiles extends CloudFiles {
  private serial = 0;

  constructor(
    private readonly emulator: CloudEmulator,
    cloud: WxCloud,
    store: Store,
    clock: Clock,
    uploadLimits?: UploadLimits,
  ) {
    super(cloud, store, clock, uploadLimits);
  }

  async put(owner: string, name: string, _contentType: string, bytes: Buffer): Promise<StoredFile> {
    this.serial += 1;
    const ownerDir = createHash('sha256').update(owner).digest('hex').slice(0, 16);
    const fileID = this.emulator.putFile(
      `uploads/${ownerDir}/${Date.now().toString(36)}-${this.serial}.${name.split('.').pop() ?? 'jpg'}`,
      bytes,
    );
    return this.register(owner, fileID, name);
  }
}

export type CloudEmulatorPorts = Ports & {
  store: CloudStore;
  files: EmulatedCloudFiles;
  emulator: CloudEmulator;
  cloud: WxCloud;
};

/**
 * The cloud adapters (CloudStore, CloudFiles) on the real wx-server-sdk 4.0.2, whose only transport
 * is the emulator (test/cloud/emulator.ts): what the handlers ask for goes through the SDK's
 * serializers as in production and is executed with MongoDB semantics. Same options as embeddedPorts.
 */
export async function cloudEmulatorPorts(options: PortOptions = {}): Promise<CloudEmulatorPorts> {
  const { cloud: sdk, emulator } = cloudWithEmulator();
  const cloud = sdk as WxCloud;
  const clock = options.clock ?? new FixedClock(new Date('2026-03-02T02:00:00Z'));
  const store = new CloudStore(cloud);
  const files = new EmulatedCloudFiles(emulator, cloud, store, clock, options.uploadLimits);
  return {
    store,
    files,
    clock,
    emulator,
    cloud,
    sealer: FieldCipher.fromHex('5a'.repeat(32)),
    policies: staticCatalog(samplePolicies),
    ...(options.readQr ? { readQr } : {}),
  };
}

/** Both port factories by name, for `describe.each(portFactories)('… (%s)', (name, makePorts) => …)`. */
export const portFactories = [
  ['embedded', embeddedPorts],
  ['cloud emulator', cloudEmulatorPorts],
] as const;

/**
 * `inner` with some of its methods replaced, every other call passed to `inner` — for a test that watches one method.
 * Not an object spread (`{ ...inner, find }`): a store's collections are class instances, whose methods live on the
 * prototype, which a spread drops.
 */
export function withMethods<T extends StoredDoc>(
  inner: Collection<T>,
  replaced: Partial<Collection<T>>,
): Collection<T> {
  return {
    insert: (doc) => inner.insert(doc),
    get: (id) => inner.get(id),
    find: (filter, options) => inner.find(filter, options),
    count: (filter) => inner.count(filter),
    groupCount: (filter, by, sum) => inner.groupCount(filter, by, sum),
    update: (id, patch, options) => inner.update(id, patch, options),
    updateWhere: (filter, patch) => inner.updateWhere(filter, patch),
    remove: (id) => inner.remove(id),
    ...replaced,
  };
}

/** `store`, counting each collection call by `collection.method` in `calls`. */
export function countingCalls(store: Store, calls: Record<string, number>): Store {
  return {
    transaction: (work) => store.transaction(work),
    collection<T extends StoredDoc>(name: string): Collection<T> {
      const inner = store.collection<T>(name);
      const count = (method: string): void => void (calls[`${name}.${method}`] = (calls[`${name}.${method}`] ?? 0) + 1);
      return {
        insert: (doc) => (count('insert'), inner.insert(doc)),
        get: (id) => (count('get'), inner.get(id)),
        find: (filter, options) => (count('find'), inner.find(filter, options)),
        count: (filter) => (count('count'), inner.count(filter)),
        groupCount: (filter, by, sum) => (count('groupCount'), inner.groupCount(filter, by, sum)),
        update: (id, patch, options) => (count('update'), inner.update(id, patch, options)),
        updateWhere: (filter, patch) => (count('updateWhere'), inner.updateWhere(filter, patch)),
        remove: (id) => (count('remove'), inner.remove(id)),
      };
    },
  };
}
