/**
 * Store calls per action (issue 12): in the WeChat cloud every call to the database is a round trip
 * (~10–30 ms, and billed), so each action should make the calls its work needs and no more.
 * `CountingStore` wraps any Store and counts what passes through it: collection calls by kind,
 * transactions, and the reads and writes inside them (each a call in db.runTransaction), plus the
 * documents read. `storeCallsPerAction` takes one claim through its life on the local server's
 * wiring (SQLite, the store's policy catalog, the caller resolved per request as the HTTP server
 * does) and returns the counts of each action.
 */
import { DiskFiles } from '../server/adapters/embedded/files';
import { SqliteStore } from '../server/adapters/sql/sqlite';
import { claimsFunction } from '../server/handlers/claims';
import { invoke, type FunctionDefinition } from '../server/handlers/framework';
import { paymentsFunction } from '../server/handlers/payments';
import { reviewFunction } from '../server/handlers/review';
import { resolveCaller } from '../server/identity';
import { seedDevStaff } from '../server/local/devLogin';
import { StorePolicyCatalog } from '../server/policies/catalog';
import type {
  Caller,
  Clock,
  Collection,
  Filter,
  FindOptions,
  Ports,
  Store,
  StoredDoc,
  Transaction,
} from '../server/ports';
import { FieldCipher } from '../server/security/fieldCipher';
import { recentDate, uploadMaterials, validForm, requiredMaterialIds } from '../test/support/fixtures';
import { callers, FixedClock, tempDir } from '../test/support/ports';

export interface CallCounts {
  /** Every round trip: collection calls, and the gets and writes of transactions. */
  calls: number;
  transactions: number;
  reads: number;
  writes: number;
  docsRead: number;
  /** Calls by kind, e.g. `claims.get`, `tx.set ledgers`. */
  byKind: Record<string, number>;
}

const emptyCounts = (): CallCounts => ({ calls: 0, transactions: 0, reads: 0, writes: 0, docsRead: 0, byKind: {} });

export class CountingStore implements Store {
  counts: CallCounts = emptyCounts();

  constructor(private readonly inner: Store) {}

  /** The counts so far, and a fresh start. */
  take(): CallCounts {
    const taken = this.counts;
    this.counts = emptyCounts();
    return taken;
  }

  private count(kind: string, type: 'read' | 'write', docs = 0): void {
    this.counts.calls += 1;
    this.counts[type === 'read' ? 'reads' : 'writes'] += 1;
    this.counts.docsRead += docs;
    this.counts.byKind[kind] = (this.counts.byKind[kind] ?? 0) + 1;
  }

  collection<T extends StoredDoc>(name: string): Collection<T> {
    const inner = this.inner.collection<T>(name);
    return {
      insert: async (doc) => (this.count(`${name}.insert`, 'write'), inner.insert(doc)),
      get: async (id) => {
        const doc = await inner.get(id);
        this.count(`${name}.get`, 'read', doc ? 1 : 0);
        return doc;
      },
      find: async (filter: Filter, options?: FindOptions) => {
        const docs = await inner.find(filter, options);
        this.count(`${name}.find`, 'read', docs.length);
        return docs;
      },
      count: async (filter) => (this.count(`${name}.count`, 'read'), inner.count(filter)),
      groupCount: async (filter, by, sum) => (
        this.count(`${name}.groupCount`, 'read'),
        inner.groupCount(filter, by, sum)
      ),
      update: async (id, patch, options) => (this.count(`${name}.update`, 'write'), inner.update(id, patch, options)),
      updateWhere: async (filter, patch) => (
        this.count(`${name}.updateWhere`, 'write'),
        inner.updateWhere(filter, patch)
      ),
      remove: async (id) => (this.count(`${name}.remove`, 'write'), inner.remove(id)),
    };
  }

  transaction<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    this.counts.transactions += 1;
    return this.inner.transaction((tx) =>
      work({
        get: async <T extends StoredDoc>(collection: string, id: string) => {
          const doc = await tx.get<T>(collection, id);
          this.count(`tx.get ${collection}`, 'read', doc ? 1 : 0);
          return doc;
        },
        set: async (collection, doc) => (this.count(`tx.set ${collection}`, 'write'), tx.set(collection, doc)),
        remove: async (collection, id) => (this.count(`tx.remove ${collection}`, 'write'), tx.remove(collection, id)),
      }),
    );
  }
}

export interface ActionCalls {
  action: string;
  counts: CallCounts;
}

/** The local server's wiring on `store` (files in a temporary directory, the store's policy catalog): the bench's own, not the tests' (which register with jest). */
export function benchPorts(store: Store, clock: Clock = new FixedClock(new Date())): Ports & { files: DiskFiles } {
  // The bench's accounts upload thousands of invoices a day: far past the product's daily limit.
  const files = new DiskFiles(tempDir('yb-bench-'), store, Buffer.alloc(32, 7), clock, '', {
    filesPerDay: 1_000_000,
    bytesPerDay: 100_000 * 1024 * 1024,
  });
  return {
    store,
    files,
    clock,
    sealer: FieldCipher.fromHex('5a'.repeat(32)),
    policies: new StorePolicyCatalog(store, clock),
  };
}

/** One claim from submission to payment on the local server's wiring; the store calls of each action (the caller's staff lookup included). */
export async function storeCallsPerAction(): Promise<ActionCalls[]> {
  const store = new CountingStore(SqliteStore.open(null));
  await seedDevStaff(store);
  const ports = benchPorts(store);
  const { files } = ports;
  const results: ActionCalls[] = [];
  const run = async (
    label: string | null,
    fn: FunctionDefinition,
    who: Caller,
    action: string,
    payload: Record<string, unknown>,
    requestId?: string,
  ): Promise<unknown> => {
    // A reviewer's step carries the status and version the reviewer saw (the page has them): not counted.
    const seen =
      fn === reviewFunction && action !== 'get' && typeof payload.id === 'string'
        ? await store.collection<StoredDoc & { status: string; version: number }>('claims').get(payload.id)
        : null;
    const request = {
      action,
      payload: seen ? { expectedStatus: seen.status, expectedVersion: seen.version, ...payload } : payload,
      ...(requestId ? { requestId } : {}),
    };
    store.take();
    const caller = await resolveCaller(who.openid, store);
    const result = await invoke(fn, request, caller, ports);
    if (!result.ok) throw new Error(`${action}: ${JSON.stringify(result.error)}`);
    const counts = store.take();
    if (label) results.push({ action: label, counts });
    return result.data;
  };
  const form = validForm({ visit: { visitDate: recentDate(10) } });
  const required = requiredMaterialIds(form);
  const submit = async (n: number): Promise<string> => {
    const materials = await uploadMaterials(
      files,
      callers.zhangsan.openid,
      required.map((id) => id),
    );
    // Each claim its own receipt photo: the same one twice is refused as a duplicate.
    materials.invoice = (await uploadMaterials(files, callers.zhangsan.openid, ['invoice'])).invoice!.map((id) => id);
    const data = (await run(
      n === 0 ? null : 'submit',
      claimsFunction,
      callers.zhangsan,
      'submit',
      { form: { ...form, materials } },
      `calls-submit-${n}`,
    )) as { id: string };
    return data.id;
  };
  await submit(0); // warms what a running server has warm: the policy catalog, the staff
  const id = await submit(1);
  await run('listMine', claimsFunction, callers.zhangsan, 'listMine', { page: 1, pageSize: 20 });
  await run('get', claimsFunction, callers.zhangsan, 'get', { id });
  await run('decide passPreliminary', reviewFunction, callers.reviewer, 'decide', { id, action: 'passPreliminary' });
  await run('decide requestSupplement', reviewFunction, callers.reviewer, 'decide', {
    id,
    action: 'requestSupplement',
    reasonCode: 'invoiceUnclear',
    materials: ['invoice'],
  });
  const again = await uploadMaterials(files, callers.zhangsan.openid, ['invoice']);
  await run('answerSupplement', claimsFunction, callers.zhangsan, 'answerSupplement', { id, materials: again });
  await run('decide passPreliminary (again)', reviewFunction, callers.reviewer, 'decide', {
    id,
    action: 'passPreliminary',
  });
  await run('decide passReview', reviewFunction, callers.reviewer, 'decide', { id, action: 'passReview' });
  await run('receiveOriginals', reviewFunction, callers.reviewer, 'receiveOriginals', { id });
  // 结算 with the figure the page's 结算预估 showed (the page's read: not counted).
  const loaded = (await run(null, reviewFunction, callers.reviewer, 'get', { id })) as {
    settlementPreview: { totalPaid: number } | null;
  };
  await run('settle', reviewFunction, callers.reviewer, 'settle', {
    id,
    expectedPaidFen: loaded.settlementPreview?.totalPaid ?? 0,
  });
  await run('verify', reviewFunction, callers.reviewer2, 'verify', { id });
  // Paid through a batch, as every claim is: the batch of this one claim made, its bank file exported, then paid.
  const { version } = (await store.collection<StoredDoc & { version: number }>('claims').get(id))!;
  const batch = (await run('createBatch (1 claim)', paymentsFunction, callers.reviewer2, 'createBatch', {
    claims: [{ id, expectedVersion: version }],
  })) as { batchNo: string };
  await run('export (batch of 1)', paymentsFunction, callers.reviewer2, 'export', {
    batchNo: batch.batchNo,
    format: 'csv',
  });
  // Confirmed by another than who made it (two people release money).
  await run('markPaid (batch of 1)', paymentsFunction, callers.reviewer, 'markPaid', {
    batchNo: batch.batchNo,
    expectedStatus: 'open',
  });
  return results;
}

export function printStoreCalls(results: readonly ActionCalls[]): void {
  console.log(
    "\nStore calls per action (SQLite, the local server's wiring; each call a round trip in the WeChat cloud)",
  );
  console.log('| action | calls | reads / writes | transactions | docs read | by kind |');
  console.log('|---|---|---|---|---|---|');
  for (const { action, counts } of results) {
    const kinds = Object.entries(counts.byKind)
      .map(([kind, n]) => `${kind}${n > 1 ? ` ×${n}` : ''}`)
      .join(', ');
    console.log(
      `| ${action} | ${counts.calls} | ${counts.reads} / ${counts.writes} | ${counts.transactions} | ${counts.docsRead} | ${kinds} |`,
    );
  }
}

if (require.main === module) {
  storeCallsPerAction()
    .then(printStoreCalls)
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
